// How the platform repo synthesizes a checkout: its own `clusters/synth.ts`, run with tsx in the
// checkout, into a given folder. A version of the synth that takes no output folder writes the
// checkout's dist/, which is read instead.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PlatformError } from '../../lib/core';

const TSX = require.resolve('tsx/cli');

/** Lines of a failed synth's report kept in the error: enough for its problems, not a whole log. */
const REPORT_LINES = 60;

export function synthesizePlatform(root: string, outdir: string, what: string): string {
  const r = spawnSync(process.execPath, [TSX, 'clusters/synth.ts', outdir], {
    cwd: root,
    env: { ...process.env, CDK8S_OUTDIR: outdir },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    const report = `${r.stderr}${r.stdout}`.trim().split('\n');
    const shown = report.length > REPORT_LINES ? [...report.slice(0, REPORT_LINES), `… (${report.length - REPORT_LINES} more lines)`] : report;
    throw PlatformError.of({
      path: 'diff', field: 'synth', rule: `of ${what} failed (exit ${r.status ?? r.signal ?? r.error?.message})`,
      fix: `fix the definitions its report names (when it is the base that fails, compare with another --base); its report:\n${shown.map((l) => `      ${l}`).join('\n')}`,
    });
  }
  if (existsSync(outdir)) return outdir;
  const own = join(root, 'dist');
  if (existsSync(own)) return own;
  throw PlatformError.of({ path: 'diff', field: 'synth', value: what, rule: `wrote neither ${outdir} nor ${own}`, fix: 'check that this version of clusters/synth.ts writes its output (npm run synth)' });
}
