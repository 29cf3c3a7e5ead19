import type { AlertRuleProps, RuleGroupProps, Severity } from '../rule-group';
import { JOBS, kubeletSelector, mixinRunbook, type RuleContext } from '../jobs';

const KSM = `job="${JOBS.kubeStateMetrics}"`;
/** Nodes cordoned on purpose (drained for an upgrade) do not alert, as the mixin excludes them. */
const schedulable = `and on (cluster, node) kube_node_spec_unschedulable{${KSM}} == 0`;

/** Nodes and kubelets, as the kubernetes-mixin's `kubernetes-system-kubelet` group writes them. */
export function kubeletRules(ctx: RuleContext): RuleGroupProps {
  const a = (alert: string, severity: Severity, rest: Omit<AlertRuleProps, 'alert' | 'team' | 'runbook' | 'severity'>): AlertRuleProps =>
    ({ alert, severity, team: ctx.team, runbook: mixinRunbook('kubernetes', alert), ...rest });
  const certificate = (which: 'client' | 'server', severity: Severity, seconds: number) =>
    a(which === 'client' ? 'KubeletClientCertificateExpiration' : 'KubeletServerCertificateExpiration', severity, {
      expr: `kubelet_certificate_manager_${which}_ttl_seconds < ${seconds}`,
      summary: `Kubelet ${which} certificate is about to expire.`,
      description: `${which === 'client' ? 'Client' : 'Server'} certificate for Kubelet on node {{ $labels.node }} expires in less than ${seconds === 86400 ? 'a day' : 'a week'}.`,
    });
  return {
    name: 'kubernetes-system-kubelet',
    alerts: [
      a('KubeNodeNotReady', 'warning', {
        expr: `kube_node_status_condition{${KSM},condition="Ready",status="true"} == 0 ${schedulable}`, for: '15m',
        summary: 'Node is not ready.', description: '{{ $labels.node }} has been unready for more than 15 minutes.',
      }),
      a('KubeNodePressure', 'info', {
        expr: `kube_node_status_condition{${KSM},condition=~"(MemoryPressure|DiskPressure|PIDPressure)",status="true"} == 1 ${schedulable}`, for: '10m',
        summary: 'Node has as active Condition.', description: '{{ $labels.node }} has active Condition {{ $labels.condition }}. This is caused by resource usage exceeding eviction thresholds.',
      }),
      a('KubeletDown', 'critical', {
        expr: `count by (cluster) (kube_node_info{${KSM}}) unless on (cluster) count by (cluster) (up{${kubeletSelector('metrics')}} == 1)`, for: '15m',
        summary: 'Target disappeared from Prometheus target discovery.', description: 'Kubelet has disappeared from Prometheus target discovery.',
      }),
      certificate('client', 'warning', 604800), certificate('client', 'critical', 86400),
      certificate('server', 'warning', 604800), certificate('server', 'critical', 86400),
    ],
  };
}
