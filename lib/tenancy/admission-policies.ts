import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Platform, PlatformLabels } from '../core';
import { ALWAYS_RESERVED, type ReservedRange } from '../policy/tenancy-facts';
import { ENDPOINT_ADDRESS_TYPES } from '../policy/object-checks';
import { NAMESPACE_NAME_LABEL } from './network-policies';

/** The issuers a tenant's Certificate may name: the platform's ACME issuers (its public hosts'). */
export const TENANT_ISSUERS: readonly string[] = [Platform.clusterIssuer, Platform.stagingClusterIssuer];

/**
 * In-cluster enforcement of tenancy: ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1,
 * GA since Kubernetes 1.30) and their bindings, generated from the team definitions. They hold
 * for everything written to a team namespace, however it was applied: a team's CI applying its
 * own manifests meets the same rules the synth-time checks state.
 *
 * The expressions use standard CEL (`has`, `size`, `all`, `exists`, `in`, `startsWith`) and
 * four functions of k8s.io/apiserver pkg/cel/library cidr.go — `cidr()`, `ip()`, `containsIP()`
 * (of an IP or of a string, parsed as one), `prefixLength()` (in the admission environment since
 * Kubernetes 1.31) — so a tenant's block may be any block inside one the team declared, and an
 * endpoint address any address inside one. The tests evaluate them with a conformant CEL
 * evaluator and those functions encoded from cidr.go (test/support/k8s-cel-cidr.ts). Every policy fails closed (`failurePolicy: Fail`): an expression
 * that errors (a field it did not guard, a malformed block) refuses the request.
 */

/** What the admission policies know of one team. */
export interface TenantScope {
  /** The team's name. */
  readonly team: string;
  /** Its namespaces. */
  readonly namespaces: readonly string[];
  /** Host names its routes, listeners and certificates may carry. */
  readonly hosts: readonly string[];
  /** DNS names its ExternalName Services may alias. */
  readonly externalNames: readonly string[];
  /** Address blocks its network policies may name, or name a block inside of (its external addresses and its namespaces' declared egress). */
  readonly cidrs: readonly string[];
  /** Address blocks its EndpointSlices may point into (its externalAddresses). @default [] - no address */
  readonly endpointCidrs?: readonly string[];
}

/**
 * Who the policies do not apply to, by the names the API server gives them:
 * - `system:masters`: kops's admin credentials (`kops export kubeconfig --admin` and the
 *   `kops helpers kubectl-auth` plugin the platform deployer runs) carry this group; it is how
 *   the platform writes its own objects in team namespaces;
 * - the namespace controller, which deletes everything in a namespace being deleted (the
 *   platform's quota and network policies among it); without it a team namespace could never
 *   finish terminating.
 */
export const PLATFORM_IDENTITIES = {
  groups: ['system:masters'],
  users: ['system:serviceaccount:kube-system:namespace-controller'],
} as const;

/** The namespaces whose pods tenants' network policies may name as peers, besides the team's own. */
export const PLATFORM_PEER_NAMESPACES: readonly string[] = [Platform.dnsNamespace, Platform.gatewayNamespace, Platform.monitoringNamespace];

/** One rule of an admission policy. */
export interface AdmissionValidation {
  readonly expression: string;
  readonly message: string;
}

/** The group, resources and operations a policy intercepts. */
export interface AdmissionResourceRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  readonly operations: readonly ('CREATE' | 'UPDATE' | 'DELETE')[];
  readonly scope: 'Namespaced';
}

/** A ValidatingAdmissionPolicy as the API server reads it. */
export interface ValidatingAdmissionPolicyManifest {
  readonly apiVersion: 'admissionregistration.k8s.io/v1';
  readonly kind: 'ValidatingAdmissionPolicy';
  readonly metadata: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  readonly spec: {
    readonly failurePolicy: 'Fail';
    readonly matchConstraints: { readonly resourceRules: readonly AdmissionResourceRule[] };
    readonly matchConditions: readonly { readonly name: string; readonly expression: string }[];
    readonly validations: readonly AdmissionValidation[];
  };
}

/** A ValidatingAdmissionPolicyBinding as the API server reads it. */
export interface ValidatingAdmissionPolicyBindingManifest {
  readonly apiVersion: 'admissionregistration.k8s.io/v1';
  readonly kind: 'ValidatingAdmissionPolicyBinding';
  readonly metadata: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  readonly spec: {
    readonly policyName: string;
    readonly validationActions: readonly ['Deny'];
    readonly matchResources: {
      readonly namespaceSelector: { readonly matchExpressions: readonly { readonly key: string; readonly operator: 'In'; readonly values: readonly string[] }[] };
    };
  };
}

/** A policy and the binding that applies it to a set of namespaces. */
export interface BoundPolicy {
  readonly policy: ValidatingAdmissionPolicyManifest;
  readonly binding: ValidatingAdmissionPolicyBindingManifest;
}

/** A CEL list literal of strings. */
function celStrings(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
}

/** `expr` applies only to requests for `resource` of `group`. */
function onlyFor(group: string, resource: string, expr: string): string {
  return `!(request.resource.group == ${JSON.stringify(group)} && request.resource.resource == ${JSON.stringify(resource)}) || (${expr})`;
}

const NOT_PLATFORM = {
  name: 'not-a-platform-identity',
  expression: `!((has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in ${celStrings(PLATFORM_IDENTITIES.groups)})) || request.userInfo.username in ${celStrings(PLATFORM_IDENTITIES.users)})`,
};

const LABELS = { 'app.kubernetes.io/managed-by': Platform.managedBy };

function bound(name: string, namespaces: readonly string[], rules: readonly AdmissionResourceRule[], validations: readonly AdmissionValidation[]): BoundPolicy {
  return {
    policy: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name, labels: LABELS },
      spec: { failurePolicy: 'Fail', matchConstraints: { resourceRules: rules }, matchConditions: [NOT_PLATFORM], validations },
    },
    binding: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels: LABELS },
      spec: {
        policyName: name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...namespaces].sort() }] } },
      },
    },
  };
}

function rule(apiGroups: readonly string[], resources: readonly string[], operations: AdmissionResourceRule['operations'] = ['CREATE', 'UPDATE']): AdmissionResourceRule {
  return { apiGroups, apiVersions: ['*'], resources, operations, scope: 'Namespaced' };
}

/** Kinds that reach past the namespace: a Gateway or ReferenceGrant serves or exposes others' traffic, an Envoy patch or extension rewrites the shared proxy, a Backend sends to any address, a SecretStore without its own auth uses the operator's credentials. */
export const TENANT_FORBIDDEN_RESOURCES: readonly { readonly group: string; readonly resources: readonly string[] }[] = [
  { group: 'gateway.networking.k8s.io', resources: ['gateways', 'referencegrants'] },
  { group: 'gateway.envoyproxy.io', resources: ['backends', 'envoypatchpolicies', 'envoyextensionpolicies'] },
  { group: 'external-secrets.io', resources: ['secretstores'] },
];

/** ClusterRoles a tenant may not bind: only the platform's team bindings grant `edit`, and nothing grants `admin` or `cluster-admin` in a team namespace. */
export const TENANT_FORBIDDEN_ROLES: readonly string[] = ['cluster-admin', 'admin', 'edit'];

/** The prefix of the names of the platform's own objects in a team namespace. */
export const PLATFORM_OBJECT_PREFIX = 'platform-';

/** The policies every team namespace shares: they need no fact of one team. */
function sharedPolicies(namespaces: readonly string[]): BoundPolicy[] {
  const target = `(request.operation == "DELETE" ? oldObject : object)`;
  return [
    bound('platform-tenant-forbidden-kinds', namespaces,
      TENANT_FORBIDDEN_RESOURCES.map((r) => rule([r.group], r.resources)),
      [{ expression: 'false', message: 'Gateways, ReferenceGrants, Backends, EnvoyPatchPolicies, EnvoyExtensionPolicies and SecretStores in a team namespace are the platform\'s to write' }]),
    bound('platform-tenant-services', namespaces, [rule([''], ['services'])], [
      { expression: '!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0', message: 'a tenant Service may not set spec.externalIPs (CVE-2020-8554: it intercepts traffic to those addresses)' },
      { expression: '!has(object.spec.type) || !(object.spec.type in ["NodePort", "LoadBalancer"])', message: 'a tenant Service may not be of type NodePort or LoadBalancer: expose it through the platform Gateway' },
    ]),
    bound('platform-tenant-role-bindings', namespaces, [rule(['rbac.authorization.k8s.io'], ['rolebindings'])], [
      { expression: `!(object.roleRef.kind == "ClusterRole" && object.roleRef.name in ${celStrings(TENANT_FORBIDDEN_ROLES)})`, message: `a tenant RoleBinding may not grant ${TENANT_FORBIDDEN_ROLES.join(', ')}: the team definition grants access` },
    ]),
    bound('platform-tenant-platform-objects', namespaces, [
      rule([''], ['resourcequotas', 'limitranges'], ['CREATE', 'UPDATE', 'DELETE']),
      rule(['networking.k8s.io'], ['networkpolicies'], ['CREATE', 'UPDATE', 'DELETE']),
      rule(['rbac.authorization.k8s.io'], ['roles', 'rolebindings'], ['CREATE', 'UPDATE', 'DELETE']),
    ], [
      { expression: '!(request.resource.resource in ["resourcequotas", "limitranges"])', message: 'quotas and limit ranges in a team namespace are the platform\'s: change them in the team definition' },
      { expression: `!${target}.metadata.name.startsWith(${JSON.stringify(PLATFORM_OBJECT_PREFIX)})`, message: `objects named ${PLATFORM_OBJECT_PREFIX}* in a team namespace are the platform's: change them in the team definition` },
    ]),
  ];
}

/** The CEL that says a network policy peer is one the team declared. */
function peerAllowed(scope: TenantScope, peer: string): string {
  const namespaces = celStrings([...new Set([...scope.namespaces, ...PLATFORM_PEER_NAMESPACES])].sort());
  const sel = `${peer}.namespaceSelector.matchLabels`;
  const byName = `(${JSON.stringify(NAMESPACE_NAME_LABEL)} in ${sel} && ${sel}[${JSON.stringify(NAMESPACE_NAME_LABEL)}] in ${namespaces})`;
  const byTeam = `(${JSON.stringify(PlatformLabels.team)} in ${sel} && ${sel}[${JSON.stringify(PlatformLabels.team)}] == ${JSON.stringify(scope.team)})`;
  const block = `cidr(${peer}.ipBlock.cidr)`;
  const inDeclared = `${celStrings(scope.cidrs)}.exists(c, cidr(c).containsIP(${block}.ip()) && ${block}.prefixLength() >= cidr(c).prefixLength())`;
  return `(has(${peer}.ipBlock) ? ${inDeclared} : (!has(${peer}.namespaceSelector) || (has(${sel}) && (${byName} || ${byTeam}))))`;
}

/** The policy of one team: the hosts, external names, network peers and endpoint addresses it declared. */
function teamPolicy(scope: TenantScope, reserved: readonly ReservedRange[]): BoundPolicy {
  const endpointCidrs = scope.endpointCidrs ?? [];
  const hosts = celStrings(scope.hosts);
  const all = (list: string, v: string, cond: string): string => `${list}.all(${v}, ${cond})`;
  const nonEmpty = (path: string): string => `has(${path}) && size(${path}) > 0`;
  const annotations = 'object.metadata.annotations';
  const netRules = (direction: 'ingress' | 'egress', peers: 'from' | 'to'): string =>
    `!has(object.spec.${direction}) || ${all(`object.spec.${direction}`, 'r', `${nonEmpty(`r.${peers}`)} && ${all(`r.${peers}`, 'p', peerAllowed(scope, 'p'))}`)}`;
  return bound(`platform-tenant-${scope.team}`, scope.namespaces, [
    rule([''], ['services']),
    rule(['networking.k8s.io'], ['networkpolicies', 'ingresses']),
    rule(['gateway.networking.k8s.io'], ['httproutes', 'listenersets']),
    rule(['cert-manager.io'], ['certificates']),
    rule(['discovery.k8s.io'], ['endpointslices']),
  ], [
    {
      expression: onlyFor('', 'services', `!has(object.spec.type) || object.spec.type != "ExternalName" || (has(object.spec.externalName) && object.spec.externalName in ${celStrings(scope.externalNames)})`),
      message: `an ExternalName Service of team ${scope.team} may alias only the external names the team declared: ${scope.externalNames.join(', ') || '(none)'}`,
    },
    {
      expression: onlyFor('gateway.networking.k8s.io', 'httproutes', `${nonEmpty('object.spec.hostnames')} && ${all('object.spec.hostnames', 'h', `h in ${hosts}`)}`),
      message: `an HTTPRoute of team ${scope.team} must name its hosts, all among the team's: ${scope.hosts.join(', ') || '(none)'}`,
    },
    {
      expression: onlyFor('gateway.networking.k8s.io', 'listenersets', all('object.spec.listeners', 'l', `has(l.hostname) && l.hostname in ${hosts}`)),
      message: `a ListenerSet of team ${scope.team} may listen only for the team's hosts: ${scope.hosts.join(', ') || '(none)'}`,
    },
    {
      expression: onlyFor('networking.k8s.io', 'ingresses', [
        '!has(object.spec.defaultBackend)',
        nonEmpty('object.spec.rules'),
        all('object.spec.rules', 'r', `has(r.host) && r.host in ${hosts}`),
        `(!has(object.spec.tls) || ${all('object.spec.tls', 't', `${nonEmpty('t.hosts')} && ${all('t.hosts', 'h', `h in ${hosts}`)}`)})`,
        `(!has(${annotations}) || !("cert-manager.io/common-name" in ${annotations}) || ${annotations}["cert-manager.io/common-name"] in ${hosts})`,
      ].join(' && ')),
      message: `an Ingress of team ${scope.team} must name its hosts (no default backend), its rules, TLS hosts and certificate annotations all among the team's: ${scope.hosts.join(', ') || '(none)'}`,
    },
    {
      expression: onlyFor('cert-manager.io', 'certificates', [
        nonEmpty('object.spec.dnsNames'),
        all('object.spec.dnsNames', 'h', `h in ${hosts}`),
        `(!has(object.spec.commonName) || object.spec.commonName in ${hosts})`,
        '!has(object.spec.ipAddresses)', '!has(object.spec.uris)', '!has(object.spec.emailAddresses)', '!has(object.spec.otherNames)',
      ].join(' && ')),
      message: `a Certificate of team ${scope.team} may name only the team's hosts (no addresses, URIs or e-mail names): ${scope.hosts.join(', ') || '(none)'}`,
    },
    // The platform's other issuers (the etcd metrics CA among them) sign only the platform's
    // certificates, and a tenant's certificate is never a CA (one would sign any name it likes).
    {
      expression: onlyFor('cert-manager.io', 'certificates', [
        'has(object.spec.issuerRef)', "object.spec.issuerRef.kind == 'ClusterIssuer'",
        "(!has(object.spec.issuerRef.group) || object.spec.issuerRef.group == 'cert-manager.io')",
        `object.spec.issuerRef.name in ${celStrings(TENANT_ISSUERS)}`,
        '(!has(object.spec.isCA) || !object.spec.isCA)',
      ].join(' && ')),
      message: `a Certificate of team ${scope.team} must be issued by the ClusterIssuer ${TENANT_ISSUERS.join(' or ')}, and must not be a CA`,
    },
    {
      expression: onlyFor('networking.k8s.io', 'networkpolicies', `(${netRules('ingress', 'from')}) && (${netRules('egress', 'to')})`),
      message: `a NetworkPolicy of team ${scope.team} may name only the team's namespaces, the platform's (${PLATFORM_PEER_NAMESPACES.join(', ')}) and blocks inside its declared ones (${scope.cidrs.join(', ') || 'none'}), each rule with its peers (an empty peer list or namespace selector means everyone)`,
    },
    // CVE-2021-25740: an endpoint is where the Service, and the Gateway routing to it, sends
    // traffic. A tenant's may point only outside the cluster, into the blocks its team declared.
    {
      expression: onlyFor('discovery.k8s.io', 'endpointslices', `has(object.addressType) && object.addressType in ${celStrings(ENDPOINT_ADDRESS_TYPES)}`),
      message: `an EndpointSlice of team ${scope.team} must be of addressType ${ENDPOINT_ADDRESS_TYPES.join(' or ')}: list addresses, never a name`,
    },
    {
      expression: onlyFor('discovery.k8s.io', 'endpointslices', `!has(object.endpoints) || object.endpoints.all(e, !has(e.addresses) || e.addresses.all(a, ${celStrings(endpointCidrs)}.exists(c, cidr(c).containsIP(a)) && !${celStrings(reserved.map((r) => r.cidr))}.exists(c, cidr(c).containsIP(a))))`),
      message: `an EndpointSlice of team ${scope.team} may point only into the team's externalAddresses (${endpointCidrs.join(', ') || 'none'}), never into ${reserved.map((r) => `${r.cidr} (${r.what})`).join(', ')}`,
    },
  ]);
}

/**
 * Every admission policy of a cluster's teams, with its binding: the shared ones first, then one
 * per team. `reserved` are the cluster's own networks (pods, Services, nodes), which no tenant
 * EndpointSlice may point into, besides loopback and link-local.
 */
export function tenantAdmissionPolicies(scopes: readonly TenantScope[], reserved: readonly ReservedRange[] = []): BoundPolicy[] {
  if (scopes.length === 0) return [];
  const ranges = [...ALWAYS_RESERVED, ...reserved];
  return [...sharedPolicies(scopes.flatMap((s) => s.namespaces)), ...scopes.map((s) => teamPolicy(s, ranges))];
}

/**
 * The admission policies of a cluster's teams as objects of a chart (see
 * {@link tenantAdmissionPolicies}).
 */
export class TenantAdmission extends Construct {
  /** The policies and bindings written. */
  public readonly policies: readonly BoundPolicy[];

  public constructor(scope: Construct, id: string, scopes: readonly TenantScope[], reserved: readonly ReservedRange[] = []) {
    super(scope, id);
    this.policies = tenantAdmissionPolicies(scopes, reserved);
    for (const { policy, binding } of this.policies) {
      new ApiObject(this, `${policy.metadata.name}-policy`, policy);
      new ApiObject(this, `${binding.metadata.name}-binding`, binding);
    }
  }
}
