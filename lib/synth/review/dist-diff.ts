import { PlatformError } from '../../core';
import { type ClusterOutput, type DistFiles, type ManifestObject, type OtherFile, byCodePoint, parseClusterOutput } from './dist-reader';
import { type FieldChange, fieldChanges } from './field-diff';

/** How an object or file differs between the base and the head. */
export type Change = 'added' | 'removed' | 'changed';

/** One object that differs: the head's version (the base's for a removed one) and its changed fields. */
export interface ObjectDiff {
  readonly change: Change;
  readonly object: ManifestObject;
  /** The fields that differ (empty for an added or removed object). */
  readonly fields: readonly FieldChange[];
  /** The chart the object was in, when it moved to another. */
  readonly movedFrom?: string;
}

/** One file beside the manifests that differs. */
export interface FileDiff {
  readonly change: Change;
  readonly path: string;
  readonly before?: string;
  readonly after?: string;
}

/** What differs in one cluster's (or environment's) output. */
export interface ClusterDiff {
  readonly name: string;
  /** Whether the cluster is new, gone, or in both. */
  readonly presence: 'added' | 'removed' | 'both';
  readonly objects: readonly ObjectDiff[];
  readonly files: readonly FileDiff[];
}

/** Whether an object is a Secret, whose values the review never shows. */
export function isSecret(o: Pick<ManifestObject, 'apiVersion' | 'kind'>): boolean {
  return o.kind === 'Secret' && o.apiVersion === 'v1';
}

function byReading(a: ObjectDiff, b: ObjectDiff): number {
  const x = a.object;
  const y = b.object;
  return byCodePoint(x.chart, y.chart) || byCodePoint(x.kind, y.kind) || byCodePoint(x.namespace, y.namespace) || byCodePoint(x.name, y.name) || byCodePoint(x.key, y.key);
}

function diffObjects(base: readonly ManifestObject[], head: readonly ManifestObject[]): ObjectDiff[] {
  const before = new Map(base.map((o) => [o.key, o]));
  const after = new Map(head.map((o) => [o.key, o]));
  const out: ObjectDiff[] = [];
  for (const o of head) {
    const old = before.get(o.key);
    if (old === undefined) {
      out.push({ change: 'added', object: o, fields: [] });
      continue;
    }
    const fields = fieldChanges(old.body, o.body);
    const moved = old.chart !== o.chart;
    if (fields.length > 0 || moved) out.push({ change: 'changed', object: o, fields, ...(moved ? { movedFrom: old.chart } : {}) });
  }
  for (const o of base) if (!after.has(o.key)) out.push({ change: 'removed', object: o, fields: [] });
  return out.sort(byReading);
}

function diffFiles(base: readonly OtherFile[], head: readonly OtherFile[]): FileDiff[] {
  const before = new Map(base.map((f) => [f.path, f.content]));
  const after = new Map(head.map((f) => [f.path, f.content]));
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort(byCodePoint);
  return paths.flatMap((path): FileDiff[] => {
    const b = before.get(path);
    const a = after.get(path);
    if (b === undefined) return a === undefined ? [] : [{ change: 'added', path, after: a }];
    if (a === undefined) return [{ change: 'removed', path, before: b }];
    return a === b ? [] : [{ change: 'changed', path, before: b, after: a }];
  });
}

/**
 * Compares two synthesized outputs cluster by cluster: the objects added, removed and changed
 * (matched by group, kind, namespace and name, wherever their files are) with their changed
 * fields, and the other files. Every cluster of either side is listed, in name order.
 */
export function diffOutputs(base: readonly ClusterOutput[], head: readonly ClusterOutput[]): ClusterDiff[] {
  const before = new Map(base.map((c) => [c.name, c]));
  const after = new Map(head.map((c) => [c.name, c]));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort(byCodePoint);
  return names.map((name) => {
    const b = before.get(name);
    const a = after.get(name);
    return {
      name,
      presence: b === undefined ? 'added' : a === undefined ? 'removed' : 'both',
      objects: diffObjects(b?.objects ?? [], a?.objects ?? []),
      files: diffFiles(b?.files ?? [], a?.files ?? []),
    };
  });
}

/** Whether a cluster's output differs at all. */
export function hasChanges(c: ClusterDiff): boolean {
  return c.presence !== 'both' || c.objects.length > 0 || c.files.length > 0;
}

/**
 * Compares two dist folders' files: a file with the same path and bytes on both sides holds
 * nothing to show and is not parsed (most of a large output, the CRDs above all, is unchanged);
 * the rest is parsed and compared object by object. Invalid YAML on either side is refused,
 * every such file at once.
 */
export function diffDists(base: readonly DistFiles[], head: readonly DistFiles[]): ClusterDiff[] {
  const problems: string[] = [];
  const contents = (side: readonly DistFiles[]) => new Map(side.map((c) => [c.name, new Map(c.files.map((f) => [f.path, f.content]))]));
  const parse = (side: readonly DistFiles[], other: Map<string, Map<string, string>>) => side.map((c) => {
    const same = other.get(c.name);
    return parseClusterOutput(c.name, c.files.filter((f) => same?.get(f.path) !== f.content), problems);
  });
  const before = parse(base, contents(head));
  const after = parse(head, contents(base));
  if (problems.length > 0) throw new PlatformError(problems);
  return diffOutputs(before, after);
}
