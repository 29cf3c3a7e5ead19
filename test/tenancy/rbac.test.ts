import { ApiObject, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { CronTask, ExternalSecret, ExternalService, MigrationJob, PlatformChart, Probe, StatefulService, WebService, Worker, buildCluster, checkServiceRepo, type ServiceGroup } from '../../lib';
import { DEPLOY_RULES } from '../../lib/tenancy/rbac';
import { Team } from '../../lib/tenancy/team';
import { prod } from '../../clusters/prod';

/**
 * The resource name the API server serves a kind under, as kubectl guesses it when discovery has
 * no answer: k8s.io/apimachinery pkg/api/meta/restmapper.go UnsafeGuessKindToResource (lower
 * case; `s` → `ses`, `y` → `ies`, else `+s`). Every kind here follows it (its CRDs declare the
 * plural the same way).
 */
function resourceOf(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith('s')) return `${k}es`;
  if (k.endsWith('y')) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** A service repo using every app construct, in every form that writes another kind. */
const everything: ServiceGroup = {
  name: 'everything',
  namespace: 'shop',
  define: (scope) => {
    const image = 'registry.example.com/shop/app:1.2.3';
    const db = new ExternalService(scope, 'orders-db', { addresses: ['10.10.200.10'], ports: [{ name: 'postgres', port: 5432 }] });
    new ExternalService(scope, 'search', { dnsName: 'search.internal.example.com', ports: [{ name: 'https', port: 443 }] });
    const payment = new ExternalSecret(scope, 'payment', { remoteKey: 'checkout/payment', keys: ['api-key'] });
    const api = new WebService(scope, 'api', {
      image,
      ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }],
      metrics: { port: 'metrics' },
      config: { data: { LOG_LEVEL: 'info' } },
      secretEnv: { PAYMENT_API_KEY: payment.ref('api-key') },
      autoscaling: { minReplicas: 2, maxReplicas: 6 },
      readiness: Probe.http('/ready'),
      ingress: { host: 'shop.example.com', timeout: '30s', retries: { attempts: 2 } },
    });
    api.allowTo(db);
    new Worker(scope, 'worker', { image, args: ['consume'] });
    new CronTask(scope, 'cleanup', { image, schedule: '30 3 * * *', args: ['cleanup'], activeDeadline: '20m' });
    new MigrationJob(scope, 'migrate', { image, args: ['migrate'], before: api });
    new StatefulService(scope, 'cache', { image, ports: [{ name: 'redis', port: 6379 }], volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] });
  },
};

/** `group/resource` of every object a service repo and the clusters' service charts write. */
function appliedResources(): Set<string> {
  const run = checkServiceRepo({ environments: ['prod'], services: [everything] });
  expect(run.sections.flatMap((s) => s.problems)).toEqual([]);
  const fromRepo = run.files.flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJSON() as { apiVersion: string; kind: string }));
  const { app } = buildCluster(prod, ['prod', 'stage', 'e2e']);
  const teamNamespaces = app.node.findAll().filter((c): c is Team => c instanceof Team).flatMap((t) => t.namespaceNames);
  const fromClusters = app.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && PlatformChart.phaseOf(Chart.of(c)) === 'services' && teamNamespaces.includes(c.metadata.namespace ?? ''))
    .map((o) => o.toJson() as { apiVersion: string; kind: string });
  return new Set([...fromRepo, ...fromClusters].map((o) => `${groupOf(o.apiVersion)}/${resourceOf(o.kind)}`));
}

/** The Role's grants as `group/resource verb`. */
function granted(): Set<string> {
  return new Set(DEPLOY_RULES.flatMap((r) => (r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).flatMap((res) => r.verbs.map((v) => `${g}/${res} ${v}`)))));
}

describe('the deploy Role', () => {
  test('grants exactly what applying the synthesized service output needs, nothing more', () => {
    // GIVEN every kind the app constructs write, from their synthesized output
    const applied = appliedResources();
    expect([...applied].sort()).toEqual([
      '/configmaps', '/services', 'apps/deployments', 'apps/statefulsets', 'autoscaling/horizontalpodautoscalers', 'batch/cronjobs', 'batch/jobs',
      'cert-manager.io/certificates', 'discovery.k8s.io/endpointslices', 'external-secrets.io/externalsecrets', 'gateway.envoyproxy.io/backendtrafficpolicies',
      'gateway.networking.k8s.io/httproutes', 'gateway.networking.k8s.io/listenersets', 'networking.k8s.io/networkpolicies', 'policy/poddisruptionbudgets',
    ]);
    // WHEN the deploy step's needs are derived from kubectl (the generated dist/<environment>/apply.sh):
    // - server-side apply: PATCH, authorized as create when it creates (kubectl pkg/cmd/apply/apply.go);
    // - ApplySet prune: list by the part-of label, delete what is gone (pkg/cmd/apply/applyset_pruner.go);
    // - `kubectl get -f`: get; `kubectl rollout status` on Deployments and StatefulSets: get, list, watch (pkg/cmd/rollout/rollout_status.go);
    // - the ApplySet parent ConfigMap: get (fetchParent), then a server-side apply (updateParent) in pkg/cmd/apply/applyset.go.
    const needed = new Set<string>();
    for (const r of applied) for (const v of ['get', 'list', 'create', 'patch', 'delete']) needed.add(`${r} ${v}`);
    for (const r of ['apps/deployments', 'apps/statefulsets']) for (const v of ['get', 'list', 'watch']) needed.add(`${r} ${v}`);
    for (const v of ['get', 'create', 'patch']) needed.add(`/configmaps ${v}`);
    // THEN the Role grants that set, exactly
    expect([...granted()].sort()).toEqual([...needed].sort());
  });

  test('grants no Secrets, no Endpoints, no ServiceAccounts, no RBAC, no pods and no update', () => {
    const grants = [...granted()];
    for (const absent of ['/secrets ', '/endpoints ', '/serviceaccounts ', 'rbac.authorization.k8s.io/', '/pods', '/events ', ' update', '*']) {
      expect([absent, grants.filter((g) => g.includes(absent))]).toEqual([absent, []]);
    }
  });
});
