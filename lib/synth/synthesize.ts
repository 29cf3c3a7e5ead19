import type { App } from 'cdk8s';
import { PlatformError } from '../core';
import { renderApp, type RenderedFile } from './render';
import { applyLayout } from './apply-layout';
import { replaceFolder, type OutputFile } from './write';

/** Every app's files and the policy exemptions in force. */
export interface Synthesized {
  readonly files: readonly RenderedFile[];
  readonly exemptions: readonly string[];
}

/** Renders every app, or throws one PlatformError listing every problem of every app. */
export function renderAllWithExemptions(apps: readonly App[]): Synthesized {
  const results = apps.map(renderApp);
  const problems = results.flatMap((r) => r.problems);
  if (problems.length > 0) throw new PlatformError(problems);
  return { files: results.flatMap((r) => r.files), exemptions: results.flatMap((r) => r.exemptions) };
}

/** Renders every app and returns all files, or throws one PlatformError listing every problem of every app. */
export function renderAll(apps: readonly App[]): RenderedFile[] {
  return [...renderAllWithExemptions(apps).files];
}

/**
 * Synthesizes every app into `outdir` (one folder per environment or cluster, laid out in apply
 * order by {@link applyLayout}), with the `published` files beside the charts (a cluster's
 * descriptors, `prod/release-gate.json`), only if all of them validate and pass the policy check;
 * otherwise throws and leaves `outdir` untouched. Returns the charts' files and the exemptions in
 * force, for the caller to show.
 */
export function synthesize(apps: readonly App[], outdir: string, published: readonly OutputFile[] = []): Synthesized {
  const result = renderAllWithExemptions(apps);
  const paths = new Set(result.files.map((f) => f.path));
  const clash = published.filter((f) => paths.has(f.path));
  if (clash.length > 0) throw new PlatformError(clash.map((f) => `${f.path}: a published file has the path of a chart's file; rename one of them`));
  replaceFolder(outdir, [...applyLayout(result.files), ...published]);
  return result;
}
