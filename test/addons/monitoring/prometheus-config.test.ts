import { Chart } from 'cdk8s';
import { WebService } from '../../../lib';
import { JOBS, addMonitoring, type RelabelConfig } from '../../../lib/addons';
import { PROPS, monitoring, prodEnvironment } from './fixture';

/** Applies relabel steps as Prometheus does (replace and keep, anchored regexes); undefined when a keep drops the target. */
function relabel(labels: Record<string, string>, steps: readonly RelabelConfig[]): Record<string, string> | undefined {
  const out = { ...labels };
  for (const step of steps) {
    const value = (step.source_labels ?? []).map((l) => out[l] ?? '').join(step.separator ?? ';');
    const match = new RegExp(`^(?:${step.regex ?? '(.*)'})$`).exec(value);
    if ((step.action ?? 'replace') === 'keep') {
      if (match === null) return undefined;
      continue;
    }
    if (match === null || step.target_label === undefined) continue;
    out[step.target_label] = (step.replacement ?? '$1').replace(/\$(\d)/g, (_m, i: string) => match[Number(i)] ?? '');
  }
  return out;
}

/** What endpointslice discovery reports for one endpoint of a Service object. */
function discovered(service: any, pod: string, ip: string, port: number): Record<string, string> {
  const meta: Record<string, string> = {
    __address__: `${ip}:${port}`,
    __meta_kubernetes_namespace: service.metadata.namespace,
    __meta_kubernetes_service_name: service.metadata.name,
    __meta_kubernetes_pod_name: pod,
  };
  const clean = (k: string) => k.replace(/[^a-zA-Z0-9_]/g, '_');
  for (const [k, v] of Object.entries<string>(service.metadata.labels ?? {})) meta[`__meta_kubernetes_service_label_${clean(k)}`] = v;
  for (const [k, v] of Object.entries<string>(service.metadata.annotations ?? {})) meta[`__meta_kubernetes_service_annotation_${clean(k)}`] = v;
  return meta;
}

describe('the Prometheus configuration', () => {
  const config = monitoring().prometheus.config;
  const job = (name: string) => {
    const found = config.scrape_configs.find((j) => j.job_name === name);
    if (found === undefined) throw new Error(`no job ${name}`);
    return found;
  };

  test('labels every series and alert with the cluster, environment and (series only) the replica', () => {
    expect(config.global.external_labels).toEqual({ cluster: 'prod', environment: 'prod', prometheus_replica: '${POD_NAME}' });
  });

  test('has a job for each platform source, in a stable order', () => {
    expect(config.scrape_configs.map((j) => j.job_name)).toEqual([
      'prometheus', 'alertmanager', 'apiserver', 'kubelet', 'kubelet-cadvisor', 'kubelet-probes', 'kube-scheduler', 'kube-controller-manager',
      'node-exporter', 'kube-state-metrics', 'kube-state-metrics-telemetry', 'grafana', 'blackbox-exporter', 'coredns',
      'etcd-main', 'etcd-events', 'kubernetes-services', 'probe-dns', 'probe-api',
    ]);
  });

  test('discovers the API servers, kubelets and exporters with the roles and namespaces they need', () => {
    expect(job(JOBS.apiServers).kubernetes_sd_configs).toEqual([{ role: 'endpointslice', namespaces: { names: ['default'] } }]);
    expect(job(JOBS.kubelet).kubernetes_sd_configs).toEqual([{ role: 'node' }]);
    expect(job('kubelet-cadvisor').metrics_path).toBe('/metrics/cadvisor');
    expect(job(JOBS.kubeStateMetrics).kubernetes_sd_configs).toEqual([{ role: 'endpointslice', namespaces: { names: ['monitoring'] } }]);
    expect(job(JOBS.kubeStateMetrics).honor_labels).toBe(true);
    expect(job(JOBS.services).kubernetes_sd_configs).toEqual([{ role: 'endpointslice' }]);
  });

  test("scrapes etcd on the masters through their proxies: over TLS verified by the proxies' CA and name, with the proxies' audience token", () => {
    const etcd = job(JOBS.etcdEvents).relabel_configs ?? [];
    const master = { __address__: '10.0.1.10:10250', __meta_kubernetes_node_address_InternalIP: '10.0.1.10', __meta_kubernetes_node_name: 'm1', __meta_kubernetes_node_labelpresent_node_role_kubernetes_io_control_plane: 'true' };
    expect(relabel(master, etcd)).toMatchObject({ __address__: '10.0.1.10:9082', node: 'm1' });
    expect(job(JOBS.etcdMain)).toMatchObject({
      scheme: 'https',
      authorization: { credentials_file: '/var/run/secrets/etcd-metrics/token' },
      tls_config: { ca_file: '/etc/prometheus/etcd-metrics/ca.crt', server_name: 'etcd-metrics.platform-etcd-metrics.svc' },
    });
    expect(job(JOBS.etcdMain).tls_config).not.toHaveProperty('insecure_skip_verify');
    expect(relabel({ ...master, __meta_kubernetes_node_labelpresent_node_role_kubernetes_io_control_plane: 'false' }, etcd)).toBeUndefined();
  });

  test('leaves etcd out when the cluster does not expose its metrics', () => {
    const { etcdMetricsPorts: _ports, ...props } = PROPS;
    const addon = addMonitoring(prodEnvironment(), props);
    expect(addon.prometheus.config.scrape_configs.some((j) => j.job_name.startsWith('etcd'))).toBe(false);
    expect(addon.ruleGroups.flatMap((g) => g.alertNames).filter((a) => a.startsWith('Etcd'))).toEqual([]);
  });

  test("finds an app's scraped Service by its label and relabels it to namespace, pod and service", () => {
    // GIVEN a WebService that declares metrics, built anywhere (here: its own chart)
    const chart = new Chart(monitoring().node.scope as any, 'shop', { namespace: 'shop', disableResourceNameHashes: true });
    const api = new WebService(chart, 'api', {
      image: 'registry.example.com/shop/api:1.0.0',
      ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9100 }],
      metrics: { port: 'metrics', path: '/prom', interval: '5s' },
    });
    const service = api.service.toJson();
    // WHEN discovery reports its endpoints on both ports
    const targets = [8080, 9100].map((port) => relabel(discovered(service, 'api-7d9f-x2', '10.1.2.3', port), job(JOBS.services).relabel_configs ?? []));
    // THEN both collapse to one target on the metrics port, with the path, interval and identity
    expect(targets[0]).toEqual(targets[1]);
    expect(targets[0]).toMatchObject({
      __address__: '10.1.2.3:9100', __metrics_path__: '/prom', __scrape_interval__: '5s', __scrape_timeout__: '5s',
      namespace: 'shop', pod: 'api-7d9f-x2', service: 'api',
    });
  });

  test('ignores Services without the scrape label', () => {
    const plain = { metadata: { name: 'db', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'db' } } };
    expect(relabel(discovered(plain, 'db-0', '10.1.2.4', 5432), job(JOBS.services).relabel_configs ?? [])).toBeUndefined();
  });

  test('sends alerts to every Alertmanager replica and probes cluster DNS and the API server', () => {
    expect(config.alerting.alertmanagers[0]?.static_configs[0]?.targets).toEqual([
      'alertmanager-0.alertmanager.monitoring.svc:9093', 'alertmanager-1.alertmanager.monitoring.svc:9093', 'alertmanager-2.alertmanager.monitoring.svc:9093',
    ]);
    expect(job(JOBS.probeDns).static_configs?.[0]?.targets).toEqual(['kube-dns.kube-system.svc.cluster.local:53']);
    expect(job(JOBS.probeApi).params).toEqual({ module: ['http_api'] });
  });
});
