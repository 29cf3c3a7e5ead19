import { CronTask, ExternalSecret, ExternalService, MigrationJob, Probe, WebService, Worker, type ServiceGroup } from '../../lib';

const image = 'registry.example.com/shop/orders:2.3.1';
const config = {
  data: { DATABASE_HOST: 'orders-db.shop.svc', QUEUE_URL: 'amqp://queue.shop.svc:5672', LOG_LEVEL: 'info' },
};

/**
 * The orders API, the worker that consumes its queue, the nightly export, the schema migration
 * that runs before each release, and the database they share, outside the cluster.
 */
export const orders: ServiceGroup = {
  name: 'orders',
  namespace: 'shop',
  define: (scope) => {
    const db = new ExternalService(scope, 'orders-db', { addresses: ['10.10.200.10'], ports: [{ name: 'postgres', port: 5432 }] });
    // The database password, synced from the team's folder in Secrets Manager (teams/shop/<cluster>/orders/database).
    const credentials = new ExternalSecret(scope, 'orders-db-credentials', { remoteKey: 'orders/database', keys: ['password'] });
    const database = { DATABASE_PASSWORD: credentials.ref('password') };
    const api = new WebService(scope, 'orders-api', {
      image,
      partOf: 'orders',
      args: ['serve'],
      ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }],
      metrics: { port: 'metrics' },
      headless: true,
      config,
      secretEnv: database,
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      readiness: Probe.http('/ready'),
      liveness: Probe.http('/live', { period: '20s' }),
      overrides: { prod: { autoscaling: { minReplicas: 4, maxReplicas: 12 } }, e2e: { replicas: 1 } },
    });
    const worker = new Worker(scope, 'orders-worker', {
      image,
      partOf: 'orders',
      args: ['consume', '--queue', 'orders'],
      config,
      secretEnv: database,
      liveness: Probe.exec(['/app/orders', 'healthcheck']),
      overrides: { prod: { replicas: 3, resources: { requests: { memory: '512Mi' } } }, e2e: { replicas: 1 } },
    });
    const exporter = new CronTask(scope, 'orders-export', {
      image,
      partOf: 'orders',
      serviceAccountName: 'orders-exporter',
      schedule: '30 3 * * *',
      timeZone: 'Etc/UTC',
      args: ['export', '--to', 's3://example-orders-exports/daily/'],
      secretEnv: database,
      activeDeadline: '20m',
    });
    const migrate = new MigrationJob(scope, 'orders-migrate', { image, partOf: 'orders', args: ['migrate'], config, secretEnv: database, before: api });
    for (const client of [api, worker, exporter, migrate]) client.allowTo(db);
  },
};
