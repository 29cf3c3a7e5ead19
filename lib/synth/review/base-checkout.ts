import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlatformError } from '../../core';

function git(repo: string, args: readonly string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
  if (r.error !== undefined) {
    throw PlatformError.of({ path: 'diff', field: '--base', rule: `needs git, which could not be run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`, fix: 'install git (Debian package git), or compare two synthesized folders with --base-dir and --head' });
  }
  return { ok: r.status === 0, out: r.stdout.trim(), err: r.stderr.trim() };
}

/** The commit a ref names in a repository, or the error that says why there is none. */
export function resolveCommit(repo: string, ref: string): string {
  const top = git(repo, ['rev-parse', '--show-toplevel']);
  if (!top.ok) throw PlatformError.of({ path: 'diff', field: '--base', value: ref, rule: `needs a git repository, and ${repo} is not in one`, fix: 'run it from the repository, or compare two synthesized folders with --base-dir and --head' });
  // A ref is never read as an option, whatever it starts with.
  const commit = ref.startsWith('-') ? { ok: false, out: '', err: '' } : git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!commit.ok || commit.out === '') {
    throw PlatformError.of({ path: 'diff', field: '--base', value: ref, rule: 'names no commit of this repository', fix: 'name a branch, tag or commit (in a shallow CI clone, fetch the base first: git fetch --depth=1 origin <branch>)' });
  }
  return commit.out;
}

/**
 * Checks `ref` out into a temporary detached worktree of `repo` (`git worktree add --detach`),
 * with the repository's node_modules linked in, runs `body` in it, and removes the worktree
 * and its folder afterwards, whether `body` returned or threw.
 */
export function withCheckout<T>(repo: string, ref: string, body: (dir: string, commit: string) => T): T {
  const commit = resolveCommit(repo, ref);
  const top = git(repo, ['rev-parse', '--show-toplevel']).out;
  const scratch = mkdtempSync(join(tmpdir(), 'platform-diff-'));
  const dir = join(scratch, 'base');
  try {
    const added = git(top, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
    if (!added.ok) throw PlatformError.of({ path: 'diff', field: '--base', value: ref, rule: `could not be checked out (git worktree add: ${added.err})`, fix: 'check that the repository is writable and not locked by another git command' });
    const modules = join(top, 'node_modules');
    if (existsSync(modules) && !existsSync(join(dir, 'node_modules'))) symlinkSync(realpathSync(modules), join(dir, 'node_modules'), 'dir');
    return body(dir, commit);
  } finally {
    git(top, ['worktree', 'remove', '--force', dir]);
    rmSync(scratch, { recursive: true, force: true });
    // Whatever remove left behind (a worktree whose folder is already gone) is forgotten too.
    git(top, ['worktree', 'prune']);
  }
}
