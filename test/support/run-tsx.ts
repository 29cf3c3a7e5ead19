import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** What a child process gave: its exit code and what it printed. */
export interface TsxRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a TypeScript entry point the way `npm run synth` and service repos run them — in its own
 * node process through `tsx`, which transpiles without type-checking — from the repository root,
 * and returns its exit code and output (a non-zero exit is returned, not thrown).
 */
export function runTsx(args: readonly string[], cwd: string = join(__dirname, '..', '..')): TsxRun {
  const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.error !== undefined) throw run.error;
  return { status: run.status ?? 1, stdout: run.stdout, stderr: run.stderr };
}
