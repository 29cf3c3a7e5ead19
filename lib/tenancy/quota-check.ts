import { Quantity, formatProblem } from '../core';
import { describeObject } from '../core';
import { arr, containersOf, declaredKindOf, identityOf, isObject, num, obj, objAt, podTemplateOf, str, type JsonObject } from '../policy/manifest';
import type { PodTemplateKind } from '../policy/tenancy-facts';

/** The quota keys the check compares, with the container field each sums and the aliases Kubernetes accepts. */
const COMPUTE = [
  { key: 'requests.cpu', alias: 'cpu', kind: 'requests', resource: 'cpu' },
  { key: 'requests.memory', alias: 'memory', kind: 'requests', resource: 'memory' },
  { key: 'limits.cpu', alias: undefined, kind: 'limits', resource: 'cpu' },
  { key: 'limits.memory', alias: undefined, kind: 'limits', resource: 'memory' },
] as const;

type Amounts = Record<(typeof COMPUTE)[number]['key'], Quantity>;

/** How many pods a workload runs at most, split into steady replicas and rollout surge. */
interface PodCount {
  readonly replicas: number;
  readonly surge: number;
}

/** One workload's share of a namespace's quota. */
interface Demand {
  readonly name: string;
  readonly pods: PodCount;
  readonly perPod: Amounts;
}

function parse(value: unknown): Quantity | undefined {
  if (typeof value === 'number') return Quantity.of(value);
  if (typeof value !== 'string') return undefined;
  try {
    return Quantity.parse(value);
  } catch {
    return undefined;
  }
}

/** `5.5` rather than `5500m` for whole-and-a-fraction cores; otherwise the canonical quantity text. */
export function formatAmount(q: Quantity): string {
  const m = q.toMilli();
  if (m < 1000n || m % 1000n === 0n) return q.toString();
  const fraction = (m % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  return `${m / 1000n}.${fraction}`;
}

/** The LimitRange defaults of a namespace: what a container that sets nothing gets. */
function limitRangeDefaults(objects: readonly JsonObject[], namespace: string): { requests: JsonObject; limits: JsonObject } {
  const item = objects
    .filter((o) => str(o, 'kind') === 'LimitRange' && identityOf(o).namespace === namespace)
    .flatMap((o) => arr(obj(o, 'spec'), 'limits'))
    .find((l) => str(l, 'type') === 'Container');
  const limits = obj(item, 'default');
  const defaultRequest = obj(item, 'defaultRequest');
  return { requests: { ...limits, ...defaultRequest }, limits };
}

/** One container's amounts as Kubernetes admits it: a missing request is the limit, then the LimitRange default. */
function containerAmounts(c: JsonObject, defaults: { requests: JsonObject; limits: JsonObject }): Amounts {
  const resources = obj(c, 'resources');
  const get = (kind: 'requests' | 'limits', resource: 'cpu' | 'memory'): Quantity => {
    const own = obj(resources, kind)[resource];
    const fallback = kind === 'requests' ? (obj(resources, 'limits')[resource] ?? defaults.requests[resource]) : defaults.limits[resource];
    return parse(own ?? fallback) ?? Quantity.ZERO;
  };
  return {
    'requests.cpu': get('requests', 'cpu'), 'requests.memory': get('requests', 'memory'),
    'limits.cpu': get('limits', 'cpu'), 'limits.memory': get('limits', 'memory'),
  };
}

/** A pod's amounts: its containers added up, or its largest init container if that is more. */
function podAmounts(spec: JsonObject, defaults: { requests: JsonObject; limits: JsonObject }): Amounts {
  const all = containersOf(spec);
  const sum = { 'requests.cpu': Quantity.ZERO, 'requests.memory': Quantity.ZERO, 'limits.cpu': Quantity.ZERO, 'limits.memory': Quantity.ZERO };
  for (const c of all.filter((x) => x.kind === 'containers')) {
    const a = containerAmounts(c.container, defaults);
    for (const { key } of COMPUTE) sum[key] = sum[key].plus(a[key]);
  }
  for (const c of all.filter((x) => x.kind === 'initContainers')) {
    const a = containerAmounts(c.container, defaults);
    for (const { key } of COMPUTE) if (a[key].greaterThan(sum[key])) sum[key] = a[key];
  }
  return sum;
}

/** The surge of a rolling update: `maxSurge` as a count or a percentage of replicas rounded up (Kubernetes' default is 25%). */
function surgeOf(deployment: JsonObject, replicas: number): number {
  const strategy = obj(obj(deployment, 'spec'), 'strategy');
  if (str(strategy, 'type') === 'Recreate') return 0;
  const maxSurge = obj(strategy, 'rollingUpdate').maxSurge ?? '25%';
  if (typeof maxSurge === 'number') return maxSurge;
  const percent = /^(\d+)%$/.exec(String(maxSurge));
  return percent === null ? 1 : Math.ceil((replicas * Number(percent[1])) / 100);
}

/** The most pods a workload runs: HPA maximum (or replicas) plus the rollout surge of a Deployment; one run for Jobs and CronJobs. */
function podCount(o: JsonObject, objects: readonly JsonObject[], custom: readonly PodTemplateKind[]): PodCount | undefined {
  const { kind, name, namespace } = identityOf(o);
  const spec = obj(o, 'spec');
  const hpa = objects.find((h) => {
    const target = obj(obj(h, 'spec'), 'scaleTargetRef');
    return str(h, 'kind') === 'HorizontalPodAutoscaler' && identityOf(h).namespace === namespace && str(target, 'kind') === kind && str(target, 'name') === name;
  });
  const replicas = num(obj(hpa, 'spec'), 'maxReplicas') ?? num(spec, 'replicas') ?? 1;
  switch (kind) {
    case 'Deployment': return { replicas, surge: surgeOf(o, replicas) };
    case 'StatefulSet':
    case 'ReplicaSet': return { replicas, surge: 0 };
    case 'Job': return { replicas: num(spec, 'parallelism') ?? 1, surge: 0 };
    case 'CronJob': return { replicas: num(obj(obj(spec, 'jobTemplate'), 'spec'), 'parallelism') ?? 1, surge: 0 };
    case 'Pod': return { replicas: 1, surge: 0 };
    case 'ReplicationController': return { replicas, surge: 0 };
    default: {
      // DaemonSets scale with nodes, not with the namespace's quota; a declared custom kind runs
      // the replicas its declaration points at (surge is its operator's: not known).
      const declared = declaredKindOf(o, custom);
      if (declared === undefined) return undefined;
      const at = (declared.replicasPath ?? 'spec.replicas').split('.');
      const count = num(objAt(o, at.slice(0, -1)), at.at(-1) ?? '');
      return { replicas: num(obj(hpa, 'spec'), 'maxReplicas') ?? count ?? 1, surge: 0 };
    }
  }
}

function describeDemand(d: Demand, key: (typeof COMPUTE)[number]['key'] | 'pods'): string {
  const count = d.pods.surge === 0 ? `${d.pods.replicas}` : `(${d.pods.replicas}+${d.pods.surge})`;
  return key === 'pods' ? `${d.name} ${count}` : `${d.name} ${count}×${formatAmount(d.perPod[key])}`;
}

/**
 * Compares every ResourceQuota among `objects` (the rendered JSON objects of one environment)
 * with what the workloads of its namespace need at their most: maximum replicas (an HPA's
 * `maxReplicas`, else `replicas`) plus a Deployment's rollout surge, times the pod's requests
 * and limits (a container that sets none gets the namespace's LimitRange defaults). Returns one
 * line per quota key that is too small, with the numbers; an empty list when everything fits.
 * Quotas with scopes are skipped; DaemonSets are not counted. Objects of the `custom` pod-bearing
 * kinds count the replicas at their declared `replicasPath`.
 */
export function checkQuotas(objects: readonly unknown[], custom: readonly PodTemplateKind[] = []): string[] {
  const all = objects.filter(isObject);
  const problems: string[] = [];
  for (const quota of all.filter((o) => str(o, 'kind') === 'ResourceQuota')) {
    const spec = obj(quota, 'spec');
    if (arr(spec, 'scopes').length > 0 || isObject(spec.scopeSelector)) continue;
    const hard = obj(spec, 'hard');
    const id = identityOf(quota);
    const defaults = limitRangeDefaults(all, id.namespace);
    const demands: Demand[] = all.flatMap((o) => {
      const template = podTemplateOf(o, custom);
      const pods = identityOf(o).namespace === id.namespace ? podCount(o, all, custom) : undefined;
      return template === undefined || pods === undefined ? [] : [{ name: identityOf(o).name, pods, perPod: podAmounts(template.spec, defaults) }];
    });
    const total = (d: Demand) => d.pods.replicas + d.pods.surge;
    const fix = (key: string, need: string) => `raise quota.${key} to at least ${need}, or lower replicas or ${key.startsWith('pods') ? 'surge' : 'resources'}`;
    const podsHard = parse(hard.pods);
    const podsNeeded = demands.reduce((n, d) => n + total(d), 0);
    if (podsHard !== undefined && podsHard.lessThan(Quantity.of(podsNeeded))) {
      problems.push(formatProblem({
        path: describeObject(id), field: 'pods',
        rule: `quota ${podsHard} is below what the workloads run at max replicas + surge: ${podsNeeded} (${demands.map((d) => describeDemand(d, 'pods')).join(', ')})`,
        fix: fix('pods', String(podsNeeded)),
      }));
    }
    for (const { key, alias } of COMPUTE) {
      const limit = parse(hard[key] ?? (alias === undefined ? undefined : hard[alias]));
      if (limit === undefined) continue;
      const needed = demands.reduce((sum, d) => sum.plus(d.perPod[key].times(total(d))), Quantity.ZERO);
      if (!limit.lessThan(needed)) continue;
      const parts = demands.filter((d) => d.perPod[key].toMilli() > 0n).map((d) => describeDemand(d, key));
      problems.push(formatProblem({
        path: describeObject(id), field: key,
        rule: `quota ${formatAmount(limit)} is below what the workloads need at max replicas + surge: ${formatAmount(needed)} (${parts.join(', ')})`,
        fix: fix(key, formatAmount(needed)),
      }));
    }
  }
  return problems;
}
