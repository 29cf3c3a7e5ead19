import { Probe, Worker } from '../../lib';
import { chartIn, objectsOf, only } from '../support/trees';

const image = 'registry.example.com/shop/orders:2.3.1';

describe('Worker', () => {
  test('makes a Deployment and no Service, with no guessed probes', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new Worker(chart, 'consumer', { image, args: ['consume'] });
    // THEN
    expect(Object.keys(objectsOf(chart))).toEqual(['Deployment/consumer', 'PodDisruptionBudget/consumer']);
    const container = only(chart, 'Deployment').spec.template.spec.containers[0];
    expect(container.args).toEqual(['consume']);
    expect(container.readinessProbe).toBeUndefined();
    expect(container.livenessProbe).toBeUndefined();
    expect(only(chart, 'Deployment').metadata.labels['app.kubernetes.io/component']).toBe('worker');
  });

  test('takes an exec liveness check and per-environment replicas', () => {
    const chart = chartIn('stage');
    new Worker(chart, 'consumer', { image, liveness: Probe.exec(['/app/check']), overrides: { stage: { replicas: 1 } } });
    const deployment = only(chart, 'Deployment');
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.template.spec.containers[0].livenessProbe.exec.command).toEqual(['/app/check']);
  });

  test('a negative replica count is refused', () => {
    expect(() => new Worker(chartIn(), 'consumer', { image, replicas: -1 })).toThrow(
      'prod/services/consumer: replicas must be a whole number >= 0 (got -1); set the number of pods to run',
    );
  });
});
