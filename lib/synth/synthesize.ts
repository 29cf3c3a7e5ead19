import type { App } from 'cdk8s';
import { PlatformError } from '../core';
import { renderApp, type RenderedFile } from './render';
import { replaceFolder } from './write';

/** Renders every app and returns all files, or throws one PlatformError listing every problem of every app. */
export function renderAll(apps: readonly App[]): RenderedFile[] {
  const results = apps.map(renderApp);
  const problems = results.flatMap((r) => r.problems);
  if (problems.length > 0) throw new PlatformError(problems);
  return results.flatMap((r) => r.files);
}

/**
 * Synthesizes every app into `outdir` (one folder per environment or cluster), only if all of
 * them validate; otherwise throws and leaves `outdir` untouched. Returns the files written.
 */
export function synthesize(apps: readonly App[], outdir: string): readonly RenderedFile[] {
  const files = renderAll(apps);
  replaceFolder(outdir, files);
  return files;
}
