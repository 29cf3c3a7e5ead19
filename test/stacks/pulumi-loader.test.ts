import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { clusters, environments } from '../../clusters';
import { declaredSecrets, planStack, readStackConfigFile, runtimeConfig } from '../../stacks/plan';
import { stackNames } from '../../stacks/program';

// The program as `pulumi up` loads it: @pulumi/pulumi's own cmd/run/run.js `run()` (the code the
// nodejs language host executes), driven by support/pulumi-language-host.js in a plain node process
// with Pulumi's mock runtime in place of the engine. Rules encoded there, from upstream:
//   pulumi/pulumi pkg/engine/project.go (getPwdMain): `main` -> working directory + entry;
//   pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go: PULUMI_NODEJS_TYPESCRIPT and
//     PULUMI_NODEJS_TSCONFIG_PATH from the runtime options;
//   @pulumi/pulumi cmd/run/run.js: tsconfig read from the working directory, and for entry `.`
//     the entry point taken from package.json `exports["."]` when that file exists.
// The run type-checks the program with the project's tsconfig, as the CLI does, so it is slow
// (about 30 s of ts-node on an idle machine, minutes under a full parallel `npm test`). The two
// projects run one after the other, so the second can use the compile cache ts-node 7 keeps in the
// temp folder for the linked lib/ files.

const ROOT = join(__dirname, '..', '..');
const HOST = join(__dirname, 'support', 'pulumi-language-host.js');
const STACKS = stackNames(clusters);

interface HostOutput {
  readonly pwd: string;
  readonly entry: string;
  readonly tsconfig: string | null;
  readonly results: ReadonlyArray<{ readonly stack: string; readonly registered: readonly string[]; readonly errors: readonly string[] }>;
}

/**
 * A copy of the project as a user's clone holds it: package.json, tsconfig, Pulumi.yaml (as given)
 * and the stack files, with lib/, clusters/, imports/ and node_modules linked. With `build`, a
 * build/lib/index.js stands where `npm run build` puts the library's entry point.
 */
function project(pulumiYaml: string, build: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'pulumi-loader-'));
  for (const f of ['package.json', 'tsconfig.json']) copyFileSync(join(ROOT, f), join(dir, f));
  for (const f of readdirSync(ROOT).filter((n) => /^Pulumi\.[a-z0-9-]+\.yaml$/.test(n))) copyFileSync(join(ROOT, f), join(dir, f));
  writeFileSync(join(dir, 'Pulumi.yaml'), pulumiYaml);
  // stacks/ is copied, not linked: node and run.js resolve a linked folder to its real path, whose
  // package.json (and build/) would be the worktree's, not this project's.
  cpSync(join(ROOT, 'stacks'), join(dir, 'stacks'), { recursive: true });
  for (const d of ['lib', 'clusters', 'imports', 'schemas', 'node_modules']) symlinkSync(join(ROOT, d), join(dir, d));
  if (build) {
    mkdirSync(join(dir, 'build', 'lib'), { recursive: true });
    writeFileSync(join(dir, 'build', 'lib', 'index.js'), "// the library's entry point, as `npm run build` writes it: it exports constructs and registers no resource\nexports.Platform = {};\n");
  }
  return dir;
}

function host(dir: string, stacks: readonly string[]): Promise<HostOutput> {
  const input = stacks.map((stack) => {
    const { config, secretKeys } = runtimeConfig(stack, readStackConfigFile(ROOT, stack), declaredSecrets(stack, clusters));
    return { stack, config, secretKeys };
  });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HOST, dir, JSON.stringify(input)], { cwd: dir, env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(stdout) as HostOutput);
      } catch {
        reject(new Error(`the language host printed no result:\n${stdout}\n${stderr}`));
      }
    });
  });
}

const committed = readFileSync(join(ROOT, 'Pulumi.yaml'), 'utf8');
const runs = new Map<string, HostOutput>();
const planned = new Map<string, string[]>();
const dirs: string[] = [];

beforeAll(async () => {
  // GIVEN the committed Pulumi.yaml, in a clone without build/ and in one after `npm run build`
  const clean = project(committed, false);
  const built = project(committed, true);
  dirs.push(clean, built);
  // WHEN the CLI's loader runs every stack there, and `npm run plan` plans each
  const a = await host(clean, STACKS);
  const b = await host(built, STACKS);
  runs.set('without build/', a);
  runs.set('with build/', b);
  for (const stack of STACKS) planned.set(stack, (await planStack({ stack, clusters, environments })).resources.map((r) => r.id).sort());
}, 900_000);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the program as the Pulumi CLI loads it', () => {
  test('Pulumi.yaml names a file as main, and the strict tsconfig as the runtime option, read from the program directory', () => {
    const doc = parse(committed) as { main: string; runtime: { options: { typescript: boolean; tsconfig: string } }; backend?: unknown };
    expect(doc.main).toBe('stacks/index.ts');
    expect(doc.runtime.options).toEqual({ typescript: true, tsconfig: '../tsconfig.json' });
    const host = runs.get('without build/');
    expect(host?.pwd).toMatch(/\/stacks$/);
    expect(host?.entry).toBe('index.ts');
    expect(host?.tsconfig).toBe('../tsconfig.json');
  });

  test('Pulumi.yaml sets no backend, which would override `pulumi login` (pulumi pkg/workspace/creds.go)', () => {
    expect((parse(committed) as Record<string, unknown>).backend).toBeUndefined();
  });

  describe.each(['without build/', 'with build/'])('%s', (variant) => {
    test.each(STACKS)('stack %s type-checks, runs and registers exactly the resources `npm run plan` lists', (stack) => {
      const result = runs.get(variant)?.results.find((r) => r.stack === stack);
      expect(result?.errors).toEqual([]);
      expect([...(result?.registered ?? [])].sort()).toEqual(planned.get(stack));
    });
  });

  test('the check fails for a folder main once build/ exists: run.js then loads the library and registers nothing', async () => {
    // GIVEN the Pulumi.yaml this project had before (main: stacks/, no tsconfig option) and a built library
    const dir = project('name: platform\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: stacks/\n', true);
    dirs.push(dir);
    // WHEN the loader runs the prod stack
    const out = await host(dir, ['prod']);
    // THEN only the Stack itself is registered: on an existing stack, a preview would delete everything
    expect(out.entry).toBe('.');
    expect(out.results[0]?.registered).toEqual(['pulumi:pulumi:Stack::platform-prod']);
    expect(planned.get('prod')?.length).toBeGreaterThan(100);
  }, 120_000);
});
