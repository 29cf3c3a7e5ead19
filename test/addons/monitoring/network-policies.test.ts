import { Chart } from 'cdk8s';
import { App } from 'cdk8s';
import { PlatformError } from '../../../lib';
import { PUBLIC_INTERNET_EXCEPT, addMonitoring, scrapeReach, type MonitoringProps } from '../../../lib/addons';
import { monitoring, prodEnvironment, PROPS } from './fixture';
import { admits, networkPolicies, refusal, type Endpoint } from './network-policy-eval';

// The fixture's cluster: pods in 100.96.0.0/11, nodes and masters in the VPC 10.20.0.0/16.
const pod = (namespace: string, name: string, ip: string, extra: Record<string, string> = {}): Endpoint => ({ namespace, labels: { 'app.kubernetes.io/name': name, ...extra }, ip });
const PROMETHEUS = pod('monitoring', 'prometheus', '100.96.1.10');
const ALERTMANAGER = pod('monitoring', 'alertmanager', '100.96.1.11');
const GRAFANA = pod('monitoring', 'grafana', '100.96.1.12');
const KSM = pod('monitoring', 'kube-state-metrics', '100.96.1.13');
const PROBE = pod('monitoring', 'platform-probe', '100.96.1.14');
const TEAM_POD = pod('shop', 'orders-api', '100.96.2.3');
const KUBE_DNS: Endpoint = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ip: '100.96.0.10' };
const ENVOY: Endpoint = { namespace: 'envoy-gateway-system', labels: { 'app.kubernetes.io/name': 'envoy', 'app.kubernetes.io/component': 'proxy', 'app.kubernetes.io/managed-by': 'envoy-gateway' }, ip: '100.96.3.3' };
const NODE: Endpoint = { ip: '10.20.32.5' };
const MASTER: Endpoint = { ip: '10.20.0.10' };
const VPC_ENDPOINT: Endpoint = { ip: '10.20.5.5' };
const PEERED: Endpoint = { ip: '172.20.0.5' };
const METADATA: Endpoint = { ip: '169.254.169.254' };
const SAAS: Endpoint = { ip: '203.0.113.10' };
const PARTNER: Endpoint = { ip: '198.51.100.7' };

function policiesOf(changes: Partial<MonitoringProps> = {}) {
  return networkPolicies(Chart.of(monitoring(changes)).toJson());
}

describe('the monitoring namespace network policies, evaluated', () => {
  const policies = policiesOf();
  const from = (source: Endpoint, to: Endpoint, port: number, protocol: 'TCP' | 'UDP' = 'TCP') => refusal(policies, { from: source, to, port, protocol });

  test('deny by default: a monitoring pod reaches nothing it was not given, and takes nothing from other namespaces', () => {
    // GIVEN the addon's policies / WHEN a team pod calls Prometheus, Prometheus calls a peered network or the metadata service
    // THEN each is refused on the side the default deny covers
    expect(from(TEAM_POD, PROMETHEUS, 9090)).toBe('ingress');
    expect(from(PROMETHEUS, PEERED, 9100)).toBe('egress');
    expect(from(PROMETHEUS, METADATA, 80)).toBe('egress');
    expect(from(PROBE, SAAS, 443)).toBe('egress');
  });

  test('every monitoring pod resolves names through cluster DNS, and the components reach each other', () => {
    for (const p of [PROMETHEUS, ALERTMANAGER, GRAFANA, KSM, PROBE]) expect(from(p, KUBE_DNS, 53, 'UDP')).toBeUndefined();
    expect(from(PROMETHEUS, ALERTMANAGER, 9093)).toBeUndefined();
    expect(from(GRAFANA, PROMETHEUS, 9090)).toBeUndefined();
    expect(from(ALERTMANAGER, KUBE_DNS, 9153)).toBe('egress');
  });

  test('Prometheus reaches the nodes only on the ports its jobs scrape, and pods on the pod block', () => {
    // kubelet, scheduler, controller-manager, node-exporter, NodeLocal DNS is off in the fixture, the etcd proxies for main and events, the API servers
    for (const port of [10250, 10257, 10259, 9100, 9081, 9082]) expect(from(PROMETHEUS, NODE, port)).toBeUndefined();
    expect(from(PROMETHEUS, MASTER, 443)).toBeUndefined();
    // etcd's own metrics ports (8081, 8082) are on the masters' loopback only, and not reached either
    for (const port of [22, 80, 2379, 8080, 8081, 8082, 9101, 9253]) expect(from(PROMETHEUS, NODE, port)).toBe('egress');
    // CoreDNS's metrics, and a team's metrics port: the services job scrapes each Service's own port, the target's own policy narrows it.
    expect(from(PROMETHEUS, KUBE_DNS, 9153)).toBeUndefined();
    expect(from(PROMETHEUS, TEAM_POD, 9090)).toBeUndefined();
    expect(from(PROMETHEUS, SAAS, 443)).toBe('egress');
  });

  test('the egress ports are the rendered jobs\' ports: NodeLocal DNS adds its own, a cluster without etcd metrics drops the proxies\'', () => {
    // GIVEN a cluster with NodeLocal DNSCache, and one whose etcd serves no metrics
    const other = policiesOf({ nodeLocalDnsAddress: '169.254.20.10' });
    const { etcdMetricsPorts: _ports, ...rest } = PROPS;
    const noEtcd = networkPolicies(Chart.of(addMonitoring(prodEnvironment(), rest)).toJson());
    // THEN Prometheus reaches NodeLocal DNS's metrics in the first, and no etcd proxy in the second
    for (const port of [9253, 9081, 9082]) expect(admits(other, { from: PROMETHEUS, to: NODE, port })).toBe(true);
    for (const port of [9081, 9082]) expect(admits(noEtcd, { from: PROMETHEUS, to: NODE, port })).toBe(false);
    expect(admits(noEtcd, { from: PROMETHEUS, to: NODE, port: 9100 })).toBe(true);
  });

  test('only the API clients reach the API servers, and only on its port', () => {
    for (const p of [PROMETHEUS, KSM, PROBE]) expect(from(p, MASTER, 443)).toBeUndefined();
    expect(from(KSM, NODE, 10250)).toBe('egress');
    expect(from(GRAFANA, MASTER, 443)).toBe('egress');
    expect(from(ALERTMANAGER, MASTER, 443)).toBe('egress');
  });

  test('receivers with no declared blocks: Alertmanager reaches the public internet on their port only', () => {
    expect(from(ALERTMANAGER, SAAS, 443)).toBeUndefined();
    expect(from(ALERTMANAGER, SAAS, 80)).toBe('egress');
    for (const inside of [VPC_ENDPOINT, PEERED, METADATA, NODE, TEAM_POD]) expect(from(ALERTMANAGER, inside, 443)).toBe('egress');
    const spec = policies.find((p) => p.metadata.name === 'monitoring-allow-alertmanager-receivers')?.spec;
    expect(spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...PUBLIC_INTERNET_EXCEPT] } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
  });

  test('receivers with declared blocks: Alertmanager reaches those blocks on each receiver\'s port, and not the internet', () => {
    // GIVEN every receiver at declared blocks, the webhook on port 8443
    const receivers = PROPS.alerting.receivers.map((r) => (r.kind === 'webhook'
      ? { ...r, url: 'https://heartbeat.example.com:8443/ping', egressTo: ['198.51.100.0/24'] }
      : { ...r, egressTo: ['203.0.113.0/24'] }));
    const declared = policiesOf({ alerting: { ...PROPS.alerting, receivers } });
    // THEN
    expect(admits(declared, { from: ALERTMANAGER, to: PARTNER, port: 8443 })).toBe(true);
    expect(admits(declared, { from: ALERTMANAGER, to: PARTNER, port: 443 })).toBe(false);
    expect(admits(declared, { from: ALERTMANAGER, to: SAAS, port: 443 })).toBe(true);
    expect(admits(declared, { from: ALERTMANAGER, to: { ip: '192.0.2.1' }, port: 443 })).toBe(false);
  });

  test('Grafana reaches the OIDC provider: the public internet on 443 by default, the declared blocks when given', () => {
    expect(from(GRAFANA, SAAS, 443)).toBeUndefined();
    expect(from(GRAFANA, VPC_ENDPOINT, 443)).toBe('egress');
    // GIVEN Dex behind an internal load balancer in the VPC
    const internal = policiesOf({ grafana: { ...PROPS.grafana, oidc: { ...PROPS.grafana.oidc, egressTo: ['10.20.0.0/16'] } } });
    expect(admits(internal, { from: GRAFANA, to: VPC_ENDPOINT, port: 443 })).toBe(true);
    expect(admits(internal, { from: GRAFANA, to: SAAS, port: 443 })).toBe(false);
  });

  test('Prometheus reaches the remote-write store only when one is declared, on its URL\'s port', () => {
    expect(from(PROMETHEUS, SAAS, 443)).toBe('egress');
    const writing = policiesOf({ remoteWrite: [{ url: 'https://metrics.example.com:9443/api/v1/push' }] });
    expect(admits(writing, { from: PROMETHEUS, to: SAAS, port: 9443 })).toBe(true);
    expect(admits(writing, { from: PROMETHEUS, to: SAAS, port: 443 })).toBe(false);
    const pinned = policiesOf({ remoteWrite: [{ url: 'https://metrics.example.com/api/v1/push', egressTo: ['198.51.100.0/24'] }] });
    expect(admits(pinned, { from: PROMETHEUS, to: PARTNER, port: 443 })).toBe(true);
    expect(admits(pinned, { from: PROMETHEUS, to: SAAS, port: 443 })).toBe(false);
  });

  test('Grafana takes requests from the Gateway\'s Envoy pods on its port, and from no one else outside the namespace', () => {
    expect(from(ENVOY, GRAFANA, 3000)).toBeUndefined();
    expect(from(ENVOY, GRAFANA, 9090)).toBe('ingress');
    expect(from(TEAM_POD, GRAFANA, 3000)).toBe('ingress');
    expect(from(ENVOY, PROMETHEUS, 9090)).toBe('ingress');
  });

  test('node-exporter\'s namespace admits Prometheus on its port only (where the network plugin applies policy to host-network pods)', () => {
    // Modelled as a pod network endpoint: with hostNetwork the plugin sees the node, and the policy binds nothing.
    const nodeExporter = pod('platform-node-exporter', 'node-exporter', '100.96.4.4');
    expect(from(PROMETHEUS, nodeExporter, 9100)).toBeUndefined();
    expect(from(PROMETHEUS, nodeExporter, 9101)).toBe('ingress');
    expect(from(KSM, nodeExporter, 9100)).toBe('egress'); // and its own egress allows no pod
    expect(from(TEAM_POD, nodeExporter, 9100)).toBe('ingress');
    expect(from(nodeExporter, SAAS, 443)).toBe('egress');
    expect(from(TEAM_POD, { ...nodeExporter, hostNetwork: true }, 9101)).toBeUndefined();
  });

  test('every pod that needs an allowance carries the name the policies select', () => {
    const o = Chart.of(monitoring()).toJson();
    const podNames = o.flatMap((x: any) => {
      const template = x.kind === 'CronJob' ? x.spec.jobTemplate.spec.template : x.spec?.template;
      return template === undefined ? [] : [template.metadata.labels['app.kubernetes.io/name']];
    });
    expect(podNames).toEqual(expect.arrayContaining(['prometheus', 'grafana', 'alertmanager', 'kube-state-metrics', 'blackbox-exporter', 'platform-probe', 'node-exporter']));
  });
});

describe('the scrape reach, read from the rendered jobs', () => {
  const scope = new Chart(new App(), 'reach');

  test('names each job\'s network and ports', () => {
    const reach = monitoring().prometheus.reach;
    const of = (job: string) => reach.filter((r) => r.job === job).map((r) => ({ network: r.network, ports: r.ports }));
    expect(of('prometheus')).toEqual([{ network: 'local', ports: [9090] }]);
    expect(of('kubelet')).toEqual([{ network: 'nodes', ports: [10250] }]);
    expect(of('kube-scheduler')).toEqual([{ network: 'nodes', ports: [10259] }]);
    expect(of('node-exporter')).toEqual([{ network: 'nodes', ports: [9100] }]);
    expect(of('apiserver')).toEqual([{ network: 'nodes', ports: [443] }]);
    expect(of('coredns')).toEqual([{ network: 'pods', ports: [9153] }]);
    expect(of('kubernetes-services')).toEqual([{ network: 'pods', ports: 'any' }]);
    expect(of('probe-api')).toEqual([{ network: 'namespace', ports: [9115] }]);
  });

  test('a job whose targets cannot be placed is an error naming it', () => {
    expect(() => scrapeReach(scope, [{ job_name: 'elsewhere', static_configs: [{ targets: ['db.example.com:9187'] }] }], 'monitoring', []))
      .toThrow(new PlatformError(["reach: scrape_configs has targets whose network and port cannot be derived: its static targets [db.example.com:9187] are not all in the namespace or all local (got \"elsewhere\"); give the job a static host:port, a node address rewrite ($1:<port>), or a keep on a Service port listed in the known scrape ports"]));
    expect(() => scrapeReach(scope, [{ job_name: 'ksm', kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: ['other'] } }], relabel_configs: [{ action: 'keep', regex: 'x;metrics' }] }], 'monitoring', []))
      .toThrow(/'x;metrics' in other is not a known scrape port \(got "ksm"\)/);
  });
});
