import { API_SERVER_CERT_NAME, JOBS, type RelabelConfig } from '../../../lib/addons';
import { PROPS, monitoring, prodEnvironment } from './fixture';
import { addMonitoring } from '../../../lib/addons';

/** Applies relabel steps as Prometheus does (replace and keep, anchored regexes); undefined when a keep drops the target. */
function relabel(labels: Record<string, string>, steps: readonly RelabelConfig[]): Record<string, string> | undefined {
  const out = { ...labels };
  for (const step of steps) {
    const value = (step.source_labels ?? []).map((l) => out[l] ?? '').join(step.separator ?? ';');
    const match = new RegExp(`^(?:${step.regex ?? '(.*)'})$`).exec(value);
    const action = step.action ?? 'replace';
    if (action === 'keep' || action === 'drop') {
      if ((match === null) === (action === 'keep')) return undefined;
      continue;
    }
    if (match === null || step.target_label === undefined) continue;
    out[step.target_label] = (step.replacement ?? '$1').replace(/\$(\d)/g, (_m, i: string) => match[Number(i)] ?? '');
  }
  return out;
}

/**
 * The names kops signs into the API server's serving certificate, read from kops
 * nodeup/pkg/model/kube_apiserver.go (writeServerCertificate) for an AWS cluster: the in-cluster
 * names, the public and internal API names, the service IP and 127.0.0.1; never the instance's
 * own IP (only Hetzner and OpenStack add that), which is the address endpoint discovery yields.
 */
const KOPS_API_SERVER_CERT_NAMES = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'api.prod.example.com', 'api.internal.prod.example.com', '100.64.0.1', '127.0.0.1'];

describe('the scrape targets', () => {
  const config = monitoring({ nodeLocalDnsAddress: '169.254.20.10' }).prometheus.config;
  const job = (name: string) => {
    const found = config.scrape_configs.find((j) => j.job_name === name);
    if (found === undefined) throw new Error(`no job ${name}`);
    return found;
  };
  const master = {
    __address__: '10.0.1.10:10250', __metrics_path__: '/metrics', __meta_kubernetes_node_address_InternalIP: '10.0.1.10', __meta_kubernetes_node_name: 'm1',
    __meta_kubernetes_node_labelpresent_node_role_kubernetes_io_control_plane: 'true',
  };

  test('verifies the API servers against a name kops signs into their certificate (kops nodeup/pkg/model/kube_apiserver.go), not the endpoint IP', () => {
    const api = job(JOBS.apiServers);
    expect(api.tls_config).toEqual({ ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt', server_name: 'kubernetes' });
    expect(API_SERVER_CERT_NAME).toBe('kubernetes');
    expect(KOPS_API_SERVER_CERT_NAMES).toContain(api.tls_config?.server_name);
    // The discovered address is a master's IP, which the certificate does not carry: without server_name, verification would fail.
    const target = relabel({ __address__: '10.0.1.10:443', __meta_kubernetes_service_name: 'kubernetes', __meta_kubernetes_endpointslice_port_name: 'https' }, api.relabel_configs ?? []);
    expect(KOPS_API_SERVER_CERT_NAMES).not.toContain(target?.__address__?.split(':')[0]);
    expect(api.tls_config?.insecure_skip_verify).toBeUndefined();
  });

  test('labels the kubelet, cAdvisor and probe paths job="kubelet" with their metrics_path, as kube-prometheus does', () => {
    for (const [name, path] of [['kubelet', '/metrics'], ['kubelet-cadvisor', '/metrics/cadvisor'], ['kubelet-probes', '/metrics/probes']] as const) {
      const j = job(name);
      expect(j.metrics_path).toBe(path);
      expect(relabel({ ...master, __metrics_path__: path }, j.relabel_configs ?? [])).toMatchObject({ job: 'kubelet', metrics_path: path, node: 'm1' });
    }
  });

  test("drops kube-prometheus's high-cardinality cAdvisor series and keeps the ones the rules read", () => {
    const drops = job('kubelet-cadvisor').metric_relabel_configs ?? [];
    const kept = (labels: Record<string, string>) => relabel(labels, drops) !== undefined;
    expect(kept({ __name__: 'container_cpu_load_average_10s', namespace: 'shop', pod: 'api-0' })).toBe(false);
    expect(kept({ __name__: 'container_spec_memory_limit_bytes', namespace: '', pod: '' })).toBe(false);
    expect(kept({ __name__: 'container_spec_memory_limit_bytes', namespace: 'shop', pod: 'api-0' })).toBe(true);
    expect(kept({ __name__: 'container_blkio_device_usage_total', container: 'api' })).toBe(false);
    expect(kept({ __name__: 'container_cpu_usage_seconds_total', namespace: 'shop', pod: 'api-0', container: 'api' })).toBe(true);
    expect(kept({ __name__: 'container_cpu_cfs_throttled_periods_total', namespace: 'shop', pod: 'api-0', container: 'api' })).toBe(true);
  });

  test('scrapes the scheduler and controller-manager on the masters at their secure ports, verified as their kops certificate names', () => {
    // kops nodeup/pkg/model/kube_scheduler.go and kube_controller_manager.go: host network, no --bind-address, ports 10259 and 10257,
    // serving certificates signed by the cluster CA for <name>.kube-system.svc.cluster.local.
    for (const [name, port] of [[JOBS.scheduler, 10259], [JOBS.controllerManager, 10257]] as const) {
      const j = job(name);
      expect(j.tls_config).toEqual({ ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt', server_name: `${name}.kube-system.svc.cluster.local` });
      expect(relabel(master, j.relabel_configs ?? [])).toMatchObject({ __address__: `10.0.1.10:${port}`, node: 'm1' });
      expect(relabel({ ...master, __meta_kubernetes_node_labelpresent_node_role_kubernetes_io_control_plane: '' }, j.relabel_configs ?? [])).toBeUndefined();
    }
  });

  test("scrapes CoreDNS on kops's kube-dns metrics port and NodeLocal DNS pods on theirs", () => {
    const coredns = { __address__: '100.96.1.5:9153', __meta_kubernetes_service_name: 'kube-dns', __meta_kubernetes_endpointslice_port_name: 'metrics', __meta_kubernetes_pod_name: 'coredns-abc' };
    expect(relabel(coredns, job(JOBS.coreDns).relabel_configs ?? [])).toMatchObject({ __address__: '100.96.1.5:9153', pod: 'coredns-abc' });
    expect(relabel({ ...coredns, __meta_kubernetes_endpointslice_port_name: 'dns' }, job(JOBS.coreDns).relabel_configs ?? [])).toBeUndefined();
    const local = { __address__: '10.0.2.20:9253', __meta_kubernetes_pod_label_k8s_app: 'node-local-dns', __meta_kubernetes_pod_container_port_name: 'metrics', __meta_kubernetes_pod_node_name: 'n1', __meta_kubernetes_pod_name: 'node-local-dns-x' };
    expect(relabel(local, job(JOBS.nodeLocalDns).relabel_configs ?? [])).toMatchObject({ node: 'n1', pod: 'node-local-dns-x' });
  });

  test('leaves NodeLocal DNS out when the cluster does not run it', () => {
    const { nodeLocalDnsAddress: _n, ...props } = { ...PROPS, nodeLocalDnsAddress: undefined };
    const jobs = addMonitoring(prodEnvironment(), props).prometheus.config.scrape_configs.map((j) => j.job_name);
    expect(jobs).not.toContain(JOBS.nodeLocalDns);
  });

  test("scrapes kube-state-metrics's own telemetry under job kube-state-metrics, and Grafana and the blackbox exporter", () => {
    const telemetry = { __meta_kubernetes_service_name: 'kube-state-metrics', __meta_kubernetes_endpointslice_port_name: 'telemetry' };
    expect(relabel(telemetry, job('kube-state-metrics-telemetry').relabel_configs ?? [])).toMatchObject({ job: 'kube-state-metrics' });
    expect(relabel({ ...telemetry, __meta_kubernetes_endpointslice_port_name: 'http-metrics' }, job('kube-state-metrics-telemetry').relabel_configs ?? [])).toBeUndefined();
    expect(relabel({ __meta_kubernetes_service_name: 'grafana', __meta_kubernetes_endpointslice_port_name: 'http' }, job(JOBS.grafana).relabel_configs ?? [])).toBeDefined();
    expect(relabel({ __meta_kubernetes_service_name: 'blackbox-exporter', __meta_kubernetes_endpointslice_port_name: 'http' }, job(JOBS.blackboxExporter).relabel_configs ?? [])).toBeDefined();
  });
});
