import { stringify } from 'yaml';
import { RUN_BEFORE_ANNOTATION } from '../../lib';
import type { DeployPhase } from '../../lib';
import { planManifests } from '../../lib/aws/manifest-plan';
import { deployerPolicy } from '../../lib/aws/deployer-policy';
import { discoveryBucketPolicy } from '../../lib/aws/policies';

// A rendered file of a chart; its phase as the chart declares it (by the chart-name convention of the platform's own charts here).
const phaseByName = (chart: string): DeployPhase => (chart.startsWith('addon-') ? 'addons' : chart.startsWith('team-') ? 'teams' : 'services');
const file = (chart: string, ...objects: object[]) => ({ path: `prod/manifests/${chart}.k8s.yaml`, content: objects.map((o) => stringify(o)).join('---\n'), phase: phaseByName(chart) });
const fileIn = (phase: DeployPhase, chart: string, ...objects: object[]) => ({ ...file(chart, ...objects), phase });
const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const obj = (kind: string, namespace: string, name: string, extra: object = {}) => ({ apiVersion: kind === 'Deployment' ? 'apps/v1' : kind === 'Job' ? 'batch/v1' : 'v1', kind, metadata: { name, namespace }, ...extra });

describe('planManifests', () => {
  test('orders charts by their declared phase, addons, then teams, then services, and leaves the kops chart out', () => {
    // GIVEN files of every kind of chart, in no particular order
    const plan = planManifests([
      file('orders', obj('Service', 'shop', 'api')),
      { path: 'prod/kops/cluster.k8s.yaml', content: stringify({ apiVersion: 'kops.k8s.io/v1alpha2', kind: 'Cluster', metadata: { name: 'prod.k8s.example.com' } }), phase: 'crds' as const },
      file('team-shop', ns('shop')),
      file('addon-monitoring', ns('monitoring')),
    ]);
    // THEN
    expect(plan.charts.map((c) => [c.name, c.phase, c.after])).toEqual([
      ['addon-monitoring', 'addons', []],
      ['team-shop', 'teams', ['addon-monitoring']],
      ['orders', 'services', ['team-shop']],
    ]);
    expect(plan.objects.map((o) => o.key)).toEqual(['Namespace/monitoring', 'Namespace/shop', 'Service/shop/api']);
  });

  test('puts a CRD before its custom resources and a Namespace before the objects in it', () => {
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'certificates.cert-manager.io' }, spec: { group: 'cert-manager.io', names: { kind: 'Certificate' } } };
    const cert = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'web', namespace: 'shop' } };
    const plan = planManifests([file('addon-cert-manager', crd), file('team-shop', ns('shop')), file('web', cert)]);
    expect(plan.objects.find((o) => o.key === 'Certificate/shop/web')?.dependsOn).toEqual(['CustomResourceDefinition/certificates.cert-manager.io', 'Namespace/shop']);
  });

  test('makes a Deployment wait for the migration Job that runs before it, even when the Job is written after it', () => {
    const job = obj('Job', 'shop', 'orders-migrate-1a2b', { metadata: { name: 'orders-migrate-1a2b', namespace: 'shop', annotations: { [RUN_BEFORE_ANNOTATION]: 'Deployment/shop/orders-api' } } });
    const plan = planManifests([file('team-shop', ns('shop')), file('orders', obj('Deployment', 'shop', 'orders-api'), job)]);
    const orders = plan.charts.find((c) => c.name === 'orders');
    expect(orders?.objects.map((o) => o.key)).toEqual(['Job/shop/orders-migrate-1a2b', 'Deployment/shop/orders-api']);
    expect(orders?.objects[1]?.dependsOn).toEqual(['Namespace/shop', 'Job/shop/orders-migrate-1a2b']);
  });

  test('makes every Deployment of a staggered service wait for the Job, whose annotation lists them comma-separated', () => {
    const job = obj('Job', 'shop', 'web-migrate-1a2b', { metadata: { name: 'web-migrate-1a2b', namespace: 'shop', annotations: { [RUN_BEFORE_ANNOTATION]: 'Deployment/shop/web-m0,Deployment/shop/web-m1' } } });
    const plan = planManifests([file('team-shop', ns('shop')), file('web', obj('Deployment', 'shop', 'web-m0'), obj('Deployment', 'shop', 'web-m1'), job)]);
    const web = plan.charts.find((c) => c.name === 'web');
    expect(web?.objects.map((o) => o.key)).toEqual(['Job/shop/web-migrate-1a2b', 'Deployment/shop/web-m0', 'Deployment/shop/web-m1']);
    expect(web?.objects.slice(1).map((o) => o.dependsOn)).toEqual([['Namespace/shop', 'Job/shop/web-migrate-1a2b'], ['Namespace/shop', 'Job/shop/web-migrate-1a2b']]);
  });

  test('refuses a run-before annotation that names no object', () => {
    const job = obj('Job', 'shop', 'm', { metadata: { name: 'm', namespace: 'shop', annotations: { [RUN_BEFORE_ANNOTATION]: 'Deployment/shop/gone' } } });
    expect(() => planManifests([file('orders', job)])).toThrow(
      `manifests orders/Job/shop/m: metadata.annotations.${RUN_BEFORE_ANNOTATION} names no object of the cluster (got "Deployment/shop/gone"); name the workload as <Kind>/<namespace>/<name> of an object in the same cluster`,
    );
  });

  test('refuses an object whose Namespace is created in a later phase', () => {
    expect(() => planManifests([file('addon-x', obj('ConfigMap', 'shop', 'c')), file('team-shop', ns('shop'))])).toThrow(
      'manifests addon-x/ConfigMap/shop/c: dependsOn is applied later, in chart team-shop (teams come after addons) (got "Namespace/shop"); define the object it needs in the same or an earlier phase (crds before addons before teams before services)',
    );
  });

  test('refuses two charts defining the same object', () => {
    expect(() => planManifests([file('a', obj('ConfigMap', 'shop', 'c')), file('b', obj('ConfigMap', 'shop', 'c'))])).toThrow(
      'manifests b: objects is also defined in chart a (got "ConfigMap/shop/c"); give every object its own kind, namespace and name',
    );
  });

  test('takes the phase a chart declares, not its name: a CRD chart named like a service goes first', () => {
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gateways.gateway.networking.k8s.io' }, spec: { group: 'gateway.networking.k8s.io', names: { kind: 'Gateway' } } };
    const plan = planManifests([file('addon-edge', ns('edge')), fileIn('crds', 'zz-gateway-api', crd), fileIn('addons', 'team-lookalike', ns('other'))]);
    expect(plan.charts.map((c) => [c.name, c.phase])).toEqual([['zz-gateway-api', 'crds'], ['addon-edge', 'addons'], ['team-lookalike', 'addons']]);
  });
});

describe('policies', () => {
  test('the deployer policy grants nothing on IAM users or access keys, and no * action', () => {
    const doc = deployerPolicy({
      accountId: '111122223333', environment: 'prod', clusters: [{ name: 'prod', clusterName: 'prod.k8s.example.com', region: 'eu-west-1' }], otherClusters: [],
      stateBackend: { bucket: 'state', project: 'platform', keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/s' }, secretsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k', protectedRoleNames: ['platform-deployer-prod'], protectedKeyArns: ['arn:aws:kms:eu-west-1:111122223333:key/k'],
    });
    const actions = doc.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => (s.Action === undefined ? [] : Array.isArray(s.Action) ? s.Action : [s.Action]) as string[]);
    expect(actions.filter((a) => /^iam:.*(User|AccessKey|LoginProfile)/.test(a) || a === '*' || a === 'iam:*')).toEqual([]);
    expect(doc.Statement.find((s) => s.Sid === 'CreateClusterRolesWithTagAndBoundary')?.Condition).toEqual({
      StringEquals: { 'aws:RequestTag/KubernetesCluster': ['prod.k8s.example.com'], 'iam:PermissionsBoundary': 'arn:aws:iam::111122223333:policy/platform-workload-boundary' },
    });
  });

  test('the discovery bucket policy makes exactly the two discovery documents public', () => {
    const doc = discoveryBucketPolicy('arn:aws:s3:::b', 'prod.k8s.example.com');
    const publicGrants = doc.Statement.filter((s) => s.Effect === 'Allow' && s.Principal === '*');
    expect(publicGrants).toEqual([{
      Sid: 'PublicReadOfDiscoveryDocuments', Effect: 'Allow', Principal: '*', Action: 's3:GetObject',
      Resource: ['arn:aws:s3:::b/prod.k8s.example.com/.well-known/openid-configuration', 'arn:aws:s3:::b/prod.k8s.example.com/openid/v1/jwks'],
    }]);
  });
});
