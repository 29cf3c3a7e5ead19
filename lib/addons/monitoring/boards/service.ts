import type { DashboardSpec } from '../dashboards';
import { NS, SEL, variable } from './selectors';

/**
 * The pods of the chosen service, as the scrape declaration finds them: its `kubernetes-services`
 * targets carry `namespace`, `service` and `pod` (prometheus-config.ts), so any per-pod series
 * joined on them covers exactly the service's pods (a name prefix would miss pods of other names).
 */
const OF_SERVICE = `on (namespace, pod) group_left() max by (namespace, pod) (up{${SEL.services},${NS},service="$service"})`;

/** One scraped service (ours; kube-prometheus has none: it is driven by the scrape declaration). */
export const SERVICE_DASHBOARD: DashboardSpec = {
  uid: 'platform-service', title: 'Service', counterpart: 'none (driven by the scrape declaration; nearest: k8s-resources-workload.json)',
  variables: [
    variable('namespace', `label_values(up{${SEL.services}}, namespace)`),
    variable('service', `label_values(up{${SEL.services},${NS}}, service)`),
  ],
  panels: [
    { title: 'Targets up', queries: [{ expr: `sum(up{${SEL.services},${NS},service="$service"})`, legend: 'up' }, { expr: `count(up{${SEL.services},${NS},service="$service"})`, legend: 'targets' }] },
    { title: 'CPU by pod', queries: [{ expr: `sum by (pod) (node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m{${NS}} * ${OF_SERVICE})`, legend: '{{pod}}' }] },
    { title: 'Memory by pod', unit: 'bytes', queries: [{ expr: `sum by (pod) (node_namespace_pod_container:container_memory_working_set_bytes{${NS},container!=""} * ${OF_SERVICE})`, legend: '{{pod}}' }] },
    {
      title: 'CPU throttling by pod', unit: 'percentunit',
      queries: [{ expr: `(sum by (namespace, pod) (rate(container_cpu_cfs_throttled_periods_total{${SEL.cadvisor},${NS}}[5m])) / sum by (namespace, pod) (rate(container_cpu_cfs_periods_total{${SEL.cadvisor},${NS}}[5m]))) * ${OF_SERVICE}`, legend: '{{pod}}' }],
    },
    { title: 'Restarts in the last hour', queries: [{ expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{${SEL.ksm},${NS}}[1h]) * ${OF_SERVICE})`, legend: '{{pod}}' }] },
    { title: 'Scrape duration', unit: 's', queries: [{ expr: `scrape_duration_seconds{${SEL.services},${NS},service="$service"}`, legend: '{{pod}}' }] },
  ],
};
