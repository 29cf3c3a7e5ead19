import { ApiObject } from 'cdk8s';
import type { Construct, IConstruct } from 'constructs';
import { Cidr, PlatformChart, formatProblem, pathOf } from '../core';
import { identityOf } from '../policy/manifest';
import { declareTenancyFacts, type PodTemplateKind, type ReservedRange } from '../policy/tenancy-facts';
import { PLATFORM_OBJECT_PREFIX, TenantAdmission, type TenantScope } from './admission-policies';
import type { Team } from './team';

/** What the admission policies know of a team, from its construct. */
export function tenantScopeOf(team: Team): TenantScope {
  return {
    team: team.name,
    namespaces: team.namespaceNames,
    hosts: team.hosts,
    externalNames: team.externalNames,
    cidrs: [...new Set([...team.externalAddresses, ...team.namespaces.flatMap((n) => n.egressTo)].map((c) => c.toString()))].sort(),
    endpointCidrs: [...new Set(team.externalAddresses.map((c) => c.toString()))].sort(),
  };
}

/** The networks of a cluster, as its network plan holds them. */
export interface ClusterNetworks {
  readonly podCidr: Cidr;
  readonly serviceCidr: Cidr;
  readonly nonMasqueradeCidr: Cidr;
  readonly subnets: readonly { readonly name: string; readonly cidr: Cidr }[];
}

/** The blocks of a cluster's own networks, which no tenant endpoint may point into: pods, Services, the cluster-internal range and the node subnets. */
export function clusterReservedRanges(networks: ClusterNetworks): ReservedRange[] {
  return [
    { cidr: networks.podCidr.toString(), what: 'the pod network' },
    { cidr: networks.serviceCidr.toString(), what: 'the Service network' },
    { cidr: networks.nonMasqueradeCidr.toString(), what: 'the cluster-internal range' },
    ...networks.subnets.map((s) => ({ cidr: s.cidr.toString(), what: `the node subnet ${s.name}` })),
  ];
}

/** What the cluster tells tenant admission besides its teams. */
export interface TenantAdmissionOptions {
  /** The cluster's own networks (pods, Services, nodes): no tenant EndpointSlice may point into them. @default [] - loopback and link-local only */
  readonly reserved?: readonly ReservedRange[];
  /** Custom kinds that carry a pod template: checked at their template path, and held by team namespaces. @default [] */
  readonly podTemplateKinds?: readonly PodTemplateKind[];
}

/** Hosts a team declares that a team earlier in the list declares too (reported once, by the later team). */
export function hostsClaimedTwice(teams: readonly Team[]): string[] {
  return teams.flatMap((team, i) => team.hosts.flatMap((host) => {
    const other = teams.slice(0, i).find((t) => t.hosts.includes(host));
    if (other === undefined) return [];
    return [formatProblem({
      path: pathOf(team), field: 'hosts', value: host,
      rule: `is declared by team ${other.name} (${pathOf(other)}) too`, fix: 'give each host to exactly one team',
    })];
  }));
}

/** The host names an object carries, by the field that carries them, for the kinds that route or certify a host. */
export function hostsOf(json: unknown): { field: string; host: string }[] {
  const o = json as { kind?: string; spec?: Record<string, unknown> };
  const spec = o.spec ?? {};
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const items = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
  switch (o.kind) {
    case 'HTTPRoute': case 'GRPCRoute': case 'TLSRoute':
      return strings(spec.hostnames).map((host) => ({ field: 'spec.hostnames', host }));
    case 'ListenerSet':
      return items(spec.listeners).flatMap((l) => (typeof l.hostname === 'string' ? [{ field: 'spec.listeners.hostname', host: l.hostname }] : []));
    case 'Ingress':
      return [
        ...items(spec.rules).flatMap((r) => (typeof r.host === 'string' ? [{ field: 'spec.rules.host', host: r.host }] : [])),
        ...items(spec.tls).flatMap((t) => strings(t.hosts).map((host) => ({ field: 'spec.tls.hosts', host }))),
      ];
    case 'Certificate':
      return [
        ...strings(spec.dnsNames).map((host) => ({ field: 'spec.dnsNames', host })),
        ...(typeof spec.commonName === 'string' ? [{ field: 'spec.commonName', host: spec.commonName }] : []),
      ];
    default:
      return [];
  }
}

/**
 * Routes, listeners and certificates in a team's namespace for a host the team did not declare:
 * the synth-time twin of the team's admission policy.
 */
export function hostsOutsideTheirTeams(scope: IConstruct, teams: readonly Team[]): string[] {
  return scope.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .flatMap((obj) => {
      const json: unknown = obj.toJson();
      const team = teams.find((t) => t.namespaceNames.includes(identityOf(json).namespace));
      if (team === undefined) return [];
      return hostsOf(json).filter((h) => !team.hosts.includes(h.host)).map((h) => formatProblem({
        path: pathOf(obj), field: h.field, value: h.host,
        rule: `is outside team ${team.name}'s hosts [${team.hosts.join(', ')}]`,
        fix: "declare the host in the team's hosts in the cluster definition (no other team may declare it), or serve one the team has",
      }));
    });
}

interface PolicyPeers {
  readonly spec?: {
    readonly ingress?: readonly { readonly from?: readonly { readonly ipBlock?: { readonly cidr?: string } }[] }[];
    readonly egress?: readonly { readonly to?: readonly { readonly ipBlock?: { readonly cidr?: string } }[] }[];
  };
}

/** Whether `text` is a block inside one of `declared`. */
function insideOneOf(text: string, declared: readonly Cidr[]): boolean {
  try {
    const block = Cidr.of(text);
    return declared.some((d) => d.contains(block));
  } catch {
    return false;
  }
}

/**
 * Address blocks in a team's own NetworkPolicies (its services' allowTo an ExternalService) that
 * lie outside every block the team declared: the synth-time twin of the team policy's peer rule.
 */
export function blocksOutsideTheirTeams(scope: IConstruct, teams: readonly Team[]): string[] {
  return scope.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'NetworkPolicy' && !c.name.startsWith(PLATFORM_OBJECT_PREFIX))
    .flatMap((obj) => {
      const json = obj.toJson() as PolicyPeers;
      const team = teams.find((t) => t.namespaceNames.includes(identityOf(json).namespace));
      if (team === undefined) return [];
      const declared = [...team.externalAddresses, ...team.namespaces.flatMap((n) => n.egressTo)];
      const blocks = [
        ...(json.spec?.ingress ?? []).flatMap((r) => r.from ?? []).map((p) => ({ field: 'spec.ingress.from.ipBlock.cidr', cidr: p.ipBlock?.cidr })),
        ...(json.spec?.egress ?? []).flatMap((r) => r.to ?? []).map((p) => ({ field: 'spec.egress.to.ipBlock.cidr', cidr: p.ipBlock?.cidr })),
      ].filter((b): b is { field: string; cidr: string } => b.cidr !== undefined);
      return blocks.filter((b) => !insideOneOf(b.cidr, declared)).map((b) => formatProblem({
        path: pathOf(obj), field: b.field, value: b.cidr,
        rule: `is outside team ${team.name}'s address blocks [${declared.map(String).join(', ')}]`,
        fix: "declare a block around it in the team's externalAddresses in the cluster definition (the cluster refuses it otherwise), or fix the address",
      }));
    });
}

/**
 * Adds the admission policies of a cluster's teams as their own Chart (`tenant-admission`,
 * applied with the teams) under `scope` (the cluster's Environment), registers the checks
 * that need every team: no host declared by two teams, no route for a host its team did not
 * declare, no network policy of a team naming a block outside the team's; and tells the policy
 * check, for every object under `scope`, the teams' endpoint blocks, the reserved networks and
 * the custom pod-bearing kinds.
 */
export function addTenantAdmission(scope: Construct, teams: readonly Team[], options: TenantAdmissionOptions = {}): TenantAdmission {
  const reserved = options.reserved ?? [];
  declareTenancyFacts(scope, {
    tenantNamespaces: teams.flatMap((t) => t.namespaceNames.map((namespace) => ({ namespace, addressBlocks: t.externalAddresses.map(String) }))),
    reservedRanges: reserved,
    podTemplateKinds: options.podTemplateKinds ?? [],
  });
  const chart = new PlatformChart(scope, 'tenant-admission', { phase: 'teams' });
  const admission = new TenantAdmission(chart, 'policies', teams.map(tenantScopeOf), reserved);
  chart.node.addValidation({ validate: () => [...hostsClaimedTwice(teams), ...hostsOutsideTheirTeams(scope, teams), ...blocksOutsideTheirTeams(scope, teams)] });
  return admission;
}
