import type { AlertRuleProps, RuleGroupProps, Severity } from '../rule-group';
import { JOBS, kubeletSelector, mixinRunbook, type RuleContext } from '../jobs';

const KSM = `job="${JOBS.kubeStateMetrics}"`;
const C = kubeletSelector('cadvisor');
const quota = (type: 'used' | 'hard') => `topk by (cluster, namespace, resource, resourcequota) (1, max without (instance, job, type) (kube_resourcequota{${KSM}, type="${type}"})${type === 'hard' ? ' > 0' : ''})`;
const quotaRatio = `${quota('used')} / on (cluster, namespace, resource, resourcequota) group_left() ${quota('hard')}`;
const perContainer = (metric: string, extra: string) =>
  `sum without (id, metrics_path, name, image, endpoint, job, node) (topk by (cluster, namespace, pod, container, instance) (1, increase(${metric}{${extra}${C}}[5m])))`;

/** Resource quotas and CPU throttling, as the kubernetes-mixin's `kubernetes-resources` group writes them. */
export function resourceRules(ctx: RuleContext): RuleGroupProps {
  const a = (alert: string, severity: Severity, rest: Omit<AlertRuleProps, 'alert' | 'team' | 'runbook' | 'severity'>): AlertRuleProps =>
    ({ alert, severity, team: ctx.team, runbook: mixinRunbook('kubernetes', alert), ...rest });
  const used = (share: string) => `Namespace {{ $labels.namespace }} is using ${share} of its {{ $labels.resource }} quota on cluster {{ $labels.cluster }}.`;
  return {
    name: 'kubernetes-resources',
    alerts: [
      a('KubeQuotaAlmostFull', 'info', { expr: `${quotaRatio} > 0.9 < 1`, for: '15m', summary: 'Namespace quota is going to be full.', description: used('over 90%') }),
      a('KubeQuotaExceeded', 'warning', { expr: `${quotaRatio} > 1`, for: '15m', summary: 'Namespace quota has exceeded the limits.', description: used('more than all') }),
      a('CPUThrottlingHigh', 'info', {
        expr: `${perContainer('container_cpu_cfs_throttled_periods_total', 'container!="", ')} / on (cluster, namespace, pod, container, instance) group_left ${perContainer('container_cpu_cfs_periods_total', '')} > ( 25 / 100 )`,
        for: '15m', summary: 'Processes experience elevated CPU throttling.',
        description: 'Over 25% throttling of CPU in namespace {{ $labels.namespace }} for container {{ $labels.container }} in pod {{ $labels.pod }} on cluster {{ $labels.cluster }}.',
      }),
    ],
  };
}
