import type { IConstruct } from 'constructs';
import { Cidr, type CidrLike, PlatformError, parseAt } from '../core';

/** How the private subnets reach the internet. */
export type NatMode = 'per-zone' | 'shared';

/** The explicit CIDRs of one zone's two subnets. */
export interface ZoneSubnets {
  /** The private subnet (nodes and masters). */
  readonly private: CidrLike;
  /** The utility subnet (load balancers, NAT gateways). */
  readonly utility: CidrLike;
}

/** The cluster's address plan: the VPC the stack creates, its subnets, and the in-cluster ranges. */
export interface NetworkPlanProps {
  /** The VPC's CIDR block (`10.10.0.0/16`). */
  readonly vpcCidr: CidrLike;
  /**
   * The subnets of each zone, when written by hand; every zone of the cluster must be listed.
   * @default - carved from the VPC in zone order: private blocks of `privateSubnetPrefix` first, then utility blocks of `utilitySubnetPrefix`
   */
  readonly subnets?: Readonly<Record<string, ZoneSubnets>>;
  /** Prefix length of the carved private subnets. @default 19 */
  readonly privateSubnetPrefix?: number;
  /** Prefix length of the carved utility subnets. @default 22 */
  readonly utilitySubnetPrefix?: number;
  /** The range kops treats as in-cluster (no masquerade); pods and services live inside it. @default '100.64.0.0/10' */
  readonly nonMasqueradeCidr?: CidrLike;
  /** The pods' range. @default '100.96.0.0/11' */
  readonly podCidr?: CidrLike;
  /** The services' range. @default '100.64.0.0/13' */
  readonly serviceCidr?: CidrLike;
  /** One NAT gateway per zone (survives a zone outage) or one shared by all zones (cheaper). @default 'per-zone' */
  readonly nat?: NatMode;
}

/** One subnet the stack creates and kops uses. */
export interface PlannedSubnet {
  /** The kops subnet name: the zone for private subnets, `utility-<zone>` for utility ones. */
  readonly name: string;
  readonly zone: string;
  readonly type: 'Private' | 'Utility';
  readonly cidr: Cidr;
  /** For private subnets, the zone whose NAT gateway carries its egress. */
  readonly natZone?: string;
}

/** The resolved plan: what the Pulumi stack creates and what the kops spec refers to. */
export interface NetworkPlan {
  readonly vpcCidr: Cidr;
  readonly subnets: readonly PlannedSubnet[];
  readonly nonMasqueradeCidr: Cidr;
  readonly podCidr: Cidr;
  readonly serviceCidr: Cidr;
  readonly nat: NatMode;
  /** The zones that hold a NAT gateway (in the utility subnet). */
  readonly natZones: readonly string[];
}

/**
 * Carves blocks of the given prefixes out of `vpc` in order, each aligned to its own size, or
 * returns the index of the first block that does not fit.
 */
export function carve(vpc: Cidr, prefixes: readonly number[]): Cidr[] | number {
  let cursor = 0;
  const out: Cidr[] = [];
  for (const [i, prefix] of prefixes.entries()) {
    if (prefix < vpc.prefix || prefix > 28) return i;
    const size = 2 ** (32 - prefix);
    cursor = Math.ceil(cursor / size) * size;
    if (cursor + size > vpc.size) return i;
    out.push(vpc.subnet(prefix, cursor / size));
    cursor += size;
  }
  return out;
}

/** Resolves the plan for `zones` and checks it; errors name `scope` and the `network.*` field. */
export function planNetwork(scope: IConstruct, props: NetworkPlanProps, zones: readonly string[]): NetworkPlan {
  const vpcCidr = parseAt(scope, 'network.vpcCidr', () => Cidr.of(props.vpcCidr));
  const nonMasqueradeCidr = parseAt(scope, 'network.nonMasqueradeCidr', () => Cidr.of(props.nonMasqueradeCidr ?? '100.64.0.0/10'));
  const podCidr = parseAt(scope, 'network.podCidr', () => Cidr.of(props.podCidr ?? '100.96.0.0/11'));
  const serviceCidr = parseAt(scope, 'network.serviceCidr', () => Cidr.of(props.serviceCidr ?? '100.64.0.0/13'));
  const privatePrefix = props.privateSubnetPrefix ?? 19;
  const utilityPrefix = props.utilitySubnetPrefix ?? 22;
  const nat = props.nat ?? 'per-zone';

  const pairs = props.subnets === undefined
    ? carvedPairs(scope, vpcCidr, zones, privatePrefix, utilityPrefix)
    : explicitPairs(scope, props.subnets, zones);

  const firstZone = zones[0] ?? '';
  const subnets: PlannedSubnet[] = [];
  for (const [zone, pair] of pairs) {
    subnets.push({ name: zone, zone, type: 'Private', cidr: pair.private, natZone: nat === 'per-zone' ? zone : firstZone });
  }
  for (const [zone, pair] of pairs) subnets.push({ name: `utility-${zone}`, zone, type: 'Utility', cidr: pair.utility });

  for (const s of subnets) {
    if (!vpcCidr.contains(s.cidr)) {
      throw PlatformError.at(scope, {
        field: `network.subnets.${s.name}`, value: s.cidr.toString(), rule: `is not inside the VPC ${vpcCidr}`,
        fix: 'choose a block inside network.vpcCidr',
      });
    }
  }
  for (const [i, a] of subnets.entries()) {
    for (const b of subnets.slice(i + 1)) {
      if (a.cidr.overlaps(b.cidr)) {
        throw PlatformError.at(scope, {
          field: `network.subnets.${b.name}`, value: b.cidr.toString(), rule: `overlaps subnet ${a.name} (${a.cidr})`,
          fix: 'give every subnet its own block',
        });
      }
    }
  }
  const ranges: ReadonlyArray<readonly [string, Cidr]> = [['podCidr', podCidr], ['serviceCidr', serviceCidr], ['nonMasqueradeCidr', nonMasqueradeCidr]];
  for (const [field, cidr] of ranges) {
    if (cidr.overlaps(vpcCidr)) {
      throw PlatformError.at(scope, {
        field: `network.${field}`, value: cidr.toString(), rule: `overlaps the VPC ${vpcCidr}`,
        fix: 'keep in-cluster ranges outside the VPC (the defaults live in 100.64.0.0/10)',
      });
    }
  }
  if (podCidr.overlaps(serviceCidr)) {
    throw PlatformError.at(scope, {
      field: 'network.serviceCidr', value: serviceCidr.toString(), rule: `overlaps the pod range ${podCidr}`,
      fix: 'give pods and services separate blocks',
    });
  }
  for (const [field, cidr] of ranges.slice(0, 2)) {
    if (!nonMasqueradeCidr.contains(cidr)) {
      throw PlatformError.at(scope, {
        field: `network.${field}`, value: cidr.toString(), rule: `is not inside network.nonMasqueradeCidr ${nonMasqueradeCidr}`,
        fix: 'choose a block inside the non-masquerade range, as kops requires',
      });
    }
  }
  return { vpcCidr, subnets, nonMasqueradeCidr, podCidr, serviceCidr, nat, natZones: nat === 'per-zone' ? [...zones] : [firstZone] };
}

function carvedPairs(scope: IConstruct, vpc: Cidr, zones: readonly string[], privatePrefix: number, utilityPrefix: number): Array<[string, { private: Cidr; utility: Cidr }]> {
  const blocks = carve(vpc, [...zones.map(() => privatePrefix), ...zones.map(() => utilityPrefix)]);
  if (typeof blocks === 'number') {
    throw PlatformError.at(scope, {
      field: 'network.vpcCidr', value: vpc.toString(),
      rule: `cannot hold ${zones.length} private /${privatePrefix} and ${zones.length} utility /${utilityPrefix} subnets`,
      fix: 'use a larger VPC or longer subnet prefixes (privateSubnetPrefix, utilitySubnetPrefix)',
    });
  }
  return zones.map((zone, i) => [zone, { private: blocks[i] as Cidr, utility: blocks[zones.length + i] as Cidr }]);
}

function explicitPairs(scope: IConstruct, subnets: Readonly<Record<string, ZoneSubnets>>, zones: readonly string[]): Array<[string, { private: Cidr; utility: Cidr }]> {
  const extra = Object.keys(subnets).filter((z) => !zones.includes(z)).sort();
  if (extra.length > 0) {
    throw PlatformError.at(scope, { field: 'network.subnets', value: extra.join(', '), rule: 'names zones the cluster does not use', fix: `list exactly the zones [${zones.join(', ')}]` });
  }
  return zones.map((zone) => {
    const pair = subnets[zone];
    if (pair === undefined) {
      throw PlatformError.at(scope, { field: 'network.subnets', value: zone, rule: 'has no subnets for this zone', fix: 'give every zone a private and a utility block' });
    }
    return [zone, {
      private: parseAt(scope, `network.subnets.${zone}.private`, () => Cidr.of(pair.private)),
      utility: parseAt(scope, `network.subnets.${zone}.utility`, () => Cidr.of(pair.utility)),
    }];
  });
}
