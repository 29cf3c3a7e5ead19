import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizePlatform } from '../../scripts/review/platform-synth';

/** A checkout whose clusters/synth.ts is `body`. */
function checkout(body: string): string {
  const root = mkdtempSync(join(tmpdir(), 'review-synth-'));
  mkdirSync(join(root, 'clusters'));
  writeFileSync(join(root, 'clusters/synth.ts'), body);
  return root;
}

describe("the platform repo's synth of a checkout", () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  test("runs the checkout's clusters/synth.ts with the output folder, and returns that folder", () => {
    const root = checkout("import { mkdirSync } from 'node:fs';\nmkdirSync(`${process.argv[2]}/prod/manifests`, { recursive: true });\n");
    roots.push(root);
    const out = join(root, 'out');
    expect(synthesizePlatform(root, out, 'the base main')).toBe(out);
    expect(existsSync(join(out, 'prod/manifests'))).toBe(true);
  });

  test('a synth that takes no output folder (an older one) is read from its own dist/', () => {
    const root = checkout("import { mkdirSync } from 'node:fs';\nmkdirSync('dist/prod/manifests', { recursive: true });\n");
    roots.push(root);
    expect(synthesizePlatform(root, join(root, 'out'), 'the base v1')).toBe(join(root, 'dist'));
  });

  test("a failing synth is a problem that carries the synth's own report", () => {
    const root = checkout("console.error('synth failed; dist/ is unchanged.\\n1 problem:\\ncluster prod:\\n  - prod/shop/api: replicas must be >= 1 (got 0); raise replicas');\nprocess.exitCode = 1;\n");
    roots.push(root);
    expect(() => synthesizePlatform(root, join(root, 'out'), 'the base main')).toThrow([
      'diff: synth of the base main failed (exit 1); fix the definitions its report names (when it is the base that fails, compare with another --base); its report:',
      '      synth failed; dist/ is unchanged.',
      '      1 problem:',
      '      cluster prod:',
      '        - prod/shop/api: replicas must be >= 1 (got 0); raise replicas',
    ].join('\n'));
  });
});
