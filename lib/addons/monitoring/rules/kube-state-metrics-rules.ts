import type { AlertRuleProps, RuleGroupProps } from '../rule-group';
import { JOBS, mixinRunbook, type RuleContext } from '../jobs';

const KSM = `job="${JOBS.kubeStateMetrics}"`;

/**
 * kube-state-metrics's own health (its mixin, kube-prometheus's `kube-state-metrics` group):
 * list and watch errors against the API. The sharding alerts of that group do not apply: this
 * addon runs one unsharded kube-state-metrics.
 */
export function kubeStateMetricsRules(ctx: RuleContext): RuleGroupProps {
  const errors = (op: 'list' | 'watch'): AlertRuleProps => {
    const alert = op === 'list' ? 'KubeStateMetricsListErrors' : 'KubeStateMetricsWatchErrors';
    return {
      alert, team: ctx.team, runbook: mixinRunbook('kube-state-metrics', alert), for: '15m', severity: 'critical',
      expr: `(sum(rate(kube_state_metrics_${op}_total{${KSM},result="error"}[5m])) by (cluster) / sum(rate(kube_state_metrics_${op}_total{${KSM}}[5m])) by (cluster)) > 0.01`,
      summary: `kube-state-metrics is experiencing errors in ${op} operations.`,
      description: `kube-state-metrics is experiencing errors at an elevated rate in ${op} operations. This is likely causing it to not be able to expose metrics about Kubernetes objects correctly or at all.`,
    };
  };
  return { name: 'kube-state-metrics', alerts: [errors('list'), errors('watch')] };
}
