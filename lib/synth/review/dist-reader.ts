import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { PlatformError } from '../../core';

/** A Kubernetes object as synthesized: its identity, the chart (file) that holds it, and its body. */
export interface ManifestObject {
  /** What identifies it in a cluster: `group/Kind namespace/name` (the group empty for the core API). */
  readonly key: string;
  readonly apiVersion: string;
  readonly kind: string;
  /** Empty for a cluster-scoped object. */
  readonly namespace: string;
  readonly name: string;
  /** The chart, read from the file name (`manifests/5-services/checkout.k8s.yaml` holds chart `checkout`). */
  readonly chart: string;
  /** The file, relative to the cluster's folder. */
  readonly file: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** A file of a cluster's output that holds no Kubernetes objects (README.md, apply.sh, kustomization.yaml, descriptors). */
export interface OtherFile {
  /** Relative to the cluster's folder. */
  readonly path: string;
  readonly content: string;
}

/** One cluster's (or one environment's) output folder, read. */
export interface ClusterOutput {
  readonly name: string;
  /** Sorted by key. */
  readonly objects: readonly ManifestObject[];
  /** Sorted by path. */
  readonly files: readonly OtherFile[];
}

/** Files the review tools write next to the synthesized ones, which are not part of the synth output. */
const NOT_SYNTHESIZED = new Set(['graph.svg', 'graph.dot']);

/** The identity the diff and the graph match objects by. */
export function objectKey(apiVersion: string, kind: string, namespace: string, name: string): string {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return `${group}/${kind} ${namespace === '' ? '' : `${namespace}/`}${name}`;
}

/** How an object is named to a reader: `Deployment shop/checkout`, `ClusterRole view`. */
export function displayName(o: Pick<ManifestObject, 'kind' | 'namespace' | 'name'>): string {
  return `${o.kind} ${o.namespace === '' ? '' : `${o.namespace}/`}${o.name}`;
}

/** Code-point order: the same on every machine, whatever its locale. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : e.isFile() ? [`${prefix}${e.name}`] : []))
    .sort(byCodePoint);
}

function chartOf(file: string): string {
  return basename(file).replace(/(\.k8s)?\.ya?ml$/, '');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The objects of one YAML file, or undefined when it is not a file of Kubernetes objects (a
 * kustomization, a document without apiVersion/kind/metadata.name). A document that is not valid
 * YAML is a problem, named with the file.
 */
function objectsOf(file: string, text: string, where: string, problems: string[]): ManifestObject[] | undefined {
  if (basename(file) === 'kustomization.yaml') return undefined;
  const objects: ManifestObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      problems.push(`${where}/${file}: is not valid YAML (${doc.errors[0]?.message.split('\n')[0] ?? 'parse error'}); synthesize it again, or pass the folder that holds the synthesized output`);
      return [];
    }
    const body: unknown = doc.toJS();
    if (body === null || body === undefined) continue;
    if (!isObject(body)) return undefined;
    const metadata = body.metadata;
    const { apiVersion, kind } = body;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !isObject(metadata) || typeof metadata.name !== 'string') return undefined;
    const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : '';
    objects.push({ key: objectKey(apiVersion, kind, namespace, metadata.name), apiVersion, kind, namespace, name: metadata.name, chart: chartOf(file), file, body });
  }
  return objects;
}

/** The files of one cluster's output folder, unparsed, sorted by path. */
export function readClusterFiles(dir: string): OtherFile[] {
  return listFiles(dir).filter((f) => !NOT_SYNTHESIZED.has(f)).map((path) => ({ path, content: readFileSync(join(dir, path), 'utf8') }));
}

/** Reads a cluster's files into its objects, keyed, and every other file. */
export function parseClusterOutput(name: string, files: readonly OtherFile[], problems: string[]): ClusterOutput {
  const objects = new Map<string, ManifestObject>();
  const others: OtherFile[] = [];
  for (const file of files) {
    const found = /\.ya?ml$/.test(file.path) ? objectsOf(file.path, file.content, name, problems) : undefined;
    if (found === undefined) {
      others.push(file);
      continue;
    }
    for (const o of found) {
      // One object written twice (which apply would refuse) is kept twice, told apart by its file.
      const key = objects.has(o.key) ? `${o.key} (${o.file})` : o.key;
      objects.set(key, { ...o, key });
    }
  }
  return { name, objects: [...objects.values()].sort((a, b) => byCodePoint(a.key, b.key)), files: others };
}

/** Reads one cluster's output folder: its objects, keyed, and every other file. */
export function readClusterOutput(dir: string, name: string, problems: string[]): ClusterOutput {
  return parseClusterOutput(name, readClusterFiles(dir), problems);
}

/** A dist folder's clusters, each with its files unparsed. */
export interface DistFiles {
  readonly name: string;
  readonly files: readonly OtherFile[];
}

/**
 * Reads the files of a synthesized `dist/` folder: one output per sub-folder (a cluster, or a service repo's
 * environment). A missing folder, or one that is not a synth output, is refused with the fix.
 */
export function readDistFiles(dir: string, flag: string): DistFiles[] {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) {
    throw PlatformError.of({ path: 'diff', field: flag, value: dir, rule: 'is not a folder', fix: 'pass the folder a synth wrote (dist/), or run the synth first' });
  }
  const entries = readdirSync(dir, { withFileTypes: true });
  if (entries.some((e) => e.isDirectory() && e.name === 'manifests')) {
    throw PlatformError.of({ path: 'diff', field: flag, value: dir, rule: "is one cluster's output (it holds manifests/), not a dist folder", fix: `pass the folder above it (${dirname(resolve(dir))})` });
  }
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort(byCodePoint)
    .map((name) => ({ name, files: readClusterFiles(join(dir, name)) }));
}
