import type { DashboardSpec } from '../dashboards';
import { NS, SEL, variable } from './selectors';

const CPU = 'node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m';
const MEM = 'node_namespace_pod_container:container_memory_working_set_bytes';
const namespaces = variable('namespace', `label_values(kube_namespace_status_phase{${SEL.ksm}}, namespace)`);
const active = `on(namespace, pod) group_left() max by (namespace, pod) (kube_pod_status_phase{${SEL.ksm},phase=~"Pending|Running"} == 1)`;
/** `expr` (per pod, in the namespace) summed by pod for the pods of the chosen workload. */
const byPodOfWorkload = (expr: string) =>
  `sum by (pod) (${expr} * on (namespace, pod) group_left(workload) namespace_workload_pod:kube_pod_owner:relabel{${NS},workload="$workload"})`;

/** Compute resources by cluster, namespace, workload and pod (kubernetes-mixin `k8s-resources-*`). */
export const COMPUTE_DASHBOARDS: readonly DashboardSpec[] = [
  {
    uid: 'platform-cluster', title: 'Kubernetes / Compute Resources / Cluster', counterpart: 'k8s-resources-cluster.json', variables: [],
    panels: [
      { title: 'CPU utilisation', unit: 'percentunit', queries: [{ expr: 'avg(instance:node_cpu_utilisation:rate5m)', legend: 'cluster' }] },
      {
        title: 'CPU requests and limits commitment', unit: 'percentunit',
        queries: [
          { expr: `sum(namespace_cpu:kube_pod_container_resource_requests:sum) / sum(kube_node_status_allocatable{${SEL.ksm},resource="cpu"})`, legend: 'requests' },
          { expr: `sum(namespace_cpu:kube_pod_container_resource_limits:sum) / sum(kube_node_status_allocatable{${SEL.ksm},resource="cpu"})`, legend: 'limits' },
        ],
      },
      { title: 'Memory utilisation', unit: 'percentunit', queries: [{ expr: 'avg(instance:node_memory_utilisation:ratio)', legend: 'cluster' }] },
      {
        title: 'Memory requests and limits commitment', unit: 'percentunit',
        queries: [
          { expr: `sum(namespace_memory:kube_pod_container_resource_requests:sum) / sum(kube_node_status_allocatable{${SEL.ksm},resource="memory"})`, legend: 'requests' },
          { expr: `sum(namespace_memory:kube_pod_container_resource_limits:sum) / sum(kube_node_status_allocatable{${SEL.ksm},resource="memory"})`, legend: 'limits' },
        ],
      },
      { title: 'CPU usage by namespace', queries: [{ expr: `sum by (namespace) (${CPU})`, legend: '{{namespace}}' }] },
      { title: 'CPU requests by namespace', queries: [{ expr: 'sum by (namespace) (namespace_cpu:kube_pod_container_resource_requests:sum)', legend: '{{namespace}}' }] },
      { title: 'Memory usage by namespace', unit: 'bytes', queries: [{ expr: `sum by (namespace) (${MEM}{container!=""})`, legend: '{{namespace}}' }] },
      { title: 'Memory requests by namespace', unit: 'bytes', queries: [{ expr: 'sum by (namespace) (namespace_memory:kube_pod_container_resource_requests:sum)', legend: '{{namespace}}' }] },
    ],
  },
  {
    uid: 'platform-namespace', title: 'Kubernetes / Compute Resources / Namespace (Pods)', counterpart: 'k8s-resources-namespace.json', variables: [namespaces],
    panels: [
      { title: 'CPU usage by pod', queries: [{ expr: `sum by (pod) (${CPU}{${NS}})`, legend: '{{pod}}' }] },
      {
        title: 'CPU requests and limits of the namespace',
        queries: [
          { expr: `sum(${CPU}{${NS}})`, legend: 'usage' },
          { expr: `sum(namespace_cpu:kube_pod_container_resource_requests:sum{${NS}})`, legend: 'requests' },
          { expr: `sum(namespace_cpu:kube_pod_container_resource_limits:sum{${NS}})`, legend: 'limits' },
        ],
      },
      { title: 'Memory usage by pod', unit: 'bytes', queries: [{ expr: `sum by (pod) (${MEM}{${NS},container!=""})`, legend: '{{pod}}' }] },
      {
        title: 'Memory requests and limits of the namespace', unit: 'bytes',
        queries: [
          { expr: `sum(${MEM}{${NS},container!=""})`, legend: 'usage' },
          { expr: `sum(namespace_memory:kube_pod_container_resource_requests:sum{${NS}})`, legend: 'requests' },
          { expr: `sum(namespace_memory:kube_pod_container_resource_limits:sum{${NS}})`, legend: 'limits' },
        ],
      },
      { title: 'Network received by pod', unit: 'Bps', queries: [{ expr: `sum by (pod) (rate(container_network_receive_bytes_total{${SEL.cadvisor},${NS}}[5m]))`, legend: '{{pod}}' }] },
      { title: 'Network sent by pod', unit: 'Bps', queries: [{ expr: `sum by (pod) (rate(container_network_transmit_bytes_total{${SEL.cadvisor},${NS}}[5m]))`, legend: '{{pod}}' }] },
      { title: 'Restarts in the last hour', queries: [{ expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{${SEL.ksm},${NS}}[1h]))`, legend: '{{pod}}' }] },
    ],
  },
  {
    uid: 'platform-workload', title: 'Kubernetes / Compute Resources / Workload', counterpart: 'k8s-resources-workload.json',
    variables: [namespaces, variable('workload', `label_values(namespace_workload_pod:kube_pod_owner:relabel{${NS}}, workload)`)],
    panels: [
      { title: 'CPU usage by pod', queries: [{ expr: byPodOfWorkload(`${CPU}{${NS}}`), legend: '{{pod}}' }] },
      { title: 'Memory usage by pod', unit: 'bytes', queries: [{ expr: byPodOfWorkload(`${MEM}{${NS},container!=""}`), legend: '{{pod}}' }] },
      { title: 'CPU requests by pod', queries: [{ expr: byPodOfWorkload(`sum by (namespace, pod) (kube_pod_container_resource_requests{${SEL.ksm},${NS},resource="cpu"}) * ${active}`), legend: '{{pod}}' }] },
      { title: 'Network received by pod', unit: 'Bps', queries: [{ expr: byPodOfWorkload(`sum by (namespace, pod) (rate(container_network_receive_bytes_total{${SEL.cadvisor},${NS}}[5m]))`), legend: '{{pod}}' }] },
    ],
  },
  {
    uid: 'platform-pod', title: 'Kubernetes / Compute Resources / Pod', counterpart: 'k8s-resources-pod.json',
    variables: [namespaces, variable('pod', `label_values(kube_pod_info{${SEL.ksm},${NS}}, pod)`)],
    panels: [
      {
        title: 'CPU usage by container against requests and limits',
        queries: [
          { expr: `sum by (container) (${CPU}{${NS},pod="$pod"})`, legend: '{{container}}' },
          { expr: `sum(kube_pod_container_resource_requests{${SEL.ksm},${NS},pod="$pod",resource="cpu"})`, legend: 'requests' },
          { expr: `sum(kube_pod_container_resource_limits{${SEL.ksm},${NS},pod="$pod",resource="cpu"})`, legend: 'limits' },
        ],
      },
      {
        title: 'CPU throttling', unit: 'percentunit',
        queries: [{ expr: `sum by (container) (increase(container_cpu_cfs_throttled_periods_total{${SEL.cadvisor},${NS},pod="$pod",container!=""}[5m])) / sum by (container) (increase(container_cpu_cfs_periods_total{${SEL.cadvisor},${NS},pod="$pod",container!=""}[5m]))`, legend: '{{container}}' }],
      },
      {
        title: 'Memory usage by container against requests and limits', unit: 'bytes',
        queries: [
          { expr: `sum by (container) (${MEM}{${NS},pod="$pod",container!=""})`, legend: '{{container}}' },
          { expr: `sum(kube_pod_container_resource_requests{${SEL.ksm},${NS},pod="$pod",resource="memory"})`, legend: 'requests' },
          { expr: `sum(kube_pod_container_resource_limits{${SEL.ksm},${NS},pod="$pod",resource="memory"})`, legend: 'limits' },
        ],
      },
      { title: 'Restarts by container', queries: [{ expr: `sum by (container) (kube_pod_container_status_restarts_total{${SEL.ksm},${NS},pod="$pod"})`, legend: '{{container}}' }] },
    ],
  },
];
