import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Yaml } from 'cdk8s';
import { Environment, PlatformError, WebService, addServiceGroup, buildServiceRepoApp, renderApp, synthServiceRepo, synthesize, type ServiceGroup } from '../../lib';
import { Exemption } from '../../lib/policy';

const image = 'registry.example.com/shop/api:1.4.2';
const api: ServiceGroup = { name: 'api', namespace: 'shop', define: (s) => { new WebService(s, 'api', { image, overrides: { prod: { replicas: 3 } } }); } };

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]).sort();
}

describe('synthesize', () => {
  test('a service repo gets one folder per environment, with its overrides applied', () => {
    // GIVEN
    const out = join(mkdtempSync(join(tmpdir(), 'synth-')), 'dist');
    // WHEN
    synthServiceRepo({ environments: ['stage', 'prod'], services: [api] }, out);
    // THEN
    expect(listFiles(out)).toEqual([
      'prod/README.md', 'prod/apply.sh', 'prod/manifests/5-services/api.k8s.yaml', 'prod/manifests/5-services/kustomization.yaml',
      'stage/README.md', 'stage/apply.sh', 'stage/manifests/5-services/api.k8s.yaml', 'stage/manifests/5-services/kustomization.yaml',
    ]);
    expect(readFileSync(join(out, 'prod/manifests/5-services/api.k8s.yaml'), 'utf8')).toContain('replicas: 3');
    expect(readFileSync(join(out, 'stage/manifests/5-services/api.k8s.yaml'), 'utf8')).toContain('replicas: 2');
  });

  test('two runs give identical bytes', () => {
    const render = () => renderApp(buildServiceRepoApp({ environments: ['prod'], services: [api] })).files;
    expect(render()).toEqual(render());
  });

  test('two services with one name in a namespace are refused, naming both', () => {
    // GIVEN two groups that both define shop/api
    const again: ServiceGroup = { name: 'api-copy', namespace: 'shop', define: (s) => { new WebService(s, 'api', { image }); } };
    // WHEN
    const result = renderApp(buildServiceRepoApp({ environments: ['prod'], services: [api, again] }));
    // THEN
    expect(result.files).toEqual([]);
    expect(result.problems).toEqual([
      'prod/api-copy/api: Deployment shop/api is also defined by prod/api/api; give one of them another name or move it to another namespace',
      'prod/api-copy/api: PodDisruptionBudget shop/api is also defined by prod/api/api; give one of them another name or move it to another namespace',
      'prod/api-copy/api: Service shop/api is also defined by prod/api/api; give one of them another name or move it to another namespace',
    ]);
  });

  test('the same name in two namespaces is fine', () => {
    const other: ServiceGroup = { name: 'other', namespace: 'blog', define: (s) => { new WebService(s, 'api', { image }); } };
    expect(renderApp(buildServiceRepoApp({ environments: ['prod'], services: [api, other] })).problems).toEqual([]);
  });

  test('a failing synth writes nothing, leaves the previous output as it was and lists every problem', () => {
    // GIVEN a previous output
    const out = join(mkdtempSync(join(tmpdir(), 'synth-')), 'dist');
    mkdirSync(join(out, 'prod'), { recursive: true });
    writeFileSync(join(out, 'prod/old.yaml'), 'old');
    const good = buildServiceRepoApp({ environments: ['prod'], services: [api] });
    const bad = new App();
    const env = new Environment(bad, 'stage', { name: 'stage', environments: ['stage', 'prod'] });
    addServiceGroup(env, api);
    addServiceGroup(env, { ...api, name: 'api-copy' });
    // WHEN
    let error: unknown;
    try {
      synthesize([good, bad], out);
    } catch (e) {
      error = e;
    }
    // THEN
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).problems).toHaveLength(3);
    expect(listFiles(out)).toEqual(['prod/old.yaml']);
    expect(existsSync(`${out}.next`)).toBe(false);
  });

  test('a successful synth replaces the previous output wholly', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'synth-')), 'dist');
    mkdirSync(join(out, 'gone'), { recursive: true });
    writeFileSync(join(out, 'gone/stale.yaml'), 'stale');
    synthesize([buildServiceRepoApp({ environments: ['prod'], services: [api] })], out);
    expect(listFiles(out)).toEqual(['prod/README.md', 'prod/apply.sh', 'prod/manifests/5-services/api.k8s.yaml', 'prod/manifests/5-services/kustomization.yaml']);
  });
});

describe('published files', () => {
  test('are written beside the charts, in the same swap', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'synth-')), 'dist');
    synthesize([buildServiceRepoApp({ environments: ['prod'], services: [api] })], out, [{ path: 'prod/release-gate.json', content: '{}\n' }]);
    expect(listFiles(out)).toEqual(['prod/README.md', 'prod/apply.sh', 'prod/manifests/5-services/api.k8s.yaml', 'prod/manifests/5-services/kustomization.yaml', 'prod/release-gate.json']);
  });

  test("one with a chart's path is refused, and nothing is written", () => {
    const out = join(mkdtempSync(join(tmpdir(), 'synth-')), 'dist');
    expect(() => synthesize([buildServiceRepoApp({ environments: ['prod'], services: [api] })], out, [{ path: 'prod/manifests/api.k8s.yaml', content: '{}' }])).toThrow(
      "prod/manifests/api.k8s.yaml: a published file has the path of a chart's file; rename one of them");
    expect(existsSync(out)).toBe(false);
  });
});

describe('rendering order', () => {
  test('objects keep the order cdk8s gives them, also when constructs declare dependencies', () => {
    // GIVEN two groups, the second made to depend on the first
    const app = buildServiceRepoApp({ environments: ['prod'], services: [api, { ...api, name: 'other', namespace: 'blog' }] });
    const before = renderApp(app).files;
    const [first, second] = app.node.findAll().filter((c) => c instanceof WebService);
    second?.node.addDependency(first as WebService);
    // WHEN rendered again
    const after = renderApp(app).files;
    // THEN each chart's file is what cdk8s itself writes for it
    for (const chart of app.charts) {
      const file = after.find((f) => f.path.endsWith(`/${chart.node.id}.k8s.yaml`));
      expect(file?.content).toBe(Yaml.stringify(...chart.toJson()));
    }
    expect(after).toEqual(before);
  });
});

describe('exemptions in a service repo', () => {
  test('an exemption a service repo declares for itself is refused in one line (not again as exempting nothing), and nothing is built from it', () => {
    // GIVEN a service that exempts itself from the privileged rule
    const selfExempt: ServiceGroup = {
      name: 'api', namespace: 'shop',
      define: (s) => { const svc = new WebService(s, 'api', { image }); Exemption.add(svc, { rule: 'privileged', reason: 'we need it' }); },
    };
    // WHEN
    const result = renderApp(buildServiceRepoApp({ environments: ['prod'], services: [selfExempt] }));
    // THEN
    expect(result.files).toEqual([]);
    expect(result.problems).toEqual([
      "prod/api/api: exemption is declared outside the platform's definitions (a service repo cannot exempt itself; the cluster refuses what the exemption would let through) (got \"privileged\"); fix the object so the rule passes, or ask the platform team to declare the exemption in the cluster definition",
    ]);
  });
});
