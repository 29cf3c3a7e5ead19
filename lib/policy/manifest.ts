// Reading synthesized Kubernetes objects (plain JSON) without trusting their shape: the policy
// check and the quota check run over whatever a tree produced, including hand-written objects.
import { type ObjectIdentity, objectIdentity } from '../core';
import type { PodTemplateKind } from './tenancy-facts';

/** A JSON object as a record of unknown values. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Whether `value` is a JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `key`, or an empty one. */
export function obj(value: unknown, key: string): JsonObject {
  const v = isObject(value) ? value[key] : undefined;
  return isObject(v) ? v : {};
}

/** The array at `key`, or an empty one. */
export function arr(value: unknown, key: string): readonly unknown[] {
  const v = isObject(value) ? value[key] : undefined;
  return Array.isArray(v) ? v : [];
}

/** The string at `key`, if it is one. */
export function str(value: unknown, key: string): string | undefined {
  const v = isObject(value) ? value[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** The number at `key`, if it is one. */
export function num(value: unknown, key: string): number | undefined {
  const v = isObject(value) ? value[key] : undefined;
  return typeof v === 'number' ? v : undefined;
}

/** The string-valued entries of the object at `key` (labels, a selector's matchLabels). */
export function strings(value: unknown, key: string): Record<string, string> {
  return Object.fromEntries(Object.entries(obj(value, key)).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Kind, name and namespace of an object in its JSON form (see {@link objectIdentity}). */
export function identityOf(json: unknown): ObjectIdentity {
  return objectIdentity(isObject(json) ? json : {});
}

/** A pod template inside an object, with the path of its `spec` for messages. */
export interface PodTemplate {
  /** The template's labels. */
  readonly labels: Record<string, string>;
  /** The template's annotations (AppArmor's annotation form lives there). */
  readonly annotations: Record<string, string>;
  /** The field path of the template's metadata (`spec.template.metadata`). */
  readonly metadataPath: string;
  /** The pod spec (empty when the object has none there). */
  readonly spec: JsonObject;
  /** Whether the object holds a pod spec at `specPath` at all. */
  readonly hasSpec: boolean;
  /** The field path of the pod spec inside the object (`spec.template.spec`). */
  readonly specPath: string;
}

/** The kinds whose objects carry a pod template, and where. */
const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  PodTemplate: ['template'],
  Pod: [],
};

/** The built-in kinds that carry a pod template. */
export const BUILT_IN_POD_KINDS: readonly string[] = Object.keys(TEMPLATE_PATHS);

/** The `group/Kind` of an object (`apps/Deployment`, `/Service`). */
export function groupKindOf(json: unknown): string {
  const apiVersion = str(json, 'apiVersion') ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return `${group}/${str(json, 'kind') ?? ''}`;
}

/** The `group/Kind` of a declared kind. */
export function declaredGroupKind(k: PodTemplateKind): string {
  return groupKindOf({ apiVersion: k.apiVersion, kind: k.kind });
}

/** The declared custom kind `json` is an object of (matched by group and kind, any version). */
export function declaredKindOf(json: unknown, custom: readonly PodTemplateKind[]): PodTemplateKind | undefined {
  if (custom.length === 0) return undefined;
  const gk = groupKindOf(json);
  return custom.find((k) => declaredGroupKind(k) === gk);
}

/** The object at a path of field names (an empty object where the path leads to none). */
export function objAt(json: unknown, path: readonly string[]): JsonObject {
  return path.reduce<JsonObject>((at, key) => obj(at, key), isObject(json) ? json : {});
}

/** Where the pod template of an object is: a built-in kind's path, or a declared custom kind's. */
function templatePathOf(json: unknown, custom: readonly PodTemplateKind[]): readonly string[] | undefined {
  // A built-in kind's name is read at its path whatever the group (stricter, never looser).
  return TEMPLATE_PATHS[str(json, 'kind') ?? ''] ?? declaredKindOf(json, custom)?.templatePath.split('.');
}

/**
 * The pod template of a workload object (Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, Job, CronJob, PodTemplate, Pod, or a custom kind declared in `custom`),
 * if it is one.
 */
export function podTemplateOf(json: unknown, custom: readonly PodTemplateKind[] = []): PodTemplate | undefined {
  const path = templatePathOf(json, custom);
  if (path === undefined) return undefined;
  const template = objAt(json, path);
  return {
    labels: strings(obj(template, 'metadata'), 'labels'),
    annotations: strings(obj(template, 'metadata'), 'annotations'),
    metadataPath: [...path, 'metadata'].join('.'),
    spec: obj(template, 'spec'),
    hasSpec: isObject((template as JsonObject)['spec']),
    specPath: [...path, 'spec'].join('.'),
  };
}

/** A container of a pod spec with its field path. */
export interface ContainerAt {
  readonly container: JsonObject;
  /** `containers[0]`, `initContainers[1]`, ... */
  readonly field: string;
  readonly kind: 'containers' | 'initContainers' | 'ephemeralContainers';
}

/** Every container of a pod spec: regular, init and ephemeral. */
export function containersOf(spec: JsonObject): ContainerAt[] {
  return (['containers', 'initContainers', 'ephemeralContainers'] as const).flatMap((kind) =>
    arr(spec, kind).filter(isObject).map((container, i) => ({ container, field: `${kind}[${i}]`, kind })));
}

/**
 * Whether a label selector (`{ matchLabels, matchExpressions }`) selects `labels`. An empty
 * selector selects everything, as in Kubernetes.
 */
export function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const matchLabels = strings(selector, 'matchLabels');
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return arr(selector, 'matchExpressions').every((e) => {
    const key = str(e, 'key') ?? '';
    const values = arr(e, 'values').filter((v): v is string => typeof v === 'string');
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (str(e, 'operator')) {
      case 'In': return has && values.includes(labels[key] ?? '');
      case 'NotIn': return !has || !values.includes(labels[key] ?? '');
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

/** Whether a selector is empty, so that it selects every pod. */
export function isEmptySelector(selector: unknown): boolean {
  return Object.keys(obj(selector, 'matchLabels')).length === 0 && arr(selector, 'matchExpressions').length === 0;
}
