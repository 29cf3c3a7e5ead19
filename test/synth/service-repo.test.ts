import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject } from 'cdk8s';
import { ExternalService, WebService, checkServiceRepo, synthServiceRepo, type ServiceGroup } from '../../lib';

// The service-repo entry point runs the platform synth's team-namespace rules: each group's
// namespace is its team's, so what the cluster would refuse (a kind a team namespace does not hold,
// an endpoint into loopback or link-local) is refused at the repo's own synth.

const image = 'registry.example.com/shop/api:1.4.2';
const group = (define: ServiceGroup['define']): ServiceGroup => ({ name: 'api', namespace: 'shop', define });
const problemsOf = (g: ServiceGroup): string[] => checkServiceRepo({ environments: ['prod'], services: [g] }).sections.flatMap((s) => s.problems);

/** Runs the entry point as a repo's `npm run synth` does; returns what it printed, the exit code and whether the output exists. */
function synth(g: ServiceGroup): { errors: string[]; exitCode: number | string | undefined; written: boolean } {
  const out = join(mkdtempSync(join(tmpdir(), 'service-repo-')), 'dist');
  const errors: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((line: string) => { errors.push(line); });
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const before = process.exitCode;
  try {
    synthServiceRepo({ environments: ['prod'], services: [g] }, out);
    return { errors, exitCode: process.exitCode, written: existsSync(out) };
  } finally {
    process.exitCode = before;
    spy.mockRestore();
    log.mockRestore();
  }
}

describe('the service-repo entry point checks the kinds a team namespace holds', () => {
  test('the app constructs pass and are written', () => {
    const result = synth(group((s) => { new WebService(s, 'api', { image }); }));
    expect(result.errors).toEqual([]);
    expect([undefined, 0]).toContain(result.exitCode);
    expect(result.written).toBe(true);
  });

  test('a kind the team namespace does not hold is refused at the repo\'s synth, and nothing is written', () => {
    // GIVEN a repo that writes a DaemonSet and an operator's custom object next to its service
    const g = group((s) => {
      new WebService(s, 'api', { image });
      new ApiObject(s, 'agent', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: {} });
      new ApiObject(s, 'rollout', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'api' }, spec: {} });
    });
    // WHEN it synthesizes
    const result = synth(g);
    // THEN both are refused by name, with the rule and the fix, and the output is not written
    expect(result.exitCode).toBe(1);
    expect(result.written).toBe(false);
    expect(problemsOf(g).filter((p) => p.includes('[tenant-kind]'))).toEqual([
      'prod/api/agent: DaemonSet shop/agent [tenant-kind] kind is not a kind a team namespace holds (got "apps/DaemonSet"); use the app constructs, or have the platform declare the kind (a custom pod-bearing kind in podTemplateKinds, another with an exemption from tenant-kind and its reason)',
      'prod/api/rollout: Rollout shop/api [tenant-kind] kind is not a kind a team namespace holds (got "argoproj.io/Rollout"); use the app constructs, or have the platform declare the kind (a custom pod-bearing kind in podTemplateKinds, another with an exemption from tenant-kind and its reason)',
    ]);
    expect(result.errors.join('\n')).toContain('DaemonSet shop/agent [tenant-kind]');
  });

  test('an endpoint into link-local or loopback is refused at the repo\'s synth; the team\'s blocks are the cluster\'s to check', () => {
    const to = (address: string) => group((s) => { new ExternalService(s, 'db', { addresses: [address], ports: [{ name: 'postgres', port: 5432 }] }); });
    expect(problemsOf(to('10.10.200.10'))).toEqual([]);
    expect(problemsOf(to('169.254.169.254'))).toEqual([
      'prod/api/db/endpoints: EndpointSlice shop/db [endpoint-addresses] endpoints[0].addresses[0] is inside 169.254.0.0/16, link-local (the instance metadata service): no tenant endpoint may point there (got "169.254.169.254"); give the address of the service outside the cluster',
    ]);
    expect(problemsOf(to('127.0.0.1')).map((p) => p.includes('127.0.0.0/8, loopback'))).toEqual([true]);
  });
});
