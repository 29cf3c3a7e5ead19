import { Chart } from 'cdk8s';
import { Platform, SCRAPE_LABEL, renderApp } from '../../../lib';
import { ACME_SERVERS, CONTROLLER_PORTS, EdgeCloudValues, HostCertificate, isInZone } from '../../../lib/addons';
import { checkPolicy } from '../../../lib/policy';
import { validateKubernetesObject } from '../../support/k8s-schema';
import { certManagerSchemaErrors } from './cert-manager-schema';
import { bareIngress, edgeCluster, edgeObjects, shop } from './helpers';

const CONTROLLER = 'Deployment/ingress-nginx-controller';

describe('Edge', () => {
  test('every object is valid: cert-manager objects against the imported CRDs, the rest against the Kubernetes schema', () => {
    // GIVEN an edge with a routed service
    const { chart } = edgeCluster({}, [shop('api.example.com')]);
    const objects = chart.toJson() as any[];
    // WHEN each object is validated against its schema
    const certManager = objects.filter((o) => o.apiVersion.startsWith('cert-manager.io/'));
    const rest = objects.filter((o) => !o.apiVersion.startsWith('cert-manager.io/'));
    // THEN there are no violations, and both kinds were seen
    expect(certManager.flatMap(certManagerSchemaErrors)).toEqual([]);
    for (const o of rest) validateKubernetesObject(o);
    expect(certManager.map((o) => o.kind)).toEqual(['ClusterIssuer', 'ClusterIssuer']);
    expect(rest.length).toBeGreaterThan(15);
  });

  test('the whole tree passes the policy check with one exemption: the LoadBalancer Service, with its reason', () => {
    // GIVEN / WHEN
    const { app } = edgeCluster({}, [shop('api.example.com')]);
    const report = checkPolicy(app);
    // THEN
    expect(report.violations.map((v) => v.message)).toEqual([]);
    expect(report.exemptions.map((e) => [e.rule, e.path, e.objects])).toEqual([
      ['load-balancer', 'prod/addon-edge/edge/controller', ['Service ingress-nginx/ingress-nginx-controller']],
    ]);
  });

  test('renderApp writes the edge as its own addon chart and finds no problem', () => {
    // GIVEN / WHEN
    const { app } = edgeCluster({}, [shop('api.example.com')]);
    const result = renderApp(app);
    // THEN
    expect(result.problems).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['prod/manifests/addon-edge.k8s.yaml', 'prod/manifests/shop.k8s.yaml']);
  });

  test('the namespace is Platform.ingressNamespace and enforces Pod Security restricted', () => {
    const objects = edgeObjects(edgeCluster().chart);
    expect(objects[`Namespace/${Platform.ingressNamespace}`].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(objects[CONTROLLER].metadata.namespace).toBe('ingress-nginx');
  });

  test('the controller runs on the front nodes, tolerating their taint, spread across zones, with a PDB', () => {
    // GIVEN / WHEN
    const objects = edgeObjects(edgeCluster().chart);
    const spec = objects[CONTROLLER].spec;
    // THEN
    expect(spec.replicas).toBe(3);
    expect(spec.template.spec.nodeSelector).toEqual({ 'platform.example.com/node-role': 'front', 'kubernetes.io/os': 'linux' });
    expect(spec.template.spec.tolerations).toEqual([{ key: 'platform.example.com/front', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    expect(spec.template.spec.topologySpreadConstraints[0]).toEqual({
      topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } },
    });
    expect(objects['PodDisruptionBudget/ingress-nginx-controller'].spec).toEqual({ maxUnavailable: 1, selector: spec.selector });
  });

  test('without front nodes the controller runs on any Linux node and tolerates nothing', () => {
    const spec = edgeObjects(edgeCluster({ frontNodes: undefined }).chart)[CONTROLLER].spec.template.spec;
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(spec.tolerations).toBeUndefined();
  });

  test('the controller is non-root on unprivileged ports, keeping only NET_BIND_SERVICE (its binaries carry that file capability)', () => {
    // GIVEN / WHEN
    const spec = edgeObjects(edgeCluster().chart)[CONTROLLER].spec.template.spec;
    const [container] = spec.containers;
    // THEN
    expect(container.image).toMatch(/^registry\.k8s\.io\/ingress-nginx\/controller:v1\.12\.\d+@sha256:/);
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 101, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } });
    expect(container.ports.map((p: any) => [p.name, p.containerPort])).toEqual([['http', 8080], ['https', 8443], ['metrics', 10254]]);
    expect(container.args).toEqual(expect.arrayContaining(['--http-port=8080', '--https-port=8443', '--ingress-class=nginx', '--controller-class=k8s.io/ingress-nginx']));
  });

  test('the controller reads a ConfigMap whose name carries its content hash, so a config change rolls the pods', () => {
    const objects = edgeObjects(edgeCluster().chart);
    const configMap = Object.values(objects).find((o: any) => o.kind === 'ConfigMap');
    expect(configMap.metadata.name).toMatch(/^ingress-nginx-controller-[0-9a-f]{10}$/);
    expect(configMap.data['allow-snippet-annotations']).toBe('false');
    expect(objects[CONTROLLER].spec.template.spec.containers[0].args).toContain(`--configmap=$(POD_NAMESPACE)/${configMap.metadata.name}`);
  });

  test('an internet-facing NLB balances across zones to the front nodes, mapping 80 and 443 to the unprivileged ports', () => {
    // GIVEN / WHEN
    const svc = edgeObjects(edgeCluster().chart)['Service/ingress-nginx-controller'];
    // THEN
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.externalTrafficPolicy).toBe('Local');
    expect(svc.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
      'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled': 'true',
      'service.beta.kubernetes.io/aws-load-balancer-target-node-labels': 'platform.example.com/node-role=front',
    });
    expect(svc.spec.ports.map((p: any) => [p.port, p.targetPort])).toEqual([[80, 'http'], [443, 'https']]);
    expect(svc.spec.loadBalancerSourceRanges).toBeUndefined();
  });

  test('an internal NLB open to some blocks is annotated internal and limits its source ranges and the network policy', () => {
    // GIVEN / WHEN
    const objects = edgeObjects(edgeCluster({ loadBalancer: { scheme: 'internal', clientCidrs: ['10.0.0.0/8'] } }).chart);
    const svc = objects['Service/ingress-nginx-controller'];
    // THEN
    expect(svc.metadata.annotations['service.beta.kubernetes.io/aws-load-balancer-internal']).toBe('true');
    expect(svc.spec.loadBalancerSourceRanges).toEqual(['10.0.0.0/8']);
    expect(objects['NetworkPolicy/edge-allow-clients'].spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ protocol: 'TCP', port: CONTROLLER_PORTS.http }, { protocol: 'TCP', port: CONTROLLER_PORTS.https }] },
    ]);
  });

  test('the metrics Service carries the same scrape declaration as the apps, on port 10254', () => {
    const svc = edgeObjects(edgeCluster().chart)['Service/ingress-nginx-controller-metrics'];
    expect(svc.metadata.labels[SCRAPE_LABEL]).toBe('true');
    expect(svc.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '10254', 'prometheus.io/path': '/metrics' });
    expect(svc.spec.type).toBe('ClusterIP');
  });

  test('the IngressClass is the default one, named Platform.ingressClassName and served by ingress-nginx', () => {
    const ic = edgeObjects(edgeCluster().chart)[`IngressClass/${Platform.ingressClassName}`];
    expect(ic.metadata.annotations).toEqual({ 'ingressclass.kubernetes.io/is-default-class': 'true' });
    expect(ic.spec).toEqual({ controller: 'k8s.io/ingress-nginx' });
  });

  test('RBAC writes only Ingress status, events and its own leader Lease', () => {
    // GIVEN
    const objects = edgeObjects(edgeCluster().chart);
    const writes = (rules: any[]) => rules.filter((r) => r.verbs.some((v: string) => !['get', 'list', 'watch'].includes(v)))
      .map((r) => `${r.resources.join(',')}:${r.verbs.join(',')}${r.resourceNames === undefined ? '' : `@${r.resourceNames.join(',')}`}`);
    // THEN
    expect(writes(objects['ClusterRole/ingress-nginx'].rules)).toEqual(['events:create,patch', 'ingresses/status:update']);
    expect(writes(objects['Role/ingress-nginx'].rules)).toEqual(['ingresses/status:update', 'leases:get,update@ingress-nginx-leader', 'leases:create', 'events:create,patch']);
    expect(objects['ClusterRoleBinding/ingress-nginx'].subjects).toEqual([{ kind: 'ServiceAccount', name: 'ingress-nginx', namespace: 'ingress-nginx' }]);
  });
});

describe('Edge network policies', () => {
  test('the controller reaches only the pods of routed services, on their target port, plus DNS and the API server', () => {
    // GIVEN two routed services
    const objects = edgeObjects(edgeCluster({}, [shop('api.example.com', 'admin.example.com')]).chart);
    // THEN
    expect(objects['NetworkPolicy/edge-default-deny'].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(objects['NetworkPolicy/edge-allow-backends'].spec.egress).toEqual(['api-0', 'api-1'].map((name) => ({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': name } } }],
      ports: [{ protocol: 'TCP', port: 'http' }],
    })));
    expect(objects['NetworkPolicy/edge-allow-api-server'].spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.10.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
    expect(objects['NetworkPolicy/edge-allow-dns'].spec.egress[0].to[1]).toEqual({ ipBlock: { cidr: '169.254.20.10/32' } });
  });

  test('a service-repo namespace is reachable as a whole; with no routes the backends policy allows nothing', () => {
    const declared = edgeObjects(edgeCluster({ backendNamespaces: ['payments'] }).chart)['NetworkPolicy/edge-allow-backends'];
    const none = edgeObjects(edgeCluster().chart)['NetworkPolicy/edge-allow-backends'];
    expect(declared.spec.egress).toEqual([{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }] }]);
    expect(none.spec.egress).toEqual([]);
  });

  test('clients and Prometheus are admitted on the controller ports only', () => {
    const objects = edgeObjects(edgeCluster().chart);
    expect(objects['NetworkPolicy/edge-allow-clients'].spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '0.0.0.0/0' } }]);
    expect(objects['NetworkPolicy/edge-allow-monitoring'].spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 10254 }] },
    ]);
  });
});

describe('Edge issuers', () => {
  test('the platform issuer and the staging issuer solve DNS-01 in the zone through Route53, with the hosted zone as a cloud value', () => {
    // GIVEN / WHEN
    const objects = edgeObjects(edgeCluster().chart);
    const issuer = objects[`ClusterIssuer/${Platform.clusterIssuer}`];
    // THEN
    expect(issuer.spec.acme).toEqual({
      email: 'platform@example.com',
      server: ACME_SERVERS.production,
      privateKeySecretRef: { name: 'letsencrypt-account-key' },
      solvers: [{ selector: { dnsZones: ['example.com'] }, dns01: { route53: { region: 'eu-west-1', hostedZoneID: '${cloud:hostedZoneId:example-com}' } } }],
    });
    expect(objects[`ClusterIssuer/${Platform.stagingClusterIssuer}`].spec.acme.server).toBe(ACME_SERVERS.staging);
    expect(EdgeCloudValues.hostedZoneId('example.com')).toBe('${cloud:hostedZoneId:example-com}');
  });

  test("with platformIssuer 'staging' (e2e) the issuer every Ingress names uses Let's Encrypt staging", () => {
    const issuer = edgeObjects(edgeCluster({ platformIssuer: 'staging' }).chart)[`ClusterIssuer/${Platform.clusterIssuer}`];
    expect(issuer.spec.acme.server).toBe(ACME_SERVERS.staging);
  });

  test('a HostCertificate is a valid Certificate that the issuer check accepts for a TLS host without annotation', () => {
    // GIVEN an Ingress with TLS but no issuer annotation, and a Certificate filling its Secret
    const { app, env } = edgeCluster();
    const chart = new Chart(env, 'static', { namespace: 'shop', disableResourceNameHashes: true });
    bareIngress(chart, 'www.example.com', 'www-tls');
    const cert = new HostCertificate(chart, 'www-cert', { hosts: ['*.example.com'], secretName: 'www-tls' });
    // WHEN
    const result = renderApp(app);
    // THEN
    expect(certManagerSchemaErrors(cert.certificate.toJson())).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  test('the cert-manager schema check refuses an unknown field and a missing required one', () => {
    // GIVEN a valid Certificate, then the same with a typo and without its secretName
    const { env } = edgeCluster();
    const chart = new Chart(env, 'static', { namespace: 'shop', disableResourceNameHashes: true });
    const valid = new HostCertificate(chart, 'www-cert', { hosts: ['www.example.com'], secretName: 'www-tls' }).certificate.toJson();
    const { secretName: _secretName, ...withoutSecret } = valid.spec;
    // THEN
    expect(certManagerSchemaErrors({ ...valid, spec: { ...valid.spec, dnsNamez: ['x'] } })).toEqual([
      'Certificate/www-tls/spec must NOT have additional properties {"additionalProperty":"dnsNamez"}',
    ]);
    expect(certManagerSchemaErrors({ ...valid, spec: withoutSecret })).toEqual([
      `Certificate/www-tls/spec must have required property 'secretName' {"missingProperty":"secretName"}`,
    ]);
  });

  test('isInZone accepts the zone, its subdomains and wildcards under it, and nothing else', () => {
    expect(['example.com', 'shop.example.com', '*.example.com', 'a.b.example.com'].map((h) => isInZone(h, 'example.com'))).toEqual([true, true, true, true]);
    expect(['badexample.com', 'example.com.evil.org', 'example.org'].map((h) => isInZone(h, 'example.com'))).toEqual([false, false, false]);
  });
});
