import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { PlatformError, formatProblem, problemsOf } from '../../core';
import { describeCrash } from '../report';
import { withCheckout } from './base-checkout';
import { clusterGraph, graphDot } from './cluster-graph';
import { diffDists } from './dist-diff';
import { diffMarkdown } from './diff-markdown';
import { type DistFiles, byCodePoint, readClusterOutput, readDistFiles } from './dist-reader';
import { renderSvg } from './graphviz';

/** Where a command's output goes: the result to `print` (stdout), progress and problems to `error` (stderr). */
export interface CommandIo {
  readonly print: (text: string) => void;
  readonly error: (text: string) => void;
}

/**
 * Synthesizes the repository checked out at `root` into `outdir` and returns the folder that
 * holds the output (`outdir`, or where that version of the synth writes). Throws a
 * PlatformError when the synth fails.
 */
export type Synthesizer = (root: string, outdir: string, what: string) => string;

export const DIFF_USAGE = `usage: diff --base-dir <dist folder> --head <dist folder>
       diff --base <git ref> [--head <dist folder>]   (in the platform repo: npm run diff -- --base main)
prints, as Markdown, per cluster (or environment) what the head adds, removes and changes against the base; exit 0 with or without changes`;

export const GRAPH_USAGE = `usage: graph --cluster <name> [--dist <folder, default dist>] [--out <file>] [--format svg|dot]
       graph --dir <one cluster's output folder> --out <file> [--format svg|dot]
writes the cluster's charts, workloads, Services, routes and network allows as SVG (Graphviz dot) or DOT text`;

function parseFlags(command: string, argv: readonly string[], known: readonly string[], usage: string, problems: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  const problem = (rule: string, value?: string) => problems.push(formatProblem({ path: command, field: 'arguments', rule, ...(value === undefined ? {} : { value }), fix: usage }));
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? '';
    const value = argv[i + 1];
    if (!flag.startsWith('--') || value === undefined || value.startsWith('--')) {
      problem('expects --flag value pairs', flag);
      break;
    }
    if (!known.includes(flag.slice(2))) problem(`knows no flag ${flag}`);
    else if (flags.has(flag.slice(2))) problem(`has ${flag} twice`);
    flags.set(flag.slice(2), value);
  }
  return flags;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Runs a command body: a PlatformError's problems are printed without a trace (exit 1), anything else as a bug (exit 2). */
function run(command: string, io: CommandIo, body: () => number): number {
  try {
    return body();
  } catch (e) {
    const problems = problemsOf(e);
    if (problems === undefined) {
      io.error(describeCrash(e));
      return 2;
    }
    io.error(`${command} failed: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    return 1;
  }
}

function readBoth(dirs: readonly { dir: string; flag: string }[]): DistFiles[][] {
  const problems: string[] = [];
  const read = dirs.map(({ dir, flag }) => {
    try {
      return readDistFiles(dir, flag);
    } catch (e) {
      problems.push(...(problemsOf(e) ?? [String(e)]));
      return [];
    }
  });
  if (problems.length > 0) throw new PlatformError(problems);
  return read;
}

/**
 * The `diff` command. `--base-dir` and `--head` compare two synthesized folders; `--base <ref>`
 * checks the ref out into a temporary worktree and synthesizes it with `synthesize` (and, without
 * `--head`, the working tree too), then compares. Prints the Markdown and returns 0 whether or
 * not anything changed; 1 for bad arguments, a bad ref, a missing folder or a failing synth.
 */
export function diffMain(argv: readonly string[], io: CommandIo, options: { readonly synthesize?: Synthesizer; readonly repo?: string } = {}): number {
  return run('diff', io, () => {
    const problems: string[] = [];
    const flags = parseFlags('diff', argv, ['base', 'base-dir', 'head'], DIFF_USAGE, problems);
    const ref = flags.get('base');
    const baseDir = flags.get('base-dir');
    const head = flags.get('head');
    const usage = (rule: string) => problems.push(formatProblem({ path: 'diff', field: 'arguments', rule, fix: DIFF_USAGE }));
    if ((ref === undefined) === (baseDir === undefined)) usage('needs exactly one of --base and --base-dir');
    if (ref !== undefined && options.synthesize === undefined) usage('--base needs a synth program, which this command has not got: synthesize the base yourself and pass --base-dir');
    if (baseDir !== undefined && head === undefined) usage('with --base-dir needs --head');
    if (baseDir !== undefined && !isFolder(baseDir)) problems.push(formatProblem({ path: 'diff', field: '--base-dir', value: baseDir, rule: 'is not a folder', fix: 'pass the folder a synth wrote (dist/), or run the synth first' }));
    if (head !== undefined && !isFolder(head)) problems.push(formatProblem({ path: 'diff', field: '--head', value: head, rule: 'is not a folder', fix: 'pass the folder a synth wrote (dist/), or run the synth first' }));
    if (problems.length > 0) throw new PlatformError(problems);

    if (baseDir !== undefined && head !== undefined) {
      const [base = [], after = []] = readBoth([{ dir: baseDir, flag: '--base-dir' }, { dir: head, flag: '--head' }]);
      io.print(diffMarkdown(diffDists(base, after), { base: `\`${baseDir}\``, head: `\`${head}\`` }));
      return 0;
    }
    const synthesize = options.synthesize;
    const repo = options.repo ?? process.cwd();
    if (ref === undefined || synthesize === undefined) return 1;
    const scratch = mkdtempSync(join(tmpdir(), 'platform-diff-out-'));
    try {
      let label = '';
      const baseOut = withCheckout(repo, ref, (dir, commit) => {
        label = `\`${ref}\` (${commit.slice(0, 12)})`;
        io.error(`diff: synthesizing the base, ${ref} (${commit.slice(0, 12)}), in a temporary worktree`);
        return readDistFiles(synthesize(dir, join(scratch, 'base'), `the base ${ref}`), '--base');
      });
      let headOut: DistFiles[];
      if (head === undefined) {
        io.error('diff: synthesizing the working tree');
        headOut = readDistFiles(synthesize(repo, join(scratch, 'head'), 'the working tree'), '--head');
      } else {
        headOut = readDistFiles(head, '--head');
      }
      io.print(diffMarkdown(diffDists(baseOut, headOut), { base: label, head: head === undefined ? 'the working tree' : `\`${head}\`` }));
      return 0;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
}

/**
 * The `graph` command: reads one cluster's synthesized output and writes its graph, as SVG laid
 * out by Graphviz `dot` (default) or as the DOT text. Nothing is written unless the arguments are
 * right, the folder is there and `dot` succeeded.
 */
export function graphMain(argv: readonly string[], io: CommandIo, options: { readonly dotCommand?: string } = {}): number {
  return run('graph', io, () => {
    const problems: string[] = [];
    const flags = parseFlags('graph', argv, ['cluster', 'dist', 'dir', 'out', 'format'], GRAPH_USAGE, problems);
    const usage = (rule: string) => problems.push(formatProblem({ path: 'graph', field: 'arguments', rule, fix: GRAPH_USAGE }));
    const cluster = flags.get('cluster');
    const dist = flags.get('dist') ?? 'dist';
    const given = flags.get('dir');
    const format = flags.get('format') ?? 'svg';
    if ((cluster === undefined) === (given === undefined)) usage('needs exactly one of --cluster and --dir');
    if (given !== undefined && flags.has('dist')) usage('takes --dist only with --cluster');
    if (given !== undefined && !flags.has('out')) usage('with --dir needs --out');
    if (format !== 'svg' && format !== 'dot') problems.push(formatProblem({ path: 'graph', field: '--format', value: format, rule: 'must be svg or dot', fix: 'pass --format svg (the default) or --format dot' }));
    const dir = given ?? join(dist, cluster ?? '');
    if ((cluster !== undefined || given !== undefined) && !isFolder(join(dir, 'manifests'))) {
      const found = isFolder(dist) && cluster !== undefined ? readDistNames(dist) : [];
      problems.push(formatProblem({
        path: 'graph', field: cluster !== undefined ? '--cluster' : '--dir', value: cluster ?? given,
        rule: `has no synthesized output (no ${join(dir, 'manifests')}/)${found.length > 0 ? `; ${dist}/ holds ${found.join(', ')}` : ''}`,
        fix: cluster !== undefined ? `run the synth first (npm run synth), or pass --dist <the folder it wrote>` : "pass a cluster's output folder (dist/<cluster>)",
      }));
    }
    if (problems.length > 0) throw new PlatformError(problems);
    const name = cluster ?? basename(resolve(dir));
    const readProblems: string[] = [];
    const output = readClusterOutput(dir, name, readProblems);
    if (readProblems.length > 0) throw new PlatformError(readProblems);
    const dot = graphDot(clusterGraph(name, output.objects));
    const text = format === 'dot' ? dot : renderSvg(dot, options.dotCommand);
    const out = flags.get('out') ?? join(dir, format === 'dot' ? 'graph.dot' : 'graph.svg');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
    io.error(`graph: wrote ${out}`);
    return 0;
  });
}

function readDistNames(dist: string): string[] {
  return readdirSync(dist, { withFileTypes: true }).filter((e) => e.isDirectory() && isFolder(join(dist, e.name, 'manifests'))).map((e) => e.name).sort(byCodePoint);
}
