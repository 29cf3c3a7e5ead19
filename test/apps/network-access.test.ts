import { App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Environment, ExternalService, ServiceReference, WebService, Worker, buildServiceRepoApp, renderApp } from '../../lib';
import { chartIn, objectsOf } from '../support/trees';

const image = 'registry.example.com/shop/api:1.4.2';

describe('allowFrom and allowTo', () => {
  test('api.allowFrom(web) lets web in to the api ports and web out to them', () => {
    // GIVEN
    const chart = chartIn();
    const api = new WebService(chart, 'api', { image });
    const web = new WebService(chart, 'web', { image, ports: [{ name: 'http', port: 3000 }] });
    // WHEN
    api.allowFrom(web);
    // THEN
    const objects = objectsOf(chart);
    expect(objects['NetworkPolicy/api-from-web'].spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
    expect(objects['NetworkPolicy/web-to-api'].spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
  });

  test('a service in another namespace is selected by its namespace too', () => {
    const chart = chartIn();
    const api = new WebService(chart, 'api', { image });
    api.allowFrom(ServiceReference.of('blog', 'blog'));
    expect(objectsOf(chart)['NetworkPolicy/api-from-blog'].spec.ingress[0].from).toEqual([{
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'blog' } },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'blog' } },
    }]);
  });

  test('allowTo an ExternalService opens egress to exactly its addresses and ports', () => {
    const chart = chartIn();
    const db = new ExternalService(chart, 'orders-db', { addresses: ['10.1.2.3'], ports: [{ name: 'postgres', port: 5432 }] });
    new Worker(chart, 'consumer', { image }).allowTo(db);
    expect(objectsOf(chart)['NetworkPolicy/consumer-to-orders-db'].spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.1.2.3/32' } }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
  });

  test('allowTo an ExternalService known only by DNS name is refused', () => {
    const chart = chartIn();
    const db = new ExternalService(chart, 'db', { dnsName: 'db.internal.example.com', ports: [{ name: 'postgres', port: 5432 }] });
    expect(() => new Worker(chart, 'consumer', { image }).allowTo(db)).toThrow(
      `prod/services/consumer: allowTo names an external service known only by DNS name, which a NetworkPolicy cannot select (got "shop/db"); state the blocks its name resolves into in the ExternalService's addressRanges (inside the team's externalAddresses)`,
    );
  });

  test('allowTo an ExternalService known by DNS name opens egress to the blocks its name resolves into', () => {
    // GIVEN a managed database known by name, its subnets stated once
    const chart = chartIn();
    const db = new ExternalService(chart, 'db', { dnsName: 'db.internal.example.com', addressRanges: ['10.1.20.0/24', '10.1.21.0/24'], ports: [{ name: 'postgres', port: 5432 }] });
    // WHEN two services reach it
    new Worker(chart, 'consumer', { image }).allowTo(db);
    new Worker(chart, 'exporter', { image }).allowTo(db);
    // THEN each may reach those blocks on its port, and the Service stays a DNS alias
    const objects = objectsOf(chart);
    for (const name of ['consumer', 'exporter']) {
      expect(objects[`NetworkPolicy/${name}-to-db`].spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.1.20.0/24' } }, { ipBlock: { cidr: '10.1.21.0/24' } }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
    }
    expect(objects['Service/db'].spec).toEqual({ type: 'ExternalName', externalName: 'db.internal.example.com', ports: [{ name: 'postgres', port: 5432, protocol: 'TCP' }] });
  });

  test('an environment may state its own blocks, alone or with its own name', () => {
    const make = (env: string) => {
      const chart = chartIn(env);
      const db = new ExternalService(chart, 'db', {
        dnsName: 'db.internal.example.com', addressRanges: ['10.10.20.0/24'], ports: [{ name: 'postgres', port: 5432 }],
        overrides: { stage: { addressRanges: ['10.20.20.0/24'] }, e2e: { dnsName: 'db.e2e.example.com' } },
      });
      return db.addressRanges;
    };
    expect([make('prod'), make('stage'), make('e2e')]).toEqual([['10.10.20.0/24'], ['10.20.20.0/24'], []]);
  });

  test('address ranges that are not blocks, or given with addresses, are refused with the field', () => {
    const chart = chartIn();
    expect(() => new ExternalService(chart, 'db', { dnsName: 'db.internal.example.com', addressRanges: ['10.1.20.7/24'], ports: [{ name: 'postgres', port: 5432 }] })).toThrow(
      "prod/services/db: addressRanges[0]: Cidr: cidr has host bits set (got \"10.1.20.7/24\"); use the network address: '10.1.20.0/24'",
    );
    expect(() => new ExternalService(chart, 'db2', { addresses: ['10.1.2.3'], addressRanges: ['10.1.2.0/24'], ports: [{ name: 'postgres', port: 5432 }] })).toThrow(
      'prod/services/db2: addressRanges is for a service known by DNS name; one given by addresses is reached at exactly those (got ["10.1.2.0/24"]); drop addressRanges, or give dnsName instead of addresses',
    );
  });

  test('allowFrom on a service without ports is refused', () => {
    const chart = chartIn();
    expect(() => new Worker(chart, 'consumer', { image }).allowFrom(ServiceReference.of('shop', 'web'))).toThrow(
      'prod/services/consumer: allowFrom needs the service to declare ports; declare the ports traffic may reach',
    );
  });

  test('inside a cluster, naming a service that does not exist is refused at synth; a service repo cannot tell and allows it', () => {
    // GIVEN an api that admits a service nobody defines
    const define = (scope: Construct) => { new WebService(scope, 'api', { image }).allowFrom(ServiceReference.of('shop', 'ghost')); };
    // WHEN synthesized for a service repo, and under a cluster's Environment
    const repo = renderApp(buildServiceRepoApp({ environments: ['prod'], services: [{ name: 'api', namespace: 'shop', define }] }));
    const app = new App();
    const env = new Environment(app, 'cluster-a', { name: 'prod', environments: ['prod'], cluster: 'cluster-a' });
    new k8s.KubeNamespace(new Chart(env, 'team-shop'), 'ns', { metadata: { name: 'shop' } });
    define(new Chart(env, 'services', { namespace: 'shop' }));
    // THEN
    expect(repo.problems).toEqual([]);
    expect(renderApp(app).problems).toEqual([
      'cluster-a/services/api: allowFrom/allowTo names a service that does not exist in this cluster (got "shop/ghost"); fix the namespace or name, or add the service to the cluster definition',
    ]);
  });
});
