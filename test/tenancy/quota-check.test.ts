import fc from 'fast-check';
import { Quantity } from '../../lib';
import { checkQuotas, formatAmount } from '../../lib/tenancy';

const quota = (hard: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'quota', namespace: 'shop' }, spec: { hard, ...extra } });

const container = (name: string, resources?: Record<string, unknown>) => ({ name, image: 'r.example.com/x:1', ...(resources === undefined ? {} : { resources }) });
const cpu = (request: string, limit = request) => ({ requests: { cpu: request }, limits: { cpu: limit } });

function deployment(name: string, replicas: number, containers: unknown[], strategy?: unknown, initContainers?: unknown[]) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop' },
    spec: { replicas, ...(strategy === undefined ? {} : { strategy }), template: { spec: { containers, ...(initContainers === undefined ? {} : { initContainers }) } } },
  };
}

describe('checkQuotas', () => {
  test('a quota that covers max replicas plus surge gives no problem', () => {
    expect(checkQuotas([quota({ 'requests.cpu': '2' }), deployment('api', 3, [container('api', cpu('500m'))])])).toEqual([]);
  });

  test('the surge of a Deployment is 25% of its replicas rounded up, as Kubernetes defaults it', () => {
    // GIVEN 10 replicas: a surge of 3 pods
    const objects = [quota({ 'requests.cpu': '1' }), deployment('api', 10, [container('api', cpu('100m'))])];
    // WHEN / THEN
    expect(checkQuotas(objects)).toEqual([
      'ResourceQuota shop/quota: requests.cpu quota 1 is below what the workloads need at max replicas + surge: 1.3 (api (10+3)×100m); raise quota.requests.cpu to at least 1.3, or lower replicas or resources',
    ]);
  });

  test('an explicit maxSurge and a Recreate strategy are read', () => {
    const objects = [
      quota({ 'requests.cpu': '1' }),
      deployment('a', 2, [container('a', cpu('100m'))], { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 } }),
      deployment('b', 4, [container('b', cpu('100m'))], { type: 'Recreate' }),
    ];
    expect(checkQuotas(objects)).toEqual([]); // (2+2) + 4 = 8 pods × 100m = 800m
  });

  test("an HPA's maxReplicas counts instead of the Deployment's replicas", () => {
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'shop' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 8 } };
    expect(checkQuotas([quota({ pods: 5 }), deployment('api', 2, [container('api')]), hpa])).toEqual([
      'ResourceQuota shop/quota: pods quota 5 is below what the workloads run at max replicas + surge: 10 (api (8+2)); raise quota.pods to at least 10, or lower replicas or surge',
    ]);
  });

  test('containers that set nothing get the LimitRange defaults; a missing request is the limit', () => {
    // GIVEN
    const limitRange = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits', namespace: 'shop' }, spec: { limits: [{ type: 'Container', default: { memory: '256Mi' }, defaultRequest: { memory: '128Mi' } }] } };
    const pod = deployment('api', 1, [container('main'), container('proxy', { limits: { memory: '64Mi' } })], { type: 'Recreate' });
    // WHEN
    const problems = checkQuotas([quota({ 'requests.memory': '128Mi', 'limits.memory': '256Mi' }), limitRange, pod]);
    // THEN 128Mi + 64Mi requested, 256Mi + 64Mi limited
    expect(problems).toEqual([
      'ResourceQuota shop/quota: requests.memory quota 128Mi is below what the workloads need at max replicas + surge: 192Mi (api 1×192Mi); raise quota.requests.memory to at least 192Mi, or lower replicas or resources',
      'ResourceQuota shop/quota: limits.memory quota 256Mi is below what the workloads need at max replicas + surge: 320Mi (api 1×320Mi); raise quota.limits.memory to at least 320Mi, or lower replicas or resources',
    ]);
  });

  test('an init container larger than the containers sets what the pod needs', () => {
    const pod = deployment('api', 1, [container('api', cpu('100m'))], { type: 'Recreate' }, [container('migrate', cpu('2'))]);
    expect(checkQuotas([quota({ cpu: '1' }), pod])).toEqual([
      'ResourceQuota shop/quota: requests.cpu quota 1 is below what the workloads need at max replicas + surge: 2 (api 1×2); raise quota.requests.cpu to at least 2, or lower replicas or resources',
    ]);
  });

  test('workloads of other namespaces, DaemonSets and scoped quotas are not counted', () => {
    const elsewhere = { ...deployment('api', 50, [container('api', cpu('1'))]), metadata: { name: 'api', namespace: 'other' } };
    const daemonSet = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'shop' }, spec: { template: { spec: { containers: [container('a', cpu('4'))] } } } };
    const scoped = quota({ 'requests.cpu': '0' }, { scopes: ['BestEffort'] });
    expect(checkQuotas([quota({ 'requests.cpu': '1' }), scoped, elsewhere, daemonSet])).toEqual([]);
  });

  test('Jobs and CronJobs count one run of their parallelism', () => {
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report', namespace: 'shop' }, spec: { jobTemplate: { spec: { parallelism: 3, template: { spec: { containers: [container('r', cpu('1'))] } } } } } };
    expect(checkQuotas([quota({ 'requests.cpu': '2' }), cron])).toEqual([
      'ResourceQuota shop/quota: requests.cpu quota 2 is below what the workloads need at max replicas + surge: 3 (report 3×1); raise quota.requests.cpu to at least 3, or lower replicas or resources',
    ]);
  });
});

describe('formatAmount', () => {
  test('whole-and-a-fraction units read as decimals; everything else as the canonical quantity', () => {
    expect(['5500m', '250m', '4', '1536Mi', '1.05'].map((t) => formatAmount(Quantity.parse(t)))).toEqual(['5.5', '250m', '4', '1536Mi', '1.05']);
  });

  test('what it writes parses back to the same quantity', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (m) => Quantity.parse(formatAmount(Quantity.milli(m))).equals(Quantity.milli(m))));
  });

  describe('pods of other kinds', () => {
    const rollout = (replicas?: unknown, hpa = false) => [
      {
        apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web', namespace: 'shop' },
        spec: { ...(replicas === undefined ? {} : { replicas }), template: { spec: { containers: [container('web', cpu('200m'))] } } },
      },
      ...(hpa ? [{ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' }, spec: { scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web' }, maxReplicas: 6 } }] : []),
    ];
    const ROLLOUT = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', plural: 'rollouts', templatePath: 'spec.template' };

    test('a declared custom kind counts its replicas, an HPA\'s maximum when one scales it, and one pod when it states none', () => {
      expect(checkQuotas([quota({ 'requests.cpu': '500m' }), ...rollout(4)], [ROLLOUT])).toEqual([
        'ResourceQuota shop/quota: requests.cpu quota 500m is below what the workloads need at max replicas + surge: 800m (web 4×200m); raise quota.requests.cpu to at least 800m, or lower replicas or resources',
      ]);
      expect(checkQuotas([quota({ pods: 4 }), ...rollout(2, true)], [ROLLOUT])).toEqual([
        'ResourceQuota shop/quota: pods quota 4 is below what the workloads run at max replicas + surge: 6 (web 6); raise quota.pods to at least 6, or lower replicas or surge',
      ]);
      expect(checkQuotas([quota({ pods: 0 }), ...rollout()], [ROLLOUT])).toEqual([
        'ResourceQuota shop/quota: pods quota 0 is below what the workloads run at max replicas + surge: 1 (web 1); raise quota.pods to at least 1, or lower replicas or surge',
      ]);
    });

    test('its replicas are read where the declaration says', () => {
      const objects = [quota({ pods: 2 }), { apiVersion: 'example.com/v1', kind: 'Pool', metadata: { name: 'p', namespace: 'shop' }, spec: { size: { count: 3 }, pod: { spec: { containers: [container('p')] } } } }];
      expect(checkQuotas(objects, [{ apiVersion: 'example.com/v1', kind: 'Pool', plural: 'pools', templatePath: 'spec.pod', replicasPath: 'spec.size.count' }])).toEqual([
        'ResourceQuota shop/quota: pods quota 2 is below what the workloads run at max replicas + surge: 3 (p 3); raise quota.pods to at least 3, or lower replicas or surge',
      ]);
    });

    test('an undeclared kind is not counted (the policy check refuses it in a team namespace)', () => {
      expect(checkQuotas([quota({ pods: 0 }), ...rollout(4)])).toEqual([]);
    });

    test('a ReplicationController counts its replicas', () => {
      const rc = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'legacy', namespace: 'shop' }, spec: { replicas: 3, template: { spec: { containers: [container('legacy')] } } } };
      expect(checkQuotas([quota({ pods: 2 }), rc])).toEqual([
        'ResourceQuota shop/quota: pods quota 2 is below what the workloads run at max replicas + surge: 3 (legacy 3); raise quota.pods to at least 3, or lower replicas or surge',
      ]);
    });
  });
});
