import type { AlertRuleProps, RuleGroupProps, Severity } from '../rule-group';
import { JOBS, mixinRunbook, type RuleContext } from '../jobs';

const KSM = `job="${JOBS.kubeStateMetrics}"`;
const POD = '{{ $labels.namespace }}/{{ $labels.pod }}';
const m = (metric: string) => `${metric}{${KSM}}`;

/**
 * Workloads: the kubernetes-mixin's `kubernetes-apps` alerts (crash loops, replicas, rollouts,
 * DaemonSets, Jobs, HPAs, PDBs) under their names, and our own where the mixin has none (OOM
 * kills, a container near its CPU limit, late CronJobs, long Jobs).
 */
export function workloadRules(ctx: RuleContext): RuleGroupProps {
  const a = (alert: string, severity: Severity, rest: Omit<AlertRuleProps, 'alert' | 'team' | 'runbook' | 'severity'>): AlertRuleProps =>
    ({ alert, severity, team: ctx.team, runbook: mixinRunbook('kubernetes', alert), ...rest });
  const ours = (alert: string, slug: string, rest: Omit<AlertRuleProps, 'alert' | 'team' | 'runbook' | 'severity'>): AlertRuleProps =>
    ({ alert, severity: 'warning', team: ctx.team, runbook: ctx.runbook(slug), ...rest });
  const ds = (s: string) => m(`kube_daemonset_status_${s}`);
  const hpa = (s: string) => m(`kube_horizontalpodautoscaler_${s}`);
  return {
    name: 'kubernetes-apps',
    alerts: [
      a('KubePodCrashLooping', 'warning', {
        expr: `max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", ${KSM}}[5m]) >= 1`, for: '15m',
        summary: 'Pod is crash looping.', description: `Pod ${POD} ({{ $labels.container }}) is in waiting state (reason: "CrashLoopBackOff") on cluster {{ $labels.cluster }}.`,
      }),
      a('KubeDeploymentReplicasMismatch', 'warning', {
        expr: `(${m('kube_deployment_spec_replicas')} > ${m('kube_deployment_status_replicas_available')}) and (changes(${m('kube_deployment_status_replicas_updated')}[10m]) == 0)`, for: '15m',
        summary: 'Deployment has not matched the expected number of replicas.',
        description: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has not matched the expected number of replicas for longer than 15 minutes on cluster {{ $labels.cluster }}.',
      }),
      a('KubeDeploymentRolloutStuck', 'warning', {
        expr: `kube_deployment_status_condition{condition="Progressing", status="false",${KSM}} != 0`, for: '15m',
        summary: 'Deployment rollout is not progressing.',
        description: 'Rollout of deployment {{ $labels.namespace }}/{{ $labels.deployment }} is not progressing for longer than 15 minutes on cluster {{ $labels.cluster }}.',
      }),
      a('KubeStatefulSetReplicasMismatch', 'warning', {
        expr: `(${m('kube_statefulset_status_replicas_ready')} != ${m('kube_statefulset_replicas')}) and (changes(${m('kube_statefulset_status_replicas_updated')}[10m]) == 0)`, for: '15m',
        summary: 'StatefulSet has not matched the expected number of replicas.',
        description: 'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} has not matched the expected number of replicas for longer than 15 minutes on cluster {{ $labels.cluster }}.',
      }),
      a('KubeDaemonSetRolloutStuck', 'warning', {
        expr: `((${ds('current_number_scheduled')} != ${ds('desired_number_scheduled')}) or (${ds('number_misscheduled')} != 0)`
          + ` or (${ds('updated_number_scheduled')} != ${ds('desired_number_scheduled')}) or (${ds('number_available')} != ${ds('desired_number_scheduled')}))`
          + ` and (changes(${ds('updated_number_scheduled')}[5m]) == 0)`,
        for: '15m', summary: 'DaemonSet rollout is stuck.',
        description: 'DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} has not finished or progressed for at least 15m on cluster {{ $labels.cluster }}.',
      }),
      a('KubeDaemonSetNotScheduled', 'warning', {
        expr: `${ds('desired_number_scheduled')} - ${ds('current_number_scheduled')} > 0`, for: '10m',
        summary: 'DaemonSet pods are not scheduled.', description: 'Pods of DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} are not scheduled on cluster {{ $labels.cluster }}.',
      }),
      a('KubeJobFailed', 'warning', {
        expr: `${m('kube_job_failed')} > 0`, for: '15m',
        summary: 'Job failed to complete.',
        description: 'Job {{ $labels.namespace }}/{{ $labels.job_name }} failed to complete. Removing failed job after investigation should clear this alert on cluster {{ $labels.cluster }}.',
      }),
      a('KubeHpaReplicasMismatch', 'warning', {
        expr: `(${hpa('status_desired_replicas')} != ${hpa('status_current_replicas')}) and (${hpa('status_current_replicas')} > ${hpa('spec_min_replicas')})`
          + ` and (${hpa('status_current_replicas')} < ${hpa('spec_max_replicas')}) and changes(${hpa('status_current_replicas')}[15m]) == 0`,
        for: '15m', summary: 'HPA has not matched desired number of replicas.',
        description: 'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler  }} has not matched the desired number of replicas for longer than 15 minutes on cluster {{ $labels.cluster }}.',
      }),
      a('KubeHpaMaxedOut', 'warning', {
        expr: `(${hpa('status_current_replicas')} == ${hpa('spec_max_replicas')}) and on(namespace, horizontalpodautoscaler, cluster) (${hpa('spec_max_replicas')} != ${hpa('spec_min_replicas')})`,
        for: '15m', summary: 'HPA is running at max replicas',
        description: 'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler  }} has been running at max replicas for longer than 15 minutes on cluster {{ $labels.cluster }}.',
      }),
      a('KubePdbNotEnoughHealthyPods', 'warning', {
        expr: `(${m('kube_poddisruptionbudget_status_desired_healthy')} - ${m('kube_poddisruptionbudget_status_current_healthy')}) > 0`, for: '15m',
        summary: 'PDB does not have enough healthy pods.',
        description: 'PDB {{ $labels.cluster }}/{{ $labels.namespace }}/{{ $labels.poddisruptionbudget }} expects more healthy pods. The desired number of healthy pods has not been met for at least 15m.',
      }),
      ours('KubeContainerOOMKilled', 'container-oom-killed', {
        expr: `(kube_pod_container_status_last_terminated_reason{${KSM},reason="OOMKilled"} == 1)`
          + ` and on (namespace, pod, container) (increase(kube_pod_container_status_restarts_total{${KSM}}[15m]) > 0)`,
        summary: `Container {{ $labels.container }} of ${POD} was killed for using more memory than its limit`,
      }),
      ours('KubeContainerCPUNearLimit', 'cpu-near-limit', {
        expr: 'namespace_pod_container:container_cpu_usage:ratio_limit > 0.9', for: '15m',
        summary: `Container {{ $labels.container }} of ${POD} uses over 90% of its CPU limit`,
      }),
      ours('KubeCronJobLate', 'cronjob-late', {
        expr: `(time() - kube_cronjob_next_schedule_time{${KSM}} > 600) and on (namespace, cronjob) kube_cronjob_spec_suspend{${KSM}} == 0`, for: '5m',
        summary: 'CronJob {{ $labels.namespace }}/{{ $labels.cronjob }} is more than 10 minutes late',
      }),
      ours('KubeJobRunningTooLong', 'job-running-too-long', {
        expr: `time() - max by (namespace, job_name) (kube_job_status_start_time{${KSM}} and on (namespace, job_name) kube_job_status_active{${KSM}} > 0) > 3600`,
        summary: 'Job {{ $labels.namespace }}/{{ $labels.job_name }} has been running for more than an hour',
      }),
    ],
  };
}
