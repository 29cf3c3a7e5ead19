// The Pulumi components' args are checked at run time against their XxxArgs types (the stack
// program runs through tsx, which does not type-check): every problem at once, naming the
// component, before anything is registered.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { Cidr, PlatformError } from '../../lib';
import { DnsZone, Network, SecureBucket, VpcEndpoints } from '../../lib/aws';
import { COMPONENTS } from '../../lib/core/generated/aws-args-schema';
import { generateAws } from '../../scripts/props-schema';

const js = <T>(value: unknown) => value as T;
const registered: string[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.push(`${args.type}::${args.name}`);
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  }, 'platform', 'test', false);
});
beforeEach(() => registered.splice(0));

/** The problems a construction throws, or undefined. */
function problemsOf(build: () => unknown): readonly string[] | undefined {
  try {
    build();
    return undefined;
  } catch (e) {
    if (e instanceof PlatformError) return e.problems;
    throw e;
  }
}

/** Lets Pulumi's registrations (asynchronous) reach the mocks. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 50));

const endpoints = { vpcId: 'vpc-1', vpcCidr: '10.0.0.0/16', region: 'eu-west-1', privateSubnetIds: ['subnet-1'], privateRouteTableIds: ['rtb-1'] };

describe('Pulumi component args checked at run time', () => {
  test('a key the args type does not declare is refused with the one it was meant to be, and nothing is registered', async () => {
    expect(problemsOf(() => new DnsZone('prod-dns', js({ zoneNmae: 'k8s.example.com' })))).toEqual([
      'platform:aws:DnsZone prod-dns: args.zoneNmae is not a field of DnsZoneArgs (got "k8s.example.com"); did you mean zoneName?',
      'platform:aws:DnsZone prod-dns: args.zoneName is required (DnsZoneArgs); set zoneName to a string',
    ]);
    await settled();
    expect(registered).toEqual([]);
    // and the same component with good args registers (so the empty list above is not the mocks' silence)
    new DnsZone('prod-dns', { zoneName: 'k8s.example.com' });
    await settled();
    expect(registered).toContain('platform:aws:DnsZone::prod-dns');
  });

  test('a wrong primitive is refused, naming the component, the field, the value and the fix', () => {
    expect(problemsOf(() => new VpcEndpoints('prod-endpoints', js({ ...endpoints, region: 1, privateSubnetIds: 'subnet-1' })))).toEqual([
      'platform:aws:VpcEndpoints prod-endpoints: args.privateSubnetIds must be a list (got "subnet-1"); write a list: ["subnet-1"]',
      'platform:aws:VpcEndpoints prod-endpoints: args.region must be a string (got 1); quote it: "1"',
    ]);
  });

  test('a value outside a union is refused with the closest member', async () => {
    const cidr = (c: string) => Cidr.of(c);
    const plan = { nat: 'perzone', natZones: [], subnets: [], vpcCidr: cidr('10.0.0.0/16'), podCidr: cidr('100.96.0.0/11'), serviceCidr: cidr('100.64.0.0/13'), nonMasqueradeCidr: cidr('100.64.0.0/10') };
    expect(problemsOf(() => new Network('prod-network', js({ clusterName: 'prod.k8s.example.com', permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/platform-workload-boundary', plan })))).toEqual([
      'platform:aws:Network prod-network: args.plan.nat must be one of "per-zone", "shared" (got "perzone"); did you mean "per-zone"?',
    ]);
    await settled();
    expect(registered).toEqual([]);
  });

  test('a pulumi.Input<T> takes an Output or a Promise as it is, and any other value as a T', () => {
    // GIVEN inputs known only at deployment, in each form pulumi.Input<string> allows
    const output = pulumi.output('vpc-1');
    const promise = Promise.resolve('subnet-1');
    // THEN they pass, and a plain value of the wrong type does not
    expect(problemsOf(() => new VpcEndpoints('a', { ...endpoints, vpcId: output, privateSubnetIds: [promise, output] }))).toBeUndefined();
    expect(problemsOf(() => new SecureBucket('b', js({ bucketName: output, kmsKeyArn: 42 })))).toEqual([
      'platform:aws:SecureBucket b: args.kmsKeyArn must be a string (got 42); quote it: "42"',
    ]);
  });
});

describe('the components\' args schema', () => {
  test('the checked-in schema is what the generator reads from lib/aws today', () => {
    expect(readFileSync(join(__dirname, '../../lib/core/generated/aws-args-schema.ts'), 'utf8')).toBe(generateAws());
  }, 180_000);

  test('every exported component checks its args first, before it registers', () => {
    const pending = new Set<string>([]);
    const dir = join(__dirname, '../../lib/aws');
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(dir, f), 'utf8'));
    const unchecked = Object.keys(COMPONENTS).filter((name) => !pending.has(name) && !sources.some((text) =>
      new RegExp(`export class ${name}\\b`).test(text) && new RegExp(`checkArgs\\('platform:[a-z0-9]+:${name}', name, ${name}, args\\);\\n\\s*super\\('platform:[a-z0-9]+:${name}'`).test(text)));
    expect(unchecked).toEqual([]);
  });
});
