import { CronTask, ExternalSecret, ExternalService, MigrationJob, Probe, Sli, Slo, WebService, Worker, type ServiceGroup, type SloOverrides } from '../../lib';

const image = 'registry.example.com/shop/orders:2.3.1';
const config = {
  data: { DATABASE_HOST: 'orders-db.shop.svc', QUEUE_URL: 'amqp://queue.shop.svc:5672', LOG_LEVEL: 'info' },
};

/** Stage and e2e keep a week of samples (clusters/stage.ts, e2e.ts): their SLOs are measured over that week. */
const weekOutsideProd: Readonly<Record<string, SloOverrides>> = { stage: { period: '7d' }, e2e: { period: '7d' } };

/**
 * The orders API, the worker that consumes its queue, the nightly export, the schema migration
 * that runs before each release, and the database they share, outside the cluster.
 */
export const orders: ServiceGroup = {
  name: 'orders',
  namespace: 'shop',
  define: (scope) => {
    // Each environment's database lives in its own cluster's VPC (prod 10.10.0.0/16, stage 10.20.0.0/16, e2e 10.40.0.0/16).
    const db = new ExternalService(scope, 'orders-db', {
      addresses: ['10.10.200.10'],
      ports: [{ name: 'postgres', port: 5432 }],
      overrides: { stage: { addresses: ['10.20.200.10'] }, e2e: { addresses: ['10.40.200.10'] } },
    });
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
    // The shop's promises for the API, over 30 days in prod: 99.9% of requests answered without a
    // 5xx, and 99% within 300 ms (a latency breach opens a ticket, it pages nobody).
    new Slo(api, 'availability', {
      objective: 99.9,
      sli: Sli.httpErrors(),
      team: 'shop',
      runbook: 'https://runbooks.example.com/shop/orders-api-availability',
      overrides: weekOutsideProd,
    });
    new Slo(api, 'latency', {
      objective: 99,
      sli: Sli.httpLatency({ le: '0.3' }),
      team: 'shop',
      runbook: 'https://runbooks.example.com/shop/orders-api-latency',
      page: false,
      overrides: weekOutsideProd,
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
