import { Testing } from 'cdk8s';
import fc from 'fast-check';
import { Cidr, PlatformError, planNetwork } from '../../lib';
import { carve } from '../../lib/cluster/network-plan';

const zonesOf = (n: number): string[] => Array.from({ length: n }, (_, i) => `eu-west-1${String.fromCharCode(97 + i)}`);

describe('the network plan', () => {
  test('the default plan gives each zone a private /19 and a utility /22 with its own NAT gateway', () => {
    // GIVEN three zones in a /16
    const plan = planNetwork(Testing.chart(), { vpcCidr: '10.10.0.0/16' }, zonesOf(3));
    // THEN the private blocks come first, then the utility blocks, each private subnet leaving through its zone's NAT
    expect(plan.subnets.map((s) => `${s.name} ${s.cidr} ${s.natZone ?? '-'}`)).toEqual([
      'eu-west-1a 10.10.0.0/19 eu-west-1a', 'eu-west-1b 10.10.32.0/19 eu-west-1b', 'eu-west-1c 10.10.64.0/19 eu-west-1c',
      'utility-eu-west-1a 10.10.96.0/22 -', 'utility-eu-west-1b 10.10.100.0/22 -', 'utility-eu-west-1c 10.10.104.0/22 -',
    ]);
    expect(plan.natZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  });

  test('a shared NAT gateway lives in the first zone and carries every private subnet', () => {
    const plan = planNetwork(Testing.chart(), { vpcCidr: '10.10.0.0/16', nat: 'shared' }, zonesOf(3));
    expect(plan.natZones).toEqual(['eu-west-1a']);
    expect(new Set(plan.subnets.filter((s) => s.type === 'Private').map((s) => s.natZone))).toEqual(new Set(['eu-west-1a']));
  });

  test('carved subnets never overlap and always lie inside the VPC, or the plan is refused', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 255 }), fc.integer({ min: 16, max: 24 }), fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 16, max: 28 }), fc.integer({ min: 16, max: 28 }),
      (octet, vpcPrefix, zoneCount, privatePrefix, utilityPrefix) => {
        // GIVEN a random VPC (placed away from the in-cluster ranges), zone count and subnet sizes
        const vpc = Cidr.of(`10.${octet}.0.0/16`).subnet(vpcPrefix, 0);
        let plan;
        try {
          plan = planNetwork(Testing.chart(), { vpcCidr: vpc, privateSubnetPrefix: privatePrefix, utilitySubnetPrefix: utilityPrefix }, zonesOf(zoneCount));
        } catch (e) {
          // THEN a refusal is a PlatformError about the VPC's size...
          expect(e).toBeInstanceOf(PlatformError);
          expect((e as PlatformError).message).toContain('network.vpcCidr cannot hold');
          return;
        }
        // ...and an accepted plan has 2 subnets per zone, inside the VPC, pairwise disjoint
        expect(plan.subnets).toHaveLength(2 * zoneCount);
        for (const [i, a] of plan.subnets.entries()) {
          expect(vpc.contains(a.cidr)).toBe(true);
          for (const b of plan.subnets.slice(i + 1)) expect(a.cidr.overlaps(b.cidr)).toBe(false);
        }
      },
    ), { numRuns: 300 });
  });

  test('carving fits exactly when the blocks fill the VPC and refuses one block more', () => {
    const vpc = Cidr.of('10.0.0.0/16');
    const fits = carve(vpc, [17, 18, 19, 19]);
    expect(Array.isArray(fits) ? fits.map(String) : fits).toEqual(['10.0.0.0/17', '10.0.128.0/18', '10.0.192.0/19', '10.0.224.0/19']);
    expect(carve(vpc, [17, 18, 19, 19, 28])).toBe(4);
  });

  test('explicit subnets must cover exactly the cluster zones', () => {
    const subnets = { 'eu-west-1a': { private: '10.0.0.0/19', utility: '10.0.96.0/22' }, 'eu-west-1d': { private: '10.0.32.0/19', utility: '10.0.100.0/22' } };
    expect(() => planNetwork(Testing.chart(), { vpcCidr: '10.0.0.0/16', subnets }, zonesOf(1))).toThrow(
      new PlatformError(['test: network.subnets names zones the cluster does not use (got "eu-west-1d"); list exactly the zones [eu-west-1a]']));
  });
});
