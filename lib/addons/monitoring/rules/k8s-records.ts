import type { RecordingRuleProps, RuleGroupProps } from '../rule-group';
import { JOBS, kubeletSelector } from '../jobs';

const KSM = `job="${JOBS.kubeStateMetrics}"`;
const NE = `job="${JOBS.nodeExporter}"`;
const C = `${kubeletSelector('cadvisor')}, image!=""`;
const ON_NODE = 'on (cluster, namespace, pod) group_left(node) topk by (cluster, namespace, pod) (1, max by(cluster, namespace, pod, node) (kube_pod_info{node!=""}))';
const ACTIVE = `on(namespace, pod, cluster) group_left() max by (namespace, pod, cluster) (kube_pod_status_phase{phase=~"Pending|Running"} == 1)`;

const namespaceSum = (resource: 'cpu' | 'memory', kind: 'requests' | 'limits'): RecordingRuleProps => ({
  record: `namespace_${resource}:kube_pod_container_resource_${kind}:sum`,
  expr: `sum by (namespace, cluster) (sum by (namespace, pod, cluster) (max by (namespace, pod, container, cluster) (kube_pod_container_resource_${kind}{resource="${resource}",${KSM}}) * ${ACTIVE}))`,
});

const owner = (kind: 'DaemonSet' | 'StatefulSet'): RecordingRuleProps => ({
  record: 'namespace_workload_pod:kube_pod_owner:relabel',
  expr: `max by (cluster, namespace, workload, pod) (label_replace(kube_pod_owner{${KSM}, owner_kind="${kind}"}, "workload", "$1", "owner_name", "(.*)"))`,
  labels: { workload_type: kind.toLowerCase() },
});

/**
 * The recording rules the dashboards and alerts read, under the kubernetes-mixin's and
 * node-mixin's names and meaning (`k8s.rules.*`, `node-exporter.rules`): container CPU and memory
 * joined to their node, namespace requests and limits of active pods, pods by owning workload,
 * node CPU and memory utilisation; and ours, a container's CPU against its limit.
 */
export function k8sRecordingRules(): RuleGroupProps {
  return {
    name: 'k8s.rules',
    records: [
      {
        record: 'node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m',
        expr: `sum by (cluster, namespace, pod, container) (rate(container_cpu_usage_seconds_total{${C}}[5m])) * ${ON_NODE}`,
      },
      { record: 'node_namespace_pod_container:container_memory_working_set_bytes', expr: `container_memory_working_set_bytes{${C}} * ${ON_NODE}` },
      namespaceSum('cpu', 'requests'), namespaceSum('memory', 'requests'), namespaceSum('cpu', 'limits'), namespaceSum('memory', 'limits'),
      {
        record: 'namespace_workload_pod:kube_pod_owner:relabel',
        expr: 'max by (cluster, namespace, workload, pod) (label_replace(label_replace('
          + `kube_pod_owner{${KSM}, owner_kind="ReplicaSet"}, "replicaset", "$1", "owner_name", "(.*)") * on(replicaset, namespace, cluster) group_left(owner_name) topk by(cluster, replicaset, namespace) (`
          + `1, max by (cluster, replicaset, namespace, owner_name) (kube_replicaset_owner{${KSM}, owner_kind="Deployment"})), "workload", "$1", "owner_name", "(.*)"))`,
        labels: { workload_type: 'deployment' },
      },
      owner('DaemonSet'), owner('StatefulSet'),
      {
        record: 'namespace_pod_container:container_cpu_usage:ratio_limit',
        expr: 'sum by (namespace, pod, container) (node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m)'
          + ` / on (namespace, pod, container) sum by (namespace, pod, container) (kube_pod_container_resource_limits{${KSM},resource="cpu"})`,
      },
      {
        record: 'instance:node_cpu_utilisation:rate5m',
        expr: `1 - avg without (cpu) (sum without (mode) (rate(node_cpu_seconds_total{${NE}, mode=~"idle|iowait|steal"}[5m])))`,
      },
      { record: 'instance:node_memory_utilisation:ratio', expr: `1 - (node_memory_MemAvailable_bytes{${NE}} / node_memory_MemTotal_bytes{${NE}})` },
    ],
  };
}
