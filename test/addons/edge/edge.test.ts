import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Platform, PlatformLabels, renderApp } from '../../../lib';
import {
  CERTGEN_RULES, CONTROLLER_CLUSTER_RULES, CONTROLLER_INFRA_RULES, CONTROLLER_LEADER_RULES, EDGE_IMAGES, PROXY_PORTS, edgeAddon,
} from '../../../lib/addons/edge';
import { checkPolicy } from '../../../lib/policy';
import { testClusterFacts } from '../../support/cluster-facts';
import { validateKubernetesObject } from '../../support/k8s-schema';
import { certManagerSchemaErrors } from './cert-manager-schema';
import { gatewaySchemaErrors, isGatewayObject } from './gateway-schema';
import { edgeCluster, objectsOf, shop } from './helpers';

const NS = 'envoy-gateway-system';
const rendered = (yamlText: string): any[] => yamlText.split(/^---$/m).map((d) => parse(d)).filter((d) => d !== null);

describe('the edge addon specs', () => {
  test('the CRDs are a chart of the crds phase, the edge one of the addons phase, and the edge provides the Gateway', () => {
    expect([edgeAddon.key, edgeAddon.phase, edgeAddon.crds !== undefined]).toEqual(['edge', 'addons', true]);
    expect([edgeAddon.key, edgeAddon.phase]).toEqual(['edge', 'addons']);
    expect(edgeAddon.provides?.({ acmeEmail: 'platform@example.com' }, testClusterFacts())).toEqual({
      gateway: { name: 'platform', namespace: NS, dnsZone: 'example.com' },
    });
    expect(edgeAddon.provides?.({ acmeEmail: 'platform@example.com' }, testClusterFacts({ dnsZone: undefined }))).toEqual({});
  });

  test('the CRD chart holds every Gateway API standard CRD and every Envoy Gateway CRD, unchanged, and each is a valid CustomResourceDefinition', () => {
    // GIVEN / WHEN
    const { crds } = edgeCluster();
    const objects = crds.toJson() as any[];
    // THEN every kind the edge and the routes write has its CRD here
    const kinds = objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => `${o.spec.group}/${o.spec.names.kind}`);
    expect(kinds).toEqual(expect.arrayContaining([
      'gateway.networking.k8s.io/GatewayClass', 'gateway.networking.k8s.io/Gateway', 'gateway.networking.k8s.io/HTTPRoute',
      'gateway.networking.k8s.io/ListenerSet', 'gateway.networking.k8s.io/GRPCRoute', 'gateway.networking.k8s.io/ReferenceGrant',
      'gateway.envoyproxy.io/EnvoyProxy', 'gateway.envoyproxy.io/BackendTrafficPolicy', 'gateway.envoyproxy.io/SecurityPolicy',
      'gateway.envoyproxy.io/ClientTrafficPolicy', 'gateway.envoyproxy.io/EnvoyExtensionPolicy', 'gateway.envoyproxy.io/EnvoyPatchPolicy',
      'gateway.envoyproxy.io/Backend', 'gateway.envoyproxy.io/HTTPRouteFilter',
    ]));
    expect(kinds).toHaveLength(18);
    // AND the upstream file is what is applied, byte for byte once parsed
    const upstream = parse(readFileSync(join(__dirname, '../../../schemas/envoy-gateway/gateway.envoyproxy.io_envoyproxies.yaml'), 'utf8'));
    expect(objects.find((o) => o.metadata.name === 'envoyproxies.gateway.envoyproxy.io')).toEqual(upstream);
    expect(objects.filter((o) => o.kind !== 'CustomResourceDefinition').map((o) => o.kind)).toEqual(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
    for (const o of objects) validateKubernetesObject(o);
  });
});

describe('Edge', () => {
  test('every object is valid: Gateway API and Envoy Gateway objects against their CRDs, cert-manager ones against theirs, the rest against the Kubernetes schema', () => {
    // GIVEN an edge with a routed service
    const { app } = edgeCluster({ proxy: { scale: { minReplicas: 3, maxReplicas: 9 } } }, [shop('api.example.com')]);
    const objects = renderApp(app).files.filter((f) => !f.path.includes('edge-crds')).flatMap((f) => rendered(f.content));
    // WHEN each object is validated against its schema
    const gateway = objects.filter(isGatewayObject);
    const certManager = objects.filter((o) => o.apiVersion.startsWith('cert-manager.io/'));
    const rest = objects.filter((o) => !isGatewayObject(o) && !o.apiVersion.startsWith('cert-manager.io/'));
    // THEN there are no violations, and every kind was seen
    expect(gateway.flatMap(gatewaySchemaErrors)).toEqual([]);
    expect(certManager.flatMap(certManagerSchemaErrors)).toEqual([]);
    for (const o of rest) validateKubernetesObject(o);
    expect(gateway.map((o) => o.kind).sort()).toEqual(['EnvoyProxy', 'Gateway', 'GatewayClass', 'HTTPRoute', 'HTTPRoute', 'ListenerSet']);
    expect(certManager.map((o) => o.kind).sort()).toEqual(['Certificate', 'ClusterIssuer', 'ClusterIssuer']);
  });

  test('the whole tree passes the policy check with no exemption: the NLB Service is the controller\'s, not in the manifests', () => {
    const { app } = edgeCluster({}, [shop('api.example.com')]);
    const report = checkPolicy(app);
    expect(report.violations.map((v) => v.message)).toEqual([]);
    expect(report.exemptions).toEqual([]);
  });

  test('nothing of ingress-nginx is written: no Ingress, IngressClass or ingress-nginx name', () => {
    const { app } = edgeCluster({}, [shop('api.example.com')]);
    const files = renderApp(app).files.filter((f) => !f.path.includes('edge-crds'));
    const text = files.map((f) => f.content).join('\n');
    expect(text).not.toMatch(/ingress-nginx|kind: Ingress\b|kind: IngressClass|nginx/);
  });

  test('the namespace is Platform.gatewayNamespace and enforces Pod Security restricted', () => {
    const objects = objectsOf(edgeCluster().chart);
    expect(objects[`Namespace/${Platform.gatewayNamespace}`].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('the controller runs the pinned release, non-root on a read-only root filesystem, 2 replicas with a PDB, with topology injection off', () => {
    // GIVEN / WHEN
    const objects = objectsOf(edgeCluster().chart);
    const deployment = objects['Deployment/envoy-gateway'];
    const [container] = deployment.spec.template.spec.containers;
    const configMap = Object.values(objects).find((o: any) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('envoy-gateway-config-'));
    const config = parse(configMap.data['envoy-gateway.yaml']);
    // THEN
    expect(container.image).toBe('docker.io/envoyproxy/gateway:v1.9.0');
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(deployment.spec.replicas).toBe(2);
    expect(objects['PodDisruptionBudget/envoy-gateway'].spec).toEqual({ maxUnavailable: 1, selector: deployment.spec.selector });
    expect(config).toEqual({
      apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'EnvoyGateway',
      gateway: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
      logging: { level: { default: 'info' } },
      provider: { type: 'Kubernetes', kubernetes: { shutdownManager: { image: EDGE_IMAGES.controller }, proxyTopologyInjector: { disabled: true } } },
    });
    expect(deployment.spec.template.spec.volumes.find((v: any) => v.name === 'config').configMap.name).toBe(configMap.metadata.name);
    // The Envoy pods' bootstrap dials envoy-gateway.<namespace>.svc:18000
    expect(objects['Service/envoy-gateway'].spec.ports).toEqual([{ name: 'grpc', port: 18000, targetPort: 'grpc', protocol: 'TCP' }]);
  });

  test('RBAC is upstream\'s rendered install without the topology injector\'s pod rights, MCS imports or certgen\'s webhook rights', () => {
    // GIVEN upstream's rendered install (schemas/envoy-gateway/reference/install-rendered-by-upstream-chart.yaml)
    const upstream = rendered(readFileSync(join(__dirname, '../../../schemas/envoy-gateway/reference/install-rendered-by-upstream-chart.yaml'), 'utf8'));
    const rules = (kind: string, name: string) => upstream.find((o) => o.kind === kind && o.metadata.name === name).rules;
    const objects = objectsOf(edgeCluster().chart);
    // WHEN the rules are compared
    const without = (list: any[], drop: (r: any) => boolean) => list.filter((r) => !drop(r));
    // THEN every rule granted is one upstream grants, and what is left out is exactly the named rules
    expect(objects['ClusterRole/envoy-gateway'].rules).toEqual(without(rules('ClusterRole', 'gateway-helm-envoy-gateway-role'),
      (r) => r.resources.includes('pods') || r.apiGroups.includes('multicluster.x-k8s.io')));
    expect(objects['Role/envoy-gateway-infra-manager'].rules).toEqual(without(rules('Role', 'gateway-helm-infra-manager'), (r) => r.resources.includes('clustertrustbundles')));
    expect(objects['Role/envoy-gateway-leader-election'].rules).toEqual(rules('Role', 'gateway-helm-leader-election-role'));
    expect(objects['Role/envoy-gateway-certgen'].rules).toEqual(rules('Role', 'gateway-helm-certgen'));
    expect(Object.keys(objects).filter((k) => k.startsWith('ClusterRole/'))).toEqual(['ClusterRole/envoy-gateway']);
    // AND the constants are those objects
    expect([CONTROLLER_CLUSTER_RULES.length, CONTROLLER_INFRA_RULES.length, CONTROLLER_LEADER_RULES.length, CERTGEN_RULES.length]).toEqual([10, 4, 3, 1]);
  });

  test('certgen writes the control plane\'s certificates once, as a Job with only Secret rights, skipping the injector webhook', () => {
    const objects = objectsOf(edgeCluster().chart);
    const job = objects['Job/envoy-gateway-certgen'];
    const [container] = job.spec.template.spec.containers;
    expect(container.command).toEqual(['envoy-gateway', 'certgen', '--disable-topology-injector']);
    expect(container.image).toBe(EDGE_IMAGES.controller);
    expect(job.spec.template.spec.serviceAccountName).toBe('envoy-gateway-certgen');
    expect(objects['RoleBinding/envoy-gateway-certgen'].subjects).toEqual([{ kind: 'ServiceAccount', name: 'envoy-gateway-certgen', namespace: NS }]);
  });

  test('the EnvoyProxy pins Envoy to the front group (its label, its taint tolerated), spreads it across zones, with a PDB and a restricted context', () => {
    // GIVEN / WHEN
    const proxy = objectsOf(edgeCluster().chart)['EnvoyProxy/platform'].spec.provider.kubernetes;
    const pod = proxy.envoyDeployment.pod;
    // THEN the label and taint are the front group's of the cluster facts
    expect(pod.nodeSelector).toEqual({ 'platform.example.com/node-role': 'front', 'kubernetes.io/os': 'linux' });
    expect(pod.tolerations).toEqual([{ key: 'platform.example.com/front', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    expect(pod.topologySpreadConstraints[0]).toEqual({
      topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'envoy', 'app.kubernetes.io/component': 'proxy', 'app.kubernetes.io/managed-by': 'envoy-gateway' } },
    });
    expect(proxy.envoyDeployment.replicas).toBe(3);
    expect(proxy.envoyPDB).toEqual({ maxUnavailable: 1 });
    expect(proxy.envoyDeployment.container.image).toBe(EDGE_IMAGES.envoy);
    expect(proxy.envoyDeployment.container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(proxy.envoyDeployment.container.resources).toEqual({ requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });
  });

  test('with an autoscaler range the EnvoyProxy has an HPA and no fixed replica count', () => {
    const proxy = objectsOf(edgeCluster({ proxy: { scale: { minReplicas: 3, maxReplicas: 9 } } }).chart)['EnvoyProxy/platform'].spec.provider.kubernetes;
    expect(proxy.envoyDeployment.replicas).toBeUndefined();
    expect(proxy.envoyHpa).toEqual({ minReplicas: 3, maxReplicas: 9, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] });
  });

  test('without front nodes the Envoy pods run on any Linux node and tolerate nothing, and every node is an NLB target', () => {
    const proxy = objectsOf(edgeCluster({ frontNodes: undefined }).chart)['EnvoyProxy/platform'].spec.provider.kubernetes;
    expect(proxy.envoyDeployment.pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(proxy.envoyDeployment.pod.tolerations).toBeUndefined();
    expect(Object.keys(proxy.envoyService.annotations)).not.toContain('service.beta.kubernetes.io/aws-load-balancer-target-node-labels');
  });

  test('the Envoy Service is a cross-zone NLB on the front nodes with externalTrafficPolicy Local, publishing every route host for external-dns', () => {
    // GIVEN two routed hosts, and one served from a service repo
    const { chart } = edgeCluster({ serviceRepoHosts: ['payments.example.com'] }, [shop('api.example.com', 'www.example.com')]);
    // WHEN
    const service = objectsOf(chart)['EnvoyProxy/platform'].spec.provider.kubernetes.envoyService;
    // THEN
    expect(service).toEqual({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      annotations: {
        'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
        'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled': 'true',
        'service.beta.kubernetes.io/aws-load-balancer-target-node-labels': 'platform.example.com/node-role=front',
        'external-dns.alpha.kubernetes.io/hostname': 'api.example.com,payments.example.com,www.example.com',
      },
    });
  });

  test('an internal NLB open to listed blocks only gets the internal annotation and source ranges', () => {
    const service = objectsOf(edgeCluster({ loadBalancer: { scheme: 'internal', clientCidrs: ['10.0.0.0/8'] } }).chart)['EnvoyProxy/platform'].spec.provider.kubernetes.envoyService;
    expect(service.annotations['service.beta.kubernetes.io/aws-load-balancer-internal']).toBe('true');
    expect(service.loadBalancerSourceRanges).toEqual(['10.0.0.0/8']);
  });

  test('Envoy logs every request as JSON on stdout', () => {
    const accessLog = objectsOf(edgeCluster().chart)['EnvoyProxy/platform'].spec.telemetry.accessLog;
    expect(accessLog.settings[0].sinks).toEqual([{ type: 'File', file: { path: '/dev/stdout' } }]);
    expect(accessLog.settings[0].format.type).toBe('JSON');
    expect(accessLog.settings[0].format.json).toMatchObject({ response_code: '%RESPONSE_CODE%', authority: '%REQ(:AUTHORITY)%' });
  });

  test('the GatewayClass points at the EnvoyProxy; the Gateway takes listeners from labelled namespaces and redirects HTTP to HTTPS', () => {
    // GIVEN / WHEN
    const objects = objectsOf(edgeCluster().chart);
    // THEN
    expect(objects['GatewayClass/platform'].spec).toEqual({
      controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
      parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: 'platform', namespace: NS },
    });
    expect(objects['Gateway/platform'].spec).toEqual({
      gatewayClassName: 'platform',
      allowedListeners: { namespaces: { from: 'Selector', selector: { matchLabels: { [PlatformLabels.gatewayListeners]: 'allowed' } } } },
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }],
    });
    expect(objects['HTTPRoute/https-redirect'].spec.rules).toEqual([{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }]);
  });

  test('metrics of the controller and of Envoy are declared for scraping', () => {
    const objects = objectsOf(edgeCluster().chart);
    expect(objects['Service/envoy-gateway-metrics'].metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '19001', 'prometheus.io/path': '/metrics' });
    expect(objects['Service/envoy-metrics'].metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '19001', 'prometheus.io/path': '/stats/prometheus' });
    expect(objects['Service/envoy-metrics'].metadata.labels['platform.example.com/scrape']).toBe('true');
  });

  test('the ClusterIssuers solve DNS-01 in the cluster zone; e2e points the platform issuer at Let\'s Encrypt staging', () => {
    const objects = objectsOf(edgeCluster({ platformIssuer: 'staging' }).chart);
    expect(objects['ClusterIssuer/letsencrypt'].spec.acme.server).toBe('https://acme-staging-v02.api.letsencrypt.org/directory');
    expect(objects['ClusterIssuer/letsencrypt'].spec.acme.solvers).toEqual([{ selector: { dnsZones: ['example.com'] }, dns01: { route53: { region: 'eu-west-1', hostedZoneID: '${cloud:hostedZoneId:example-com}' } } }]);
  });
});

describe('Edge network policies', () => {
  const policies = (chart: ReturnType<typeof edgeCluster>['chart']) => Object.fromEntries(Object.entries(objectsOf(chart)).filter(([k]) => k.startsWith('NetworkPolicy/')).map(([k, v]) => [k.slice('NetworkPolicy/'.length), v.spec]));
  const proxyPods = { matchLabels: { 'app.kubernetes.io/name': 'envoy', 'app.kubernetes.io/component': 'proxy', 'app.kubernetes.io/managed-by': 'envoy-gateway' } };

  test('default deny; Envoy takes clients on its listener ports only (10080, 10443), from the declared blocks', () => {
    const p = policies(edgeCluster({ loadBalancer: { clientCidrs: ['203.0.113.0/24'] } }).chart);
    expect(p['edge-default-deny']).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(p['edge-allow-clients']).toEqual({
      podSelector: proxyPods, policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: PROXY_PORTS.http }, { protocol: 'TCP', port: PROXY_PORTS.https }] }],
    });
  });

  test('Envoy reaches the controller\'s xDS port and, in namespaces that serve hosts, only the target ports of routed services', () => {
    // GIVEN a routed WebService (port 'http') and a service-repo port
    const p = policies(edgeCluster({ serviceRepoPorts: ['http', 9000] }, [shop('api.example.com')]).chart);
    // THEN
    expect(p['edge-proxy-allow-backends'].egress).toEqual([
      { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'envoy-gateway', 'app.kubernetes.io/component': 'controller' } } }], ports: [{ protocol: 'TCP', port: 18000 }] },
      { to: [{ namespaceSelector: { matchLabels: { [PlatformLabels.gatewayListeners]: 'allowed' } } }], ports: [{ protocol: 'TCP', port: 9000 }, { protocol: 'TCP', port: 'http' }] },
    ]);
    expect(p['edge-controller-allow-xds'].ingress).toEqual([{ from: [{ podSelector: proxyPods }], ports: [{ protocol: 'TCP', port: 18000 }] }]);
    expect(p['edge-controller-allow-xds'].egress).toEqual([{ to: [{ ipBlock: { cidr: '10.30.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
  });
});
