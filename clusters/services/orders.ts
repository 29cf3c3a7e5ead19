import { CronTask, Probe, WebService, Worker, type ServiceGroup } from '../../lib';

const image = 'registry.example.com/shop/orders:2.3.1';
const database = { DATABASE_PASSWORD: { secret: 'orders-db', key: 'password' } } as const;
const config = {
  data: { DATABASE_HOST: 'orders-db.shop.svc', QUEUE_URL: 'amqp://queue.shop.svc:5672', LOG_LEVEL: 'info' },
};

/** The orders API, the worker that consumes its queue, and the nightly cleanup. */
export const orders: ServiceGroup = {
  name: 'orders',
  namespace: 'shop',
  define: (scope) => {
    new WebService(scope, 'orders-api', {
      image,
      partOf: 'orders',
      imagePullSecret: 'registry',
      args: ['serve'],
      config,
      secretEnv: database,
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      readiness: Probe.http('/ready'),
      liveness: Probe.http('/live', { period: '20s' }),
      overrides: { prod: { replicas: 4 }, e2e: { replicas: 1 } },
    });
    new Worker(scope, 'orders-worker', {
      image,
      partOf: 'orders',
      imagePullSecret: 'registry',
      args: ['consume', '--queue', 'orders'],
      config,
      secretEnv: database,
      liveness: Probe.exec(['/app/orders', 'healthcheck']),
      overrides: { prod: { replicas: 3, resources: { requests: { memory: '512Mi' } } } },
    });
    new CronTask(scope, 'orders-cleanup', {
      image,
      partOf: 'orders',
      imagePullSecret: 'registry',
      schedule: '30 3 * * *',
      timeZone: 'Etc/UTC',
      args: ['cleanup', '--older-than', '30d'],
      secretEnv: database,
      activeDeadline: '20m',
    });
  },
};
