import { sep } from 'node:path';
import { PlatformError, problemsOf } from '../core';
import { type ClusterDefinition, type PlatformCluster, buildClusterChecked, definitionPath, fleetProblems } from '../platform';
import { sharedAudiences } from '../platform/cluster-set';
import { renderApp, type RenderedFile } from './render';
import { addressesInOtherClusters } from './tree-checks';
import { applyLayout } from './apply-layout';
import { type OutputFile, replaceFolder } from './write';

/** The problems of one part of a run (a cluster, an environment, the loading of the definitions). */
export interface ReportSection {
  /** What the problems belong to (`cluster prod`). */
  readonly title: string;
  readonly problems: readonly string[];
}

/**
 * Every problem of a run, printed once: grouped by section, each line once (a problem found by
 * two checks, or in two environments of one app, is one line), counted.
 */
export function formatReport(sections: readonly ReportSection[]): string {
  const kept = sections.map((s) => ({ title: s.title, problems: [...new Set(s.problems)] })).filter((s) => s.problems.length > 0);
  const total = kept.reduce((n, s) => n + s.problems.length, 0);
  const head = `${total} problem${total === 1 ? '' : 's'}${kept.length > 1 ? ` in ${kept.length} places` : ''}:`;
  return [head, ...kept.flatMap((s) => [`${s.title}:`, ...s.problems.map((p) => `  - ${p}`)])].join('\n');
}

/** The report's problems as one error (for callers that throw rather than print). */
export function reportError(sections: readonly ReportSection[]): PlatformError {
  return new PlatformError(sections.flatMap((s) => [...new Set(s.problems)]));
}

/** What a checked run gave: the files to write, the exemptions in force, or the problems. */
export interface CheckedRun {
  readonly files: readonly RenderedFile[];
  /** The files the clusters' addons publish beside the charts (`prod/release-gate.json`). */
  readonly published: readonly OutputFile[];
  readonly exemptions: readonly string[];
  readonly sections: readonly ReportSection[];
}

/** Whether a run found problems. */
export function hasProblems(run: Pick<CheckedRun, 'sections'>): boolean {
  return run.sections.some((s) => s.problems.length > 0);
}

/**
 * Builds and checks every cluster of the fleet as far as each can be — the fleet's uniqueness
 * rules, each definition's shape and repeats, its construction part by part, the whole-tree
 * checks and the policy check — and collects every problem, grouped by cluster. `built` holds the
 * clusters that could be built (a second cluster of one name left out), as the files were rendered.
 */
export function checkClusters(defs: readonly ClusterDefinition[], environments: readonly string[]): CheckedRun & { readonly built: readonly PlatformCluster[] } {
  const sections: ReportSection[] = [{ title: 'the fleet', problems: fleetProblems(defs) }];
  const files: RenderedFile[] = [];
  const exemptions: string[] = [];
  const published: OutputFile[] = [];
  const names = new Set<unknown>();
  const built: { cluster: PlatformCluster; problems: string[] }[] = [];
  defs.forEach((def, i) => {
    const { cluster, problems } = buildClusterChecked(def, environments, i);
    const rendered = cluster === undefined ? undefined : renderApp(cluster.app);
    const again = names.has(def.name);
    names.add(def.name);
    const section = { title: `${definitionPath(def, i)}${again ? ` (clusters[${i}])` : ''}`, problems: [...problems, ...(rendered?.problems ?? [])] };
    sections.push(section);
    // A second cluster of one name is left out of the checks across clusters too: they would only repeat it.
    if (cluster !== undefined && !again) built.push({ cluster, problems: section.problems });
    // A second cluster of one name is reported by the fleet check; its files would only clash again.
    if (!again) {
      files.push(...(rendered?.files ?? []));
      published.push(...(cluster?.published ?? []));
    }
    exemptions.push(...(rendered?.exemptions ?? []));
  });
  // What no single tree can see: a cluster pointing at an address inside another's VPC.
  const networks = built.map((b) => b.cluster.facts);
  for (const b of built) b.problems.push(...addressesInOtherClusters(b.cluster.app, b.cluster.facts.name, networks));
  // Nor two clusters that accept one OIDC audience (a token for one would work on the other).
  sections[0] = { title: 'the fleet', problems: [...(sections[0]?.problems ?? []), ...sharedAudiences(built.map((b) => b.cluster))] };
  sections.push({ title: 'the output', problems: outputClashes([...files, ...published]) });
  return { files, published, exemptions, sections, built: built.map((b) => b.cluster) };
}

/** Two files of one path: the second would overwrite the first. */
export function outputClashes(files: readonly OutputFile[]): string[] {
  const seen = new Set<string>();
  const clashes = new Set<string>();
  for (const f of files) (seen.has(f.path) ? clashes : seen).add(f.path);
  return [...clashes].map((path) => `output: ${path} is written by two charts; give the charts (or the clusters and environments above them) distinct names`);
}

/** Writes a clean run to `outdir` (replacing it) and returns 0, or prints the report, leaves `outdir` as it was and returns 1. */
export function writeOrReport(run: CheckedRun, outdir: string, what: string, log: (line: string) => void = console.log, error: (line: string) => void = console.error): number {
  if (hasProblems(run)) {
    error(`synth failed; ${outdir}/ is unchanged.\n${formatReport(run.sections)}`);
    return 1;
  }
  replaceFolder(outdir, [...applyLayout(run.files), ...run.published]);
  log(`synthesized ${what}, ${run.files.length + run.published.length} files, to ${outdir}/`);
  if (run.exemptions.length > 0) log(`policy exemptions in force:\n${run.exemptions.map((e) => `  - ${e}`).join('\n')}`);
  return 0;
}

const OUR_CODE = `${__dirname.slice(0, __dirname.lastIndexOf(`${sep}synth`))}${sep}`;

/**
 * Runs a command's body and turns what escapes it into the report: a PlatformError (or a second
 * construct of one id) raised anywhere, even while a definition module loads, is printed as
 * problems without a stack trace; any other error is printed with its stack, and said to be a bug
 * — of the library when its first frame is ours, of the calling code otherwise. Returns the exit code.
 */
export async function reported(body: () => number | Promise<number>, title = 'loading the definitions', error: (line: string) => void = console.error): Promise<number> {
  try {
    return await body();
  } catch (e) {
    const problems = problemsOf(e);
    if (problems !== undefined) {
      error(`synth failed; nothing was written.\n${formatReport([{ title, problems }])}`);
      return 1;
    }
    error(describeCrash(e));
    return 2;
  }
}

/** The text for an error that is nobody's input mistake: whose bug it is, and its stack. */
export function describeCrash(e: unknown): string {
  const stack = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  const frame = stack.split('\n').find((l) => l.trimStart().startsWith('at '));
  const ours = frame !== undefined && frame.includes(OUR_CODE) && !frame.includes(`${sep}node_modules${sep}`);
  return ours
    ? `internal error: this is a bug in platform-constructs, not a mistake in your input; please report it with this trace:\n${stack}`
    : `error thrown by code outside platform-constructs (not a platform check); its trace:\n${stack}`;
}
