/**
 * The scrape job names of the monitoring addon, written once: the Prometheus configuration
 * names its jobs with them and the default rules select on them.
 */
export const JOBS = {
  apiServers: 'kubernetes-apiservers',
  kubelet: 'kubelet',
  cadvisor: 'cadvisor',
  nodeExporter: 'node-exporter',
  kubeStateMetrics: 'kube-state-metrics',
  etcdMain: 'etcd-main',
  etcdEvents: 'etcd-events',
  services: 'kubernetes-services',
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  probeDns: 'probe-dns',
  probeApi: 'probe-api',
} as const;

/** The context the default rules are written for. */
export interface RuleContext {
  /** The team that owns the platform's rules (`platform`). */
  readonly team: string;
  /** The runbook URL of a rule, from its slug. */
  readonly runbook: (slug: string) => string;
  /** The namespace the monitoring addon runs in. */
  readonly namespace: string;
  /** How many Alertmanager replicas form the cluster. */
  readonly alertmanagerReplicas: number;
  /** The name of the platform probe CronJob. */
  readonly probeCronJob: string;
}
