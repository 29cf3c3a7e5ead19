import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A file to write, relative to the output folder. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
  /** Written with the executable bit (`apply.sh`). @default false */
  readonly executable?: boolean;
}

/**
 * Replaces `outdir` with exactly `files`: they are written to a sibling folder first, which then
 * takes `outdir`'s place, so a reader never sees a half-written tree and a failure before the
 * swap leaves `outdir` as it was.
 */
export function replaceFolder(outdir: string, files: readonly OutputFile[]): void {
  const next = `${outdir}.next`;
  const prev = `${outdir}.prev`;
  rmSync(next, { recursive: true, force: true });
  rmSync(prev, { recursive: true, force: true });
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const target = join(next, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content, { mode: file.executable === true ? 0o755 : 0o644 });
  }
  mkdirSync(next, { recursive: true });
  try {
    renameSync(outdir, prev);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  renameSync(next, outdir);
  rmSync(prev, { recursive: true, force: true });
}
