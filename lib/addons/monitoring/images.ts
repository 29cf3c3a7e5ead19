/**
 * The upstream images the addon runs, pinned by tag (one place per fact). Each is the image the
 * project publishes itself, at the release current when the addon was written.
 */
export const MONITORING_IMAGES = {
  prometheus: 'quay.io/prometheus/prometheus:v3.5.0',
  alertmanager: 'quay.io/prometheus/alertmanager:v0.28.1',
  nodeExporter: 'quay.io/prometheus/node-exporter:v1.9.1',
  kubeStateMetrics: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.16.0',
  blackboxExporter: 'quay.io/prometheus/blackbox-exporter:v0.27.0',
  grafana: 'docker.io/grafana/grafana:12.1.0',
  /** In front of etcd's metrics on the masters. */
  kubeRbacProxy: 'quay.io/brancz/kube-rbac-proxy:v0.21.2',
  /** The platform probe: curl and busybox's nslookup on Alpine. */
  probe: 'docker.io/curlimages/curl:8.15.0',
} as const;
