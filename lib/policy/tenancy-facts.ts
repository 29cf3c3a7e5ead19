import type { IConstruct } from 'constructs';
import { Cidr, PlatformError } from '../core';
import { BUILT_IN_POD_KINDS, declaredGroupKind } from './manifest';

/**
 * A custom kind whose objects carry a pod template (an operator's workload: an Argo Rollout, a
 * Knative Service), declared by the platform so that the policy check finds the template and
 * checks it as it checks a Deployment's, and a team namespace may hold the kind.
 *
 * @example
 * { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', plural: 'rollouts', templatePath: 'spec.template' }
 */
export interface PodTemplateKind {
  /** The kind's group and version (`argoproj.io/v1alpha1`); objects of any version of the group match. */
  readonly apiVersion: string;
  /** The kind (`Rollout`). */
  readonly kind: string;
  /** Where in an object the pod template (its `metadata` and `spec`) is, as dotted field names (`spec.template`). */
  readonly templatePath: string;
  /** The kind's resource name, the CRD's `spec.names.plural` (`rollouts`): what a team's deploy Role is granted. */
  readonly plural: string;
  /**
   * Where an object says how many pods it runs, as dotted field names; the quota check counts
   * that many (an HPA's `maxReplicas` when one scales the object), and a missing field one, as for
   * a Deployment. A custom kind's rollout surge is its operator's, not known here: none is counted.
   * @default 'spec.replicas'
   */
  readonly replicasPath?: string;
}

/** An address block no tenant EndpointSlice may name, and what it is. */
export interface ReservedRange {
  /** The block (`100.96.0.0/11`). */
  readonly cidr: string;
  /** What lives there, for messages (`the pod network`). */
  readonly what: string;
}

/** A team namespace as the policy check knows it when its Namespace is not in the tree. */
export interface TenantNamespaceFacts {
  /** The namespace. */
  readonly namespace: string;
  /** The address blocks the namespace's team declared (its `externalAddresses`). @default - not known here: only the reserved ranges are checked */
  readonly addressBlocks?: readonly string[];
}

/** What the platform tells the policy check about tenancy, for the objects at or under a construct. */
export interface TenancyFacts {
  /** Team namespaces besides those whose Namespace (labelled with its team) is in the tree. @default [] */
  readonly tenantNamespaces?: readonly TenantNamespaceFacts[];
  /** Blocks no tenant EndpointSlice may name besides loopback and link-local (the cluster's pod, service and node networks). @default [] */
  readonly reservedRanges?: readonly ReservedRange[];
  /** Custom kinds that carry a pod template. @default [] */
  readonly podTemplateKinds?: readonly PodTemplateKind[];
}

/** Facts in force for one object, merged from every construct above it. */
export interface MergedTenancyFacts {
  readonly tenantNamespaces: ReadonlyMap<string, TenantNamespaceFacts>;
  readonly reservedRanges: readonly ReservedRange[];
  readonly podTemplateKinds: readonly PodTemplateKind[];
}

/**
 * What an EndpointSlice of a tenant may never name, in any cluster: loopback (RFC 1122) and
 * link-local (RFC 3927, the cloud's instance metadata service among it). CVE-2021-25740: an
 * endpoint is where the Service, and the Gateway routing to it, sends traffic.
 */
export const ALWAYS_RESERVED: readonly ReservedRange[] = [
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: '169.254.0.0/16', what: 'link-local (the instance metadata service)' },
];

const METADATA_TYPE = 'platform-constructs/policy-tenancy-facts';

const PATH = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;
/** A resource name as a CRD's `spec.names.plural` takes it (a DNS label, lower case). */
const PLURAL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Every problem of the declared kinds, each a PlatformError's lines. */
function podTemplateKindProblems(scope: IConstruct, kinds: readonly PodTemplateKind[]): PlatformError[] {
  return kinds.flatMap((k, i): PlatformError[] => {
    const out: PlatformError[] = [];
    const at = `podTemplateKinds[${i}]`;
    const slash = k.apiVersion.indexOf('/');
    if (slash <= 0 || slash === k.apiVersion.length - 1 || k.apiVersion.indexOf('/', slash + 1) >= 0 || !k.apiVersion.slice(0, slash).includes('.')) {
      out.push(PlatformError.at(scope, { field: `${at}.apiVersion`, value: k.apiVersion, rule: 'is not the group/version of a custom kind', fix: "write the CRD's group and version, e.g. 'argoproj.io/v1alpha1'" }));
    }
    if (!KIND.test(k.kind)) {
      out.push(PlatformError.at(scope, { field: `${at}.kind`, value: k.kind, rule: 'is not a kind name', fix: "write the kind as the CRD names it, e.g. 'Rollout'" }));
    }
    if (BUILT_IN_POD_KINDS.includes(k.kind)) {
      out.push(PlatformError.at(scope, { field: `${at}.kind`, value: k.kind, rule: 'is a built-in pod-bearing kind the check reads already', fix: 'declare only custom kinds' }));
    }
    if (!PATH.test(k.templatePath)) {
      out.push(PlatformError.at(scope, { field: `${at}.templatePath`, value: k.templatePath, rule: 'is not a dotted path of field names', fix: "write where the pod template is, e.g. 'spec.template'" }));
    }
    if (!PLURAL.test(k.plural)) {
      out.push(PlatformError.at(scope, { field: `${at}.plural`, value: k.plural, rule: 'is not a resource name', fix: "write the CRD's spec.names.plural, lower case, e.g. 'rollouts'" }));
    }
    if (k.replicasPath !== undefined && !PATH.test(k.replicasPath)) {
      out.push(PlatformError.at(scope, { field: `${at}.replicasPath`, value: k.replicasPath, rule: 'is not a dotted path of field names', fix: "write where the replica count is, e.g. 'spec.replicas'" }));
    }
    const first = kinds.findIndex((o) => declaredGroupKind(o) === declaredGroupKind(k));
    if (first !== i) {
      out.push(PlatformError.at(scope, { field: at, value: declaredGroupKind(k), rule: `declares the kind podTemplateKinds[${first}] declares`, fix: 'declare each kind once' }));
    }
    return out;
  });
}

function isCidr(text: string): boolean {
  try {
    Cidr.of(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Declares tenancy facts for the policy check, stored on the construct node (like an exemption):
 * they apply to every object at or under `scope`. The platform's composition root declares the
 * cluster's (its teams' address blocks, its networks, its custom pod-bearing kinds); a service
 * repo declares its groups' namespaces as team namespaces.
 */
export function declareTenancyFacts(scope: IConstruct, facts: TenancyFacts): void {
  const problems = [
    ...podTemplateKindProblems(scope, facts.podTemplateKinds ?? []),
    ...(facts.reservedRanges ?? []).flatMap((r, i) => (isCidr(r.cidr) ? [] : [
      PlatformError.at(scope, { field: `reservedRanges[${i}].cidr`, value: r.cidr, rule: 'is not an IPv4 CIDR block', fix: "write address/prefix, e.g. '100.96.0.0/11'" }),
    ])),
  ];
  if (problems.length > 0) throw new PlatformError(problems.flatMap((p) => p.problems));
  scope.node.addMetadata(METADATA_TYPE, facts);
}

/** The facts in force at `scope`: those declared on it and on every construct above it. */
export function tenancyFactsAt(scope: IConstruct): MergedTenancyFacts {
  const declared = scope.node.scopes.flatMap((s) => s.node.metadata.filter((m) => m.type === METADATA_TYPE).map((m) => m.data as TenancyFacts));
  const namespaces = new Map<string, TenantNamespaceFacts>();
  for (const d of declared) for (const n of d.tenantNamespaces ?? []) namespaces.set(n.namespace, n);
  return {
    tenantNamespaces: namespaces,
    reservedRanges: [...ALWAYS_RESERVED, ...declared.flatMap((d) => d.reservedRanges ?? [])],
    podTemplateKinds: declared.flatMap((d) => d.podTemplateKinds ?? []),
  };
}

/** No facts beyond the ranges every cluster reserves. */
export const NO_TENANCY_FACTS: MergedTenancyFacts = { tenantNamespaces: new Map(), reservedRanges: ALWAYS_RESERVED, podTemplateKinds: [] };
