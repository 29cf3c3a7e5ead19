import { Cidr, PlatformLabels } from '../core';
import { arr, declaredGroupKind, declaredKindOf, groupKindOf, isEmptySelector, isObject, num, obj, podTemplateOf, selects, str, strings, type JsonObject } from './manifest';
import { NO_TENANCY_FACTS, type MergedTenancyFacts } from './tenancy-facts';
import type { ObjectIdentity } from '../core';
import { checkPodTemplate, containerServing, type Finding } from './pod-checks';

/** An object of the tree in its JSON form. */
export interface CheckedObject {
  readonly json: JsonObject;
  readonly id: ObjectIdentity;
  /** The tenancy facts declared above the object. @default - none beyond the ranges every cluster reserves */
  readonly facts?: MergedTenancyFacts;
}

/** Findings of one object on its own: its pod template, and the kind-specific rules. */
export function checkObject(json: JsonObject, facts: MergedTenancyFacts = NO_TENANCY_FACTS): Finding[] {
  const out: Finding[] = [];
  const declared = declaredKindOf(json, facts.podTemplateKinds);
  const template = podTemplateOf(json, facts.podTemplateKinds);
  if (declared !== undefined && template?.hasSpec !== true) {
    out.push({
      rule: 'pod-template', field: `${declared.templatePath}.spec`,
      problem: `must hold the pod spec: the platform declares ${declaredGroupKind(declared)} carries its pod template at ${declared.templatePath}`,
      fix: 'write the pod template where the declaration says, or correct the templatePath of the declaration in the cluster definition',
    });
  }
  if (template !== undefined) out.push(...checkPodTemplate(template));
  const kind = str(json, 'kind');
  if (kind === 'Secret') {
    for (const field of ['data', 'stringData'] as const) {
      if (Object.keys(obj(json, field)).length > 0) {
        out.push({ rule: 'secret-data', field, problem: 'must not hold values in a synthesized manifest', fix: 'let the deploy step create the Secret (from the CI secret store) and reference it by name' });
      }
    }
  }
  if (kind === 'Service' && str(obj(json, 'spec'), 'type') === 'LoadBalancer') {
    out.push({ rule: 'load-balancer', field: 'spec.type', problem: 'must not be LoadBalancer (each one is a cloud load balancer open to the network)', value: 'LoadBalancer', fix: 'route through the ingress controller with an Ingress, or exempt it with the reason' });
  }
  if (kind === 'CronJob') {
    const policy = str(obj(json, 'spec'), 'concurrencyPolicy') ?? 'Allow';
    if (policy === 'Allow') {
      out.push({ rule: 'cronjob-concurrency', field: 'spec.concurrencyPolicy', problem: 'must not be Allow (slow runs pile up)', value: policy, fix: "set concurrencyPolicy 'Forbid' (or 'Replace')" });
    }
  }
  return out;
}

/** Findings that relate objects to each other, keyed by the object they are reported on. */
export interface RelatedFinding {
  readonly on: CheckedObject;
  readonly finding: Finding;
}

function templated(objects: readonly CheckedObject[]) {
  return objects.flatMap((o) => {
    const t = podTemplateOf(o.json, o.facts?.podTemplateKinds);
    return t === undefined ? [] : [{ o, t }];
  });
}

/** A readiness probe on every container that serves the port of a Service selecting its pods. */
export function checkReadiness(objects: readonly CheckedObject[]): RelatedFinding[] {
  const workloads = templated(objects);
  const seen = new Set<string>();
  const out: RelatedFinding[] = [];
  for (const svc of objects.filter((o) => o.id.kind === 'Service')) {
    const selector = strings(obj(svc.json, 'spec'), 'selector');
    if (Object.keys(selector).length === 0) continue;
    for (const { o, t } of workloads) {
      if (o.id.namespace !== svc.id.namespace || !selects({ matchLabels: selector }, t.labels)) continue;
      for (const port of arr(obj(svc.json, 'spec'), 'ports')) {
        const target = (isObject(port) ? port.targetPort : undefined) ?? num(port, 'port');
        const served = containerServing(t, target);
        if (served === undefined || served.container.readinessProbe !== undefined) continue;
        const key = `${o.id.kind}|${o.id.namespace}|${o.id.name}|${served.field}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({
          on: o,
          finding: {
            rule: 'readiness-probe', field: `${served.field}.readinessProbe`,
            problem: `must be set: the container serves port ${String(target)} of Service ${svc.id.namespace}/${svc.id.name}`,
            fix: 'give the container a readiness probe, so the Service sends traffic only to pods that are ready',
          },
        });
      }
    }
  }
  return out;
}

/** Whether a NetworkPolicy selects every pod and denies the given direction outright. */
function deniesAll(policy: JsonObject, direction: 'Ingress' | 'Egress'): boolean {
  const spec = obj(policy, 'spec');
  const types = arr(spec, 'policyTypes');
  const rules = arr(spec, direction === 'Ingress' ? 'ingress' : 'egress');
  return isEmptySelector(obj(spec, 'podSelector')) && types.includes(direction) && rules.length === 0;
}

/** Every team namespace (labelled with its team) has default-deny ingress and egress policies. */
export function checkDefaultDeny(objects: readonly CheckedObject[]): RelatedFinding[] {
  const out: RelatedFinding[] = [];
  for (const ns of objects.filter((o) => o.id.kind === 'Namespace')) {
    const team = strings(obj(ns.json, 'metadata'), 'labels')[PlatformLabels.team];
    if (team === undefined) continue;
    const policies = objects.filter((o) => o.id.kind === 'NetworkPolicy' && o.id.namespace === ns.id.name);
    const missing = (['Ingress', 'Egress'] as const).filter((d) => !policies.some((p) => deniesAll(p.json, d)));
    if (missing.length === 0) continue;
    out.push({
      on: ns,
      finding: {
        rule: 'default-deny', field: 'metadata.name',
        problem: `must have a default-deny NetworkPolicy for ${missing.join(' and ')} (team ${team})`,
        fix: 'declare the namespace through a Team, which writes the default-deny policies, or add a policy with an empty podSelector and no rules',
      },
    });
  }
  return out;
}

/** Every Deployment with two replicas or more has a PodDisruptionBudget selecting its pods. */
export function checkPdb(objects: readonly CheckedObject[]): RelatedFinding[] {
  const out: RelatedFinding[] = [];
  const pdbs = objects.filter((o) => o.id.kind === 'PodDisruptionBudget');
  for (const d of objects.filter((o) => o.id.kind === 'Deployment')) {
    const replicas = num(obj(d.json, 'spec'), 'replicas') ?? 1;
    const labels = podTemplateOf(d.json)?.labels ?? {};
    if (replicas < 2) continue;
    const covered = pdbs.some((p) => p.id.namespace === d.id.namespace && selects(obj(obj(p.json, 'spec'), 'selector'), labels));
    if (covered) continue;
    out.push({
      on: d,
      finding: {
        rule: 'pdb', field: 'spec.replicas', value: replicas,
        problem: 'needs a PodDisruptionBudget selecting the pods when replicas >= 2',
        fix: 'add a PodDisruptionBudget (maxUnavailable: 1) over the Deployment\'s pod labels, so node drains keep the service up',
      },
    });
  }
  return out;
}

/**
 * The kinds a team namespace holds: what the app constructs and the team's own definition write
 * (group/Kind, the core group as ``). Anything else there (a DaemonSet, a bare Pod, a
 * ReplicationController, a custom kind) is refused unless the platform declares it with an
 * exemption from `tenant-kind`.
 */
export const TENANT_KINDS: readonly string[] = [
  '/ConfigMap', '/Service', '/ServiceAccount', '/Secret', '/ResourceQuota', '/LimitRange', '/PersistentVolumeClaim',
  'discovery.k8s.io/EndpointSlice', 'apps/Deployment', 'apps/StatefulSet', 'batch/Job', 'batch/CronJob',
  'policy/PodDisruptionBudget', 'autoscaling/HorizontalPodAutoscaler', 'networking.k8s.io/NetworkPolicy',
  'rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/RoleBinding',
  'gateway.networking.k8s.io/HTTPRoute', 'gateway.networking.k8s.io/ListenerSet', 'cert-manager.io/Certificate',
  'gateway.envoyproxy.io/BackendTrafficPolicy', 'monitoring.coreos.com/PrometheusRule',
  // A service's ExternalSecret, and the team's SecretStore (the team definition writes it; the
  // admission policies refuse a store written by the tenant itself).
  'external-secrets.io/ExternalSecret', 'external-secrets.io/SecretStore',
];

/** The namespaces the tenant rules apply to: those labelled with their team in the tree, and those declared in the tenancy facts. */
function tenantNamespaces(objects: readonly CheckedObject[]): (o: CheckedObject) => boolean {
  const labelled = new Set(objects
    .filter((o) => o.id.kind === 'Namespace' && strings(obj(o.json, 'metadata'), 'labels')[PlatformLabels.team] !== undefined)
    .map((o) => o.id.name));
  return (o) => o.id.namespace !== '' && (labelled.has(o.id.namespace) || (o.facts?.tenantNamespaces.has(o.id.namespace) ?? false));
}

/**
 * Objects in a team namespace (one labelled with its team in the tree, or declared in the tenancy
 * facts) of a kind outside {@link TENANT_KINDS} and the custom pod-bearing kinds the platform
 * declares.
 */
export function checkTenantKinds(objects: readonly CheckedObject[]): RelatedFinding[] {
  const inTeamNamespace = tenantNamespaces(objects);
  return objects
    .filter((o) => inTeamNamespace(o) && !TENANT_KINDS.includes(groupKindOf(o.json)) && declaredKindOf(o.json, o.facts?.podTemplateKinds ?? []) === undefined)
    .map((o) => ({
      on: o,
      finding: {
        rule: 'tenant-kind', field: 'kind', value: groupKindOf(o.json),
        problem: 'is not a kind a team namespace holds',
        fix: 'use the app constructs, or have the platform declare the kind (a custom pod-bearing kind in podTemplateKinds, another with an exemption from tenant-kind and its reason)',
      },
    }));
}

/** The endpoint address types a tenant may write: addresses, never a name (`FQDN` endpoints are deprecated and resolved by nobody the platform controls). */
export const ENDPOINT_ADDRESS_TYPES: readonly string[] = ['IPv4', 'IPv6'];

/**
 * EndpointSlices in a team namespace (CVE-2021-25740): of address type IPv4 or IPv6, every address
 * outside the reserved ranges (loopback, link-local, the cluster's pod, service and node networks)
 * and, where the team's declared blocks are known, inside one of them. The synth-time twin of the
 * team admission policy's EndpointSlice rules.
 */
export function checkEndpointAddresses(objects: readonly CheckedObject[]): RelatedFinding[] {
  const inTeamNamespace = tenantNamespaces(objects);
  const out: RelatedFinding[] = [];
  for (const o of objects.filter((x) => groupKindOf(x.json) === 'discovery.k8s.io/EndpointSlice' && inTeamNamespace(x))) {
    const facts = o.facts ?? NO_TENANCY_FACTS;
    const type = str(o.json, 'addressType');
    if (type === undefined || !ENDPOINT_ADDRESS_TYPES.includes(type)) {
      out.push({ on: o, finding: { rule: 'endpoint-addresses', field: 'addressType', value: type ?? null, problem: `must be ${ENDPOINT_ADDRESS_TYPES.join(' or ')}`, fix: 'list the IP addresses (an ExternalService by addresses), or alias a DNS name with an ExternalService by dnsName' } });
    }
    const blocks = facts.tenantNamespaces.get(o.id.namespace)?.addressBlocks;
    arr(o.json, 'endpoints').forEach((e, i) => {
      arr(e, 'addresses').forEach((a, j) => {
        const field = `endpoints[${i}].addresses[${j}]`;
        const address = typeof a === 'string' ? a : '';
        const reserved = facts.reservedRanges.find((r) => Cidr.of(r.cidr).containsAddress(address));
        if (reserved !== undefined) {
          out.push({ on: o, finding: { rule: 'endpoint-addresses', field, value: a, problem: `is inside ${reserved.cidr}, ${reserved.what}: no tenant endpoint may point there`, fix: 'give the address of the service outside the cluster' } });
        } else if (blocks !== undefined && !blocks.some((b) => Cidr.of(b).containsAddress(address))) {
          out.push({ on: o, finding: { rule: 'endpoint-addresses', field, value: a, problem: `is outside the team's externalAddresses [${blocks.join(', ')}]`, fix: "declare a block around it in the team's externalAddresses in the cluster definition (the cluster refuses it otherwise), or fix the address" } });
        }
      });
    });
  }
  return out;
}
