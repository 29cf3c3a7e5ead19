import { WebService, Worker } from '../../lib';
import { shareOut } from '../../lib/apps/deployment-set';
import { chartIn, objectsOf, only } from '../support/trees';

const image = 'registry.example.com/shop/api:1.4.2';

describe('availability', () => {
  test('two or more replicas get a PDB that lets one pod go at a time', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new WebService(chart, 'api', { image, replicas: 3 });
    // THEN
    const pdb = only(chart, 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } });
  });

  test('one replica gets no PDB, since it would block every node drain', () => {
    const chart = chartIn();
    new WebService(chart, 'admin', { image, replicas: 1 });
    expect(Object.keys(objectsOf(chart))).not.toContain('PodDisruptionBudget/admin');
  });

  test('a PDB asked for with fewer than 2 replicas is refused', () => {
    expect(() => new WebService(chartIn(), 'api', { image, replicas: 1, pdb: true })).toThrow(
      'prod/services/api: replicas must be >= 2 when a PodDisruptionBudget is enabled (got 1); raise replicas (or autoscaling.minReplicas) or set pdb: false',
    );
  });

  test('autoscaling leaves the count to an autoscaling/v2 HPA on the Deployment', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new WebService(chart, 'api', { image, autoscaling: { minReplicas: 3, maxReplicas: 10, memoryUtilization: 80 } });
    // THEN
    const deployment = only(chart, 'Deployment');
    const hpa = only(chart, 'HorizontalPodAutoscaler');
    expect(deployment.spec.replicas).toBeUndefined();
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
      ],
    });
    expect(Object.keys(objectsOf(chart))).toContain('PodDisruptionBudget/api');
  });

  test('an HPA minimum above its maximum is refused', () => {
    expect(() => new WebService(chartIn(), 'api', { image, autoscaling: { minReplicas: 5, maxReplicas: 3 } })).toThrow(
      'prod/services/api: autoscaling.minReplicas must be <= autoscaling.maxReplicas (3) (got 5); raise maxReplicas or lower minReplicas',
    );
  });

  test('a fixed replica count together with an HPA is refused', () => {
    expect(() => new WebService(chartIn(), 'api', { image, replicas: 4, autoscaling: { minReplicas: 2, maxReplicas: 6 } })).toThrow(
      'prod/services/api: replicas is set together with autoscaling (got 4); drop replicas: the HorizontalPodAutoscaler owns the count between minReplicas and maxReplicas',
    );
  });

  test('pods spread over zones and nodes, roll with surge and no unavailability, and shut down gracefully', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new WebService(chart, 'api', { image });
    // THEN
    const spec = only(chart, 'Deployment').spec;
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    expect(spec.template.spec.topologySpreadConstraints.map((c: any) => [c.topologyKey, c.whenUnsatisfiable, c.maxSkew])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway', 1],
      ['kubernetes.io/hostname', 'ScheduleAnyway', 1],
    ]);
    expect(spec.template.spec.terminationGracePeriodSeconds).toBe(30);
    expect(spec.template.spec.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
  });

  test('a grace period no longer than the preStop delay is refused', () => {
    expect(() => new WebService(chartIn(), 'api', { image, shutdown: { preStopDelay: '30s', gracePeriod: '30s' } })).toThrow(
      'prod/services/api: shutdown.gracePeriod must be longer than shutdown.preStopDelay (30s) (got "30s"); leave the process time to finish after the delay: raise gracePeriod or lower preStopDelay',
    );
  });

  test('a worker has no preStop delay by default, only the grace period', () => {
    const chart = chartIn();
    new Worker(chart, 'consumer', { image });
    const pod = only(chart, 'Deployment').spec.template.spec;
    expect(pod.containers[0].lifecycle).toBeUndefined();
    expect(pod.terminationGracePeriodSeconds).toBe(30);
  });
});

describe('memory stagger', () => {
  const staggered = { image, replicas: 5, resources: { requests: { memory: '256Mi' }, limits: { memory: '512Mi' } }, memoryStagger: { variants: 3, step: '64Mi' } };

  test('splits the service into Deployments with stepped memory limits behind one Service', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    const api = new WebService(chart, 'api', staggered);
    // THEN
    const deployments = chart.toJson().filter((o: any) => o.kind === 'Deployment');
    expect(deployments.map((d: any) => d.metadata.name)).toEqual(['api-m0', 'api-m1', 'api-m2']);
    expect(deployments.map((d: any) => d.spec.replicas)).toEqual([2, 2, 1]);
    expect(deployments.map((d: any) => d.spec.template.spec.containers[0].resources.limits.memory)).toEqual(['512Mi', '448Mi', '384Mi']);
    expect(api.memoryLimits).toEqual(['512Mi', '448Mi', '384Mi']);
    expect(deployments.map((d: any) => d.spec.selector.matchLabels['platform.example.com/variant'])).toEqual(['m0', 'm1', 'm2']);
    expect(only(chart, 'Service').spec.selector).toEqual({ 'app.kubernetes.io/name': 'api' });
    expect(only(chart, 'PodDisruptionBudget').spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api' });
  });

  test('with autoscaling, each variant gets its own HPA with the range shared out', () => {
    const chart = chartIn();
    const { replicas: _replicas, ...rest } = staggered;
    new WebService(chart, 'api', { ...rest, autoscaling: { minReplicas: 3, maxReplicas: 10 } });
    const hpas = chart.toJson().filter((o: any) => o.kind === 'HorizontalPodAutoscaler');
    expect(hpas.map((h: any) => [h.spec.scaleTargetRef.name, h.spec.minReplicas, h.spec.maxReplicas])).toEqual([
      ['api-m0', 1, 4], ['api-m1', 1, 3], ['api-m2', 1, 3],
    ]);
  });

  test('a step that brings a limit down to the request is refused', () => {
    expect(() => new WebService(chartIn(), 'api', { ...staggered, memoryStagger: { variants: 3, step: '128Mi' } })).toThrow(
      'prod/services/api: memoryStagger.step makes the lowest memory limit 256Mi not exceed the memory request (256Mi) (limit 512Mi, 3 variants) (got "128Mi"); use a smaller positive step, fewer variants, or a higher resources.limits.memory',
    );
  });

  test('more variants than replicas is refused', () => {
    expect(() => new WebService(chartIn(), 'api', { ...staggered, replicas: 2 })).toThrow(
      'prod/services/api: memoryStagger.variants must not exceed the replicas (2) (got 3); use fewer variants or run more replicas: every variant needs at least one pod',
    );
  });

  test('replicas are shared out as evenly as possible', () => {
    expect(shareOut(7, 3)).toEqual([3, 2, 2]);
    expect(shareOut(3, 3)).toEqual([1, 1, 1]);
  });
});
