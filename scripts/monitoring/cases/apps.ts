import { KSM, s, type RuleCases, type Series, type TestContext } from './types';

const pod = 'namespace="shop",pod="api-0",container="api"';
const podLabels = { namespace: 'shop', pod: 'api-0', container: 'api' };
const CADVISOR = 'job="kubelet",metrics_path="/metrics/cadvisor"';
const ksm = (metric: string, labels: string, v: string) => s(`${metric}{${KSM},${labels}}`, v);
const DEP = 'namespace="shop",deployment="api"';
const STS = 'namespace="shop",statefulset="db"';
const DS = 'namespace="shop",daemonset="agent"';
const HPA = 'namespace="shop",horizontalpodautoscaler="api"';
const PDB = 'namespace="shop",poddisruptionbudget="api"';
const Q = 'namespace="shop",resource="pods",resourcequota="shop"';
const k = (labels: Record<string, string>) => ({ job: 'kube-state-metrics', ...labels });

function daemonSet(current: string): Series[] {
  return [
    ksm('kube_daemonset_status_current_number_scheduled', DS, current), ksm('kube_daemonset_status_desired_number_scheduled', DS, '3x40'),
    ksm('kube_daemonset_status_number_misscheduled', DS, '0x40'), ksm('kube_daemonset_status_updated_number_scheduled', DS, '3x40'),
    ksm('kube_daemonset_status_number_available', DS, '3x40'),
  ];
}

function hpa(desired: string, current: string): Series[] {
  return [
    ksm('kube_horizontalpodautoscaler_status_desired_replicas', HPA, desired), ksm('kube_horizontalpodautoscaler_status_current_replicas', HPA, current),
    ksm('kube_horizontalpodautoscaler_spec_min_replicas', HPA, '1x40'), ksm('kube_horizontalpodautoscaler_spec_max_replicas', HPA, '10x40'),
  ];
}

const quota = (used: string) => [ksm('kube_resourcequota', `${Q},type="used"`, used), ksm('kube_resourcequota', `${Q},type="hard"`, '100x40')];

/** A container using `cpu` seconds a sample against a one-core limit, on node-a. */
function cpu(perSample: number): Series[] {
  return [
    s(`container_cpu_usage_seconds_total{${CADVISOR},${pod},image="registry.example.com/shop/api:1"}`, `0+${perSample}x40`),
    ksm('kube_pod_info', 'namespace="shop",pod="api-0",node="node-a"', '1x40'), ksm('kube_pod_container_resource_limits', `${pod},resource="cpu"`, '1x40'),
  ];
}

const throttled = (periods: string) => [
  s(`container_cpu_cfs_throttled_periods_total{${CADVISOR},${pod},instance="node-a"}`, periods), s(`container_cpu_cfs_periods_total{${CADVISOR},${pod},instance="node-a"}`, '0+100x40'),
];

/** Workloads, quotas and throttling, the platform probes. */
export function appsCases(ctx: TestContext): RuleCases {
  const cron = `${KSM},namespace="${ctx.namespace}",cronjob="${ctx.probeCronJob}"`;
  const cronLabels = { job: 'kube-state-metrics', namespace: ctx.namespace, cronjob: ctx.probeCronJob };
  return {
    KubePodCrashLooping: {
      fires: { series: [s(`kube_pod_container_status_waiting_reason{${KSM},${pod},reason="CrashLoopBackOff"}`, '1x40')], alerts: [{ job: 'kube-state-metrics', ...podLabels, reason: 'CrashLoopBackOff' }] },
      quiet: { series: [s(`kube_pod_container_status_waiting_reason{${KSM},${pod},reason="CrashLoopBackOff"}`, '0x40')], alerts: [] },
    },
    KubeContainerOOMKilled: {
      fires: {
        series: [s(`kube_pod_container_status_last_terminated_reason{${KSM},${pod},reason="OOMKilled"}`, '1x40'), s(`kube_pod_container_status_restarts_total{${KSM},${pod}}`, '0x5 1x35')],
        at: '10m', alerts: [{ job: 'kube-state-metrics', ...podLabels, reason: 'OOMKilled' }],
      },
      quiet: { series: [s(`kube_pod_container_status_last_terminated_reason{${KSM},${pod},reason="OOMKilled"}`, '1x40'), s(`kube_pod_container_status_restarts_total{${KSM},${pod}}`, '1x40')], at: '10m', alerts: [] },
    },
    KubeCronJobLate: {
      fires: { series: [s(`kube_cronjob_next_schedule_time{${KSM},namespace="shop",cronjob="export"}`, '60x40'), s(`kube_cronjob_spec_suspend{${KSM},namespace="shop",cronjob="export"}`, '0x40')], alerts: [{ job: 'kube-state-metrics', namespace: 'shop', cronjob: 'export' }] },
      quiet: { series: [s(`kube_cronjob_next_schedule_time{${KSM},namespace="shop",cronjob="export"}`, '120+61x40'), s(`kube_cronjob_spec_suspend{${KSM},namespace="shop",cronjob="export"}`, '0x40')], alerts: [] },
    },
    KubeJobRunningTooLong: {
      fires: { series: [s(`kube_job_status_start_time{${KSM},namespace="shop",job_name="export"}`, '-3000x40'), s(`kube_job_status_active{${KSM},namespace="shop",job_name="export"}`, '1x40')], alerts: [{ namespace: 'shop', job_name: 'export' }] },
      quiet: { series: [s(`kube_job_status_start_time{${KSM},namespace="shop",job_name="export"}`, '-3000x40'), s(`kube_job_status_active{${KSM},namespace="shop",job_name="export"}`, '0x40')], alerts: [] },
    },
    KubeDeploymentReplicasMismatch: {
      fires: { series: [ksm('kube_deployment_spec_replicas', DEP, '3x40'), ksm('kube_deployment_status_replicas_available', DEP, '2x40'), ksm('kube_deployment_status_replicas_updated', DEP, '3x40')], alerts: [k({ namespace: 'shop', deployment: 'api' })] },
      // Still rolling (updated replicas change): not yet a mismatch.
      quiet: { series: [ksm('kube_deployment_spec_replicas', DEP, '3x40'), ksm('kube_deployment_status_replicas_available', DEP, '2x40'), ksm('kube_deployment_status_replicas_updated', DEP, '0+1x40')], alerts: [] },
    },
    KubeDeploymentRolloutStuck: {
      fires: { series: [ksm('kube_deployment_status_condition', `${DEP},condition="Progressing",status="false"`, '1x40')], alerts: [k({ namespace: 'shop', deployment: 'api', condition: 'Progressing', status: 'false' })] },
      quiet: { series: [ksm('kube_deployment_status_condition', `${DEP},condition="Progressing",status="false"`, '0x40')], alerts: [] },
    },
    KubeStatefulSetReplicasMismatch: {
      fires: { series: [ksm('kube_statefulset_status_replicas_ready', STS, '1x40'), ksm('kube_statefulset_replicas', STS, '3x40'), ksm('kube_statefulset_status_replicas_updated', STS, '3x40')], alerts: [k({ namespace: 'shop', statefulset: 'db' })] },
      quiet: { series: [ksm('kube_statefulset_status_replicas_ready', STS, '3x40'), ksm('kube_statefulset_replicas', STS, '3x40'), ksm('kube_statefulset_status_replicas_updated', STS, '3x40')], alerts: [] },
    },
    KubeDaemonSetRolloutStuck: { fires: { series: daemonSet('2x40'), alerts: [k({ namespace: 'shop', daemonset: 'agent' })] }, quiet: { series: daemonSet('3x40'), alerts: [] } },
    KubeDaemonSetNotScheduled: { fires: { series: daemonSet('2x40'), alerts: [k({ namespace: 'shop', daemonset: 'agent' })] }, quiet: { series: daemonSet('3x40'), alerts: [] } },
    KubeJobFailed: {
      fires: { series: [ksm('kube_job_failed', 'namespace="shop",job_name="export",condition="true"', '1x40')], alerts: [k({ namespace: 'shop', job_name: 'export', condition: 'true' })] },
      quiet: { series: [ksm('kube_job_failed', 'namespace="shop",job_name="export",condition="true"', '0x40')], alerts: [] },
    },
    KubeHpaReplicasMismatch: { fires: { series: hpa('5x40', '3x40'), alerts: [k({ namespace: 'shop', horizontalpodautoscaler: 'api' })] }, quiet: { series: hpa('3x40', '3x40'), alerts: [] } },
    KubeHpaMaxedOut: { fires: { series: hpa('10x40', '10x40'), alerts: [k({ namespace: 'shop', horizontalpodautoscaler: 'api' })] }, quiet: { series: hpa('5x40', '5x40'), alerts: [] } },
    KubePdbNotEnoughHealthyPods: {
      fires: { series: [ksm('kube_poddisruptionbudget_status_desired_healthy', PDB, '2x40'), ksm('kube_poddisruptionbudget_status_current_healthy', PDB, '1x40')], alerts: [k({ namespace: 'shop', poddisruptionbudget: 'api' })] },
      quiet: { series: [ksm('kube_poddisruptionbudget_status_desired_healthy', PDB, '2x40'), ksm('kube_poddisruptionbudget_status_current_healthy', PDB, '2x40')], alerts: [] },
    },
    KubeContainerCPUNearLimit: { fires: { series: cpu(58), alerts: [podLabels] }, quiet: { series: cpu(30), alerts: [] } },
    KubeQuotaAlmostFull: { fires: { series: quota('95x40'), alerts: [{ namespace: 'shop', resource: 'pods', resourcequota: 'shop' }] }, quiet: { series: quota('10x40'), alerts: [] } },
    KubeQuotaExceeded: { fires: { series: quota('120x40'), alerts: [{ namespace: 'shop', resource: 'pods', resourcequota: 'shop' }] }, quiet: { series: quota('95x40'), alerts: [] } },
    CPUThrottlingHigh: { fires: { series: throttled('0+50x40'), alerts: [{ ...podLabels, instance: 'node-a' }] }, quiet: { series: throttled('0+10x40'), alerts: [] } },
    BlackboxProbeFailed: {
      fires: { series: [s('probe_success{job="probe-dns",instance="kube-dns:53"}', '0x40')], alerts: [{ job: 'probe-dns', instance: 'kube-dns:53' }] },
      quiet: { series: [s('probe_success{job="probe-dns",instance="kube-dns:53"}', '1x40')], alerts: [] },
    },
    CertificateExpiringSoon: {
      fires: { series: [s('probe_ssl_earliest_cert_expiry{job="probe-api",instance="https://kubernetes.default.svc/readyz"}', '86400x40')], alerts: [{ job: 'probe-api', instance: 'https://kubernetes.default.svc/readyz' }] },
      quiet: { series: [s('probe_ssl_earliest_cert_expiry{job="probe-api",instance="https://kubernetes.default.svc/readyz"}', '8640000x40')], alerts: [] },
    },
    PlatformProbeStale: {
      fires: { series: [s(`kube_cronjob_status_last_successful_time{${cron}}`, '0x40')], alerts: [cronLabels] },
      quiet: { series: [s(`kube_cronjob_status_last_successful_time{${cron}}`, '31+61x40')], alerts: [] },
    },
    PlatformProbeFailing: {
      fires: { series: [s(`kube_cronjob_status_last_schedule_time{${cron}}`, '31+61x40'), s(`kube_cronjob_status_last_successful_time{${cron}}`, '0x40')], alerts: [cronLabels] },
      quiet: { series: [s(`kube_cronjob_status_last_schedule_time{${cron}}`, '31+61x40'), s(`kube_cronjob_status_last_successful_time{${cron}}`, '31+61x40')], alerts: [] },
    },
    PlatformProbeMissing: {
      fires: { series: [s('up{job="kube-state-metrics"}', '1x40')], alerts: [cronLabels] },
      quiet: { series: [s(`kube_cronjob_status_last_successful_time{${cron}}`, '31+61x40')], alerts: [] },
    },
  };
}
