// promtool unit tests for every default alert: one case where it fires and one where it stays
// quiet, written once here and turned into promtool's test format per cluster by check.ts.
//
// Every series is sampled every 61s starting at 61s (check.ts prefixes a missing sample at 0),
// while rules are evaluated every 60s, so no sample sits on the boundary of a 5m or 15m range
// (or of the 5m lookback) before minute 66: Prometheus 2 (promtool 2.42) counts a boundary
// sample and Prometheus 3 does not, and the tests must mean the same under both.

/** One input series: `metric{label="value"}` and promtool's expanding notation (`0+1x40`). */
export interface Series {
  readonly series: string;
  readonly values: string;
}

/** One case: the series, when to look, and the labels the alert carries from its expression (none when quiet). */
export interface AlertCase {
  readonly series: readonly Series[];
  /** When to look at the alert (at most 59m, so the sampling stays off range boundaries). @default '25m' */
  readonly at?: string;
  /** The labels of each firing alert from the expression (the rule's own labels are added); empty list: stays quiet. */
  readonly alerts: readonly Readonly<Record<string, string>>[];
}

/** What the cases depend on. */
export interface TestContext {
  readonly namespace: string;
  readonly probeCronJob: string;
  readonly alertmanagerReplicas: number;
}

const KSM = 'job="kube-state-metrics"';
const s = (series: string, values: string): Series => ({ series, values });

/** The firing and quiet case of every default alert (`quiet: 'never'` for the one that always fires). */
export function ruleTests(ctx: TestContext): Record<string, { fires: AlertCase; quiet: AlertCase | 'never' }> {
  const cron = `${KSM},namespace="${ctx.namespace}",cronjob="${ctx.probeCronJob}"`;
  const cronLabels = { job: 'kube-state-metrics', namespace: ctx.namespace, cronjob: ctx.probeCronJob };
  const pod = 'namespace="shop",pod="api-0",container="api"';
  const podLabels = { namespace: 'shop', pod: 'api-0', container: 'api' };
  const fs = 'job="node-exporter",instance="node-a",device="/dev/nvme0n1p1",fstype="ext4",mountpoint="/"';
  const fsLabels = { job: 'node-exporter', instance: 'node-a', device: '/dev/nvme0n1p1', fstype: 'ext4', mountpoint: '/' };
  const am = ctx.alertmanagerReplicas;
  return {
    Watchdog: { fires: { series: [], at: '1m', alerts: [{}] }, quiet: 'never' },
    TargetDown: {
      fires: { series: [s('up{job="web",namespace="shop",service="api",instance="a"}', '0x40'), s('up{job="web",namespace="shop",service="api",instance="b"}', '1x40')], alerts: [{ job: 'web', namespace: 'shop', service: 'api' }] },
      quiet: { series: [s('up{job="web",namespace="shop",service="api",instance="a"}', '1x40'), s('up{job="web",namespace="shop",service="api",instance="b"}', '1x40')], alerts: [] },
    },
    PrometheusRuleFailures: {
      fires: { series: [s('prometheus_rule_evaluation_failures_total{job="prometheus",instance="p",rule_group="g"}', '0+1x40')], alerts: [{ job: 'prometheus', instance: 'p', rule_group: 'g' }] },
      quiet: { series: [s('prometheus_rule_evaluation_failures_total{job="prometheus",instance="p",rule_group="g"}', '0x40')], alerts: [] },
    },
    PrometheusNotificationsFailing: {
      fires: {
        series: [s('prometheus_notifications_errors_total{job="prometheus",instance="p",alertmanager="am"}', '0+1x40'), s('prometheus_notifications_sent_total{job="prometheus",instance="p",alertmanager="am"}', '0+10x40')],
        alerts: [{ job: 'prometheus', instance: 'p', alertmanager: 'am' }],
      },
      quiet: { series: [s('prometheus_notifications_errors_total{job="prometheus",instance="p",alertmanager="am"}', '0x40'), s('prometheus_notifications_sent_total{job="prometheus",instance="p",alertmanager="am"}', '0+10x40')], alerts: [] },
    },
    PrometheusAlertmanagerMissing: {
      fires: { series: [s('prometheus_notifications_alertmanagers_discovered{job="prometheus",instance="p"}', '0x40')], alerts: [{ job: 'prometheus', instance: 'p' }] },
      quiet: { series: [s('prometheus_notifications_alertmanagers_discovered{job="prometheus",instance="p"}', `${am}x40`)], alerts: [] },
    },
    AlertmanagerNotificationsFailing: {
      fires: { series: [s('alertmanager_notifications_failed_total{job="alertmanager",instance="a0",integration="webhook"}', '0+1x40')], alerts: [{ job: 'alertmanager', instance: 'a0', integration: 'webhook' }] },
      quiet: { series: [s('alertmanager_notifications_failed_total{job="alertmanager",instance="a0",integration="webhook"}', '0x40')], alerts: [] },
    },
    AlertmanagerClusterDegraded: {
      fires: { series: [s('alertmanager_cluster_members{job="alertmanager",instance="a0"}', `${am - 1}x40`)], alerts: [{ job: 'alertmanager' }] },
      quiet: { series: [s('alertmanager_cluster_members{job="alertmanager",instance="a0"}', `${am}x40`)], alerts: [] },
    },
    NodeNotReady: {
      fires: { series: [s(`kube_node_status_condition{${KSM},node="node-a",condition="Ready",status="true"}`, '0x40')], alerts: [{ job: 'kube-state-metrics', node: 'node-a', condition: 'Ready', status: 'true' }] },
      quiet: { series: [s(`kube_node_status_condition{${KSM},node="node-a",condition="Ready",status="true"}`, '1x40')], alerts: [] },
    },
    NodeMemoryPressure: {
      fires: { series: [s(`kube_node_status_condition{${KSM},node="node-a",condition="MemoryPressure",status="true"}`, '1x40')], alerts: [{ job: 'kube-state-metrics', node: 'node-a', condition: 'MemoryPressure', status: 'true' }] },
      quiet: { series: [s(`kube_node_status_condition{${KSM},node="node-a",condition="MemoryPressure",status="true"}`, '0x40')], alerts: [] },
    },
    NodeDiskFilling: {
      fires: { series: [s(`node_filesystem_avail_bytes{${fs}}`, '5x40'), s(`node_filesystem_size_bytes{${fs}}`, '100x40'), s(`node_filesystem_readonly{${fs}}`, '0x40')], at: '38m', alerts: [fsLabels] },
      quiet: { series: [s(`node_filesystem_avail_bytes{${fs}}`, '50x40'), s(`node_filesystem_size_bytes{${fs}}`, '100x40'), s(`node_filesystem_readonly{${fs}}`, '0x40')], at: '38m', alerts: [] },
    },
    NodeInodesFilling: {
      fires: { series: [s(`node_filesystem_files_free{${fs}}`, '5x40'), s(`node_filesystem_files{${fs}}`, '100x40'), s(`node_filesystem_readonly{${fs}}`, '0x40')], at: '38m', alerts: [fsLabels] },
      quiet: { series: [s(`node_filesystem_files_free{${fs}}`, '50x40'), s(`node_filesystem_files{${fs}}`, '100x40'), s(`node_filesystem_readonly{${fs}}`, '0x40')], at: '38m', alerts: [] },
    },
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
    KubeContainerCPUNearLimit: {
      fires: { series: [s(`container_cpu_usage_seconds_total{job="cadvisor",${pod}}`, '0+60x40'), s(`kube_pod_container_resource_limits{${KSM},${pod},resource="cpu"}`, '1x40')], alerts: [podLabels] },
      quiet: { series: [s(`container_cpu_usage_seconds_total{job="cadvisor",${pod}}`, '0+60x40'), s(`kube_pod_container_resource_limits{${KSM},${pod},resource="cpu"}`, '2x40')], alerts: [] },
    },
    KubeCPUThrottlingHigh: {
      fires: { series: [s(`container_cpu_cfs_throttled_periods_total{job="cadvisor",${pod}}`, '0+5x40'), s(`container_cpu_cfs_periods_total{job="cadvisor",${pod}}`, '0+10x40')], alerts: [podLabels] },
      quiet: { series: [s(`container_cpu_cfs_throttled_periods_total{job="cadvisor",${pod}}`, '0x40'), s(`container_cpu_cfs_periods_total{job="cadvisor",${pod}}`, '0+10x40')], alerts: [] },
    },
    KubeJobFailed: {
      fires: { series: [s(`kube_job_failed{${KSM},namespace="shop",job_name="export",condition="true"}`, '1x40')], alerts: [{ job: 'kube-state-metrics', namespace: 'shop', job_name: 'export', condition: 'true' }] },
      quiet: { series: [s(`kube_job_failed{${KSM},namespace="shop",job_name="export",condition="true"}`, '0x40')], alerts: [] },
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
      fires: { series: [s(`kube_deployment_spec_replicas{${KSM},namespace="shop",deployment="api"}`, '3x40'), s(`kube_deployment_status_replicas_available{${KSM},namespace="shop",deployment="api"}`, '2x40')], alerts: [{ job: 'kube-state-metrics', namespace: 'shop', deployment: 'api' }] },
      quiet: { series: [s(`kube_deployment_spec_replicas{${KSM},namespace="shop",deployment="api"}`, '3x40'), s(`kube_deployment_status_replicas_available{${KSM},namespace="shop",deployment="api"}`, '3x40')], alerts: [] },
    },
    KubeStatefulSetReplicasMismatch: {
      fires: { series: [s(`kube_statefulset_replicas{${KSM},namespace="shop",statefulset="db"}`, '3x40'), s(`kube_statefulset_status_replicas_ready{${KSM},namespace="shop",statefulset="db"}`, '1x40')], alerts: [{ job: 'kube-state-metrics', namespace: 'shop', statefulset: 'db' }] },
      quiet: { series: [s(`kube_statefulset_replicas{${KSM},namespace="shop",statefulset="db"}`, '3x40'), s(`kube_statefulset_status_replicas_ready{${KSM},namespace="shop",statefulset="db"}`, '3x40')], alerts: [] },
    },
    KubePersistentVolumeFilling: {
      fires: { series: [s('kubelet_volume_stats_available_bytes{job="kubelet",namespace="shop",persistentvolumeclaim="data"}', '5x40'), s('kubelet_volume_stats_capacity_bytes{job="kubelet",namespace="shop",persistentvolumeclaim="data"}', '100x40')], alerts: [{ job: 'kubelet', namespace: 'shop', persistentvolumeclaim: 'data' }] },
      quiet: { series: [s('kubelet_volume_stats_available_bytes{job="kubelet",namespace="shop",persistentvolumeclaim="data"}', '50x40'), s('kubelet_volume_stats_capacity_bytes{job="kubelet",namespace="shop",persistentvolumeclaim="data"}', '100x40')], alerts: [] },
    },
    KubeAPIDown: {
      fires: { series: [s('up{job="kubernetes-apiservers",instance="10.0.0.1:443"}', '0x40')], alerts: [{}] },
      quiet: { series: [s('up{job="kubernetes-apiservers",instance="10.0.0.1:443"}', '1x40')], alerts: [] },
    },
    KubeAPIErrorsHigh: {
      fires: { series: [s('apiserver_request_total{job="kubernetes-apiservers",verb="GET",code="500"}', '0+10x40'), s('apiserver_request_total{job="kubernetes-apiservers",verb="GET",code="200"}', '0+10x40')], alerts: [{}] },
      quiet: { series: [s('apiserver_request_total{job="kubernetes-apiservers",verb="GET",code="500"}', '0x40'), s('apiserver_request_total{job="kubernetes-apiservers",verb="GET",code="200"}', '0+10x40')], alerts: [] },
    },
    KubeAPILatencyHigh: {
      fires: { series: latency('0x40', '0x40'), alerts: [{ verb: 'GET' }] },
      quiet: { series: latency('0+10x40', '0+10x40'), alerts: [] },
    },
    EtcdInsufficientMembers: {
      fires: { series: etcdUp('1x40', '0x40', '0x40'), at: '10m', alerts: [{ job: 'etcd-main' }] },
      quiet: { series: etcdUp('1x40', '1x40', '0x40'), at: '10m', alerts: [] },
    },
    EtcdNoLeader: {
      fires: { series: [s('etcd_server_has_leader{job="etcd-main",instance="10.0.1.10:8081"}', '0x40')], at: '10m', alerts: [{ job: 'etcd-main', instance: '10.0.1.10:8081' }] },
      quiet: { series: [s('etcd_server_has_leader{job="etcd-main",instance="10.0.1.10:8081"}', '1x40')], at: '10m', alerts: [] },
    },
    EtcdHighNumberOfLeaderChanges: {
      fires: { series: [s('etcd_server_leader_changes_seen_total{job="etcd-events",instance="10.0.1.10:8082"}', '0+1x40')], alerts: [{ job: 'etcd-events', instance: '10.0.1.10:8082' }] },
      quiet: { series: [s('etcd_server_leader_changes_seen_total{job="etcd-events",instance="10.0.1.10:8082"}', '0x40')], alerts: [] },
    },
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

function latency(le05: string, le1: string): Series[] {
  const b = (le: string, v: string) => s(`apiserver_request_duration_seconds_bucket{job="kubernetes-apiservers",verb="GET",le="${le}"}`, v);
  return [b('0.5', le05), b('1', le1), b('5', '0+10x40'), b('+Inf', '0+10x40')];
}

function etcdUp(a: string, b: string, c: string): Series[] {
  return [a, b, c].map((v, i) => s(`up{job="etcd-main",instance="10.0.${i}.10:8081"}`, v));
}
