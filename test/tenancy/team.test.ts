import { ApiObject, App, Chart } from 'cdk8s';
import { Environment, PlatformLabels, WebService, renderApp } from '../../lib';
import { checkPolicy } from '../../lib/policy';
import { addTeam, type TeamProps } from '../../lib/tenancy';
import { validateKubernetesObject } from '../support/k8s-schema';

const oidc = { groupsPrefix: 'oidc:', usernamePrefix: 'oidc-user:' };

function cluster(): { app: App; env: Environment } {
  const app = new App({ outdir: 'dist' });
  return { app, env: new Environment(app, 'prod', { name: 'prod', environments: ['prod'] }) };
}

/** GIVEN helper: one team `payments` in a fresh cluster, with `props` over sensible defaults; its objects by `Kind/namespace/name`. */
function payments(props: Partial<TeamProps> = {}): { app: App; objects: Record<string, any> } {
  const { app, env } = cluster();
  addTeam(env, { name: 'payments', owners: ['payments-owners'], oidc, ...props });
  const chart = app.node.findChild('prod').node.findChild('team-payments') as Chart;
  const objects = Object.fromEntries(chart.toJson().map((o: any) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
  return { app, objects };
}

describe('Team', () => {
  test('a team gets one namespace named after it, labelled with the team and enforcing Pod Security restricted', () => {
    // GIVEN / WHEN
    const { objects } = payments({ owners: ['payments-owners', 'payments-leads'] });
    // THEN
    const ns = objects['Namespace//payments'];
    expect(ns.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'platform-constructs',
      [PlatformLabels.team]: 'payments',
      [PlatformLabels.gatewayListeners]: 'allowed',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.35',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.35',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.35',
    });
    expect(ns.metadata.annotations).toEqual({ 'platform.example.com/owners': 'payments-owners,payments-leads' });
  });

  test('every object it writes is a valid Kubernetes object and passes the policy check', () => {
    // GIVEN / WHEN
    const { app, objects } = payments({ deployer: { user: 'ci-payments' }, members: ['engineering'], nodeLocalDnsAddress: '169.254.20.10', namespaces: [{ name: 'payments', egressTo: ['52.10.0.0/16'], quota: { storage: { gp3: '50Gi' } } }] });
    // THEN
    for (const o of Object.values(objects)) validateKubernetesObject(o);
    expect(Object.keys(objects).sort()).toEqual([
      'LimitRange/payments/platform-limits',
      'Namespace//payments',
      'NetworkPolicy/payments/platform-allow-dns',
      'NetworkPolicy/payments/platform-allow-external-egress',
      'NetworkPolicy/payments/platform-allow-same-namespace',
      'NetworkPolicy/payments/platform-default-deny',
      'ResourceQuota/payments/platform-quota',
      'Role/payments/platform-team-deploy',
      'Role/payments/platform-team-operate',
      'RoleBinding/payments/platform-team-deploy',
      'RoleBinding/payments/platform-team-owners',
      'RoleBinding/payments/platform-team-view',
      'ServiceAccount/payments/default',
    ]);
    expect(checkPolicy(app)).toEqual({ violations: [], exemptions: [] });
  });

  test('a team may own several namespaces, each a full tenant', () => {
    const { objects } = payments({ namespaces: [{ name: 'payments' }, { name: 'payments-jobs' }] });
    expect(objects['Namespace//payments-jobs'].metadata.labels[PlatformLabels.team]).toBe('payments');
    expect(objects['ResourceQuota/payments-jobs/platform-quota']).toBeDefined();
    expect(objects['NetworkPolicy/payments-jobs/platform-default-deny']).toBeDefined();
  });

  test('the quota caps object counts, LoadBalancer and NodePort Services at 0, and compute, by default', () => {
    const { objects } = payments();
    expect(objects['ResourceQuota/payments/platform-quota'].spec.hard).toEqual({
      pods: 50, services: 20, configmaps: 100, secrets: 20, persistentvolumeclaims: 0,
      'services.loadbalancers': 0, 'services.nodeports': 0,
      'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.cpu': '8', 'limits.memory': '16Gi',
      'requests.storage': '0',
    });
  });

  test('storage is granted per storage class, and the total is their sum', () => {
    const { objects } = payments({ namespaces: [{ name: 'payments', quota: { storage: { gp3: '100Gi', io2: '20Gi' } } }] });
    expect(objects['ResourceQuota/payments/platform-quota'].spec.hard).toMatchObject({
      persistentvolumeclaims: 10,
      'gp3.storageclass.storage.k8s.io/requests.storage': '100Gi',
      'io2.storageclass.storage.k8s.io/requests.storage': '20Gi',
      'requests.storage': '120Gi',
    });
  });

  test('the LimitRange gives containers that set nothing defaults, and caps each container', () => {
    const { objects } = payments({ namespaces: [{ name: 'payments', limits: { max: { cpu: 4, memory: '8Gi' } } }] });
    expect(objects['LimitRange/payments/platform-limits'].spec.limits).toEqual([{
      type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { cpu: '200m', memory: '128Mi' }, max: { cpu: '4', memory: '8Gi' },
    }]);
  });

  test('quota requests above its limits are refused', () => {
    const { env } = cluster();
    expect(() => addTeam(env, { name: 'payments', owners: ['o'], oidc, namespaces: [{ name: 'payments', quota: { requests: { cpu: 10, memory: '1Gi' } } }] })).toThrow(
      'prod/team-payments/payments/payments: quota.requests.cpu must be <= quota.limits.cpu (8) (got "10"); lower quota.requests.cpu or raise quota.limits.cpu',
    );
  });

  test('owners and members read through view; owners operate through a narrow Role; all names carry the OIDC groups prefix', () => {
    // GIVEN / WHEN
    const { objects } = payments({ members: ['engineering'] });
    // THEN
    const view = objects['RoleBinding/payments/platform-team-view'];
    expect(view.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    expect(view.subjects.map((s: any) => s.name)).toEqual(['oidc:payments-owners', 'oidc:engineering']);
    const owners = objects['RoleBinding/payments/platform-team-owners'];
    expect(owners.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'platform-team-operate' });
    expect(owners.subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'oidc:payments-owners' }]);
    const rules = objects['Role/payments/platform-team-operate'].rules;
    expect(rules.flatMap((r: any) => r.resources)).toEqual(['pods', 'pods/eviction', 'deployments/scale', 'statefulsets/scale', 'jobs']);
    expect(rules.filter((r: any) => r.resources.some((res: string) => ['deployments', 'statefulsets', 'cronjobs', 'secrets', 'pods/exec'].includes(res)))).toEqual([]);
  });

  test("owners may be given Kubernetes' edit role instead", () => {
    const { objects } = payments({ ownerAccess: 'edit' });
    expect(objects['RoleBinding/payments/platform-team-owners'].roleRef.name).toBe('edit');
    expect(objects['Role/payments/platform-team-operate']).toBeUndefined();
  });

  test('the CI identity, an OIDC user, may apply the kinds the app constructs write, and never Secrets or RBAC', () => {
    // GIVEN / WHEN
    const { objects } = payments({ deployer: { user: 'ci-payments' } });
    // THEN
    expect(objects['RoleBinding/payments/platform-team-deploy'].subjects).toEqual([{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'oidc-user:ci-payments' }]);
    const rules: any[] = objects['Role/payments/platform-team-deploy'].rules;
    const writable = rules.filter((r) => r.verbs.includes('create')).flatMap((r) => r.resources).sort();
    expect(writable).toEqual([
      'backendtrafficpolicies', 'certificates', 'configmaps', 'cronjobs', 'deployments', 'endpointslices', 'externalsecrets', 'horizontalpodautoscalers',
      'httproutes', 'jobs', 'listenersets', 'networkpolicies', 'poddisruptionbudgets', 'services', 'statefulsets',
    ]);
    expect(rules.flatMap((r) => r.resources)).not.toContain('secrets');
    expect(rules.flatMap((r) => r.resources)).not.toContain('secretstores');
    expect(rules.flatMap((r) => r.resources)).not.toContain('ingresses');
    expect(rules.flatMap((r) => r.apiGroups)).not.toContain('rbac.authorization.k8s.io');
    expect(rules.flatMap((r) => r.resources)).not.toContain('*');
  });

  test('the CI identity may apply the custom pod-bearing kinds the platform declares, one rule per group, without watch', () => {
    const kinds = [
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', plural: 'rollouts', templatePath: 'spec.template' },
      { apiVersion: 'serving.knative.dev/v1', kind: 'Service', plural: 'services', templatePath: 'spec.template', replicasPath: 'spec.minScale' },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', plural: 'workflows', templatePath: 'spec.templates' },
    ];
    const { objects } = payments({ deployer: { user: 'ci-payments' }, podTemplateKinds: kinds });
    const rules: any[] = objects['Role/payments/platform-team-deploy'].rules;
    expect(rules.slice(-2)).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['rollouts', 'workflows'], verbs: ['get', 'list', 'create', 'patch', 'delete'] },
      { apiGroups: ['serving.knative.dev'], resources: ['services'], verbs: ['get', 'list', 'create', 'patch', 'delete'] },
    ]);
    expect(rules.slice(0, -2)).toEqual(payments({ deployer: { user: 'ci-payments' } }).objects['Role/payments/platform-team-deploy'].rules);
  });

  test('a CI identity may also be an OIDC group', () => {
    const { objects } = payments({ deployer: { group: 'ci-payments' } });
    expect(objects['RoleBinding/payments/platform-team-deploy'].subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'oidc:ci-payments' }]);
  });

  test('network policies deny everything, then allow DNS, the namespace itself and declared egress; the Gateway only where a route sends it', () => {
    // GIVEN / WHEN
    const { objects } = payments({ nodeLocalDnsAddress: '169.254.20.10', namespaces: [{ name: 'payments', egressTo: ['52.10.0.0/16'] }] });
    const spec = (name: string) => objects[`NetworkPolicy/payments/${name}`].spec;
    // THEN
    expect(spec('platform-default-deny')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(spec('platform-allow-dns').egress).toEqual([{
      to: [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
        { ipBlock: { cidr: '169.254.20.10/32' } },
      ],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
    expect(spec('platform-allow-same-namespace')).toMatchObject({ ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] });
    expect(objects['NetworkPolicy/payments/platform-allow-monitoring']).toBeUndefined(); // scrapes are admitted per service, by its scrape declaration
    expect(objects['NetworkPolicy/payments/platform-allow-gateway']).toBeUndefined(); // a WebService with a route admits the Gateway to its own port
    expect(objects['Namespace//payments'].metadata.labels['platform.example.com/gateway-listeners']).toBe('allowed');
    expect(spec('platform-allow-external-egress').egress).toEqual([{ to: [{ ipBlock: { cidr: '52.10.0.0/16' } }] }]);
  });

  test('a namespace that drops the same-namespace allow keeps deny, DNS and its egress; pods reach only what they declare', () => {
    const { objects } = payments({ namespaces: [{ name: 'payments', allowSameNamespace: false, egressTo: ['52.10.0.0/16'] }] });
    expect(Object.keys(objects).filter((k) => k.startsWith('NetworkPolicy/')).sort()).toEqual([
      'NetworkPolicy/payments/platform-allow-dns', 'NetworkPolicy/payments/platform-allow-external-egress', 'NetworkPolicy/payments/platform-default-deny',
    ]);
  });

  test('without NodeLocal DNS, DNS goes to kube-dns only, and without declared egress there is no external egress', () => {
    const { objects } = payments();
    expect(objects['NetworkPolicy/payments/platform-allow-dns'].spec.egress[0].to).toHaveLength(1);
    expect(objects['NetworkPolicy/payments/platform-allow-external-egress']).toBeUndefined();
  });

  test('the default ServiceAccount and each workload identity use the registry pull secret and mount no token', () => {
    const { objects } = payments({ namespaces: [{ name: 'payments', serviceAccounts: ['payments-api'] }] });
    for (const name of ['default', 'payments-api']) {
      const sa = objects[`ServiceAccount/payments/${name}`];
      expect(sa.imagePullSecrets).toEqual([{ name: 'registry-pull' }]);
      expect(sa.automountServiceAccountToken).toBe(false);
    }
  });

  test('a weaker Pod Security level is set with its reason written on the Namespace', () => {
    const { objects } = payments({ namespaces: [{ name: 'payments', podSecurity: { level: 'baseline', reason: 'vendor agent runs as root' } }] });
    const ns = objects['Namespace//payments'];
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(ns.metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
    expect(ns.metadata.annotations[PlatformLabels.podSecurityReason]).toBe('vendor agent runs as root');
  });

  test('the team label selects every namespace of the team', () => {
    const { env } = cluster();
    const team = addTeam(env, { name: 'payments', owners: ['o'], oidc });
    expect(team.namespaceSelector).toEqual({ matchLabels: { 'platform.example.com/team': 'payments' } });
  });
});

describe('Team errors', () => {
  test('a team without owners is refused', () => {
    const { env } = cluster();
    expect(() => addTeam(env, { name: 'payments', owners: [], oidc })).toThrow(
      "prod/team-payments/payments: owners must list at least one directory group (got []); name the group that answers for the team's namespaces (e.g. 'payments-owners')",
    );
  });

  test('a weaker Pod Security level without a reason is refused', () => {
    const { env } = cluster();
    expect(() => addTeam(env, { name: 'payments', owners: ['o'], oidc, namespaces: [{ name: 'payments', podSecurity: { level: 'baseline', reason: '' } }] })).toThrow(
      "prod/team-payments/payments/payments: podSecurity.reason must say why the namespace needs Pod Security level baseline; state the reason (e.g. 'node-exporter reads the host network and /proc'), or keep level 'restricted'",
    );
  });

  test('an egress block that is not a CIDR is refused with its field', () => {
    const { env } = cluster();
    expect(() => addTeam(env, { name: 'payments', owners: ['o'], oidc, namespaces: [{ name: 'payments', egressTo: ['10.0.0.1/16'] }] })).toThrow(
      "prod/team-payments/payments/payments: egressTo[0]: Cidr: cidr has host bits set (got \"10.0.0.1/16\"); use the network address: '10.0.0.0/16'",
    );
  });

  test('a NodeLocal DNS address that is not IPv4 is refused', () => {
    const { env } = cluster();
    expect(() => addTeam(env, { name: 'payments', owners: ['o'], oidc, nodeLocalDnsAddress: 'dns.local' })).toThrow(
      "prod/team-payments/payments/payments: nodeLocalDnsAddress is not an IPv4 address (got \"dns.local\"); pass the address NodeLocal DNSCache listens on (e.g. '169.254.20.10')",
    );
  });

  test('a namespace claimed by two teams is reported at synth', () => {
    // GIVEN
    const { app, env } = cluster();
    addTeam(env, { name: 'payments', owners: ['payments-owners'], oidc, namespaces: [{ name: 'payments' }, { name: 'shared' }] });
    addTeam(env, { name: 'shop', owners: ['shop-owners'], oidc, namespaces: [{ name: 'shop' }, { name: 'shared' }] });
    // WHEN
    const { problems } = renderApp(app);
    // THEN
    expect(problems).toContain(
      'prod/team-shop/shop: namespaces claims a namespace team payments (prod/team-payments/payments) already owns (got "shared"); give each namespace to exactly one team',
    );
    expect(problems.filter((p) => p.includes('claims a namespace'))).toHaveLength(1);
  });

  test('a quota below what the services need at max replicas + surge is reported at synth with the numbers', () => {
    // GIVEN
    const { app, env } = cluster();
    addTeam(env, { name: 'orders', owners: ['orders-owners'], oidc, namespaces: [{ name: 'orders', quota: { requests: { cpu: 4, memory: '8Gi' }, limits: { cpu: 16, memory: '16Gi' } } }] });
    const chart = new Chart(env, 'orders', { namespace: 'orders', disableResourceNameHashes: true });
    const image = 'registry.example.com/orders/api:1.0.0';
    new WebService(chart, 'orders-api', { image, replicas: 4, resources: { requests: { cpu: 1 } } });
    new WebService(chart, 'orders-admin', { image, replicas: 2, resources: { requests: { cpu: '250m' } } });
    // WHEN
    const { problems } = renderApp(app);
    // THEN
    expect(problems).toEqual([
      'prod/team-orders/orders: ResourceQuota orders/platform-quota: requests.cpu quota 4 is below what the workloads need at max replicas + surge: 5.75 (orders-api (4+1)×1, orders-admin (2+1)×250m); raise quota.requests.cpu to at least 5.75, or lower replicas or resources',
    ]);
  });

  test("the pods of a custom kind the platform declares count against the team's quota", () => {
    // GIVEN a Rollout of 30 pods in a namespace whose quota allows 20
    const { app, env } = cluster();
    const kinds = [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', plural: 'rollouts', templatePath: 'spec.template' }];
    addTeam(env, { name: 'orders', owners: ['orders-owners'], oidc, podTemplateKinds: kinds, namespaces: [{ name: 'orders', quota: { pods: 20 } }] });
    const chart = new Chart(env, 'orders', { namespace: 'orders', disableResourceNameHashes: true });
    new ApiObject(chart, 'web', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web' }, spec: { replicas: 30, template: { spec: { containers: [{ name: 'web', image: 'r.example.com/web:1' }] } } } });
    // WHEN
    const { problems } = renderApp(app);
    // THEN the team reports it
    expect(problems).toContain(
      'prod/team-orders/orders: ResourceQuota orders/platform-quota: pods quota 20 is below what the workloads run at max replicas + surge: 30 (web 30); raise quota.pods to at least 30, or lower replicas or surge',
    );
  });
});

describe('Team input checks', () => {
  test('a negative object count is refused under the prop name', () => {
    const { env } = cluster();
    expect(() => addTeam(env, { name: 'payments', owners: ['o'], oidc, namespaces: [{ name: 'payments', quota: { loadBalancers: -1 } }] })).toThrow(
      'prod/team-payments/payments/payments: quota.loadBalancers must be a whole number >= 0 (got -1); give the most objects of this kind the namespace may hold',
    );
  });

  test('a group listed twice is refused', () => {
    const { env } = cluster();
    expect(() => addTeam(env, { name: 'payments', owners: ['o', 'o'], oidc })).toThrow(
      'prod/team-payments/payments: owners must list distinct, non-empty group names without surrounding spaces (got "o"); write each directory group once, as the directory spells it',
    );
  });
});
