import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIFF_USAGE, diffDists, diffMain, diffMarkdown, readDistFiles } from '../../lib/synth/review';
import { SECRET_VALUES } from './fixtures/secrets';
import { synthShopPair } from './fixtures/shop';

function capture(): { out: string[]; err: string[]; io: { print: (t: string) => void; error: (t: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { print: (t) => out.push(t), error: (t) => err.push(t) } };
}

describe('diff of two synthesized outputs', () => {
  let root: string;
  let dirs: { base: string; head: string };
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'review-diff-'));
    dirs = synthShopPair(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const markdown = () => diffMarkdown(diffDists(readDistFiles(dirs.base, '--base-dir'), readDistFiles(dirs.head, '--head')), { base: '`main`', head: 'this change' });

  test('a change to a service repo reads as the expected Markdown (fixtures/shop-diff.md, rewritten by fixtures/write-shop-diff.ts)', () => {
    // GIVEN the base and the head of the change (replicas, a removed ConfigMap, a renamed Secret, an added worker)
    // WHEN they are compared
    // THEN the Markdown is exactly the reviewed one
    expect(markdown()).toBe(readFileSync(join(__dirname, 'fixtures/shop-diff.md'), 'utf8'));
  });

  test('each part of the change is named with its field-level diff', () => {
    const md = markdown();
    expect(md).toContain('### `prod`: 4 added, 3 removed, 2 changed');
    expect(md).toContain('| changed | `Deployment shop/checkout` | `checkout` | 3 |');
    expect(md).toContain('~ spec.replicas: 2 → 3\n');
    expect(md).toContain('~ spec.template.spec.containers[name=checkout].env[name=PAYMENT_API_KEY].valueFrom.secretKeyRef.name: "checkout-payment" → "checkout-payments"\n');
    expect(md).toMatch(/\| removed \| `ConfigMap shop\/checkout-config-[0-9a-f]{10}` \| `checkout` \|/);
    expect(md).toContain('| added | `Deployment shop/checkout-mailer` | `checkout` |  |');
    expect(md).toContain('| removed | `Secret shop/checkout-legacy` | `legacy-secrets` |  |\n| added | `Secret shop/checkout-legacy-v2` | `legacy-secrets` |  |');
  });

  test("no value of a Secret is printed, a stack-filled placeholder included: only the fields' paths", () => {
    const md = markdown();
    for (const value of SECRET_VALUES) expect(md).not.toContain(value);
    expect(md).toContain([
      '```diff',
      '~ data["tls.key"]: changed (values not shown)',
      '+ metadata.labels.rotation (value not shown)',
      '+ stringData.token (value not shown)',
      '```',
    ].join('\n'));
    expect(md).toContain('#### `Secret shop/checkout-legacy-v2` (added, chart `legacy-secrets`)\n\nA Secret: its contents are not shown.\n');
  });

  test('two runs give the same bytes', () => {
    expect(markdown()).toBe(markdown());
  });

  test('the command prints the Markdown to stdout and exits 0', () => {
    const { out, err, io } = capture();
    expect(diffMain(['--base-dir', dirs.base, '--head', dirs.head], io)).toBe(0);
    expect(err).toEqual([]);
    expect(out.join('')).toContain(`## Manifest diff: \`${dirs.base}\` → \`${dirs.head}\``);
  });

  test('no change: says so and exits 0', () => {
    const { out, io } = capture();
    expect(diffMain(['--base-dir', dirs.base, '--head', dirs.base], io)).toBe(0);
    expect(out.join('')).toBe(`## Manifest diff: \`${dirs.base}\` → \`${dirs.base}\`\n\nNo changes: the 1 output folder synthesizes to the same manifests.\n`);
  });

  test('objects are matched by identity, not file: moving a chart to another apply folder changes nothing', () => {
    // GIVEN the base laid out in other folders (an older synth's layout)
    const moved = join(root, 'moved');
    mkdirSync(join(moved, 'prod'), { recursive: true });
    for (const f of ['checkout.k8s.yaml', 'legacy-secrets.k8s.yaml']) cpSync(join(dirs.base, 'prod/manifests/5-services', f), join(moved, 'prod', f));
    const diff = diffDists(readDistFiles(moved, '--base-dir'), readDistFiles(dirs.base, '--head'));
    // THEN no object differs; only the files beside them
    expect(diff[0]?.objects).toEqual([]);
    expect(diff[0]?.files.map((f) => `${f.change} ${f.path}`)).toEqual(['added README.md', 'added apply.sh', 'added manifests/5-services/kustomization.yaml']);
  });

  test('a cluster on one side only is new or gone, with all its objects', () => {
    const extra = join(root, 'extra');
    cpSync(dirs.head, extra, { recursive: true });
    cpSync(join(dirs.head, 'prod'), join(extra, 'stage'), { recursive: true });
    const md = diffMarkdown(diffDists(readDistFiles(dirs.head, '--base-dir'), readDistFiles(extra, '--head')), { base: 'a', head: 'b' });
    expect(md).toContain('1 of 2 output folders changed; unchanged: `prod`.');
    expect(md).toContain('### `stage` (new): ');
  });
});

describe('diff: mistakes', () => {
  test('every bad argument is reported at once, without a trace, exit 1', () => {
    const { out, err, io } = capture();
    expect(diffMain(['--base-dir', '/no/such/base', '--head', '/no/such/head', '--colour', 'red'], io)).toBe(1);
    expect(out).toEqual([]);
    expect(err.join('\n')).toBe([
      'diff failed: 3 problems:',
      `  - diff: arguments knows no flag --colour; ${DIFF_USAGE}`,
      '  - diff: --base-dir is not a folder (got "/no/such/base"); pass the folder a synth wrote (dist/), or run the synth first',
      '  - diff: --head is not a folder (got "/no/such/head"); pass the folder a synth wrote (dist/), or run the synth first',
    ].join('\n'));
    expect(err.join('\n')).not.toMatch(/\n\s+at /);
  });

  test('neither --base nor --base-dir, or both, is refused', () => {
    const { err, io } = capture();
    expect(diffMain(['--head', '.'], io)).toBe(1);
    expect(err.join('\n')).toContain('diff: arguments needs exactly one of --base and --base-dir; usage:');
  });

  test('--base without a synth program (the package bin) says to synthesize the base and pass --base-dir', () => {
    const { err, io } = capture();
    expect(diffMain(['--base', 'main', '--head', '.'], io)).toBe(1);
    expect(err.join('\n')).toContain('diff: arguments --base needs a synth program, which this command has not got: synthesize the base yourself and pass --base-dir; usage:');
  });

  test("one cluster's folder in place of dist/ is refused with the folder to pass", () => {
    const root = mkdtempSync(join(tmpdir(), 'review-diff-'));
    try {
      mkdirSync(join(root, 'prod/manifests'), { recursive: true });
      const { err, io } = capture();
      expect(diffMain(['--base-dir', join(root, 'prod'), '--head', root], io)).toBe(1);
      expect(err.join('\n')).toBe(`diff failed: 1 problem:\n  - diff: --base-dir is one cluster's output (it holds manifests/), not a dist folder (got ${JSON.stringify(join(root, 'prod'))}); pass the folder above it (${root})`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a file that is not valid YAML is named, every one at once', () => {
    const root = mkdtempSync(join(tmpdir(), 'review-diff-'));
    try {
      for (const side of ['a', 'b']) {
        mkdirSync(join(root, side, 'prod'), { recursive: true });
        writeFileSync(join(root, side, 'prod', 'broken.k8s.yaml'), side === 'a' ? 'kind: [\n' : 'a: b: c\n');
      }
      const { err, io } = capture();
      expect(diffMain(['--base-dir', join(root, 'a'), '--head', join(root, 'b')], io)).toBe(1);
      const text = err.join('\n');
      expect(text).toMatch(/^diff failed: 2 problems:\n {2}- prod\/broken\.k8s\.yaml: is not valid YAML \(.+\); synthesize it again, or pass the folder that holds the synthesized output\n {2}- prod\/broken\.k8s\.yaml: is not valid YAML/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
