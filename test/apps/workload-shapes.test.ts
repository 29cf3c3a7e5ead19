import { parse } from 'yaml';
import type { Construct } from 'constructs';
import { MigrationJob, StatefulService, WebService, Worker, Workload } from '../../lib';
import { chartIn, only } from '../support/trees';

const image = 'registry.example.com/shop/api:1.4.2';

describe('Envoy sidecar behind a headless Service', () => {
  const envoy = {
    upstreams: [{ name: 'orders-api', host: 'orders-api.shop.svc.cluster.local', port: 8080, localPort: 9001 }],
    timeout: '5s',
    retries: { attempts: 3, perTryTimeout: '1500ms' },
  };

  test('the Service is headless and Envoy runs beside the app with its generated config', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new WebService(chart, 'web', { image, headless: true, envoy });
    // THEN
    expect(only(chart, 'Service').spec.clusterIP).toBe('None');
    const pod = only(chart, 'Deployment').spec.template.spec;
    const proxy = pod.containers.find((c: any) => c.name === 'envoy');
    expect(proxy.image).toBe('envoyproxy/envoy:v1.32.3');
    expect(proxy.args).toEqual(['-c', '/etc/envoy/envoy.yaml', '--log-level', 'warn']);
    expect(proxy.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'envoy-ready' });
    expect(proxy.securityContext.readOnlyRootFilesystem).toBe(true);
    const configMap = only(chart, 'ConfigMap');
    expect(configMap.metadata.name).toMatch(/^web-envoy-[0-9a-f]{10}$/);
    expect(pod.volumes).toContainEqual({ name: 'envoy-config', configMap: { name: configMap.metadata.name } });
  });

  test('the config routes each upstream through a localhost listener with the typed retries and timeout', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new WebService(chart, 'web', { image, envoy });
    // THEN
    const config = parse(only(chart, 'ConfigMap').data['envoy.yaml']);
    expect(config.admin.address.socket_address).toEqual({ address: '127.0.0.1', port_value: 9901 });
    const [listener, ready] = config.static_resources.listeners;
    expect(listener.address.socket_address).toEqual({ address: '127.0.0.1', port_value: 9001 });
    const hcm = listener.filter_chains[0].filters[0].typed_config;
    expect(hcm['@type']).toBe('type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager');
    expect(hcm.route_config.virtual_hosts[0].routes[0].route).toEqual({
      cluster: 'orders-api', timeout: '5s', retry_policy: { retry_on: '5xx,reset,connect-failure,refused-stream', num_retries: 3, per_try_timeout: '1.5s' },
    });
    expect(ready.address.socket_address).toEqual({ address: '0.0.0.0', port_value: 9902 });
    const cluster = config.static_resources.clusters[0];
    expect(cluster).toMatchObject({ name: 'orders-api', type: 'STRICT_DNS', dns_refresh_rate: '5s' });
    expect(cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({ address: 'orders-api.shop.svc.cluster.local', port_value: 8080 });
  });

  test("an upstream on Envoy's own port is refused", () => {
    expect(() => new WebService(chartIn(), 'web', { image, envoy: { upstreams: [{ name: 'x', host: 'x.shop.svc', port: 80, localPort: 9901 }] } })).toThrow(
      "prod/services/web: envoy.upstreams.x.localPort must be a free port from 1 to 65535 (9901 and 9902 are Envoy's own) (got 9901); give every upstream its own local port",
    );
  });
});

describe('MigrationJob', () => {
  function jobName(version: string, config = 'a'): string {
    const chart = chartIn();
    const api = new WebService(chart, 'api', { image: `registry.example.com/shop/api:${version}` });
    new MigrationJob(chart, 'api-migrate', { image: `registry.example.com/shop/api:${version}`, args: ['migrate'], config: { data: { SCHEMA: config } }, before: api });
    return only(chart, 'Job').metadata.name;
  }

  test('runs once per release: the name changes with image or config, and only then', () => {
    expect(jobName('1.0.0')).toMatch(/^api-migrate-[0-9a-f]{10}$/);
    expect(jobName('1.0.0')).toBe(jobName('1.0.0'));
    expect(jobName('1.0.1')).not.toBe(jobName('1.0.0'));
    expect(jobName('1.0.0', 'b')).not.toBe(jobName('1.0.0'));
  });

  test('declares that it completes before the Deployment rolls, and does not retry a half-run migration', () => {
    const chart = chartIn();
    const api = new WebService(chart, 'api', { image });
    new MigrationJob(chart, 'api-migrate', { image, args: ['migrate'], before: api });
    const job = only(chart, 'Job');
    expect(job.metadata.annotations).toEqual({ 'platform.example.com/run-before': 'Deployment/shop/api' });
    expect(job.spec.backoffLimit).toBe(0);
    expect(job.spec.activeDeadlineSeconds).toBe(900);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  test('before a memory-staggered service, it names every Deployment of the service, as they are written', () => {
    // GIVEN a service split into three memory variants
    const chart = chartIn();
    const web = new WebService(chart, 'web', { image, replicas: 3, resources: { requests: { memory: '256Mi' }, limits: { memory: '512Mi' } }, memoryStagger: { variants: 3, step: '64Mi' } });
    // WHEN
    new MigrationJob(chart, 'web-migrate', { image, args: ['migrate'], before: web });
    // THEN the annotation names exactly the Deployments the chart holds
    const deployments = chart.toJson().filter((o: any) => o.kind === 'Deployment').map((o: any) => `Deployment/shop/${o.metadata.name}`);
    expect(deployments).toEqual(['Deployment/shop/web-m0', 'Deployment/shop/web-m1', 'Deployment/shop/web-m2']);
    expect(only(chart, 'Job').metadata.annotations['platform.example.com/run-before']).toBe(deployments.join(','));
  });

  test('before a StatefulService, it names the StatefulSet; before a Worker, its Deployment', () => {
    const chart = chartIn();
    const search = new StatefulService(chart, 'search', { image, ports: [{ name: 'http', port: 9200 }], volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] });
    const worker = new Worker(chart, 'consumer', { image });
    new MigrationJob(chart, 'search-migrate', { image, before: search });
    new MigrationJob(chart, 'consumer-migrate', { image, before: worker });
    const runBefore = chart.toJson().filter((o: any) => o.kind === 'Job').map((o: any) => o.metadata.annotations['platform.example.com/run-before']);
    expect(runBefore).toEqual(['StatefulSet/shop/search', 'Deployment/shop/consumer']);
  });

  test('before a workload that runs no pods, it is refused', () => {
    class Bare extends Workload {
      public constructor(scope: Construct, id: string) { super(scope, id, undefined); }
    }
    const chart = chartIn();
    expect(() => new MigrationJob(chart, 'm', { image, before: new Bare(chart, 'bare') })).toThrow(
      'prod/services/m: before names a workload that runs no pods yet (got "shop/bare"); pass a WebService, Worker, StatefulService or CronTask once it is constructed',
    );
  });
});

describe('StatefulService', () => {
  test('a StatefulSet with a volume per pod behind a headless Service', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new StatefulService(chart, 'search', {
      image: 'registry.example.com/shop/search:8.15.0',
      replicas: 3,
      ports: [{ name: 'http', port: 9200 }],
      volumes: [{ name: 'data', mountPath: '/var/lib/search', size: '50Gi', storageClass: 'gp3' }],
    });
    // THEN
    const set = only(chart, 'StatefulSet');
    expect(set.spec.serviceName).toBe('search');
    expect(set.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '50Gi' } } },
    }]);
    expect(set.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/search' });
    expect(only(chart, 'Service').spec.clusterIP).toBe('None');
    expect(only(chart, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  test('a stateful service without volumes is refused', () => {
    expect(() => new StatefulService(chartIn(), 'search', { image, ports: [{ name: 'http', port: 9200 }], volumes: [] })).toThrow(
      'prod/services/search: volumes must list at least one volume (got []); declare its storage, or use a WebService or Worker',
    );
  });
});
