import { ApiObject, App } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import {
  Cidr, Environment, ExternalService, MigrationJob, PlatformChart, RUN_BEFORE_ANNOTATION, WebService, addressesInOtherClusters, renderApp,
} from '../../lib';
import { danglingOrderings, namespacedClusterObjects, undeclaredNamespaces } from '../../lib/synth/tree-checks';

const image = 'registry.example.com/shop/api:1.4.2';
const ENVIRONMENTS = ['prod', 'stage'];

/** GIVEN helper: an App with one Environment, for the cluster of that name, or (`serviceRepo`) a service repo's. */
function tree(env = 'prod', serviceRepo = false): { app: App; env: Environment } {
  const app = new App({ outdir: 'dist' });
  return { app, env: new Environment(app, env, { name: env, environments: ENVIRONMENTS, ...(serviceRepo ? {} : { cluster: env }) }) };
}
const objectsOf = (app: App): ApiObject[] => app.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
const chart = (env: Environment, id: string, namespace?: string, outputFolder?: string) =>
  new PlatformChart(env, id, { phase: 'addons', ...(namespace === undefined ? {} : { namespace }), ...(outputFolder === undefined ? {} : { outputFolder }) });
const configMap = (scope: PlatformChart, name: string, namespace?: string) =>
  new k8s.KubeConfigMap(scope, name, { metadata: { name, ...(namespace === undefined ? {} : { namespace }) } });

describe('every namespaced object is in a namespace the cluster has', () => {
  test('accepts a namespace a chart of the cluster creates, and the ones Kubernetes has', () => {
    const { app, env } = tree();
    new k8s.KubeNamespace(chart(env, 'team-shop'), 'ns', { metadata: { name: 'shop' } });
    const addon = chart(env, 'addon-x', 'shop');
    configMap(addon, 'a');
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) configMap(addon, `in-${ns}`, ns);
    expect(undeclaredNamespaces(objectsOf(app))).toEqual([]);
  });

  test('refuses a namespace no chart of the cluster creates', () => {
    const { app, env } = tree();
    configMap(chart(env, 'addon-x', 'monitoring'), 'rules');
    expect(undeclaredNamespaces(objectsOf(app))).toEqual([
      'prod/addon-x: metadata.namespace of ConfigMap monitoring/rules is created by no chart of cluster prod (got "monitoring"); create the Namespace in the chart that owns it (a team, an addon), or name a namespace the cluster has',
    ]);
  });

  test("in a service repo's tree, the team's namespace need not be created there", () => {
    const { app, env } = tree('prod', true);
    configMap(chart(env, 'api', 'shop'), 'c');
    expect(undeclaredNamespaces(objectsOf(app))).toEqual([]);
  });

  test('refuses a namespaced object without a namespace, in any tree', () => {
    for (const serviceRepo of [false, true]) {
      const { app, env } = tree('prod', serviceRepo);
      configMap(chart(env, 'addon-edge'), 'hashed');
      expect(undeclaredNamespaces(objectsOf(app))).toEqual([
        'prod/addon-edge: metadata.namespace of ConfigMap hashed is not set: a namespaced object without one lands in default; set its namespace, or create it in a chart that has one',
      ]);
    }
  });

  test('leaves the kops objects out: they are handed to kops, not applied', () => {
    const { app, env } = tree();
    new ApiObject(chart(env, 'cluster', undefined, 'kops'), 'ig', { apiVersion: 'kops.k8s.io/v1alpha2', kind: 'InstanceGroup', metadata: { name: 'nodes' } });
    expect(undeclaredNamespaces(objectsOf(app))).toEqual([]);
  });

  test("reads a custom kind's scope from its CRD in the tree", () => {
    // GIVEN a CRD of a cluster-scoped kind and one object of it, with no namespace
    const { app, env } = tree();
    const crds = chart(env, 'addon-x-crds');
    new ApiObject(crds, 'crd', {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', scope: 'Cluster', names: { kind: 'Widget', plural: 'widgets' }, versions: [] },
    });
    new ApiObject(crds, 'w', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    // THEN it is not asked for a namespace
    expect(undeclaredNamespaces(objectsOf(app))).toEqual([]);
  });
});

describe('no cluster-scoped object carries a namespace', () => {
  test('refuses a cluster-scoped object that a namespaced chart stamped with its namespace', () => {
    const { app, env } = tree();
    const addon = chart(env, 'addon-monitoring', 'monitoring');
    new k8s.KubeNamespace(addon, 'ns', { metadata: { name: 'monitoring' } });
    new k8s.KubeClusterRole(addon, 'role', { metadata: { name: 'prometheus' }, rules: [] });
    expect(namespacedClusterObjects(objectsOf(app))).toEqual([
      'prod/addon-monitoring: metadata.namespace is set on Namespace monitoring, which is cluster-scoped (got "monitoring"); create it in a chart without a namespace (a namespaced chart stamps its namespace on every object that sets none)',
      'prod/addon-monitoring: metadata.namespace is set on ClusterRole prometheus, which is cluster-scoped (got "monitoring"); create it in a chart without a namespace (a namespaced chart stamps its namespace on every object that sets none)',
    ]);
  });

  test('accepts cluster-scoped objects in a chart without a namespace', () => {
    const { app, env } = tree();
    const addon = chart(env, 'addon-monitoring');
    new k8s.KubeNamespace(addon, 'ns', { metadata: { name: 'monitoring' } });
    new k8s.KubeClusterRole(addon, 'role', { metadata: { name: 'prometheus' }, rules: [] });
    configMap(addon, 'c', 'monitoring');
    expect(namespacedClusterObjects(objectsOf(app))).toEqual([]);
  });
});

describe('every ordering names an object of the tree', () => {
  test('accepts a MigrationJob before a staggered service: each Deployment it names exists', () => {
    const { app, env } = tree();
    const group = chart(env, 'orders', 'shop');
    const web = new WebService(group, 'web', { image, replicas: 2, resources: { requests: { memory: '256Mi' }, limits: { memory: '512Mi' } }, memoryStagger: { variants: 2, step: '64Mi' } });
    new MigrationJob(group, 'web-migrate', { image, before: web });
    expect(danglingOrderings(objectsOf(app))).toEqual([]);
  });

  test('refuses an annotation naming an object that is not there, once per missing key', () => {
    const { app, env } = tree();
    const group = chart(env, 'orders', 'shop');
    new k8s.KubeDeployment(group, 'web', { metadata: { name: 'web' }, spec: { selector: {}, template: {} } });
    new k8s.KubeJob(group, 'job', {
      metadata: { name: 'm', annotations: { [RUN_BEFORE_ANNOTATION]: 'Deployment/shop/web,Deployment/shop/web-m1' } }, spec: { template: {} },
    });
    expect(danglingOrderings(objectsOf(app))).toEqual([
      `prod/orders: metadata.annotations.${RUN_BEFORE_ANNOTATION} of Job shop/m names no object of the tree (got "Deployment/shop/web-m1"); name the objects as <Kind>/<namespace>/<name> of objects synthesized with it (MigrationJob derives them from \`before\`)`,
    ]);
  });
});

describe('no address inside another cluster\'s VPC', () => {
  const networks = [{ name: 'prod', vpcCidr: Cidr.of('10.10.0.0/16') }, { name: 'stage', vpcCidr: Cidr.of('10.20.0.0/16') }];
  const withDatabase = (env: string, address: string) => {
    const t = tree(env);
    new ExternalService(chart(t.env, 'orders', 'shop'), 'orders-db', { addresses: [address], ports: [{ name: 'postgres', port: 5432 }] });
    return t.app;
  };

  test("refuses stage's ExternalService pointing at prod's database", () => {
    expect(addressesInOtherClusters(withDatabase('stage', '10.10.200.10'), 'stage', networks)).toEqual([
      'stage/orders/orders-db: address of EndpointSlice shop/orders-db is inside cluster prod\'s VPC 10.10.0.0/16, not reachable from cluster stage (got "10.10.200.10"); give cluster stage its own address (an ExternalService or team egress override for its environment)',
    ]);
  });

  test('accepts an address in its own VPC, or outside every VPC', () => {
    expect(addressesInOtherClusters(withDatabase('prod', '10.10.200.10'), 'prod', networks)).toEqual([]);
    expect(addressesInOtherClusters(withDatabase('stage', '10.20.200.10'), 'stage', networks)).toEqual([]);
    expect(addressesInOtherClusters(withDatabase('stage', '192.168.1.10'), 'stage', networks)).toEqual([]);
  });

  test("refuses a NetworkPolicy block inside another VPC, but not one that only contains it (0.0.0.0/0)", () => {
    const { app, env } = tree('stage');
    const team = chart(env, 'team-shop', 'shop');
    for (const [name, cidr] of [['to-prod', '10.10.4.0/24'], ['to-internet', '0.0.0.0/0']] as const) {
      new k8s.KubeNetworkPolicy(team, name, { metadata: { name }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr } }] }] } });
    }
    expect(addressesInOtherClusters(app, 'stage', networks)).toEqual([
      'stage/team-shop: address of NetworkPolicy shop/to-prod is inside cluster prod\'s VPC 10.10.0.0/16, not reachable from cluster stage (got "10.10.4.0/24"); give cluster stage its own address (an ExternalService or team egress override for its environment)',
    ]);
  });
});

describe('the tree checks run at every render', () => {
  test('a tree that fails them renders no file and reports every problem at once', () => {
    // GIVEN a cluster-scoped object stamped with a namespace, and a ConfigMap in a namespace nothing creates
    const { app, env } = tree();
    const addon = chart(env, 'addon-x', 'monitoring');
    new k8s.KubeClusterRole(addon, 'role', { metadata: { name: 'r' }, rules: [] });
    configMap(addon, 'c');
    // WHEN
    const result = renderApp(app);
    // THEN
    expect(result.files).toEqual([]);
    expect(result.problems).toEqual([
      'prod/addon-x: metadata.namespace of ConfigMap monitoring/c is created by no chart of cluster prod (got "monitoring"); create the Namespace in the chart that owns it (a team, an addon), or name a namespace the cluster has',
      'prod/addon-x: metadata.namespace is set on ClusterRole r, which is cluster-scoped (got "monitoring"); create it in a chart without a namespace (a namespaced chart stamps its namespace on every object that sets none)',
    ]);
  });
});
