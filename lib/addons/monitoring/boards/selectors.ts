import { JOBS, kubeletSelector } from '../jobs';

/** The selectors the dashboards read, from the scrape jobs' labels (jobs.ts), written once. */
export const SEL = {
  ksm: `job="${JOBS.kubeStateMetrics}"`,
  node: `job="${JOBS.nodeExporter}"`,
  cadvisor: kubeletSelector('cadvisor'),
  kubelet: kubeletSelector('metrics'),
  api: `job="${JOBS.apiServers}"`,
  etcd: `job=~"${JOBS.etcdMain}|${JOBS.etcdEvents}"`,
  coredns: `job="${JOBS.coreDns}"`,
  prometheus: `job="${JOBS.prometheus}"`,
  alertmanager: `job="${JOBS.alertmanager}"`,
  scheduler: `job="${JOBS.scheduler}"`,
  controllerManager: `job="${JOBS.controllerManager}"`,
  services: `job="${JOBS.services}"`,
} as const;

/** A variable listing one label's values of one series. */
export const variable = (name: string, query: string) => ({ name, query });
export const NS = 'namespace="$namespace"';
