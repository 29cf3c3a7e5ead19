import { Chart } from 'cdk8s';
import { monitoring, objects } from './fixture';

const store = { url: 'https://metrics.example.com/api/v1/push', tenant: 'prod', bearerToken: { secret: 'remote-write', key: 'token' } };

describe('the view from outside the cluster', () => {
  const addon = monitoring({ remoteWrite: [store] });
  const config = addon.prometheus.config;
  const sts = objects(addon)['StatefulSet/prometheus'];

  test('writes every sample to the long-term store with its queue settings and a mounted token', () => {
    expect(config.remote_write).toEqual([{
      name: 'central', url: store.url,
      authorization: { credentials_file: '/etc/prometheus/secrets/remote-write/token' },
      headers: { 'X-Scope-OrgID': 'prod' },
      queue_config: { capacity: 10000, max_shards: 50, min_shards: 1, max_samples_per_send: 2000, batch_send_deadline: '5s', min_backoff: '30ms', max_backoff: '5s' },
    }]);
    const pod = sts.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'secret0', secret: { secretName: 'remote-write' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'secret0', mountPath: '/etc/prometheus/secrets/remote-write', readOnly: true });
    expect(JSON.stringify(Chart.of(addon).toJson())).not.toMatch(/"token":/);
  });

  test('labels each replica for deduplication in the store, and drops that label from alerts so Alertmanager sees one', () => {
    expect(config.global.external_labels).toEqual({ cluster: 'prod', environment: 'prod', prometheus_replica: '${POD_NAME}' });
    expect(sts.spec.template.spec.containers[0].env).toContainEqual({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    expect(config.alerting.alert_relabel_configs).toEqual([{ action: 'labeldrop', regex: 'prometheus_replica' }]);
  });

  test('runs two replicas under a disruption budget, so a rule change rolls one at a time with no gap', () => {
    expect(sts.spec.replicas).toBe(2);
    expect(objects(addon)['PodDisruptionBudget/prometheus'].spec).toMatchObject({ maxUnavailable: 1 });
  });

  test('writes no remote_write block when no store is given', () => {
    expect(monitoring().prometheus.config.remote_write).toBeUndefined();
  });

  test('refuses a store URL that is not https, shards out of order and a single replica', () => {
    expect(() => monitoring({ remoteWrite: [{ url: 'http://metrics.example.com/push' }] })).toThrow(
      'prod/addon-monitoring/monitoring/prometheus: remoteWrite.url is not an https URL (got "http://metrics.example.com/push"); give the store\'s remote-write endpoint as https://host/path',
    );
    expect(() => monitoring({ remoteWrite: [{ url: store.url, queue: { minShards: 10, maxShards: 5 } }] })).toThrow(
      'prod/addon-monitoring/monitoring/prometheus: remoteWrite.queue.minShards is more than maxShards (5) (got 10); set minShards to maxShards or fewer',
    );
    expect(() => monitoring({ sizing: { prometheus: { replicas: 1 } } })).toThrow(
      'prod/addon-monitoring/monitoring/prometheus: replicas must be a whole number >= 2 (got 1); set replicas to 2 or more',
    );
  });
});
