import { ApiObject } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { Probe, WebService, WorkloadIdentity, buildCluster, buildClusterApp, renderApp, sharedAudiences, type ClusterDefinition, type ServiceGroup } from '../../lib';
import { clusters, environments } from '../../clusters';
import { baseProps, errorOf } from '../cluster/helpers';

const image = 'registry.example.com/shop/api:1.4.2';
const { region: _region, ...kubernetes } = baseProps();
const exporter = WorkloadIdentity.of({ serviceAccount: 'exporter', namespace: 'shop', statements: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::exports/*'] }] });

function cluster(services: ServiceGroup[], changes: Partial<ClusterDefinition> = {}): ClusterDefinition {
  return {
    name: 'test',
    environment: 'prod',
    region: 'eu-west-1',
    kubernetes: { ...kubernetes, oidc: { issuerUrl: 'https://dex.example.com', clientId: 'kubernetes' } },
    teams: [{ name: 'shop', owners: ['shop-owners'], identities: [exporter] }],
    services,
    ...changes,
  };
}

const group = (namespace: string, serviceAccountName?: string): ServiceGroup => ({
  name: 'api', namespace, define: (s) => { new WebService(s, 'api', { image, readiness: Probe.tcp(), ...(serviceAccountName === undefined ? {} : { serviceAccountName }) }); },
});

describe('buildClusterApp', () => {
  test('a cluster with teams renders the kops objects, each team and each service group, with no problem', () => {
    // WHEN
    const result = renderApp(buildClusterApp(cluster([group('shop', 'exporter')]), ['prod']));
    // THEN
    expect(result.problems).toEqual([]);
    expect(result.files.map((f) => f.path).sort()).toEqual(['test/kops/cluster.k8s.yaml', 'test/manifests/api.k8s.yaml', 'test/manifests/team-shop.k8s.yaml', 'test/manifests/tenant-admission.k8s.yaml']);
    const team = result.files.find((f) => f.path.endsWith('team-shop.k8s.yaml'))?.content ?? '';
    expect(team).toContain('name: exporter');
    const kops = result.files.find((f) => f.path.endsWith('cluster.k8s.yaml'))?.content ?? '';
    expect(kops).toContain('name: exporter');
  });

  test('a service running as a workload identity may reach the AWS API endpoints in the VPC on HTTPS, and nothing more', () => {
    // WHEN
    const result = renderApp(buildClusterApp(cluster([group('shop', 'exporter')]), ['prod']));
    // THEN
    const api = parseAllDocuments(result.files.find((f) => f.path === 'test/manifests/api.k8s.yaml')?.content ?? '').map((d) => d.toJSON());
    const policy = api.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'platform-api-aws-apis');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: 443, protocol: 'TCP' }] }],
    });
  });

  test('a service without an identity gets no AWS egress', () => {
    const result = renderApp(buildClusterApp(cluster([group('shop')]), ['prod']));
    expect(result.files.find((f) => f.path === 'test/manifests/api.k8s.yaml')?.content).not.toContain('aws-apis');
  });

  test('a service in a namespace no team owns is refused, once: not again as a namespace no chart creates', () => {
    const result = renderApp(buildClusterApp(cluster([group('elsewhere')]), ['prod']));
    expect(result.problems).toEqual([
      `test/api/api: namespace is owned by no team of the cluster (got "elsewhere"); add the namespace to its team's namespaces in the cluster definition`,
    ]);
  });

  test('a service naming an identity its team did not declare is refused', () => {
    const result = renderApp(buildClusterApp(cluster([group('shop', 'admin')]), ['prod']));
    expect(result.problems).toEqual([
      `test/api/api: serviceAccountName names an identity team shop did not declare (got "admin"); declare it in the team's identities in the cluster definition, or drop serviceAccountName`,
    ]);
  });

  test('teams without the API server OIDC settings are refused', () => {
    expect(errorOf(() => buildClusterApp(cluster([], { kubernetes }), ['prod']))).toBe(
      "test: kubernetes.oidc is not set but the cluster has teams; set kubernetes.oidc: teams' RoleBindings use its groups prefix",
    );
  });

  test('an identity in a namespace its team does not own is refused', () => {
    const other = WorkloadIdentity.of({ serviceAccount: 'x', namespace: 'blog', statements: [{ actions: ['s3:GetObject'], resources: ['*'] }] });
    expect(errorOf(() => buildClusterApp(cluster([], { teams: [{ name: 'shop', owners: ['o'], identities: [other] }] }), ['prod']))).toBe(
      `test/team-shop/shop: identities is in a namespace the team does not own [shop] (got "blog/x"); declare it with the team that owns the namespace, or add the namespace to this team's`,
    );
  });

  test('flannel on a cluster with teams is refused, since it enforces no NetworkPolicy', () => {
    const def = cluster([], { kubernetes: { ...cluster([]).kubernetes, networking: { cni: 'flannel' } } });
    expect(errorOf(() => buildClusterApp(def, ['prod']))).toContain('networking.cni enforces no NetworkPolicy, which this cluster requires (networkPolicyRequired)');
  });

  test('an object that breaks the platform policy stops synth with the rule, the field and the fix', () => {
    // GIVEN a group that writes a Secret with a value in it
    const leaky: ServiceGroup = {
      name: 'leaky', namespace: 'shop',
      define: (s) => { new ApiObject(s, 'secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: 'aHVudGVyMg==' } }); },
    };
    // WHEN
    const result = renderApp(buildClusterApp(cluster([leaky]), ['prod']));
    // THEN
    expect(result.files).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/^test\/leaky\/secret: Secret shop\/db \[secret-data\] data /);
  });
});

describe('OIDC audiences across clusters', () => {
  test('two clusters sharing an OIDC audience are an error naming both', () => {
    // GIVEN two clusters whose API servers both accept the audience `kubernetes`
    const a = buildCluster(cluster([], { name: 'alpha' }), ['prod']);
    const b = buildCluster(cluster([], { name: 'beta' }), ['prod']);
    // THEN
    expect(sharedAudiences([a, b])).toEqual([
      'beta: kubernetes.oidc.clientId is also the OIDC audience of cluster alpha, so a token for one is accepted by the other (got "kubernetes"); give each cluster its own audience (the identity addon uses kubernetes-<cluster>)',
    ]);
  });

  test('the company\'s four clusters each have their own audience', () => {
    const built = clusters.map((c) => buildCluster(c, environments));
    expect(new Set(built.map((b) => b.facts.oidc?.clientId)).size).toBe(4);
    expect(sharedAudiences(built)).toEqual([]);
  });
});
