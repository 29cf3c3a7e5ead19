import { JOBS, KUBELET_PATHS } from './jobs';
import { CADVISOR_DROPS, KUBELET_DROPS } from './metric-drops';
import type { RelabelConfig, ScrapeConfig } from './prometheus-config';
import type { KnownScrapePort } from './scrape-reach';
import { ETCD_METRICS_CA_DIR, ETCD_METRICS_SERVER_NAME, ETCD_METRICS_TOKEN_DIR } from './etcd-metrics-proxy';

/** Where a pod finds its ServiceAccount token and the cluster CA. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const TOKEN = { credentials_file: `${SERVICE_ACCOUNT_DIR}/token` } as const;
const CA = `${SERVICE_ACCOUNT_DIR}/ca.crt`;

/** The cluster's DNS domain, as kops names its control-plane certificates (`ClusterDNSDomain`, `cluster.local` by default). */
export const CLUSTER_DNS_DOMAIN = 'cluster.local';

/**
 * The name every kops API server serving certificate carries, whatever address the server is
 * reached at (kops nodeup/pkg/model/kube_apiserver.go, writeServerCertificate: `kubernetes`,
 * `kubernetes.default[.svc[.<domain>]]`, the API names, the service IP and 127.0.0.1, but on
 * AWS not the instance's own IP, which is what discovery yields).
 */
export const API_SERVER_CERT_NAME = 'kubernetes';

/**
 * The host ports and certificate names of the kops control plane's own components. kops runs
 * them as static pods on the host network with no `--bind-address` (so the upstream default,
 * all interfaces), delegated authentication and authorization (`--authentication-kubeconfig`,
 * `--authorization-kubeconfig`: a token allowed `get` on `/metrics` may read them) and a serving
 * certificate signed by the cluster CA for `<name>.kube-system.svc.<domain>`
 * (nodeup/pkg/model/kube_scheduler.go and kube_controller_manager.go, writeServerCertificate;
 * the ports from their liveness probes, 10259 and 10257).
 */
export const CONTROL_PLANE_COMPONENTS = [
  { job: JOBS.scheduler, port: 10259, serverName: `kube-scheduler.kube-system.svc.${CLUSTER_DNS_DOMAIN}` },
  { job: JOBS.controllerManager, port: 10257, serverName: `kube-controller-manager.kube-system.svc.${CLUSTER_DNS_DOMAIN}` },
] as const;

/** The control-plane node label every kops master carries. */
const CONTROL_PLANE = '__meta_kubernetes_node_labelpresent_node_role_kubernetes_io_control_plane';

/** Sets `job` (several scrape configs may share one job label, as kube-prometheus's ServiceMonitor endpoints do). */
export function setJob(job: string): RelabelConfig {
  return { target_label: 'job', replacement: job };
}

/**
 * The port the API servers serve on, on the masters (kops pkg/model/components/apiserver.go sets
 * `securePort` 443; the `kubernetes` Service's endpoints carry it, port name `https`).
 */
export const API_SERVER_PORT = 443;
/** CoreDNS's metrics port (the `kube-dns` Service's port `metrics`, see {@link coreDnsJob}). */
export const COREDNS_METRICS_PORT = 9153;
/** NodeLocal DNSCache's metrics port, on the host network (see {@link nodeLocalDnsJob}). */
export const NODE_LOCAL_DNS_METRICS_PORT = 9253;

const API_SERVER_KEEP = 'kubernetes;https';
const COREDNS_KEEP = 'kube-dns;metrics';
const NODE_LOCAL_DNS_KEEP = 'node-local-dns;metrics';

/** The cluster's own ports the jobs below keep by name, with their numbers and networks (Prometheus's egress is derived from them). */
export const CLUSTER_SCRAPE_PORTS: readonly KnownScrapePort[] = [
  { namespace: 'default', keep: API_SERVER_KEEP, port: API_SERVER_PORT, network: 'nodes' },
  { namespace: 'kube-system', keep: COREDNS_KEEP, port: COREDNS_METRICS_PORT, network: 'pods' },
  { namespace: 'kube-system', keep: NODE_LOCAL_DNS_KEEP, port: NODE_LOCAL_DNS_METRICS_PORT, network: 'nodes' },
];

/** The API servers: the `kubernetes` Service's endpoints, verified as `kubernetes` (see {@link API_SERVER_CERT_NAME}). */
export function apiServerJob(): ScrapeConfig {
  return {
    job_name: JOBS.apiServers,
    scheme: 'https',
    authorization: TOKEN,
    tls_config: { ca_file: CA, server_name: API_SERVER_CERT_NAME },
    kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: ['default'] } }],
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpointslice_port_name'], action: 'keep', regex: API_SERVER_KEEP },
    ],
  };
}

/**
 * One kubelet path on every node, labelled `job="kubelet"` and `metrics_path` as kube-prometheus
 * labels them. Kubelet serving certificates are self-signed by each kubelet in a kops cluster, so
 * (as kube-prometheus does) TLS is not verified; the token still authenticates.
 */
export function kubeletJob(path: keyof typeof KUBELET_PATHS): ScrapeConfig {
  const drops = path === 'cadvisor' ? CADVISOR_DROPS : path === 'metrics' ? KUBELET_DROPS : [];
  return {
    job_name: path === 'metrics' ? JOBS.kubelet : `${JOBS.kubelet}-${path}`,
    scheme: 'https',
    metrics_path: KUBELET_PATHS[path],
    // cAdvisor reports other pods' namespace, pod and container: keep its labels.
    honor_labels: true,
    authorization: TOKEN,
    tls_config: { ca_file: CA, insecure_skip_verify: true },
    kubernetes_sd_configs: [{ role: 'node' }],
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_node_name'], target_label: 'node' },
      { source_labels: ['__metrics_path__'], target_label: 'metrics_path' },
      setJob(JOBS.kubelet),
    ],
    ...(drops.length === 0 ? {} : { metric_relabel_configs: drops }),
  };
}

/** The scheduler or controller-manager on each master, over HTTPS verified against the cluster CA and the component's name. */
export function controlPlaneJob(component: (typeof CONTROL_PLANE_COMPONENTS)[number]): ScrapeConfig {
  return {
    job_name: component.job,
    scheme: 'https',
    authorization: TOKEN,
    tls_config: { ca_file: CA, server_name: component.serverName },
    kubernetes_sd_configs: [{ role: 'node' }],
    relabel_configs: [
      { source_labels: [CONTROL_PLANE], action: 'keep', regex: 'true' },
      { source_labels: ['__meta_kubernetes_node_address_InternalIP'], target_label: '__address__', replacement: `$1:${component.port}` },
      { source_labels: ['__meta_kubernetes_node_name'], target_label: 'node' },
    ],
  };
}

/**
 * etcd's metrics on each master, through its proxy there (see etcd-metrics-proxy.ts): over TLS
 * verified by the proxies' private CA and name, with a token of the proxies' audience only.
 */
export function etcdJob(job: string, port: number): ScrapeConfig {
  return {
    job_name: job,
    scheme: 'https',
    authorization: { credentials_file: `${ETCD_METRICS_TOKEN_DIR}/token` },
    tls_config: { ca_file: `${ETCD_METRICS_CA_DIR}/ca.crt`, server_name: ETCD_METRICS_SERVER_NAME },
    kubernetes_sd_configs: [{ role: 'node' }],
    relabel_configs: [
      { source_labels: [CONTROL_PLANE], action: 'keep', regex: 'true' },
      { source_labels: ['__meta_kubernetes_node_address_InternalIP'], target_label: '__address__', replacement: `$1:${port}` },
      { source_labels: ['__meta_kubernetes_node_name'], target_label: 'node' },
    ],
  };
}

/**
 * CoreDNS: kops's `kube-dns` Service in kube-system names its metrics port `metrics` (9153)
 * (upup/models/cloudup/resources/addons/coredns.addons.k8s.io/k8s-1.12.yaml.template).
 */
export function coreDnsJob(): ScrapeConfig {
  return {
    job_name: JOBS.coreDns,
    kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: ['kube-system'] } }],
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpointslice_port_name'], action: 'keep', regex: COREDNS_KEEP },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
    ],
  };
}

/**
 * NodeLocal DNSCache: kops's `node-local-dns` DaemonSet pods (label `k8s-app=node-local-dns`)
 * run on the host network with container port `metrics` (9253)
 * (upup/models/cloudup/resources/addons/nodelocaldns.addons.k8s.io/k8s-1.12.yaml.template).
 */
export function nodeLocalDnsJob(): ScrapeConfig {
  return {
    job_name: JOBS.nodeLocalDns,
    kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: ['kube-system'] } }],
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_pod_label_k8s_app', '__meta_kubernetes_pod_container_port_name'], action: 'keep', regex: NODE_LOCAL_DNS_KEEP },
      { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
    ],
  };
}
