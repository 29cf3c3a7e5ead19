import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlatformError } from '../../lib';
import { diffMain, withCheckout } from '../../lib/synth/review';

const git = (repo: string, ...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function configMap(value: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  level: "${value}"\n`;
}

/** A tiny repository: two commits of one ConfigMap, a working-tree edit on top, and an ignored node_modules. */
function tinyRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), 'review-git-'));
  git(repo, 'init', '--quiet', '--initial-branch=main');
  git(repo, 'config', 'user.email', 'test@example.com');
  git(repo, 'config', 'user.name', 'test');
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\ndist/\n');
  mkdirSync(join(repo, 'node_modules/some-tool'), { recursive: true });
  writeFileSync(join(repo, 'settings.yaml'), configMap('info'));
  git(repo, 'add', '.');
  git(repo, 'commit', '--quiet', '-m', 'one');
  writeFileSync(join(repo, 'settings.yaml'), configMap('warn'));
  git(repo, 'commit', '--quiet', '-am', 'two');
  writeFileSync(join(repo, 'settings.yaml'), configMap('debug'));
  return repo;
}

/** The stand-in synth: the checkout's settings.yaml as cluster prod's only manifest; records what it saw. */
function standInSynth(seen: { root: string; modules: boolean }[]) {
  return (root: string, outdir: string): string => {
    seen.push({ root, modules: existsSync(join(root, 'node_modules/some-tool')) });
    mkdirSync(join(outdir, 'prod/manifests'), { recursive: true });
    cpSync(join(root, 'settings.yaml'), join(outdir, 'prod/manifests/settings.k8s.yaml'));
    return outdir;
  };
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { print: (t: string) => out.push(t), error: (t: string) => err.push(t) } };
}

describe('diff --base <ref>', () => {
  let repo: string;
  beforeEach(() => {
    repo = tinyRepo();
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  test('the ref is synthesized in a temporary worktree with node_modules linked, compared with the working tree, and the worktree removed', () => {
    // GIVEN
    const seen: { root: string; modules: boolean }[] = [];
    const { out, err, io } = capture();
    const commit = git(repo, 'rev-parse', 'HEAD~1');
    // WHEN
    const code = diffMain(['--base', 'HEAD~1'], io, { synthesize: standInSynth(seen), repo });
    // THEN the base was its own checkout, with the repository's node_modules, and the head the repository itself
    expect(code).toBe(0);
    expect(seen).toHaveLength(2);
    expect(seen[0]?.root).not.toBe(repo);
    expect(seen[0]?.modules).toBe(true);
    expect(seen[1]?.root).toBe(repo);
    expect(out.join('')).toBe([
      `## Manifest diff: \`HEAD~1\` (${commit.slice(0, 12)}) → the working tree`,
      '',
      '1 of 1 output folder changed.',
      '',
      '### `prod`: 0 added, 0 removed, 1 changed',
      '',
      '| change | object | chart | fields |',
      '|---|---|---|---:|',
      '| changed | `ConfigMap shop/settings` | `settings` | 1 |',
      '',
      '#### `ConfigMap shop/settings` (changed, chart `settings`)',
      '',
      '```diff',
      '~ data.level: "info" → "debug"',
      '```',
      '',
    ].join('\n'));
    expect(err).toEqual([`diff: synthesizing the base, HEAD~1 (${commit.slice(0, 12)}), in a temporary worktree`, 'diff: synthesizing the working tree']);
    // AND the worktree and its folder are gone, the repository's own files untouched
    expect(existsSync(seen[0]?.root ?? '/')).toBe(false);
    expect(git(repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree '))).toEqual([`worktree ${git(repo, 'rev-parse', '--show-toplevel')}`]);
    expect(readFileSync(join(repo, 'settings.yaml'), 'utf8')).toBe(configMap('debug'));
    expect(existsSync(join(repo, 'dist'))).toBe(false);
  });

  test('with --head, the base is compared with a synthesized folder', () => {
    const head = join(repo, 'dist');
    mkdirSync(join(head, 'prod/manifests'), { recursive: true });
    writeFileSync(join(head, 'prod/manifests/settings.k8s.yaml'), configMap('warn'));
    const { out, io } = capture();
    expect(diffMain(['--base', 'main', '--head', head], io, { synthesize: standInSynth([]), repo })).toBe(0);
    expect(out.join('')).toContain('No changes: the 1 output folder synthesizes to the same manifests.');
  });

  test('a ref that names no commit is refused, without a trace, and nothing is left behind', () => {
    const { out, err, io } = capture();
    expect(diffMain(['--base', 'no-such-branch'], io, { synthesize: standInSynth([]), repo })).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual(['diff failed: 1 problem:\n  - diff: --base names no commit of this repository (got "no-such-branch"); name a branch, tag or commit (in a shallow CI clone, fetch the base first: git fetch --depth=1 origin <branch>)']);
    expect(git(repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree '))).toHaveLength(1);
  });

  test('a ref that looks like an option is never passed to git as one', () => {
    const { err, io } = capture();
    expect(diffMain(['--base', '-output=/tmp/x'], io, { synthesize: standInSynth([]), repo })).toBe(1);
    expect(err.join('\n')).toContain('diff: --base names no commit of this repository (got "-output=/tmp/x")');
    expect(() => withCheckout(repo, '--output=/tmp/x', () => 0)).toThrow('diff: --base names no commit of this repository (got "--output=/tmp/x")');
  });

  test('a folder outside any repository is refused with the other way to compare', () => {
    const bare = mkdtempSync(join(tmpdir(), 'review-nogit-'));
    try {
      expect(() => withCheckout(bare, 'main', () => 0)).toThrow(`diff: --base needs a git repository, and ${bare} is not in one (got "main"); run it from the repository, or compare two synthesized folders with --base-dir and --head`);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  test('a failing synth of the base is reported, and the worktree removed all the same', () => {
    let checkout = '';
    const { err, io } = capture();
    const failing = (root: string): string => {
      checkout = root;
      throw PlatformError.of({ path: 'diff', field: 'synth', value: 'the base', rule: 'failed', fix: 'fix it' });
    };
    expect(diffMain(['--base', 'HEAD'], io, { synthesize: failing, repo })).toBe(1);
    expect(err.at(-1)).toBe('diff failed: 1 problem:\n  - diff: synth failed (got "the base"); fix it');
    expect(checkout).not.toBe('');
    expect(existsSync(checkout)).toBe(false);
    expect(git(repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree '))).toHaveLength(1);
  });
});
