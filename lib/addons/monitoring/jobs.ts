/**
 * The `job` labels of the monitoring addon, written once: the Prometheus configuration gives its
 * targets these labels and the default rules and dashboards select on them. They are the names
 * kube-prometheus's ServiceMonitors produce, so the mixins' queries read our series unchanged:
 * the kubelet's `/metrics`, `/metrics/cadvisor` and `/metrics/probes` all carry `job="kubelet"`,
 * told apart by the `metrics_path` label, as in kube-prometheus.
 */
export const JOBS = {
  apiServers: 'apiserver',
  kubelet: 'kubelet',
  scheduler: 'kube-scheduler',
  controllerManager: 'kube-controller-manager',
  nodeExporter: 'node-exporter',
  kubeStateMetrics: 'kube-state-metrics',
  etcdMain: 'etcd-main',
  etcdEvents: 'etcd-events',
  coreDns: 'coredns',
  nodeLocalDns: 'node-local-dns',
  services: 'kubernetes-services',
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  grafana: 'grafana',
  blackboxExporter: 'blackbox-exporter',
  probeDns: 'probe-dns',
  probeApi: 'probe-api',
} as const;

/** The kubelet's metric paths: each is its own scrape job, all labelled `job="kubelet"`. */
export const KUBELET_PATHS = {
  metrics: '/metrics',
  cadvisor: '/metrics/cadvisor',
  probes: '/metrics/probes',
} as const;

/** The selector of one kubelet path's series (`job="kubelet",metrics_path="/metrics/cadvisor"`). */
export function kubeletSelector(path: keyof typeof KUBELET_PATHS): string {
  return `job="${JOBS.kubelet}",metrics_path="${KUBELET_PATHS[path]}"`;
}

/** The context the default rules are written for. */
export interface RuleContext {
  /** The team that owns the platform's rules (`platform`). */
  readonly team: string;
  /** The runbook URL of one of our own rules, from its slug. */
  readonly runbook: (slug: string) => string;
  /** The namespace the monitoring addon runs in. */
  readonly namespace: string;
  /** How many Alertmanager replicas form the cluster. */
  readonly alertmanagerReplicas: number;
  /** The name of the platform probe CronJob. */
  readonly probeCronJob: string;
}

/**
 * The public runbook of a kube-prometheus / kubernetes-mixin alert
 * (`https://runbooks.prometheus-operator.dev/runbooks/<group>/<alert in lowercase>`), the
 * `runbook_url` those alerts carry: an alert that shares their name links the same page.
 */
export function mixinRunbook(group: 'general' | 'prometheus' | 'alertmanager' | 'kubernetes' | 'node' | 'kube-state-metrics' | 'etcd', alert: string): string {
  return `https://runbooks.prometheus-operator.dev/runbooks/${group}/${alert.toLowerCase()}`;
}
