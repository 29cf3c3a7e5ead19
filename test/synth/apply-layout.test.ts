import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { APPLY_STEPS, applyLayout, buildClusterApp, renderAll, stepFolder, type WrittenFile } from '../../lib';
import { replaceFolder } from '../../lib/synth/write';
import { environments, prod } from '../../clusters';

const rendered = renderAll([buildClusterApp(prod, environments)]);
const layout = applyLayout(rendered);
const at = (path: string): WrittenFile => {
  const f = layout.find((x) => x.path === path);
  if (f === undefined) throw new Error(`no ${path}`);
  return f;
};
const objectsIn = (f: WrittenFile): any[] => parseAllDocuments(f.content).map((d) => d.toJSON());
const kustomizations = layout.filter((f) => f.path.endsWith('/kustomization.yaml'));
const hasTool = (tool: string): boolean => spawnSync(tool, ['--help'], { stdio: 'ignore' }).status === 0;

describe('dist/ laid out in apply order', () => {
  test('prod has one folder per step, in apply order: CRDs, namespaces, addons, teams, services', () => {
    expect(APPLY_STEPS.map(stepFolder)).toEqual(['1-crds', '2-namespaces', '3-addons', '4-teams', '5-services']);
    expect(kustomizations.map((k) => k.path)).toEqual(APPLY_STEPS.map((s) => `prod/manifests/${stepFolder(s)}/kustomization.yaml`));
  });

  test('every object of the rendered charts is written exactly once, and each lands in its chart\'s phase, Namespaces in their own step', () => {
    const before = rendered.filter((f) => f.path.includes('/manifests/')).flatMap((f) => objectsIn({ path: f.path, content: f.content }).map((o) => ({ o, phase: f.phase })));
    const after = layout.filter((f) => f.path.endsWith('.k8s.yaml') && f.path.includes('/manifests/')).flatMap((f) => objectsIn(f).map((o) => ({ o, folder: f.path.split('/')[2] })));
    const key = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    expect(after.map((x) => key(x.o)).sort()).toEqual(before.map((x) => key(x.o)).sort());
    for (const { o, phase } of before) {
      const placed = after.find((x) => key(x.o) === key(o));
      expect(placed?.folder).toBe(o.kind === 'Namespace' && o.apiVersion === 'v1' ? '2-namespaces' : stepFolder(phase));
      expect(placed?.o).toEqual(o);
    }
    expect(objectsIn(at('prod/manifests/2-namespaces/namespaces.k8s.yaml')).map((o) => o.metadata.name)).toEqual(expect.arrayContaining(['shop', 'content', 'monitoring', 'external-secrets']));
    // CRDs, and the Gateway API's own safe-upgrades admission policy, which ships with its CRDs
    expect([...new Set(after.filter((x) => x.folder === '1-crds').map((x) => x.o.kind))].sort()).toEqual(['CustomResourceDefinition', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
  });

  test('each kustomization lists exactly the files of its folder', () => {
    for (const k of kustomizations) {
      const dir = k.path.slice(0, -'kustomization.yaml'.length);
      const doc = parse(k.content);
      expect(doc.apiVersion).toBe('kustomize.config.k8s.io/v1beta1');
      expect(doc.kind).toBe('Kustomization');
      expect(doc.resources).toEqual(layout.filter((f) => f.path.startsWith(dir) && f.path.endsWith('.k8s.yaml')).map((f) => f.path.slice(dir.length)));
    }
  });

  test('the README says what each folder is, who applies it, waits for the CRDs before anything else, and lists every placeholder the stack fills', () => {
    const readme = at('prod/README.md').content;
    expect(readme).toContain('`pulumi up -s prod`');
    for (const s of APPLY_STEPS) expect(readme).toContain(`| \`manifests/${stepFolder(s)}/\` |`);
    expect(readme).toContain('- the CRDs alone, then waits until each is established. They are never pruned');
    expect(readme).toContain('pruned by an ApplySet');
    expect(readme).toContain('./apply.sh                      # ApplySet parent: ApplySet platform-constructs (applyset/parent.yaml)');
    const placeholders = [...new Set(rendered.flatMap((f) => f.content.match(/\$\{cloud:[^}]+\}/g) ?? []))].sort();
    expect(placeholders).toContain('${cloud:accountId}');
    for (const p of placeholders) expect(readme).toContain(`| \`${p}\` |`);
    expect(readme).not.toContain('a value the stack supplies');
    // the script applies the CRD folder alone, then every other folder in the README's order in one pruned apply
    const script = at('prod/apply.sh').content;
    expect(script.split('\n').filter((l) => /^\s*kubectl (apply|wait|kustomize) /.test(l)).map((l) => l.trim())).toEqual([
      'kubectl apply --server-side --field-manager="$manager" "${dry[@]}" -f applyset/crd.yaml',
      'kubectl apply --server-side --field-manager="$manager" "${dry[@]}" -k manifests/1-crds',
      ...APPLY_STEPS.slice(1).map((s) => `kubectl kustomize manifests/${stepFolder(s)}`),
    ]);
    expect(script).toContain('prune=(--prune --applyset=applysets.platform.example.com/platform-constructs)');
    // every CRD of the folder is waited for by name (kubectl wait takes no -k)
    const crds = layout.filter((f) => f.path.startsWith('prod/manifests/1-crds/') && f.path.endsWith('.k8s.yaml')).flatMap(objectsIn).filter((o) => o.kind === 'CustomResourceDefinition').map((o) => String(o.metadata.name));
    expect(crds.length).toBeGreaterThan(10);
    expect(script.split('\n').filter((l) => l.startsWith('  customresourcedefinition/')).map((l) => l.replace(/^ {2}customresourcedefinition\/| \\$/g, ''))).toEqual(['applysets.platform.example.com', ...[...crds].sort()]);
  });

  test('a service repo\'s output says its deploy workflow applies it, and holds only the services step', () => {
    const files = applyLayout([{ path: 'stage/manifests/checkout.k8s.yaml', content: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: checkout\n  namespace: shop\n', phase: 'services' }]);
    expect(files.map((f) => f.path)).toEqual(['stage/manifests/5-services/checkout.k8s.yaml', 'stage/manifests/5-services/kustomization.yaml', 'stage/README.md', 'stage/apply.sh']);
    const readme = files.find((f) => f.path === 'stage/README.md')?.content ?? '';
    expect(readme).toContain("The service repo's deploy workflow applies it");
    expect(readme).toContain('./apply.sh <applyset parent ConfigMap> <its namespace>');
    expect(readme).not.toContain('the CRDs alone');
    expect(readme).toContain('No `${cloud:…}` placeholders');
  });

  test('the same rendered files give the same bytes', () => {
    expect(applyLayout(rendered)).toEqual(layout);
  });

  test('apply.sh is written executable and passes shellcheck', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'layout-')), 'dist');
    replaceFolder(out, layout.filter((f) => f.path.endsWith('apply.sh') || f.path.endsWith('README.md')));
    expect(statSync(join(out, 'prod/apply.sh')).mode & 0o111).toBe(0o111);
    expect(readFileSync(join(out, 'prod/README.md'), 'utf8')).toBe(at('prod/README.md').content);
    expect(hasTool('shellcheck')).toBe(true);
    expect(spawnSync('shellcheck', [join(out, 'prod/apply.sh')], { encoding: 'utf8' }).stdout).toBe('');
  });

  // kubectl is not a Debian package (this machine has the Google Cloud SDK's): where it is
  // installed, `kubectl kustomize` builds every folder and gives back exactly its objects.
  (hasTool('kubectl') ? test : test.skip)('kubectl kustomize builds every step folder into its objects', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'layout-')), 'dist');
    replaceFolder(out, layout);
    for (const k of kustomizations) {
      const dir = join(out, k.path.slice(0, -'/kustomization.yaml'.length));
      const built = parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).map((d) => d.toJSON());
      const expected = layout.filter((f) => f.path.startsWith(k.path.slice(0, -'kustomization.yaml'.length)) && f.path.endsWith('.k8s.yaml')).flatMap(objectsIn);
      expect(built.length).toBe(expected.length);
    }
  });
});
