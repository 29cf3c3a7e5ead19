/**
 * The exporter metrics the dashboards read, by the `job` that scrapes them, each list from the
 * named upstream documentation (node-exporter's are also read from a real exporter: see
 * dashboards.test.ts). A query may read a metric only from a job whose inventory lists it.
 */
export const METRIC_INVENTORY: Readonly<Record<string, { readonly source: string; readonly metrics: readonly string[] }>> = {
  'kube-state-metrics': {
    source: 'kubernetes/kube-state-metrics docs/metrics/ (workload/pod-metrics.md, cluster/node-metrics.md, cluster/namespace-metrics.md, workload/replicaset-metrics.md)',
    metrics: [
      'kube_pod_info', 'kube_pod_status_phase', 'kube_pod_owner', 'kube_replicaset_owner', 'kube_pod_container_resource_requests', 'kube_pod_container_resource_limits',
      'kube_pod_container_status_restarts_total', 'kube_node_status_allocatable', 'kube_node_info', 'kube_namespace_status_phase',
    ],
  },
  'node-exporter': {
    source: 'prometheus/node_exporter collectors (cpu, loadavg, meminfo, diskstats, filesystem, netdev, uname), checked against a running prometheus-node-exporter',
    metrics: [
      'node_uname_info', 'node_cpu_seconds_total', 'node_load1', 'node_memory_MemAvailable_bytes', 'node_memory_MemTotal_bytes', 'node_disk_io_time_seconds_total',
      'node_filesystem_avail_bytes', 'node_filesystem_size_bytes', 'node_network_receive_bytes_total', 'node_network_transmit_bytes_total',
    ],
  },
  'kubelet/metrics': {
    source: 'kubernetes.io/docs/reference/instrumentation/metrics/ (kubelet_*), kubelet volume stats collector (pkg/kubelet/metrics/collectors/volume_stats.go)',
    metrics: [
      'kubelet_running_pods', 'kubelet_running_containers', 'kubelet_runtime_operations_errors_total', 'kubelet_pod_start_duration_seconds_bucket',
      'kubelet_pleg_relist_duration_seconds_bucket', 'kubelet_volume_stats_capacity_bytes', 'kubelet_volume_stats_available_bytes',
      'kubelet_volume_stats_inodes', 'kubelet_volume_stats_inodes_used',
    ],
  },
  'kubelet/metrics/cadvisor': {
    source: 'google/cadvisor docs/storage/prometheus.md',
    metrics: ['container_network_receive_bytes_total', 'container_network_transmit_bytes_total', 'container_cpu_cfs_throttled_periods_total', 'container_cpu_cfs_periods_total'],
  },
  apiserver: {
    source: 'kubernetes.io/docs/reference/instrumentation/metrics/ (apiserver_*, workqueue_*)',
    metrics: ['apiserver_request_total', 'apiserver_request_duration_seconds_bucket', 'workqueue_depth'],
  },
  'etcd-main': { source: 'etcd.io/docs/v3.5/metrics/ (etcd_server_*, etcd_mvcc_*, etcd_disk_*, etcd_network_*)', metrics: ['etcd_server_has_leader', 'etcd_server_leader_changes_seen_total', 'etcd_mvcc_db_total_size_in_bytes', 'etcd_server_proposals_failed_total', 'etcd_disk_wal_fsync_duration_seconds_bucket', 'etcd_network_peer_round_trip_time_seconds_bucket'] },
  'kube-scheduler': { source: 'kubernetes.io/docs/reference/instrumentation/metrics/ (scheduler_*)', metrics: ['scheduler_schedule_attempts_total', 'scheduler_scheduling_attempt_duration_seconds_bucket', 'scheduler_pending_pods'] },
  'kube-controller-manager': { source: 'kubernetes.io/docs/reference/instrumentation/metrics/ (workqueue_*)', metrics: ['workqueue_adds_total', 'workqueue_depth', 'workqueue_queue_duration_seconds_bucket'] },
  coredns: {
    source: 'coredns/coredns plugin/metrics/README.md and plugin/cache/README.md',
    metrics: ['coredns_dns_requests_total', 'coredns_dns_responses_total', 'coredns_dns_request_duration_seconds_bucket', 'coredns_cache_hits_total', 'coredns_cache_misses_total'],
  },
  prometheus: {
    source: "Prometheus's own /metrics (tsdb/head.go, rules/group.go, notifier/notifier.go, storage/remote/queue_manager.go)",
    metrics: [
      'prometheus_tsdb_head_samples_appended_total', 'prometheus_tsdb_head_series', 'prometheus_rule_group_last_duration_seconds', 'prometheus_notifications_errors_total',
      'prometheus_remote_storage_queue_highest_timestamp_seconds', 'prometheus_remote_storage_queue_highest_sent_timestamp_seconds',
    ],
  },
  alertmanager: {
    source: "Alertmanager's /metrics (dispatch, notify/notify.go, cluster/cluster.go)",
    metrics: ['alertmanager_alerts', 'alertmanager_notifications_total', 'alertmanager_notifications_failed_total', 'alertmanager_notification_latency_seconds_bucket', 'alertmanager_cluster_members'],
  },
};
/** etcd-events exposes what etcd-main does. */
export const SAME_AS: Readonly<Record<string, string>> = { 'etcd-events': 'etcd-main' };
/** Series Prometheus writes for every target of every job. */
export const SYNTHETIC = ['up', 'scrape_duration_seconds'];
