import type { DashboardSpec } from '../dashboards';
import { NS, SEL, variable } from './selectors';

const I = `${SEL.node},instance="$instance"`;
const FS = `${I},fstype!="",mountpoint!=""`;
const K = `${SEL.kubelet},node="$node"`;

/** Nodes, kubelets and persistent volumes (node-mixin `nodes`, kubernetes-mixin `kubelet`, `persistentvolumesusage`). */
export const NODE_DASHBOARDS: readonly DashboardSpec[] = [
  {
    uid: 'platform-nodes', title: 'Node Exporter / Nodes', counterpart: 'node-exporter nodes.json',
    variables: [variable('instance', `label_values(node_uname_info{${SEL.node}}, instance)`)],
    panels: [
      { title: 'CPU utilisation', unit: 'percentunit', queries: [{ expr: `instance:node_cpu_utilisation:rate5m{${I}}`, legend: 'utilisation' }] },
      { title: 'Load average per CPU', queries: [{ expr: `node_load1{${I}} / count without (cpu, mode) (node_cpu_seconds_total{${I},mode="idle"})`, legend: '1m' }] },
      { title: 'Memory utilisation', unit: 'percentunit', queries: [{ expr: `instance:node_memory_utilisation:ratio{${I}}`, legend: 'utilisation' }] },
      { title: 'Disk I/O time', unit: 'percentunit', queries: [{ expr: `rate(node_disk_io_time_seconds_total{${I}}[5m])`, legend: '{{device}}' }] },
      { title: 'Filesystem space used', unit: 'percentunit', queries: [{ expr: `1 - node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}}`, legend: '{{mountpoint}}' }] },
      {
        title: 'Network traffic', unit: 'Bps',
        queries: [
          { expr: `rate(node_network_receive_bytes_total{${I},device!="lo"}[5m])`, legend: 'received {{device}}' },
          { expr: `rate(node_network_transmit_bytes_total{${I},device!="lo"}[5m])`, legend: 'sent {{device}}' },
        ],
      },
    ],
  },
  {
    uid: 'platform-kubelet', title: 'Kubernetes / Kubelet', counterpart: 'kubelet.json',
    variables: [variable('node', `label_values(kube_node_info{${SEL.ksm}}, node)`)],
    panels: [
      { title: 'Running pods and containers', queries: [{ expr: `sum(kubelet_running_pods{${K}})`, legend: 'pods' }, { expr: `sum(kubelet_running_containers{${K}})`, legend: 'containers {{container_state}}' }] },
      { title: 'Runtime operation errors', queries: [{ expr: `sum by (operation_type) (rate(kubelet_runtime_operations_errors_total{${K}}[5m]))`, legend: '{{operation_type}}' }] },
      { title: 'Pod start duration p99', unit: 's', queries: [{ expr: `histogram_quantile(0.99, sum by (le) (rate(kubelet_pod_start_duration_seconds_bucket{${K}}[5m])))`, legend: 'p99' }] },
      { title: 'PLEG relist duration p99', unit: 's', queries: [{ expr: `histogram_quantile(0.99, sum by (le) (rate(kubelet_pleg_relist_duration_seconds_bucket{${K}}[5m])))`, legend: 'p99' }] },
    ],
  },
  {
    uid: 'platform-volumes', title: 'Kubernetes / Persistent Volumes', counterpart: 'persistentvolumesusage.json',
    variables: [
      variable('namespace', `label_values(kubelet_volume_stats_capacity_bytes{${SEL.kubelet}}, namespace)`),
      variable('volume', `label_values(kubelet_volume_stats_capacity_bytes{${SEL.kubelet},${NS}}, persistentvolumeclaim)`),
    ],
    panels: [
      {
        title: 'Volume space used', unit: 'bytes',
        queries: [
          { expr: `sum(kubelet_volume_stats_capacity_bytes{${SEL.kubelet},${NS},persistentvolumeclaim="$volume"} - kubelet_volume_stats_available_bytes{${SEL.kubelet},${NS},persistentvolumeclaim="$volume"})`, legend: 'used' },
          { expr: `sum(kubelet_volume_stats_available_bytes{${SEL.kubelet},${NS},persistentvolumeclaim="$volume"})`, legend: 'free' },
        ],
      },
      {
        title: 'Volume inodes used', unit: 'percentunit',
        queries: [{ expr: `max(kubelet_volume_stats_inodes_used{${SEL.kubelet},${NS},persistentvolumeclaim="$volume"} / kubelet_volume_stats_inodes{${SEL.kubelet},${NS},persistentvolumeclaim="$volume"})`, legend: 'inodes used' }],
      },
    ],
  },
];
