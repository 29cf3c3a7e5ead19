import { ApiObject, Chart } from 'cdk8s';
import { buildCluster, renderApp, type ClusterDefinition } from '../../lib';
import { PLATFORM_IDENTITIES, tenantAdmissionPolicies, type BoundPolicy, type TenantScope } from '../../lib/tenancy/admission-policies';
import { identityOf } from '../../lib/policy/manifest';
import { prod } from '../../clusters/prod';
import { admit, evaluate, requestFor, TENANT_CI } from '../support/admission';
import { validateKubernetesObject } from '../support/k8s-schema';

const SHOP: TenantScope = { team: 'shop', namespaces: ['shop', 'shop-jobs'], hosts: ['shop.example.com'], externalNames: ['db.internal.example.com'], cidrs: ['203.0.113.0/24'], endpointCidrs: ['10.0.0.0/8', '203.0.113.0/24'] };
const CONTENT: TenantScope = { team: 'content', namespaces: ['content'], hosts: ['blog.example.com'], externalNames: [], cidrs: [] };
/** The cluster's own networks: the pod and Service ranges and a node subnet, all inside the block shop declared. */
const RESERVED = [{ cidr: '10.96.0.0/12', what: 'the Service network' }, { cidr: '10.244.0.0/16', what: 'the pod network' }, { cidr: '10.10.32.0/19', what: 'the node subnet eu-west-1a' }];
const policies = tenantAdmissionPolicies([SHOP, CONTENT], RESERVED);
const MASTERS = { username: 'kubecfg-deployer', groups: ['system:masters', 'system:authenticated'] };

const meta = (name: string, namespace = 'shop', extra: Record<string, unknown> = {}) => ({ name, namespace, ...extra });
const obj = (apiVersion: string, kind: string, name: string, spec: unknown, namespace = 'shop', metadata: Record<string, unknown> = {}) =>
  ({ apiVersion, kind, metadata: meta(name, namespace, metadata), spec });
const service = (spec: unknown, namespace = 'shop') => obj('v1', 'Service', 'api', spec, namespace);
const route = (hostnames: string[] | undefined, namespace = 'shop') =>
  obj('gateway.networking.k8s.io/v1', 'HTTPRoute', 'api', { parentRefs: [{ name: 'shop-example-com', kind: 'ListenerSet' }], ...(hostnames === undefined ? {} : { hostnames }) }, namespace);
const netpol = (spec: unknown, name = 'api-from-web') => obj('networking.k8s.io/v1', 'NetworkPolicy', name, { podSelector: {}, ...spec as object });

/** The refusals of writing `o` as the team's CI (or `userInfo`), with `operation`. */
function refusals(o: { kind: string; metadata: { namespace?: string } }, options: Parameters<typeof requestFor>[1] = {}): readonly string[] {
  return admit(policies, requestFor(o, options)).refusals;
}

describe('tenant admission policies', () => {
  test('every policy and binding is a valid Kubernetes object, fails closed and exempts only the platform identities', () => {
    for (const { policy, binding } of policies) {
      validateKubernetesObject(policy);
      validateKubernetesObject(binding);
      expect(policy.spec.failurePolicy).toBe('Fail');
      expect(binding.spec.policyName).toBe(policy.metadata.name);
      expect(binding.spec.validationActions).toEqual(['Deny']);
      expect(policy.spec.matchConstraints.resourceRules.every((r) => r.scope === 'Namespaced')).toBe(true);
    }
    expect(PLATFORM_IDENTITIES).toEqual({ groups: ['system:masters'], users: ['system:serviceaccount:kube-system:namespace-controller'] });
    const condition = policies[0]?.policy.spec.matchConditions[0]?.expression ?? '';
    const request = (userInfo: object) => ({ request: { userInfo } });
    expect(evaluate(condition, request(TENANT_CI))).toBe(true);
    expect(evaluate(condition, request({ username: 'oidc:someone' }))).toBe(true); // no groups field at all
    expect(evaluate(condition, request(MASTERS))).toBe(false);
    expect(evaluate(condition, request({ username: 'system:serviceaccount:kube-system:namespace-controller', groups: [] }))).toBe(false);
  });

  test('the shared policies bind every team namespace; each team policy binds its own', () => {
    const byName = new Map<string, BoundPolicy>(policies.map((p) => [p.policy.metadata.name, p]));
    expect(byName.get('platform-tenant-services')?.binding.spec.matchResources.namespaceSelector.matchExpressions)
      .toEqual([{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['content', 'shop', 'shop-jobs'] }]);
    expect(byName.get('platform-tenant-shop')?.binding.spec.matchResources.namespaceSelector.matchExpressions[0]?.values).toEqual(['shop', 'shop-jobs']);
    expect([...byName.keys()]).toEqual(['platform-tenant-forbidden-kinds', 'platform-tenant-services', 'platform-tenant-role-bindings', 'platform-tenant-platform-objects', 'platform-tenant-shop', 'platform-tenant-content']);
    expect(tenantAdmissionPolicies([])).toEqual([]);
  });

  describe('Services', () => {
    test('a ClusterIP Service, with or without an explicit type, is admitted', () => {
      expect(refusals(service({ ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'api' } }))).toEqual([]);
      expect(refusals(service({ type: 'ClusterIP', ports: [{ port: 80 }], externalIPs: [] }))).toEqual([]);
    });

    test('externalIPs, NodePort and LoadBalancer are refused', () => {
      expect(refusals(service({ externalIPs: ['10.10.0.5'], ports: [{ port: 80 }] }))).toEqual([expect.stringContaining('spec.externalIPs (CVE-2020-8554')]);
      expect(refusals(service({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }))).toEqual([expect.stringContaining('NodePort or LoadBalancer')]);
      expect(refusals(service({ type: 'LoadBalancer', ports: [{ port: 80 }] }), { operation: 'UPDATE' })).toEqual([expect.stringContaining('NodePort or LoadBalancer')]);
    });

    test('ExternalName only to the external names the team declared', () => {
      expect(refusals(service({ type: 'ExternalName', externalName: 'db.internal.example.com' }))).toEqual([]);
      expect(refusals(service({ type: 'ExternalName', externalName: 'api.other-team.svc.cluster.local' })))
        .toEqual(['platform-tenant-shop: an ExternalName Service of team shop may alias only the external names the team declared: db.internal.example.com']);
      expect(refusals(service({ type: 'ExternalName' }))).toHaveLength(1);
      expect(refusals(service({ type: 'ExternalName', externalName: 'db.internal.example.com' }, 'content'))).toHaveLength(1);
    });

    test('outside team namespaces and for the platform identities the policies do not apply', () => {
      expect(refusals(service({ type: 'LoadBalancer' }, 'envoy-gateway-system'))).toEqual([]);
      expect(refusals(service({ type: 'NodePort' }), { userInfo: MASTERS })).toEqual([]);
    });
  });

  test.each([
    ['gateway.networking.k8s.io/v1', 'Gateway'],
    ['gateway.networking.k8s.io/v1beta1', 'ReferenceGrant'],
    ['gateway.envoyproxy.io/v1alpha1', 'Backend'],
    ['gateway.envoyproxy.io/v1alpha1', 'EnvoyPatchPolicy'],
    ['gateway.envoyproxy.io/v1alpha1', 'EnvoyExtensionPolicy'],
    ['external-secrets.io/v1', 'SecretStore'],
  ])('a tenant %s %s is refused', (apiVersion, kind) => {
    const o = obj(apiVersion, kind, 'x', {});
    expect(refusals(o)).toEqual([expect.stringContaining("are the platform's to write")]);
    expect(refusals(o, { operation: 'UPDATE' })).toHaveLength(1);
    expect(refusals(o, { userInfo: MASTERS })).toEqual([]);
  });

  test('a BackendTrafficPolicy (retries and timeouts of its own route) is admitted', () => {
    expect(refusals(obj('gateway.envoyproxy.io/v1alpha1', 'BackendTrafficPolicy', 'api', { targetRefs: [] }))).toEqual([]);
  });

  describe('routes and certificates', () => {
    test('an HTTPRoute for the team host is admitted; another team\'s host, or none, is refused', () => {
      expect(refusals(route(['shop.example.com']))).toEqual([]);
      expect(refusals(route(['shop.example.com', 'blog.example.com']))).toEqual(['platform-tenant-shop: an HTTPRoute of team shop must name its hosts, all among the team\'s: shop.example.com']);
      expect(refusals(route(undefined))).toHaveLength(1);
      expect(refusals(route([]))).toHaveLength(1);
      expect(refusals(route(['shop.example.com'], 'content'))).toEqual([expect.stringContaining('HTTPRoute of team content')]);
    });

    test('a ListenerSet listens only for the team hosts', () => {
      const ls = (listeners: object[]) => obj('gateway.networking.k8s.io/v1', 'ListenerSet', 'shop-example-com', { parentRef: { name: 'platform', namespace: 'envoy-gateway-system' }, listeners });
      expect(refusals(ls([{ name: 'https', hostname: 'shop.example.com', port: 443, protocol: 'HTTPS' }]))).toEqual([]);
      expect(refusals(ls([{ name: 'https', hostname: 'blog.example.com', port: 443, protocol: 'HTTPS' }]))).toEqual([expect.stringContaining('ListenerSet of team shop')]);
      expect(refusals(ls([{ name: 'https', port: 443, protocol: 'HTTPS' }]))).toHaveLength(1);
    });

    test('an Ingress names only team hosts, in its rules, its TLS and its certificate annotations, and has no default backend', () => {
      const backend = { service: { name: 'api', port: { number: 80 } } };
      const rules = (host?: string) => [{ ...(host === undefined ? {} : { host }), http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }];
      const ingress = (spec: object, annotations?: Record<string, string>) =>
        obj('networking.k8s.io/v1', 'Ingress', 'api', spec, 'shop', annotations === undefined ? {} : { annotations });
      expect(refusals(ingress({ rules: rules('shop.example.com'), tls: [{ hosts: ['shop.example.com'], secretName: 'tls' }] }, { 'cert-manager.io/cluster-issuer': 'letsencrypt' }))).toEqual([]);
      expect(refusals(ingress({ rules: rules('shop.example.com') }))).toEqual([]);
      expect(refusals(ingress({ rules: rules() }))).toHaveLength(1);
      expect(refusals(ingress({ rules: rules('blog.example.com') }))).toHaveLength(1);
      expect(refusals(ingress({ defaultBackend: backend }))).toHaveLength(1);
      expect(refusals(ingress({ rules: rules('shop.example.com'), tls: [{ hosts: ['blog.example.com'], secretName: 'tls' }] }, { 'cert-manager.io/cluster-issuer': 'letsencrypt' }))).toHaveLength(1);
      expect(refusals(ingress({ rules: rules('shop.example.com') }, { 'cert-manager.io/common-name': 'blog.example.com' }))).toHaveLength(1);
    });

    test('a Certificate names only team hosts, and no addresses, URIs or e-mail names', () => {
      const cert = (spec: object) => obj('cert-manager.io/v1', 'Certificate', 'shop-example-com', { secretName: 'tls', issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt' }, ...spec });
      expect(refusals(cert({ dnsNames: ['shop.example.com'] }))).toEqual([]);
      expect(refusals(cert({ dnsNames: ['shop.example.com'], commonName: 'shop.example.com' }))).toEqual([]);
      expect(refusals(cert({ dnsNames: ['blog.example.com'] }))).toEqual([expect.stringContaining('Certificate of team shop')]);
      expect(refusals(cert({ dnsNames: ['shop.example.com'], commonName: 'blog.example.com' }))).toHaveLength(1);
      expect(refusals(cert({ dnsNames: ['shop.example.com'], ipAddresses: ['10.0.0.1'] }))).toHaveLength(1);
      expect(refusals(cert({ dnsNames: ['shop.example.com'], uris: ['spiffe://x'] }))).toHaveLength(1);
      expect(refusals(cert({}))).toHaveLength(1);
    });

    test("a Certificate is issued by the platform's ACME issuers only, and is never a CA", () => {
      const cert = (issuerRef: object | undefined, extra: object = {}) =>
        obj('cert-manager.io/v1', 'Certificate', 'shop-example-com', { secretName: 'tls', dnsNames: ['shop.example.com'], ...(issuerRef === undefined ? {} : { issuerRef }), ...extra });
      const refused = ['platform-tenant-shop: a Certificate of team shop must be issued by the ClusterIssuer letsencrypt or letsencrypt-staging, and must not be a CA'];
      expect(refusals(cert({ kind: 'ClusterIssuer', name: 'letsencrypt' }))).toEqual([]);
      expect(refusals(cert({ kind: 'ClusterIssuer', name: 'letsencrypt-staging', group: 'cert-manager.io' }))).toEqual([]);
      expect(refusals(cert({ kind: 'ClusterIssuer', name: 'letsencrypt' }, { isCA: false }))).toEqual([]);
      // the etcd metrics CA, its self-signed root, a namespaced issuer, another group's, none at all, a CA
      expect(refusals(cert({ kind: 'ClusterIssuer', name: 'platform-etcd-metrics-ca' }))).toEqual(refused);
      expect(refusals(cert({ kind: 'ClusterIssuer', name: 'platform-etcd-metrics-root' }))).toEqual(refused);
      expect(refusals(cert({ kind: 'Issuer', name: 'letsencrypt' }))).toEqual(refused);
      expect(refusals(cert({ kind: 'ClusterIssuer', name: 'letsencrypt', group: 'awspca.cert-manager.io' }))).toEqual(refused);
      expect(refusals(cert(undefined))).toEqual(refused);
      expect(refusals(cert({ kind: 'ClusterIssuer', name: 'letsencrypt' }, { isCA: true }))).toEqual(refused);
    });
  });

  describe('EndpointSlices (CVE-2021-25740)', () => {
    const slice = (fields: Record<string, unknown>, namespace = 'shop') =>
      ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('orders-db', namespace, { labels: { 'kubernetes.io/service-name': 'orders-db' } }), ports: [{ name: 'postgres', port: 5432 }], ...fields });
    const ADDRESSES = 'platform-tenant-shop: an EndpointSlice of team shop may point only into the team\'s externalAddresses (10.0.0.0/8, 203.0.113.0/24), never into 127.0.0.0/8 (loopback), 169.254.0.0/16 (link-local (the instance metadata service)), 10.96.0.0/12 (the Service network), 10.244.0.0/16 (the pod network), 10.10.32.0/19 (the node subnet eu-west-1a)';

    test('addresses inside the team\'s externalAddresses and outside the cluster\'s networks are admitted, on create and update', () => {
      expect(refusals(slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.10.200.10'], conditions: { ready: true } }, { addresses: ['203.0.113.7'] }] }))).toEqual([]);
      expect(refusals(slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.10.200.10'] }] }), { operation: 'UPDATE' })).toEqual([]);
    });

    test('absent endpoints or addresses are admitted: the slice points nowhere', () => {
      expect(refusals(slice({ addressType: 'IPv4' }))).toEqual([]);
      expect(refusals(slice({ addressType: 'IPv4', endpoints: [] }))).toEqual([]);
      expect(refusals(slice({ addressType: 'IPv4', endpoints: [{ conditions: { ready: false } }] }))).toEqual([]);
    });

    test.each([
      ['a pod', '10.244.3.7'], ['a Service', '10.96.0.10'], ['a node', '10.10.40.7'], ['loopback', '127.0.0.1'], ['the metadata service', '169.254.169.254'],
    ])('an address of %s is refused, even inside the team\'s declared block', (_what, address) => {
      expect(refusals(slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.10.200.10'] }, { addresses: [address] }] }))).toEqual([ADDRESSES]);
    });

    test('an address outside the team\'s blocks is refused, and another team\'s blocks are not the team\'s', () => {
      expect(refusals(slice({ addressType: 'IPv4', endpoints: [{ addresses: ['192.0.2.10'] }] }))).toEqual([ADDRESSES]);
      expect(refusals(slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.10.200.10'] }] }, 'content'))).toEqual([expect.stringContaining("EndpointSlice of team content may point only into the team's externalAddresses (none)")]);
    });

    test('an FQDN slice, one with no addressType, and an IPv6 slice outside every declared block are refused', () => {
      expect(refusals(slice({ addressType: 'FQDN', endpoints: [{ addresses: ['db.internal.example.com'] }] }))).toEqual([
        'platform-tenant-shop: an EndpointSlice of team shop must be of addressType IPv4 or IPv6: list addresses, never a name',
        expect.stringMatching(/^platform-tenant-shop: an EndpointSlice of team shop may point only .* \(error: /),
      ]);
      expect(refusals(slice({ endpoints: [{ addresses: ['10.10.200.10'] }] }))).toEqual(['platform-tenant-shop: an EndpointSlice of team shop must be of addressType IPv4 or IPv6: list addresses, never a name']);
      expect(refusals(slice({ addressType: 'IPv6', endpoints: [{ addresses: ['2001:db8::10'] }] }))).toEqual([ADDRESSES]);
      expect(refusals(slice({ addressType: 'IPv6', endpoints: [{ addresses: ['::ffff:10.10.200.10'] }] }))).toEqual([expect.stringContaining('(error: ')]);
    });

    test('the platform writes its own slices anywhere', () => {
      expect(refusals(slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.244.3.7'] }] }), { userInfo: MASTERS })).toEqual([]);
    });
  });

  describe('RBAC', () => {
    const binding = (roleRef: object, name = 'readers') => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta(name), roleRef, subjects: [] });
    test.each(['cluster-admin', 'admin', 'edit'])('a tenant RoleBinding to the ClusterRole %s is refused', (name) => {
      expect(refusals(binding({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }))).toEqual([expect.stringContaining('may not grant cluster-admin, admin, edit')]);
    });
    test('a binding to view or to an own Role is admitted; the platform\'s bindings are not writable', () => {
      expect(refusals(binding({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }))).toEqual([]);
      expect(refusals(binding({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'admin' }))).toEqual([]);
      expect(refusals(binding({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, 'platform-team-view'), { operation: 'DELETE' })).toHaveLength(1);
    });
  });

  describe('the platform\'s own objects', () => {
    const deny = netpol({ policyTypes: ['Ingress', 'Egress'] }, 'platform-default-deny');
    test('a tenant can neither change nor delete platform-default-deny; the platform and the namespace controller can', () => {
      expect(refusals(deny, { operation: 'UPDATE' })).toEqual([expect.stringContaining("objects named platform-* in a team namespace are the platform's")]);
      expect(refusals(deny, { operation: 'DELETE' })).toHaveLength(1);
      expect(refusals(deny, { operation: 'UPDATE', userInfo: MASTERS })).toEqual([]);
      expect(refusals(deny, { operation: 'DELETE', userInfo: { username: 'system:serviceaccount:kube-system:namespace-controller', groups: ['system:serviceaccounts'] } })).toEqual([]);
    });
    test('quotas and limit ranges are not writable by tenants, by any name', () => {
      expect(refusals({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('more'), spec: { hard: { cpu: '100' } } } as never)).toEqual([expect.stringContaining('quotas and limit ranges')]);
      expect(refusals({ apiVersion: 'v1', kind: 'LimitRange', metadata: meta('platform-limits'), spec: {} } as never, { operation: 'DELETE' })).toHaveLength(2);
    });
  });

  describe('tenant NetworkPolicies', () => {
    const from = (peers: unknown[] | undefined) => netpol({ policyTypes: ['Ingress'], ingress: [peers === undefined ? {} : { from: peers }] });
    const to = (peers: unknown[] | undefined) => netpol({ policyTypes: ['Egress'], egress: [peers === undefined ? { ports: [{ port: 443 }] } : { to: peers }] });
    const ns = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } }, podSelector: { matchLabels: { app: 'x' } } });
    test('peers in the team, the platform\'s namespaces and the declared blocks are admitted', () => {
      expect(refusals(from([{ podSelector: { matchLabels: { app: 'web' } } }]))).toEqual([]);
      expect(refusals(from([ns('shop-jobs'), ns('monitoring'), ns('envoy-gateway-system')]))).toEqual([]);
      expect(refusals(from([{ namespaceSelector: { matchLabels: { 'platform.example.com/team': 'shop' } } }]))).toEqual([]);
      expect(refusals(to([{ ipBlock: { cidr: '203.0.113.0/24' } }, ns('kube-system')]))).toEqual([]);
      expect(refusals(netpol({ policyTypes: ['Ingress', 'Egress'] }))).toEqual([]);
    });
    test('a block inside a declared one is admitted, however its host bits are written', () => {
      // GIVEN shop declares 203.0.113.0/24
      for (const cidr of ['203.0.113.0/24', '203.0.113.128/25', '203.0.113.7/32', '203.0.113.9/28']) {
        expect([cidr, refusals(to([{ ipBlock: { cidr } }]))]).toEqual([cidr, []]);
      }
    });
    test.each([
      ['a wider block around a declared one', '203.0.112.0/23'],
      ['a neighbouring block', '203.0.114.0/24'],
      ['a malformed block (the policy fails closed)', '203.0.113.0/33'],
      ['a block with leading zeros', '203.0.113.007/32'],
    ])('%s is refused', (_what, cidr) => {
      expect(refusals(to([{ ipBlock: { cidr } }]))).toEqual([expect.stringContaining('a NetworkPolicy of team shop may name only')]);
    });
    test.each([
      ['everywhere by address', to([{ ipBlock: { cidr: '0.0.0.0/0' } }])],
      ['an undeclared block', to([{ ipBlock: { cidr: '198.51.100.7/32' } }])],
      ['every destination (no peers)', to(undefined)],
      ['every destination (an empty peer list)', to([])],
      ['every source (no peers)', from(undefined)],
      ['every namespace (an empty namespace selector)', from([{ namespaceSelector: {} }])],
      ['every namespace (empty matchLabels)', from([{ namespaceSelector: { matchLabels: {} }, podSelector: {} }])],
      ['every namespace (by expression only)', from([{ namespaceSelector: { matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] } }])],
      ['another team\'s namespace', from([ns('content')])],
      ['another team by label', from([{ namespaceSelector: { matchLabels: { 'platform.example.com/team': 'content' } } }])],
    ])('a policy reaching %s is refused', (_what, policy) => {
      expect(refusals(policy)).toEqual([expect.stringContaining('a NetworkPolicy of team shop may name only')]);
    });
  });

  test('every object a service of the prod definition writes to a team namespace is admitted when its team CI applies it', () => {
    // GIVEN prod's services, as their teams' CI would apply them
    const { app } = buildCluster(prod, ['prod', 'stage', 'e2e']);
    const admission = app.node.findAll().find((c) => c.node.id === 'tenant-admission');
    expect(admission).toBeDefined();
    const prodPolicies = tenantAdmissionPoliciesOf(app.node.findAll());
    const objects = app.node.findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c))
      .filter((o) => !Chart.of(o).node.id.startsWith('team-') && ['shop', 'content'].includes(identityOf(o.toJson()).namespace))
      // HTTPS to the VPC's AWS endpoints is the cluster definition's own policy (buildCluster adds it, named platform-*), not the service's.
      .filter((o) => !o.name.startsWith('platform-'));
    // THEN each is admitted, and there are enough of them to mean something
    const kinds = new Set(objects.map((o) => o.kind));
    for (const k of ['HTTPRoute', 'ListenerSet', 'Certificate', 'NetworkPolicy', 'Service', 'Deployment']) expect(kinds).toContain(k);
    for (const o of objects) {
      const json = o.toJson() as { kind: string; metadata: { namespace?: string } };
      const result = admit(prodPolicies, requestFor(json));
      if (!result.allowed) throw new Error(`${o.node.path}: ${result.refusals.join('; ')}`);
    }
    // AND the teams' own objects are refused to the team's CI but admitted to the platform deployer
    const platformOwn = app.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'NetworkPolicy' && Chart.of(c).node.id === 'team-shop');
    expect(platformOwn.length).toBeGreaterThan(0);
    for (const o of platformOwn) {
      const json = o.toJson() as { kind: string; metadata: { namespace?: string } };
      expect(admit(prodPolicies, requestFor(json, { operation: 'UPDATE' })).allowed).toBe(false);
      expect(admit(prodPolicies, requestFor(json, { operation: 'UPDATE', userInfo: MASTERS })).allowed).toBe(true);
    }
  });

  describe('synth-time errors', () => {
    const twoTeams = (hosts: string[][]): ClusterDefinition => ({
      ...prod,
      teams: prod.teams.map((t, i) => ({ ...t, hosts: hosts[i] ?? [] })),
    });
    test('a host declared by two teams is an error naming both', () => {
      const { app } = buildCluster(twoTeams([['shop.example.com', 'shop-admin.example.com', 'blog.example.com'], ['blog.example.com']]), ['prod', 'stage', 'e2e']);
      expect(renderApp(app).problems).toContain('prod/team-content/content: hosts is declared by team shop (prod/team-shop/shop) too (got "blog.example.com"); give each host to exactly one team');
    });
    test('a route or certificate for a host outside the team\'s names is an error at synth', () => {
      const { app } = buildCluster(twoTeams([['shop.example.com'], ['blog.example.com']]), ['prod', 'stage', 'e2e']);
      const problems = renderApp(app).problems;
      expect(problems).toContain('prod/storefront/gateway-listener-shop-admin-example-com/listener-set: spec.listeners.hostname is outside team shop\'s hosts [shop.example.com] (got "shop-admin.example.com"); declare the host in the team\'s hosts in the cluster definition (no other team may declare it), or serve one the team has');
      expect(problems.filter((p) => p.includes('shop-admin.example.com')).map((p) => p.split(':')[1]?.trim().split(' ')[0])).toEqual(['spec.hostnames', 'spec.listeners.hostname', 'spec.dnsNames']);
    });
    test('a network policy of a team naming a block outside the team\'s is an error at synth, and refused by the cluster', () => {
      // GIVEN shop declares only the database's address, and the orders database moves to another
      const moved: ClusterDefinition = { ...prod, teams: prod.teams.map((t) => (t.name === 'shop' ? { ...t, externalAddresses: ['10.10.201.0/24'] } : t)) };
      const { app } = buildCluster(moved, ['prod', 'stage', 'e2e']);
      const problems = renderApp(app).problems.filter((p) => p.includes('address blocks'));
      // THEN every policy reaching the database names the block and the team's
      expect(problems.length).toBeGreaterThan(0);
      expect(problems).toContain('prod/orders/orders-api/allow-to-shop-orders-db: spec.egress.to.ipBlock.cidr is outside team shop\'s address blocks [10.10.201.0/24] (got "10.10.200.10/32"); declare a block around it in the team\'s externalAddresses in the cluster definition (the cluster refuses it otherwise), or fix the address');
      // AND the cluster's own policy for shop refuses the same object
      const policies = tenantAdmissionPoliciesOf(app.node.findAll());
      const netpol = app.node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c) && c.node.path.endsWith('orders-api/allow-to-shop-orders-db'));
      expect(netpol).toBeDefined();
      expect(admit(policies, requestFor(netpol?.toJson() as { kind: string; metadata: { namespace?: string } })).refusals).toEqual([expect.stringContaining('a NetworkPolicy of team shop may name only')]);
    });
    test('a team host that is not a DNS name is refused with the field', () => {
      expect(() => buildCluster(twoTeams([['Shop.example.com']]), ['prod'])).toThrow('prod/team-shop/shop: hosts[0]: DnsName: name is not a lowercase DNS name with at least two labels (got "Shop.example.com")');
    });
  });
});

/** The admission policies a built App carries, read back from its objects. */
function tenantAdmissionPoliciesOf(all: readonly { node: { id: string } }[]): BoundPolicy[] {
  const objects = all.filter((c): c is ApiObject => ApiObject.isApiObject(c)).map((o) => o.toJson() as { kind: string; metadata: { name: string } });
  const bindings = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding');
  return objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name.startsWith('platform-tenant-')).map((policy) => {
    const binding = bindings.find((b) => b.metadata.name === policy.metadata.name);
    if (binding === undefined) throw new Error(`no binding for ${policy.metadata.name}`);
    return { policy, binding } as unknown as BoundPolicy;
  });
}
