import { Chart } from 'cdk8s';
import { parse } from 'yaml';
import { checkPolicy } from '../../../lib';
import { POD_SECURITY_VERSION } from '../../../lib/policy/pod-security';
import { validateKubernetesObject } from '../../support/k8s-schema';
import { certManagerSchemaErrors } from '../edge/cert-manager-schema';
import { gatewaySchemaErrors, isGatewayObject } from '../edge/gateway-schema';
import { monitoring, objects } from './fixture';

describe('the monitoring addon', () => {
  // One build shared by the read-only assertions below keeps the suite fast.
  const addon = monitoring();
  const all = Chart.of(addon).toJson();
  const byName = objects(addon);

  test('is built in its own chart, addon-monitoring; node-exporter alone in a privileged namespace, the rest in monitoring under restricted', () => {
    expect(Chart.of(addon).node.id).toBe('addon-monitoring');
    const monitoringNs = byName['Namespace/monitoring'].metadata;
    expect(monitoringNs.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION });
    expect(monitoringNs.annotations).toBeUndefined();
    const nodeExporterNs = byName['Namespace/platform-node-exporter'].metadata;
    expect(nodeExporterNs.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION,
      'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted',
    });
    expect(nodeExporterNs.annotations['platform.example.com/pod-security-reason']).toMatch(/node-exporter/);
    const etcdNs = byName['Namespace/platform-etcd-metrics'].metadata;
    expect(etcdNs.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION });
    expect(etcdNs.annotations['platform.example.com/pod-security-reason']).toMatch(/etcd's metrics proxies/);
    const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ClusterIssuer']);
    expect(all.filter((o: any) => clusterScoped.has(o.kind)).map((o: any) => o.metadata.namespace)).toEqual(all.filter((o: any) => clusterScoped.has(o.kind)).map(() => undefined));
    const byNamespace = (ns: string) => all.filter((o: any) => !clusterScoped.has(o.kind) && o.metadata.namespace === ns).map((o: any) => `${o.kind}/${o.metadata.name}`).sort();
    expect(byNamespace('platform-node-exporter')).toEqual([
      'DaemonSet/node-exporter', 'NetworkPolicy/node-exporter-allow-scrapes', 'NetworkPolicy/node-exporter-default-deny', 'Service/node-exporter', 'ServiceAccount/node-exporter',
    ]);
    expect(byNamespace('platform-etcd-metrics')).toEqual([
      'Certificate/etcd-metrics-proxy-tls', 'DaemonSet/etcd-metrics-proxy', 'NetworkPolicy/etcd-metrics-proxy-allow-api-server', 'NetworkPolicy/etcd-metrics-proxy-allow-scrapes', 'NetworkPolicy/etcd-metrics-proxy-default-deny', 'ServiceAccount/etcd-metrics-proxy',
    ]);
    // The etcd metrics CA's key is where cert-manager reads a ClusterIssuer's: kops runs it in kube-system.
    expect(byNamespace('kube-system')).toEqual(['Certificate/platform-etcd-metrics-ca']);
    expect(all.filter((o: any) => !clusterScoped.has(o.kind)).every((o: any) => ['monitoring', 'platform-node-exporter', 'platform-etcd-metrics', 'kube-system'].includes(o.metadata.namespace))).toBe(true);
    // Every pod but node-exporter's and the etcd proxies' is in the restricted namespace.
    const pods = all.filter((o: any) => ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'].includes(o.kind));
    expect(pods.filter((o: any) => o.metadata.namespace !== 'monitoring').map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual(['DaemonSet/etcd-metrics-proxy', 'DaemonSet/node-exporter']);
  });

  test('passes the policy check with exactly the three node-exporter exemptions and the etcd proxies\' host network', () => {
    const report = checkPolicy(addon);
    expect(report.violations.map((v) => v.message)).toEqual([]);
    expect(report.exemptions.map((e) => `${e.rule}: ${e.objects.join(', ')}`)).toEqual([
      'host-network: DaemonSet platform-etcd-metrics/etcd-metrics-proxy',
      'host-network: DaemonSet platform-node-exporter/node-exporter',
      'host-pid: DaemonSet platform-node-exporter/node-exporter',
      'host-path: DaemonSet platform-node-exporter/node-exporter',
    ]);
  });

  test('every object is valid against its schema: Grafana\'s route against the Gateway API and cert-manager CRDs, the rest against the Kubernetes schema', () => {
    const route = all.filter((o: any) => isGatewayObject(o) || o.apiVersion.startsWith('cert-manager.io/'));
    // Grafana's host certificate; the etcd metrics CA, the proxies' and Prometheus's certificates and the two CA issuers
    expect(route.map((o: any) => o.kind).sort()).toEqual(['Certificate', 'Certificate', 'Certificate', 'Certificate', 'ClusterIssuer', 'ClusterIssuer', 'HTTPRoute', 'ListenerSet']);
    expect(route.flatMap((o: any) => (isGatewayObject(o) ? gatewaySchemaErrors(o) : certManagerSchemaErrors(o)))).toEqual([]);
    for (const o of all.filter((x: any) => !route.includes(x))) expect(() => validateKubernetesObject(o)).not.toThrow();
  });

  test('writes no Secret and no credential value: receivers and Grafana read Secret references', () => {
    expect(all.filter((o: any) => o.kind === 'Secret')).toEqual([]);
    const grafana = byName['Deployment/grafana'].spec.template.spec.containers[0];
    expect(grafana.env).toEqual([
      { name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'grafana', key: 'admin-password' } } },
      { name: 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: 'grafana', key: 'oidc' } } },
    ]);
    expect(JSON.stringify(all)).not.toMatch(/admin_password|client_secret\s*=/);
  });

  test('runs Prometheus as a non-root StatefulSet with a sized volume claim and retention', () => {
    const sts = byName['StatefulSet/prometheus'];
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('50Gi');
    expect(sts.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, fsGroup: 65534 });
    expect(sts.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['--storage.tsdb.retention.time=2w1d', '--storage.tsdb.retention.size=46080MB']));
    expect(sts.spec.template.spec.serviceAccountName).toBe('prometheus');
  });

  test('gives Prometheus a ClusterRole that only reads what discovery and scraping need', () => {
    expect(byName['ClusterRole/monitoring:prometheus'].rules).toEqual([
      { apiGroups: [''], resources: ['nodes', 'nodes/metrics', 'services', 'pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]);
    expect(byName['ClusterRoleBinding/monitoring:prometheus'].subjects).toEqual([{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' }]);
  });

  test('mounts the configuration and rules from ConfigMaps named by their content', () => {
    const volumes = byName['StatefulSet/prometheus'].spec.template.spec.volumes;
    const config = volumes.find((v: any) => v.name === 'config').configMap.name;
    const rules = volumes.find((v: any) => v.name === 'rules').configMap.name;
    expect(config).toMatch(/^prometheus-config-[0-9a-f]{10}$/);
    expect(rules).toMatch(/^prometheus-rules-[0-9a-f]{10}$/);
    expect(byName[`ConfigMap/${config}`].immutable).toBe(true);
    expect(Object.keys(byName[`ConfigMap/${rules}`].data).sort()).toEqual([
      'alertmanager.rules.yaml', 'control-plane.yaml', 'general.rules.yaml', 'k8s.rules.yaml', 'kube-apiserver-burnrate.rules.yaml', 'kube-apiserver.yaml',
      'kube-state-metrics.yaml', 'kubernetes-apps.yaml', 'kubernetes-resources.yaml', 'kubernetes-storage.yaml', 'kubernetes-system-kubelet.yaml',
      'node-exporter.yaml', 'platform-probes.yaml', 'prometheus.yaml',
    ]);
  });

  test('runs node-exporter on every node, tolerating every taint, with the host mounts read-only', () => {
    const pod = byName['DaemonSet/node-exporter'].spec.template.spec;
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect([pod.hostNetwork, pod.hostPID]).toEqual([true, true]);
    expect(pod.containers[0].volumeMounts.every((m: any) => m.readOnly === true)).toBe(true);
    expect(pod.securityContext.runAsUser).toBe(65534);
  });

  test('lets kube-state-metrics list and watch only the kinds it reports on', () => {
    const rules = byName['ClusterRole/monitoring:kube-state-metrics'].rules;
    expect(rules.every((r: any) => r.verbs.join() === 'list,watch')).toBe(true);
    const kinds = rules.flatMap((r: any) => r.resources).sort().join(',');
    expect(byName['Deployment/kube-state-metrics'].spec.template.spec.containers[0].args).toContain(`--resources=${kinds}`);
    expect(kinds.split(',')).toEqual(expect.arrayContaining(['persistentvolumes', 'resourcequotas']));
    expect(byName['Deployment/kube-state-metrics'].spec.template.spec.containers[0].args).toContain('--metric-labels-allowlist=persistentvolumeclaims=[excluded_from_alerts]');
  });

  test('clusters three Alertmanager replicas through their headless Service', () => {
    const sts = byName['StatefulSet/alertmanager'];
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.template.spec.containers[0].args.filter((a: string) => a.startsWith('--cluster.peer='))).toEqual([
      '--cluster.peer=alertmanager-0.alertmanager.monitoring.svc:9094',
      '--cluster.peer=alertmanager-1.alertmanager.monitoring.svc:9094',
      '--cluster.peer=alertmanager-2.alertmanager.monitoring.svc:9094',
    ]);
    expect(byName['PodDisruptionBudget/alertmanager'].spec.maxUnavailable).toBe(1);
    expect(sts.spec.template.spec.volumes.filter((v: any) => v.secret !== undefined).map((v: any) => v.secret.secretName)).toEqual(['alerting', 'shop-alerting']);
  });

  test('runs the platform probe every minute, never two at once, with a pinned image', () => {
    const cron = byName['CronJob/platform-probe'];
    expect(cron.spec.schedule).toBe('* * * * *');
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    const container = cron.spec.jobTemplate.spec.template.spec.containers[0];
    expect(container.image).toBe('docker.io/curlimages/curl:8.15.0');
    expect(container.command[2]).toContain('nslookup kubernetes.default.svc.cluster.local');
    expect(container.command[2]).toContain('https://kubernetes.default.svc/readyz');
  });

  test('provisions the Prometheus datasource and the dashboards', () => {
    const maps = all.filter((o: any) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('grafana-'));
    const data = Object.assign({}, ...maps.map((m: any) => m.data));
    expect(parse(data['datasources.yaml']).datasources[0]).toMatchObject({ type: 'prometheus', url: 'http://prometheus.monitoring.svc:9090', isDefault: true });
    expect(Object.keys(data).filter((k) => k.endsWith('.json'))).toEqual(expect.arrayContaining(['platform-cluster.json', 'platform-namespace.json', 'platform-service.json']));
    expect(JSON.parse(data['platform-namespace.json']).templating.list[0].name).toBe('namespace');
  });
});
