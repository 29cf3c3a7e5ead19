import { WebService, Worker } from '../../lib';
import { chartIn, objectsOf, only } from '../support/trees';

const image = 'registry.example.com/shop/api:1.4.2';
const data = { LOG_LEVEL: 'info', QUEUE_URL: 'amqp://queue:5672' };

function configMapName(config: Record<string, string>): string {
  const chart = chartIn();
  new WebService(chart, 'api', { image, config: { data: config } });
  return only(chart, 'ConfigMap').metadata.name;
}

describe('config', () => {
  test('becomes an immutable ConfigMap named after its content, read as env', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new WebService(chart, 'api', { image, config: { data } });
    // THEN
    const configMap = only(chart, 'ConfigMap');
    expect(configMap.metadata.name).toMatch(/^api-config-[0-9a-f]{10}$/);
    expect(configMap.immutable).toBe(true);
    expect(configMap.data).toEqual(data);
    expect(only(chart, 'Deployment').spec.template.spec.containers[0].envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
  });

  test('a change of content changes the name, so the pods roll; the same content keeps it', () => {
    expect(configMapName(data)).toBe(configMapName({ QUEUE_URL: 'amqp://queue:5672', LOG_LEVEL: 'info' }));
    expect(configMapName(data)).not.toBe(configMapName({ ...data, LOG_LEVEL: 'debug' }));
  });

  test('can be mounted as files', () => {
    const chart = chartIn();
    new Worker(chart, 'worker', { image, config: { data: { 'app.yaml': 'a: 1' }, mountPath: '/etc/app' } });
    const pod = only(chart, 'Deployment').spec.template.spec;
    const name = only(chart, 'ConfigMap').metadata.name;
    expect(pod.volumes).toContainEqual({ name: 'config', configMap: { name } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/app', readOnly: true });
    expect(pod.containers[0].envFrom).toBeUndefined();
  });

  test("as 'env' it is written into the pod spec and no ConfigMap is made", () => {
    const chart = chartIn();
    new WebService(chart, 'api', { image, config: { data, as: 'env' } });
    expect(Object.keys(objectsOf(chart)).some((k) => k.startsWith('ConfigMap/'))).toBe(false);
    expect(only(chart, 'Deployment').spec.template.spec.containers[0].env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' }, { name: 'QUEUE_URL', value: 'amqp://queue:5672' },
    ]);
  });

  test('a credential-like key in config is refused', () => {
    expect(() => new WebService(chartIn(), 'api', { image, config: { data: { API_TOKEN: 'abc' } } })).toThrow(
      'prod/services/api: config.data.API_TOKEN looks like a credential and is given as a literal value; store it in a Secret and reference it through secretEnv or secretVolumes',
    );
  });

  test('a key read as env must be a valid variable name', () => {
    expect(() => new WebService(chartIn(), 'api', { image, config: { data: { 'log.level': 'info' } } })).toThrow(
      'prod/services/api: config.data is not a valid environment variable name (got "log.level"); use letters, digits and _, not starting with a digit',
    );
  });

  test("mountPath without as: 'configMap' is refused", () => {
    expect(() => new WebService(chartIn(), 'api', { image, config: { data, as: 'env', mountPath: '/etc/app' } })).toThrow(
      `prod/services/api: config.mountPath needs as: 'configMap' (got "/etc/app"); set as: 'configMap' or drop mountPath`,
    );
  });
});
