import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

// What `npm pack` puts in the package, read from npm itself (`npm pack --dry-run --json`, with
// --ignore-scripts so no build runs: the file list comes from package.json `files` and npm's own
// rules, not from what is built).

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string; scripts: Record<string, string>; devDependencies: Record<string, string>; dependencies: Record<string, string>; publishConfig: { registry: string }; files: string[];
};
const packed = (JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
const tracked = (dir: string): string[] => execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', dir], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((f) => f !== '');

/** The relative targets of a markdown file's links (`[text](target)`), without anchors. */
function relativeLinks(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => (m[1] ?? '').replace(/#.*$/, '')).filter((t) => t !== '' && !/^[a-z]+:/.test(t));
}

describe('the packed package', () => {
  test('carries every module README', () => {
    const readmes = tracked('lib').filter((f) => f.endsWith('/README.md'));
    expect(readmes.length).toBeGreaterThan(10);
    expect(readmes.filter((f) => !packed.includes(f))).toEqual([]);
  });

  test('carries the service-repo example, its workflow and deploy scripts, and nothing installed or built', () => {
    const example = tracked('verify/service-repo');
    expect(example).toEqual(expect.arrayContaining(['verify/service-repo/.github/workflows/deploy.yml', 'verify/service-repo/deploy/kubeconfig.sh', 'verify/service-repo/.npmrc', 'verify/service-repo/README.md']));
    // npm never packs a .npmrc, at any depth (npm-packlist lib/index.js: '.npmrc' is a strict
    // exclusion); the example's README says how to write it
    expect(example.filter((f) => !packed.includes(f))).toEqual(['verify/service-repo/.npmrc']);
    expect(packed.filter((f) => /^verify\/service-repo\/(node_modules|build|dist)\//.test(f))).toEqual([]);
    expect(packed.filter((f) => f.startsWith('verify/') && !example.includes(f))).toEqual([]);
  });

  test('every relative link of every README it carries resolves to a file it carries', () => {
    const broken = packed.filter((f) => f.endsWith('README.md')).flatMap((readme) => relativeLinks(readme)
      .map((target) => normalize(join(dirname(readme), target)).replace(/\/$/, ''))
      .filter((target) => !packed.includes(target) && !packed.some((f) => f.startsWith(`${target}/`)))
      .map((target) => `${readme} -> ${target}`));
    expect(broken).toEqual([]);
    // the top README does link the module READMEs and the example (so the check above has something to check)
    expect(relativeLinks('README.md')).toEqual(expect.arrayContaining(['lib/apps/README.md', 'lib/aws/README.md', 'verify/service-repo/README.md']));
  });

  test('the README installs it by the name and from the registry package.json gives', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const registry = pkg.publishConfig.registry;
    expect(readme).toContain(`npm install ${pkg.name}\n`);
    expect(readme).toContain(`${pkg.name.split('/')[0] ?? ''}:registry=${registry}\n`);
    expect(readme).toContain(`//${registry.replace(/^https:\/\//, '')}:_authToken=\${CODEARTIFACT_AUTH_TOKEN}\n`);
    expect(readFileSync(join(ROOT, 'verify', 'service-repo', '.npmrc'), 'utf8')).toContain(`${pkg.name.split('/')[0] ?? ''}:registry=${registry}\n`);
    expect(JSON.parse(readFileSync(join(ROOT, 'verify', 'service-repo', 'package.json'), 'utf8')).dependencies).toEqual({ [pkg.name]: expect.stringMatching(/^\^/) });
  });

  test('installing from a git tag builds it with what npm installs for a git dependency', () => {
    // npm installs a git dependency's dependencies and devDependencies before running its
    // `prepare` (docs/lib/content/using-npm/scripts.md): the build may use either, nothing else.
    expect(pkg.scripts.prepare).toBe('tsc -p tsconfig.build.json');
    expect({ ...pkg.dependencies, ...pkg.devDependencies }.typescript).toBeDefined();
    // what it compiles is in git (the generated props schema is committed, not made by prepare)
    expect(tracked('lib/core/generated')).toContain('lib/core/generated/props-schema.ts');
    expect(pkg.files).toEqual(expect.arrayContaining(['build/lib/**/*.js', 'build/lib/**/*.d.ts']));
  });
});
