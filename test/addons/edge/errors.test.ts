import { Chart } from 'cdk8s';
import { renderApp } from '../../../lib';
import { Certificate } from '../../../imports/cert-manager.io';
import { HttpRoute, ListenerSet } from '../../../imports/gateway.networking.k8s.io';
import { GatewayRoute } from '../../../lib/apps/gateway-route';
import { edgeCluster, objectsOf, shop } from './helpers';
import { gatewaySchemaErrors } from './gateway-schema';

const ZONE_FIX = 'use a host under example.com (external-dns writes records only in that zone), or serve it from the cluster whose zone holds it';

/** A ListenerSet on the platform Gateway for `host`, serving Secret `secret`, written by hand. */
function listenerSet(chart: Chart, host: string, secret: string): ListenerSet {
  return new ListenerSet(chart, `ls-${secret}`, {
    metadata: { name: secret.replace(/-tls$/, '') },
    spec: {
      parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'platform', namespace: 'envoy-gateway-system' },
      listeners: [{ name: 'https', hostname: host, port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: secret }] } }],
    },
  });
}

describe('Edge errors', () => {
  test('a route host with no listener is reported at synth, naming the route and the Gateway', () => {
    // GIVEN an HTTPRoute that names a ListenerSet nobody declared
    const { app, env } = edgeCluster();
    const chart = new Chart(env, 'static', { namespace: 'shop', disableResourceNameHashes: true });
    new HttpRoute(chart, 'www', {
      metadata: { name: 'www' },
      spec: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: 'www-example-com', sectionName: 'https' }], hostnames: ['www.example.com'], rules: [{ backendRefs: [{ name: 'www', port: 80 }] }] },
    });
    // WHEN
    const { problems } = renderApp(app);
    // THEN
    expect(problems).toEqual([
      'prod/static: spec.hostnames[0] has no HTTPS listener on Gateway envoy-gateway-system/platform among the ListenerSets the route names in namespace shop (got "www.example.com"); expose the service through GatewayRoute (WebService ingress), which declares the listener, or add a ListenerSet listener for the host',
    ]);
  });

  test('a route attached to the Gateway itself has no HTTPS listener for its host (the Gateway\'s own listener is plain HTTP)', () => {
    // GIVEN an HTTPRoute naming the platform Gateway directly
    const { app, env } = edgeCluster();
    const chart = new Chart(env, 'static', { namespace: 'shop', disableResourceNameHashes: true });
    new HttpRoute(chart, 'www', {
      metadata: { name: 'www' },
      spec: { parentRefs: [{ name: 'platform', namespace: 'envoy-gateway-system' }], hostnames: ['www.example.com'], rules: [{ backendRefs: [{ name: 'www', port: 80 }] }] },
    });
    // WHEN
    const { problems } = renderApp(app);
    // THEN
    expect(problems).toEqual([
      'prod/static: spec.hostnames[0] has no HTTPS listener on Gateway envoy-gateway-system/platform among the ListenerSets the route names in namespace shop (got "www.example.com"); expose the service through GatewayRoute (WebService ingress), which declares the listener, or add a ListenerSet listener for the host',
    ]);
  });

  test('an HTTPS listener whose Secret no Certificate fills is reported: the host would serve no certificate', () => {
    // GIVEN a ListenerSet written by hand, without a Certificate
    const { app, env } = edgeCluster();
    listenerSet(new Chart(env, 'static', { namespace: 'shop', disableResourceNameHashes: true }), 'www.example.com', 'www-tls');
    // WHEN
    const { problems } = renderApp(app);
    // THEN
    expect(problems).toEqual([
      'prod/static: spec.listeners[0].hostname has no certificate: no Certificate in namespace shop fills Secret www-tls for it (got "www.example.com"); declare a cert-manager Certificate with secretName www-tls and the host in dnsNames (GatewayRoute does)',
    ]);
  });

  test('a Certificate for a listener that names a ClusterIssuer the cluster does not define is reported', () => {
    // GIVEN a listener whose Certificate names an unknown issuer
    const { app, env } = edgeCluster();
    const chart = new Chart(env, 'static', { namespace: 'shop', disableResourceNameHashes: true });
    listenerSet(chart, 'www.example.com', 'www-tls');
    new Certificate(chart, 'cert', { metadata: { name: 'www-tls' }, spec: { secretName: 'www-tls', dnsNames: ['www.example.com'], issuerRef: { kind: 'ClusterIssuer', name: 'vault' } } });
    // WHEN
    const { problems } = renderApp(app);
    // THEN
    expect(problems).toEqual([
      'prod/static: spec.issuerRef.name names no ClusterIssuer of the cluster [letsencrypt, letsencrypt-staging] (got "vault"); name one of these issuers (the edge addon defines them)',
    ]);
  });

  test("a host outside the cluster's DNS zone is reported for its listener and its route", () => {
    // GIVEN a WebService on a host of another zone
    const { app } = edgeCluster({}, [shop('shop.example.org')]);
    // WHEN
    const { problems } = renderApp(app);
    // THEN
    expect(problems).toEqual([
      `prod/shop/gateway-listener-shop-example-org: spec.listeners[0].hostname is outside the cluster's DNS zone example.com (got "shop.example.org"); ${ZONE_FIX}`,
      `prod/shop/api-0/route: spec.hostnames[0] is outside the cluster's DNS zone example.com (got "shop.example.org"); ${ZONE_FIX}`,
    ]);
  });

  test('two routes claiming one host and path are reported once, by duplicateRoutes', () => {
    // GIVEN two WebServices on one host (they share the host's listener)
    const { app } = edgeCluster({}, [shop('shop.example.com', 'shop.example.com')]);
    // WHEN
    const { problems } = renderApp(app);
    // THEN
    expect(problems).toEqual([
      'prod/shop/api-1/route: route host+path shop.example.com/ is also routed by prod/shop/api-0/route; give one of them another host or path',
    ]);
  });

  test('one host claimed by the listeners of two namespaces is reported', () => {
    // GIVEN the same host in the shop namespace and in the blog namespace
    const { app, env } = edgeCluster({}, [shop('www.example.com')]);
    const blog = new Chart(env, 'blog', { namespace: 'blog', disableResourceNameHashes: true });
    new GatewayRoute(blog, 'route', { name: 'blog', host: 'www.example.com', path: '/blog', serviceName: 'blog', port: 8080 });
    // WHEN
    const { problems } = renderApp(app);
    // THEN
    expect(problems).toEqual([
      'prod/blog/gateway-listener-www-example-com: spec.listeners[0].hostname is also claimed by namespace shop (prod/shop/gateway-listener-www-example-com) (got "www.example.com"); serve a host from one namespace: route the other service under another host, or move it into that namespace',
    ]);
  });

  test('pinning Envoy to a front group the cluster does not have is refused at construction', () => {
    expect(() => edgeCluster({ frontNodes: 'edge' })).toThrow(
      'prod/addon-edge/edge: frontNodes names no node group of the cluster [nodes, front] (got "edge"); add a front node group (with a label and a taint) to kubernetes.nodeGroups, name one that exists, or leave frontNodes unset to run on any node',
    );
  });

  test('pinning Envoy to a node group without labels is refused: no nodeSelector could select it', () => {
    expect(() => edgeCluster({ frontNodes: 'nodes' })).toThrow(
      "prod/addon-edge/edge: frontNodes is a node group with no labels, so no nodeSelector can pin pods to it (got \"nodes\"); give the group a label (e.g. { 'platform.example.com/node-role': 'front' }) in kubernetes.nodeGroups",
    );
  });

  test('an EnvoyProxy field the CRD does not know is refused by the schema check (a typo the API server would prune silently)', () => {
    // GIVEN the rendered EnvoyProxy with a misspelt field (the typed class cannot write one: its
    // toJson keeps only the fields the CRD names, so the check guards hand-written objects)
    const json = objectsOf(edgeCluster().chart)['EnvoyProxy/platform'];
    const typo = { ...json, spec: { ...json.spec, provider: { ...json.spec.provider, kubernetes: { ...json.spec.provider.kubernetes, envoyDeployment: { ...json.spec.provider.kubernetes.envoyDeployment, replica: 3 } } } } };
    // WHEN / THEN
    expect(gatewaySchemaErrors(json)).toEqual([]);
    expect(gatewaySchemaErrors(typo)).toEqual(['EnvoyProxy/platform/spec/provider/kubernetes/envoyDeployment must NOT have additional properties {"additionalProperty":"replica"}']);
  });

  test('a gossip cluster (no DNS zone) cannot have the edge', () => {
    expect(() => edgeCluster({}, [], { dnsZone: undefined })).toThrow(
      'prod/addon-edge: edge needs a DNS zone, and the cluster uses gossip DNS; give the cluster a Route53 zone (kubernetes.dnsZone), or drop the edge',
    );
  });

  test('fewer than 2 Envoy pods are refused, for replicas and for an autoscaler\'s minimum', () => {
    const fix = "run at least 2 (3 spreads over three zones): the edge is every service's way in";
    expect(() => edgeCluster({ proxy: { scale: { replicas: 1 } } })).toThrow(
      `prod/addon-edge/edge/proxy: proxy.scale must keep at least 2 Envoy pods (replicas, or minReplicas) (got {"replicas":1}); ${fix}`,
    );
    expect(() => edgeCluster({ proxy: { scale: { minReplicas: 1, maxReplicas: 4 } } })).toThrow('proxy.scale must keep at least 2 Envoy pods');
    expect(() => edgeCluster({ proxy: { scale: { minReplicas: 3, maxReplicas: 2 } } })).toThrow(
      'prod/addon-edge/edge/proxy: proxy.scale.maxReplicas must be a whole number >= minReplicas (3) (got 2); raise maxReplicas',
    );
  });

  test('an empty client list and a bad client block are refused', () => {
    expect(() => edgeCluster({ loadBalancer: { clientCidrs: [] } })).toThrow(
      "prod/addon-edge/edge/proxy: loadBalancer.clientCidrs must not be empty (got []); list the client blocks, or ['0.0.0.0/0'] for everyone",
    );
    expect(() => edgeCluster({ loadBalancer: { clientCidrs: ['10.0.0.0/33'] } })).toThrow('prod/addon-edge/edge/proxy: loadBalancer.clientCidrs[0]');
  });

  test('a service-repo host outside the zone, or not a host name, is refused', () => {
    expect(() => edgeCluster({ serviceRepoHosts: ['pay.example.org'] })).toThrow(
      "prod/addon-edge/edge: serviceRepoHosts[0] is outside the cluster's DNS zone example.com (got \"pay.example.org\"); use a host under example.com, or list it on the cluster whose zone holds it",
    );
    expect(() => edgeCluster({ serviceRepoHosts: ['Pay'] })).toThrow(
      "prod/addon-edge/edge: serviceRepoHosts[0] is not a fully qualified lowercase DNS name (got \"Pay\"); write a host such as 'api.example.com'",
    );
  });

  test('a controller with no replicas and an ACME contact that is not an address are refused', () => {
    expect(() => edgeCluster({ controller: { replicas: 0 } })).toThrow(
      'prod/addon-edge/edge/controller: controller.replicas must be a whole number >= 1 (got 0); run 2 replicas (one leads, one stands by)',
    );
    expect(() => edgeCluster({ acmeEmail: 'platform' })).toThrow(
      "prod/addon-edge/edge/issuers: acmeEmail is not an email address (got \"platform\"); give the team address Let's Encrypt sends expiry notices to, e.g. 'platform@example.com'",
    );
  });
});
