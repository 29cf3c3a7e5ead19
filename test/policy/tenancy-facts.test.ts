import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { PlatformLabels } from '../../lib';
import { checkPolicy, declareTenancyFacts, type PodTemplateKind, type TenancyFacts } from '../../lib/policy';
import { goodPod, tree } from './fixtures';

const ROLLOUT: PodTemplateKind = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', plural: 'rollouts', templatePath: 'spec.template' };
const labels = { 'app.kubernetes.io/name': 'api' };
const rollout = (pod: unknown, at: 'template' | 'workloadTemplate' = 'template') => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'api' },
  spec: { replicas: 1, selector: { matchLabels: labels }, [at]: { metadata: { labels }, spec: pod } },
});

/** GIVEN helper: a team namespace `shop` (labelled, with its default-deny policy) and facts declared on the Environment. */
function teamTree(facts: TenancyFacts): { app: ReturnType<typeof tree>['app']; chart: Chart } {
  const t = tree();
  declareTenancyFacts(t.env, facts);
  new k8s.KubeNamespace(t.chart, 'ns', { metadata: { name: 'shop', labels: { [PlatformLabels.team]: 'shop' } } });
  new k8s.KubeNetworkPolicy(t.chart, 'deny', { metadata: { name: 'deny' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
  return { app: t.app, chart: t.chart };
}

const messages = (app: ReturnType<typeof tree>['app']) => checkPolicy(app).violations.map((v) => v.message);

describe('custom pod-template kinds', () => {
  test('a declared custom kind in a team namespace is admitted, its pod template checked like a Deployment\'s', () => {
    // GIVEN
    const { app, chart } = teamTree({ podTemplateKinds: [ROLLOUT] });
    // WHEN
    new ApiObject(chart, 'rollout', rollout(goodPod()));
    // THEN
    expect(messages(app)).toEqual([]);
  });

  test('a declared custom kind whose template breaks a rule is refused at the template\'s path', () => {
    const { app, chart } = teamTree({ podTemplateKinds: [ROLLOUT] });
    const pod = goodPod();
    pod.containers[0].securityContext.privileged = true;
    pod.hostNetwork = true;
    new ApiObject(chart, 'rollout', rollout(pod));
    expect(checkPolicy(app).violations.map((v) => [v.object, v.rule, v.field])).toEqual([
      ['Rollout shop/api', 'host-network', 'spec.template.spec.hostNetwork'],
      ['Rollout shop/api', 'privileged', 'spec.template.spec.containers[0].securityContext.privileged'],
    ]);
  });

  test('any version of the declared group and kind is read at the declared path', () => {
    const { app, chart } = teamTree({ podTemplateKinds: [ROLLOUT] });
    const pod = goodPod();
    pod.containers[0].image = 'registry.example.com/shop/app:latest';
    new ApiObject(chart, 'rollout', { ...rollout(pod), apiVersion: 'argoproj.io/v1' });
    expect(checkPolicy(app).violations.map((v) => [v.rule, v.field])).toEqual([['image-pinned', 'spec.template.spec.containers[0].image']]);
  });

  test('a declared kind with no pod spec at its declared path is refused: the template cannot hide elsewhere', () => {
    const { app, chart } = teamTree({ podTemplateKinds: [ROLLOUT] });
    const pod = goodPod();
    pod.containers[0].securityContext.privileged = true;
    new ApiObject(chart, 'rollout', rollout(pod, 'workloadTemplate'));
    expect(messages(app)).toEqual([
      'prod/services/rollout: Rollout shop/api [pod-template] spec.template.spec must hold the pod spec: the platform declares argoproj.io/Rollout carries its pod template at spec.template; write the pod template where the declaration says, or correct the templatePath of the declaration in the cluster definition',
    ]);
  });

  test('the same custom kind undeclared is refused in a team namespace, and its template is not read', () => {
    const { app, chart } = teamTree({});
    const pod = goodPod();
    pod.containers[0].securityContext.privileged = true;
    new ApiObject(chart, 'rollout', rollout(pod));
    expect(messages(app)).toEqual([
      'prod/services/rollout: Rollout shop/api [tenant-kind] kind is not a kind a team namespace holds (got "argoproj.io/Rollout"); use the app constructs, or have the platform declare the kind (a custom pod-bearing kind in podTemplateKinds, another with an exemption from tenant-kind and its reason)',
    ]);
  });

  test('a declared kind is checked outside team namespaces too', () => {
    const t = tree();
    declareTenancyFacts(t.env, { podTemplateKinds: [ROLLOUT] });
    const chart = new Chart(t.env, 'addon', { namespace: 'monitoring', disableResourceNameHashes: true });
    const pod = goodPod();
    pod.containers[0].securityContext.allowPrivilegeEscalation = true;
    new ApiObject(chart, 'rollout', rollout(pod));
    expect(checkPolicy(t.app).violations.map((v) => [v.object, v.rule])).toEqual([['Rollout monitoring/api', 'privilege-escalation']]);
  });

  test.each([
    [{ ...ROLLOUT, apiVersion: 'v1' }, 'prod: podTemplateKinds[0].apiVersion is not the group/version of a custom kind (got "v1"); write the CRD\'s group and version, e.g. \'argoproj.io/v1alpha1\''],
    [{ ...ROLLOUT, apiVersion: 'apps/v1' }, 'prod: podTemplateKinds[0].apiVersion is not the group/version of a custom kind (got "apps/v1"); write the CRD\'s group and version, e.g. \'argoproj.io/v1alpha1\''],
    [{ ...ROLLOUT, kind: 'rollout' }, 'prod: podTemplateKinds[0].kind is not a kind name (got "rollout"); write the kind as the CRD names it, e.g. \'Rollout\''],
    [{ ...ROLLOUT, kind: 'Deployment' }, 'prod: podTemplateKinds[0].kind is a built-in pod-bearing kind the check reads already (got "Deployment"); declare only custom kinds'],
    [{ ...ROLLOUT, templatePath: 'spec..template' }, 'prod: podTemplateKinds[0].templatePath is not a dotted path of field names (got "spec..template"); write where the pod template is, e.g. \'spec.template\''],
  ])('a bad declaration is refused where it is made: %o', (kind, message) => {
    const { env } = tree();
    expect(() => declareTenancyFacts(env, { podTemplateKinds: [kind] })).toThrow(message);
  });

  test('every bad declaration is reported at once, a bad reserved range with them', () => {
    const { env } = tree();
    const declare = () => declareTenancyFacts(env, {
      podTemplateKinds: [{ ...ROLLOUT, kind: 'rollout', templatePath: 'spec/template' }, { apiVersion: 'v1', kind: 'Pod', plural: 'pods', templatePath: 'spec' }],
      reservedRanges: [{ cidr: '100.96.0.0/33', what: 'the pod network' }],
    });
    expect(declare).toThrow([
      '5 problems:',
      '  - prod: podTemplateKinds[0].kind is not a kind name (got "rollout"); write the kind as the CRD names it, e.g. \'Rollout\'',
      '  - prod: podTemplateKinds[0].templatePath is not a dotted path of field names (got "spec/template"); write where the pod template is, e.g. \'spec.template\'',
      '  - prod: podTemplateKinds[1].apiVersion is not the group/version of a custom kind (got "v1"); write the CRD\'s group and version, e.g. \'argoproj.io/v1alpha1\'',
      '  - prod: podTemplateKinds[1].kind is a built-in pod-bearing kind the check reads already (got "Pod"); declare only custom kinds',
      '  - prod: reservedRanges[0].cidr is not an IPv4 CIDR block (got "100.96.0.0/33"); write address/prefix, e.g. \'100.96.0.0/11\'',
    ].join('\n'));
    expect(env.node.metadata).toEqual([]);
  });

  test('a kind declared twice is refused', () => {
    const { env } = tree();
    expect(() => declareTenancyFacts(env, { podTemplateKinds: [ROLLOUT, { ...ROLLOUT, apiVersion: 'argoproj.io/v1' }] }))
      .toThrow('prod: podTemplateKinds[1] declares the kind podTemplateKinds[0] declares (got "argoproj.io/Rollout"); declare each kind once');
  });
});

describe('EndpointSlice addresses in team namespaces (CVE-2021-25740)', () => {
  const FACTS: TenancyFacts = {
    tenantNamespaces: [{ namespace: 'shop', addressBlocks: ['10.0.0.0/8'] }],
    reservedRanges: [{ cidr: '100.96.0.0/11', what: 'the pod network' }, { cidr: '10.10.32.0/19', what: 'the node subnet eu-west-1a' }],
  };
  const slice = (fields: Record<string, unknown>, namespace = 'shop') => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'orders-db', namespace }, ports: [{ port: 5432 }], ...fields });
  const write = (facts: TenancyFacts, fields: Record<string, unknown>, namespace?: string) => {
    const { app, chart } = teamTree(facts);
    new ApiObject(chart, 'slice', slice(fields, namespace));
    return checkPolicy(app).violations;
  };

  test('addresses inside the team\'s blocks and outside the reserved ranges are admitted; no endpoints at all is admitted', () => {
    expect(write(FACTS, { addressType: 'IPv4', endpoints: [{ addresses: ['10.10.200.10', '10.20.0.1'] }] })).toEqual([]);
    expect(write(FACTS, { addressType: 'IPv4' })).toEqual([]);
    expect(write(FACTS, { addressType: 'IPv4', endpoints: [{ conditions: { ready: true } }] })).toEqual([]);
  });

  test('an address in a reserved range is refused even inside the team\'s block, with the range named', () => {
    expect(write(FACTS, { addressType: 'IPv4', endpoints: [{ addresses: ['10.10.40.7'] }] }).map((v) => v.message)).toEqual([
      'prod/services/slice: EndpointSlice shop/orders-db [endpoint-addresses] endpoints[0].addresses[0] is inside 10.10.32.0/19, the node subnet eu-west-1a: no tenant endpoint may point there (got "10.10.40.7"); give the address of the service outside the cluster',
    ]);
    expect(write(FACTS, { addressType: 'IPv4', endpoints: [{ addresses: ['10.1.1.1'] }, { addresses: ['100.96.3.7', '127.0.0.1', '169.254.169.254'] }] }).map((v) => [v.field, v.message.split(' is inside ')[1]?.split(':')[0]])).toEqual([
      ['endpoints[1].addresses[0]', '100.96.0.0/11, the pod network'],
      ['endpoints[1].addresses[1]', '127.0.0.0/8, loopback'],
      ['endpoints[1].addresses[2]', '169.254.0.0/16, link-local (the instance metadata service)'],
    ]);
  });

  test('an address outside the team\'s blocks is refused', () => {
    expect(write(FACTS, { addressType: 'IPv4', endpoints: [{ addresses: ['192.0.2.10'] }] }).map((v) => v.message)).toEqual([
      'prod/services/slice: EndpointSlice shop/orders-db [endpoint-addresses] endpoints[0].addresses[0] is outside the team\'s externalAddresses [10.0.0.0/8] (got "192.0.2.10"); declare a block around it in the team\'s externalAddresses in the cluster definition (the cluster refuses it otherwise), or fix the address',
    ]);
  });

  test('an FQDN slice, or one with no addressType, is refused', () => {
    expect(write(FACTS, { addressType: 'FQDN', endpoints: [{ addresses: ['db.example.com'] }] }).map((v) => [v.field, v.message.includes('(got "FQDN")') || v.message.includes('(got "db.example.com")')])).toEqual([
      ['addressType', true], ['endpoints[0].addresses[0]', true],
    ]);
    expect(write(FACTS, { endpoints: [] }).map((v) => v.message)).toEqual([
      'prod/services/slice: EndpointSlice shop/orders-db [endpoint-addresses] addressType must be IPv4 or IPv6 (got null); list the IP addresses (an ExternalService by addresses), or alias a DNS name with an ExternalService by dnsName',
    ]);
  });

  test('where the team\'s blocks are not known (a service repo), only the reserved ranges are checked', () => {
    const facts: TenancyFacts = { tenantNamespaces: [{ namespace: 'shop' }] };
    expect(write(facts, { addressType: 'IPv4', endpoints: [{ addresses: ['192.0.2.10'] }] })).toEqual([]);
    expect(write(facts, { addressType: 'IPv4', endpoints: [{ addresses: ['169.254.169.254'] }] }).map((v) => v.rule)).toEqual(['endpoint-addresses']);
  });

  test('outside team namespaces the rule does not apply (the platform\'s own slices)', () => {
    const { app, env } = { ...tree() };
    declareTenancyFacts(env, FACTS);
    const chart = new Chart(env, 'addon', { namespace: 'kube-system', disableResourceNameHashes: true });
    new ApiObject(chart, 'slice', slice({ addressType: 'IPv4', endpoints: [{ addresses: ['100.96.3.7'] }] }, 'kube-system'));
    expect(checkPolicy(app).violations).toEqual([]);
  });
});
