import type { RuleGroupProps } from '../rule-group';
import { JOBS, type RuleContext } from '../jobs';

const KSM = `job="${JOBS.kubeStateMetrics}"`;
const CADVISOR = `job="${JOBS.cadvisor}",container!="",container!="POD"`;
const POD = '{{ $labels.namespace }}/{{ $labels.pod }}';

/** Workloads: crash loops, OOM kills, CPU against the limit and throttling, Jobs and CronJobs, replicas, volumes. */
export function workloadRules(ctx: RuleContext): RuleGroupProps {
  return {
    name: 'workloads',
    records: [
      {
        record: 'namespace_pod_container:container_cpu_usage_seconds:rate5m',
        expr: `sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{${CADVISOR}}[5m]))`,
      },
      {
        record: 'namespace_pod_container:container_cpu_usage:ratio_limit',
        expr: 'namespace_pod_container:container_cpu_usage_seconds:rate5m'
          + ` / on (namespace, pod, container) sum by (namespace, pod, container) (kube_pod_container_resource_limits{${KSM},resource="cpu"})`,
      },
    ],
    alerts: [
      {
        alert: 'KubePodCrashLooping',
        expr: `max_over_time(kube_pod_container_status_waiting_reason{${KSM},reason="CrashLoopBackOff"}[5m]) >= 1`, for: '15m',
        severity: 'warning', team: ctx.team, summary: `Container {{ $labels.container }} of ${POD} is crash-looping`, runbook: ctx.runbook('pod-crash-looping'),
      },
      {
        alert: 'KubeContainerOOMKilled',
        expr: `(kube_pod_container_status_last_terminated_reason{${KSM},reason="OOMKilled"} == 1)`
          + ` and on (namespace, pod, container) (increase(kube_pod_container_status_restarts_total{${KSM}}[15m]) > 0)`,
        severity: 'warning', team: ctx.team, summary: `Container {{ $labels.container }} of ${POD} was killed for using more memory than its limit`,
        runbook: ctx.runbook('container-oom-killed'),
      },
      {
        alert: 'KubeContainerCPUNearLimit', expr: 'namespace_pod_container:container_cpu_usage:ratio_limit > 0.9', for: '15m',
        severity: 'warning', team: ctx.team, summary: `Container {{ $labels.container }} of ${POD} uses over 90% of its CPU limit`, runbook: ctx.runbook('cpu-near-limit'),
      },
      {
        alert: 'KubeCPUThrottlingHigh',
        expr: `sum by (namespace, pod, container) (increase(container_cpu_cfs_throttled_periods_total{${CADVISOR}}[5m]))`
          + ` / sum by (namespace, pod, container) (increase(container_cpu_cfs_periods_total{${CADVISOR}}[5m])) > 0.25`,
        for: '15m', severity: 'info', team: ctx.team,
        summary: `Container {{ $labels.container }} of ${POD} is throttled in over 25% of its CPU periods`, runbook: ctx.runbook('cpu-throttling-high'),
      },
      {
        alert: 'KubeJobFailed', expr: `kube_job_failed{${KSM},condition="true"} > 0`, for: '5m',
        severity: 'warning', team: ctx.team, summary: 'Job {{ $labels.namespace }}/{{ $labels.job_name }} failed', runbook: ctx.runbook('job-failed'),
      },
      {
        alert: 'KubeCronJobLate',
        expr: `(time() - kube_cronjob_next_schedule_time{${KSM}} > 600) and on (namespace, cronjob) kube_cronjob_spec_suspend{${KSM}} == 0`,
        for: '5m', severity: 'warning', team: ctx.team,
        summary: 'CronJob {{ $labels.namespace }}/{{ $labels.cronjob }} is more than 10 minutes late', runbook: ctx.runbook('cronjob-late'),
      },
      {
        alert: 'KubeJobRunningTooLong',
        expr: `time() - max by (namespace, job_name) (kube_job_status_start_time{${KSM}} and on (namespace, job_name) kube_job_status_active{${KSM}} > 0) > 3600`,
        severity: 'warning', team: ctx.team,
        summary: 'Job {{ $labels.namespace }}/{{ $labels.job_name }} has been running for more than an hour', runbook: ctx.runbook('job-running-too-long'),
      },
      {
        alert: 'KubeDeploymentReplicasMismatch',
        expr: `kube_deployment_spec_replicas{${KSM}} != kube_deployment_status_replicas_available{${KSM}}`, for: '15m',
        severity: 'warning', team: ctx.team,
        summary: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has not had its desired replicas available for 15 minutes',
        runbook: ctx.runbook('replicas-mismatch'),
      },
      {
        alert: 'KubeStatefulSetReplicasMismatch',
        expr: `kube_statefulset_replicas{${KSM}} != kube_statefulset_status_replicas_ready{${KSM}}`, for: '15m',
        severity: 'warning', team: ctx.team,
        summary: 'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} has not had its desired replicas ready for 15 minutes',
        runbook: ctx.runbook('replicas-mismatch'),
      },
      {
        alert: 'KubePersistentVolumeFilling',
        expr: `kubelet_volume_stats_available_bytes{job="${JOBS.kubelet}"} / kubelet_volume_stats_capacity_bytes{job="${JOBS.kubelet}"} < 0.1`, for: '15m',
        severity: 'warning', team: ctx.team,
        summary: 'Volume claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has less than 10% space left', runbook: ctx.runbook('pvc-filling'),
      },
    ],
  };
}
