import type { AlertRuleProps, RuleGroupProps, Severity } from '../rule-group';
import { JOBS, kubeletSelector, mixinRunbook, type RuleContext } from '../jobs';

const K = kubeletSelector('metrics');
const KSM = `job="${JOBS.kubeStateMetrics}"`;
/** Read-only claims and claims labelled `excluded_from_alerts=true` do not alert (the mixin's exclusions). */
const excluded = 'unless on(cluster, namespace, persistentvolumeclaim) kube_persistentvolumeclaim_access_mode{ access_mode="ReadOnlyMany"} == 1'
  + ' unless on(cluster, namespace, persistentvolumeclaim) kube_persistentvolumeclaim_labels{label_excluded_from_alerts="true"} == 1';

/** Persistent volumes, as the kubernetes-mixin's `kubernetes-storage` group writes them. */
export function storageRules(ctx: RuleContext): RuleGroupProps {
  const a = (alert: string, severity: Severity, rest: Omit<AlertRuleProps, 'alert' | 'team' | 'runbook' | 'severity'>): AlertRuleProps =>
    ({ alert, severity, team: ctx.team, runbook: mixinRunbook('kubernetes', alert), ...rest });
  const tier = (kind: 'bytes' | 'inodes', severity: Severity) => {
    const [free, total, used] = kind === 'bytes'
      ? ['kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes', 'kubelet_volume_stats_used_bytes']
      : ['kubelet_volume_stats_inodes_free', 'kubelet_volume_stats_inodes', 'kubelet_volume_stats_inodes_used'];
    const critical = severity === 'critical';
    const predicted = critical ? '' : ` and predict_linear(${free}{${K}}[6h], 4 * 24 * 3600) < 0`;
    const noun = kind === 'bytes' ? 'PersistentVolume is filling up.' : 'PersistentVolumeInodes are filling up.';
    return a(kind === 'bytes' ? 'KubePersistentVolumeFillingUp' : 'KubePersistentVolumeInodesFillingUp', severity, {
      expr: `(${free}{${K}} / ${total}{${K}}) < ${critical ? '0.03' : '0.15'} and ${used}{${K}} > 0${predicted} ${excluded}`, for: critical ? '1m' : '1h',
      summary: noun,
      description: critical
        ? `The PersistentVolume claimed by {{ $labels.persistentvolumeclaim }} in Namespace {{ $labels.namespace }} on Cluster {{ $labels.cluster }} has less than 3% free ${kind === 'bytes' ? '' : 'inodes'}.`
        : `Based on recent sampling, the PersistentVolume claimed by {{ $labels.persistentvolumeclaim }} in Namespace {{ $labels.namespace }} on Cluster {{ $labels.cluster }} is expected to fill up${kind === 'bytes' ? '' : ' inodes'} within four days. Less than 15% is available.`,
    });
  };
  return {
    name: 'kubernetes-storage',
    alerts: [
      tier('bytes', 'critical'), tier('bytes', 'warning'), tier('inodes', 'critical'), tier('inodes', 'warning'),
      a('KubePersistentVolumeErrors', 'critical', {
        expr: `kube_persistentvolume_status_phase{phase=~"Failed|Pending",${KSM}} > 0`, for: '5m',
        summary: 'PersistentVolume is having issues with provisioning.', description: 'The persistent volume {{ $labels.persistentvolume }} on Cluster {{ $labels.cluster }} has status {{ $labels.phase }}.',
      }),
    ],
  };
}
