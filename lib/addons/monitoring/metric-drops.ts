import type { RelabelConfig } from './prometheus-config';

const drop = (regex: string, ...labels: string[]): RelabelConfig => ({ source_labels: ['__name__', ...labels], regex, action: 'drop' });

/**
 * cAdvisor series kube-prometheus drops for cardinality (its kubelet ServiceMonitor's
 * `/metrics/cadvisor` endpoint, manifests/kubernetesControlPlane-serviceMonitorKubelet.yaml):
 * per-container TCP/UDP and task-state counters and the load average, the spec, file-descriptor,
 * socket, thread and start-time series of cgroups that are not a pod's container, and per-device
 * block I/O of containers.
 */
export const CADVISOR_DROPS: readonly RelabelConfig[] = [
  drop('container_(network_tcp_usage_total|network_udp_usage_total|tasks_state|cpu_load_average_10s)'),
  drop('(container_spec_.*|container_file_descriptors|container_sockets|container_threads_max|container_threads|container_start_time_seconds|container_last_seen);;', 'pod', 'namespace'),
  drop('(container_blkio_device_usage_total);.+', 'container'),
];

/**
 * Kubelet `/metrics` series kube-prometheus drops (the same ServiceMonitor's first endpoint):
 * the reflector's per-list and per-watch series, which no rule or dashboard reads. (Its other
 * drops name metrics current kubelets no longer expose.)
 */
export const KUBELET_DROPS: readonly RelabelConfig[] = [
  drop('reflector_(items_per_list|items_per_watch|list_duration_seconds|lists_total|short_watches_total|watch_duration_seconds|watches_total)'),
];
