import { parseAllDocuments } from 'yaml';
import { RUN_BEFORE_ANNOTATION, runBeforeTargets } from '../apps/migration-job';
import { DEPLOY_PHASES, type DeployPhase, PlatformError, objectIdentity, objectKey } from '../core';
import type { RenderedFile } from '../synth/render';

/** One Kubernetes object as synthesized: plain JSON with apiVersion, kind and metadata. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Readonly<Record<string, string>> } & Readonly<Record<string, unknown>>;
  readonly [field: string]: unknown;
}

/** One object to apply, with what must exist before it. */
export interface PlannedObject {
  /** Its stable key and resource name: `<Kind>/<namespace>/<name>`, or `<Kind>/<name>` when cluster-scoped. */
  readonly key: string;
  /** The chart it comes from (`team-shop`). */
  readonly chart: string;
  /** The synthesized object, placeholders and all. */
  readonly object: KubeObject;
  /** Keys of the objects that must be applied first: its CRD, its Namespace, the migration Jobs that run before it. */
  readonly dependsOn: readonly string[];
}

/** One chart to apply, and the charts that must be applied before any of its objects. */
export interface PlannedChart {
  readonly name: string;
  readonly phase: DeployPhase;
  /** The charts of the previous non-empty phase. */
  readonly after: readonly string[];
  readonly objects: readonly PlannedObject[];
}

/** Everything a cluster's manifests deployment applies, in order, and the kops manifest it does not apply. */
export interface ManifestPlan {
  /** Charts in apply order: by their declared phase (CRDs, addons, teams, services), each phase sorted by name. */
  readonly charts: readonly PlannedChart[];
  /** Every object, in chart order. */
  readonly objects: readonly PlannedObject[];
}

/** The stable key (and resource name) of an object: `<Kind>/<namespace>/<name>` or `<Kind>/<name>`. */
function keyOf(obj: KubeObject): string {
  return objectKey(objectIdentity(obj));
}

/** The chart of a rendered file under `<cluster>/manifests/`, or undefined for files that are not applied (kops). */
export function chartOfFile(path: string): string | undefined {
  const match = /^[^/]+\/manifests\/(.+)\.k8s\.yaml$/.exec(path);
  return match?.[1];
}

/** Parses the YAML documents of one rendered file. */
export function parseObjects(content: string): KubeObject[] {
  return parseAllDocuments(content).map((d) => d.toJSON() as unknown).filter((o): o is KubeObject => isKubeObject(o));
}

function isKubeObject(o: unknown): o is KubeObject {
  if (o === null || typeof o !== 'object') return false;
  const r = o as Record<string, unknown>;
  const meta = r.metadata as Record<string, unknown> | undefined;
  return typeof r.apiVersion === 'string' && typeof r.kind === 'string' && typeof meta?.name === 'string';
}

/**
 * Plans the deployment of a cluster's rendered files (from `renderAll`, the function `npm run
 * synth` uses): the files under `manifests/` become charts of objects; the kops file is left to
 * KopsDeployment. Dependencies: CRDs before their custom resources, Namespaces before the objects
 * in them, a MigrationJob before each object its `run-before` annotation names, and every
 * phase after the one before it.
 */
export function planManifests(files: readonly RenderedFile[]): ManifestPlan {
  const parsed = files.flatMap((f) => {
    const chart = chartOfFile(f.path);
    return chart === undefined ? [] : [{ chart, phase: f.phase, objects: parseObjects(f.content) }];
  });
  const phaseOfChart = new Map(parsed.map((p) => [p.chart, p.phase]));
  const phaseOf = (chart: string): DeployPhase => phaseOfChart.get(chart) ?? 'services';
  const rank = (chart: string): number => DEPLOY_PHASES.indexOf(phaseOf(chart));
  parsed.sort((a, b) => rank(a.chart) - rank(b.chart) || a.chart.localeCompare(b.chart));

  const byKey = new Map<string, { chart: string; object: KubeObject }>();
  for (const { chart, objects } of parsed) {
    for (const object of objects) {
      const key = keyOf(object);
      const other = byKey.get(key);
      if (other !== undefined) {
        throw PlatformError.of({
          path: `manifests ${chart}`, field: 'objects', value: key, rule: `is also defined in chart ${other.chart}`,
          fix: 'give every object its own kind, namespace and name',
        });
      }
      byKey.set(key, { chart, object });
    }
  }

  const crds = new Map<string, string>();
  for (const [key, { object }] of byKey) {
    if (object.kind !== 'CustomResourceDefinition') continue;
    const spec = object.spec as { group?: string; names?: { kind?: string } } | undefined;
    if (spec?.group !== undefined && spec.names?.kind !== undefined) crds.set(`${spec.group}/${spec.names.kind}`, key);
  }
  const runBefore = new Map<string, string[]>();
  for (const [key, { chart, object }] of byKey) {
    const value = object.metadata.annotations?.[RUN_BEFORE_ANNOTATION];
    if (value === undefined) continue;
    for (const target of runBeforeTargets(value)) {
      if (!byKey.has(target)) {
        throw PlatformError.of({
          path: `manifests ${chart}/${key}`, field: `metadata.annotations.${RUN_BEFORE_ANNOTATION}`, value: target,
          rule: 'names no object of the cluster', fix: 'name the workload as <Kind>/<namespace>/<name> of an object in the same cluster',
        });
      }
      runBefore.set(target, [...(runBefore.get(target) ?? []), key]);
    }
  }

  const planned = (chart: string, object: KubeObject): PlannedObject => {
    const key = keyOf(object);
    const deps: string[] = [];
    const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.indexOf('/')) : '';
    const crd = crds.get(`${group}/${object.kind}`);
    if (crd !== undefined) deps.push(crd);
    const ns = object.metadata.namespace;
    if (ns !== undefined && byKey.has(`Namespace/${ns}`)) deps.push(`Namespace/${ns}`);
    deps.push(...(runBefore.get(key) ?? []));
    for (const dep of deps) {
      const depChart = byKey.get(dep)?.chart ?? chart;
      if (rank(depChart) > rank(chart)) {
        throw PlatformError.of({
          path: `manifests ${chart}/${key}`, field: 'dependsOn', value: dep,
          rule: `is applied later, in chart ${depChart} (${phaseOf(depChart)} come after ${phaseOf(chart)})`,
          fix: `define the object it needs in the same or an earlier phase (${DEPLOY_PHASES.join(' before ')})`,
        });
      }
    }
    return { key, chart, object, dependsOn: deps };
  };

  const charts: PlannedChart[] = [];
  for (const { chart, phase, objects } of parsed) {
    const earlier = charts.filter((c) => c.phase !== phase);
    const lastPhase = earlier.at(-1)?.phase;
    charts.push({
      name: chart,
      phase,
      after: earlier.filter((c) => c.phase === lastPhase).map((c) => c.name),
      objects: dependenciesFirst(objects.map((o) => planned(chart, o))),
    });
  }
  return { charts, objects: charts.flatMap((c) => c.objects) };
}

/** Orders a chart's objects so that each comes after the objects of the same chart it depends on, otherwise keeping their order. */
function dependenciesFirst(objects: readonly PlannedObject[]): PlannedObject[] {
  const out: PlannedObject[] = [];
  const placed = new Set<string>();
  const inChart = new Map(objects.map((o) => [o.key, o]));
  const visit = (o: PlannedObject, path: readonly string[]): void => {
    if (placed.has(o.key)) return;
    if (path.includes(o.key)) {
      throw PlatformError.of({
        path: `manifests ${o.chart}/${o.key}`, field: 'dependsOn', value: [...path, o.key].join(' -> '), rule: 'is a cycle',
        fix: 'remove one of the run-before annotations',
      });
    }
    for (const dep of o.dependsOn) {
      const d = inChart.get(dep);
      if (d !== undefined) visit(d, [...path, o.key]);
    }
    placed.add(o.key);
    out.push(o);
  };
  for (const o of objects) visit(o, []);
  return out;
}
