import { ExternalService, Probe, WebService, Worker, buildServiceRepoApp, renderApp } from '../../lib';
import { chartIn, only } from '../support/trees';

const image = 'registry.example.com/shop/api:1.4.2';

describe('scrape declaration', () => {
  test('puts the scrape label and the port, path and interval on the Service', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    const api = new WebService(chart, 'api', {
      image, ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }], metrics: { port: 'metrics', interval: '30s' },
    });
    // THEN
    const service = only(chart, 'Service');
    expect(service.metadata.labels['platform.example.com/scrape']).toBe('true');
    expect(service.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090', 'prometheus.io/path': '/metrics', 'platform.example.com/scrape-interval': '30s',
    });
    expect(api.scrape?.port).toBe(9090);
  });

  test('admits Prometheus to the metrics port only, through its own NetworkPolicy', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new WebService(chart, 'api', { image, ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }], metrics: { port: 'metrics' } });
    // THEN
    const policy = chart.toJson().find((o: any) => o.kind === 'NetworkPolicy');
    expect(policy.metadata.name).toBe('api-allow-scrape');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 9090, protocol: 'TCP' }] }],
    });
  });

  test('a worker gets a headless metrics Service', () => {
    const chart = chartIn();
    new Worker(chart, 'consumer', { image, ports: [{ name: 'metrics', port: 9100 }], metrics: { port: 'metrics' } });
    const service = only(chart, 'Service');
    expect(only(chart, 'NetworkPolicy').metadata.name).toBe('consumer-allow-scrape');
    expect(service.metadata.name).toBe('consumer-metrics');
    expect(service.spec.clusterIP).toBe('None');
    expect(service.metadata.labels['platform.example.com/scrape']).toBe('true');
  });

  test('a metrics port that the container does not declare is refused', () => {
    expect(() => new WebService(chartIn(), 'api', { image, metrics: { port: 'metrics' } })).toThrow(
      'prod/services/api: metrics.port names no port of the container [http] (got "metrics"); declare the metrics port in ports and name it here',
    );
  });
});

describe('ExternalService', () => {
  test('a DNS name becomes an ExternalName Service', () => {
    const chart = chartIn();
    new ExternalService(chart, 'orders-db', { dnsName: 'orders-db.internal.example.com', ports: [{ name: 'postgres', port: 5432 }] });
    expect(only(chart, 'Service').spec).toEqual({ type: 'ExternalName', externalName: 'orders-db.internal.example.com', ports: [{ name: 'postgres', port: 5432, protocol: 'TCP' }] });
  });

  test('IP addresses become a selector-less Service and an EndpointSlice', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    const redis = new ExternalService(chart, 'redis', { addresses: ['10.50.1.10', '10.50.1.11'], ports: [{ name: 'redis', port: 6379 }] });
    // THEN
    const service = only(chart, 'Service');
    const slice = only(chart, 'EndpointSlice');
    expect(service.spec.selector).toBeUndefined();
    expect(slice.metadata.labels['kubernetes.io/service-name']).toBe('redis');
    expect(slice.addressType).toBe('IPv4');
    expect(slice.endpoints).toEqual([{ addresses: ['10.50.1.10', '10.50.1.11'], conditions: { ready: true } }]);
    expect(redis.addresses).toEqual(['10.50.1.10', '10.50.1.11']);
  });

  test('an address that is not an IP is refused', () => {
    expect(() => new ExternalService(chartIn(), 'redis', { addresses: ['redis.internal'], ports: [{ name: 'redis', port: 6379 }] })).toThrow(
      'prod/services/redis: addresses is not an IPv4 address (an EndpointSlice of type IPv4 holds only IPs) (got "redis.internal"); write the dotted-quad address, or use dnsName for a host name',
    );
  });

  test('both or neither of dnsName and addresses is refused', () => {
    expect(() => new ExternalService(chartIn(), 'x', {})).toThrow(
      'prod/services/x: dnsName and addresses are both set or both missing; give exactly one: dnsName for a DNS alias, addresses for IPs',
    );
  });

  test("each environment reaches its own instance: an override's addresses, or DNS name, replace the base's", () => {
    // GIVEN one definition rendered for three environments
    const define = (chart: ReturnType<typeof chartIn>) => new ExternalService(chart, 'orders-db', {
      addresses: ['10.10.200.10'],
      ports: [{ name: 'postgres', port: 5432 }],
      overrides: { stage: { addresses: ['10.20.200.10'] }, e2e: { dnsName: 'orders-db.e2e.example.com' } },
    });
    const rendered = (env: string) => { const c = chartIn(env); define(c); return c; };
    // THEN
    expect(only(rendered('prod'), 'EndpointSlice').endpoints[0].addresses).toEqual(['10.10.200.10']);
    expect(only(rendered('stage'), 'EndpointSlice').endpoints[0].addresses).toEqual(['10.20.200.10']);
    const e2e = rendered('e2e');
    expect(only(e2e, 'Service').spec).toMatchObject({ type: 'ExternalName', externalName: 'orders-db.e2e.example.com' });
    expect(e2e.toJson().filter((o: any) => o.kind === 'EndpointSlice')).toEqual([]);
  });

  test('an override naming an unknown environment, or a bad override value, is refused with its field', () => {
    expect(() => new ExternalService(chartIn(), 'db', { addresses: ['10.10.200.10'], ports: [{ name: 'pg', port: 5432 }], overrides: { staging: { addresses: ['10.20.200.10'] } } })).toThrow(
      'prod/services/db: overrides names an environment the definition does not have [prod, stage, e2e] (got "staging"); fix the environment name or add the environment to the definition',
    );
    expect(() => new ExternalService(chartIn('stage'), 'db', { addresses: ['10.10.200.10'], ports: [{ name: 'pg', port: 5432 }], overrides: { stage: { addresses: ['db.stage'] } } })).toThrow(
      'stage/services/db: overrides.stage.addresses is not an IPv4 address (an EndpointSlice of type IPv4 holds only IPs) (got "db.stage"); write the dotted-quad address, or use dnsName for a host name',
    );
    expect(() => new ExternalService(chartIn('stage'), 'db', { addresses: ['10.10.200.10'], ports: [{ name: 'pg', port: 5432 }], overrides: { stage: { addresses: ['10.20.200.10'], dnsName: 'db.stage.example.com' } } })).toThrow(
      'stage/services/db: overrides.stage.dnsName and addresses are both set or both missing; give exactly one: dnsName for a DNS alias, addresses for IPs',
    );
  });
});

describe('one host and path per cluster', () => {
  test('two routes for the same host and path are refused, naming both', () => {
    // GIVEN two groups exposing the same host
    const app = buildServiceRepoApp({
      environments: ['prod'],
      services: [
        { name: 'a', namespace: 'shop', define: (s) => { new WebService(s, 'web', { image, ingress: { host: 'shop.example.com' } }); } },
        { name: 'b', namespace: 'blog', define: (s) => { new WebService(s, 'blog', { image, ingress: { host: 'shop.example.com' } }); } },
      ],
    });
    // WHEN
    const result = renderApp(app);
    // THEN
    expect(result.problems).toEqual([
      'prod/b/blog/route: route host+path shop.example.com/ is also routed by prod/a/web/route; give one of them another host or path',
    ]);
  });

  test('the same host with different paths is fine', () => {
    const app = buildServiceRepoApp({
      environments: ['prod'],
      services: [{
        name: 'a', namespace: 'shop', define: (s) => {
          new WebService(s, 'web', { image, ingress: { host: 'shop.example.com' } });
          new WebService(s, 'api', { image, ingress: { host: 'shop.example.com', path: '/api' }, readiness: Probe.tcp() });
        },
      }],
    });
    expect(renderApp(app).problems).toEqual([]);
  });
});
