import { GatewayRoute, hostObjectName } from '../../lib/apps/gateway-route';
import { WebService } from '../../lib';
import { certManagerSchemaErrors } from '../addons/edge/cert-manager-schema';
import { gatewaySchemaErrors, isGatewayObject } from '../addons/edge/gateway-schema';
import { chartIn, only } from '../support/trees';

const image = 'registry.example.com/shop/web:1.0.0';

describe('GatewayRoute', () => {
  test('retries and a timeout become a BackendTrafficPolicy on the route', () => {
    // GIVEN / WHEN
    const chart = chartIn();
    new WebService(chart, 'web', { image, ingress: { host: 'shop.example.com', timeout: '30s', retries: { attempts: 2, perTryTimeout: '5s', on: ['5xx', 'connect-failure'] } } });
    // THEN
    expect(only(chart, 'BackendTrafficPolicy').spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'web' }],
      timeout: { http: { requestTimeout: '30s' } },
      retry: { numRetries: 2, perRetry: { timeout: '5s' }, retryOn: { triggers: ['5xx', 'connect-failure'] } },
    });
  });

  test('without retries or a timeout there is no traffic policy', () => {
    const chart = chartIn();
    new WebService(chart, 'web', { image, ingress: { host: 'shop.example.com' } });
    expect(chart.toJson().filter((o: any) => o.kind === 'BackendTrafficPolicy')).toEqual([]);
  });

  test('two routes on one host in a chart share one ListenerSet and one Certificate', () => {
    // GIVEN two services on one host, different paths
    const chart = chartIn();
    new WebService(chart, 'web', { image, ingress: { host: 'shop.example.com' } });
    new WebService(chart, 'api', { image, ingress: { host: 'shop.example.com', path: '/api' } });
    // THEN
    const kinds = chart.toJson().map((o: any) => o.kind);
    expect(kinds.filter((k: string) => k === 'HTTPRoute')).toHaveLength(2);
    expect(kinds.filter((k: string) => k === 'ListenerSet')).toHaveLength(1);
    expect(kinds.filter((k: string) => k === 'Certificate')).toHaveLength(1);
  });

  test('every object validates against its CRD, unknown fields as errors', () => {
    const chart = chartIn();
    new WebService(chart, 'web', { image, ingress: { host: 'shop.example.com', timeout: '10s', retries: { attempts: 3 } } });
    const objects = chart.toJson() as any[];
    const gateway = objects.filter(isGatewayObject);
    expect(gateway.map((o) => o.kind).sort()).toEqual(['BackendTrafficPolicy', 'HTTPRoute', 'ListenerSet']);
    expect(gateway.flatMap(gatewaySchemaErrors)).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Certificate').flatMap(certManagerSchemaErrors)).toEqual([]);
  });

  test('another addon builds a route to a Service port on the Gateway with the helper alone', () => {
    // GIVEN an addon's chart (Kibana, Dex) in its own namespace
    const chart = chartIn('prod', 'logging');
    // WHEN
    const route = new GatewayRoute(chart, 'kibana-route', { name: 'kibana', namespace: 'logging', host: 'kibana.example.com', serviceName: 'kibana-kb-http', port: 5601 });
    // THEN
    expect(route.listenerSetName).toBe('kibana-example-com');
    expect(only(chart, 'HTTPRoute').spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'kibana-kb-http', port: 5601 }]);
    expect(only(chart, 'HTTPRoute').metadata.namespace).toBe('logging');
  });

  test('host object names are the host with dashes, at most 57 characters (room for -tls)', () => {
    expect(hostObjectName('shop.example.com')).toBe('shop-example-com');
    const long = `${'a'.repeat(60)}.example.com`;
    expect(hostObjectName(long)).toHaveLength(57);
  });

  test('a bad path, timeout or retry count is refused with the field named', () => {
    expect(() => new WebService(chartIn(), 'web', { image, ingress: { host: 'shop.example.com', path: 'api' } })).toThrow(
      "prod/services/web/route: ingress.path must start with '/' (got \"api\"); write an absolute path prefix such as '/api'",
    );
    expect(() => new WebService(chartIn(), 'web', { image, ingress: { host: 'shop.example.com', retries: { attempts: 0 } } })).toThrow(
      'prod/services/web/route: ingress.retries.attempts must be a whole number from 1 to 10 (got 0); retry a few times (2 or 3), or drop retries',
    );
    expect(() => new WebService(chartIn(), 'web', { image, ingress: { host: 'shop.example.com', timeout: 'soon' } })).toThrow('prod/services/web/route: ingress.timeout');
  });
});
