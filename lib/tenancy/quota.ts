import type { IConstruct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { PlatformError, Quantity, checkDnsLabel, parseAt, pathOf, type QuantityLike } from '../core';

/** CPU and memory of a quota or a limit. */
export interface ComputeQuota {
  /** CPU in cores or millicores. */
  readonly cpu: QuantityLike;
  /** Memory with a suffix (`'8Gi'`). */
  readonly memory: QuantityLike;
}

/** The ResourceQuota of a team namespace: object counts first, then compute and storage. */
export interface QuotaProps {
  /** Pods, in any phase but finished. @default 50 */
  readonly pods?: number;
  /** Services. @default 20 */
  readonly services?: number;
  /** ConfigMaps; hashed config keeps one per release until pruned. @default 100 */
  readonly configMaps?: number;
  /** Secrets. @default 20 */
  readonly secrets?: number;
  /** PersistentVolumeClaims. @default 10 when `storage` names a class, else 0 */
  readonly persistentVolumeClaims?: number;
  /** Services of type LoadBalancer: each is a cloud load balancer. @default 0 */
  readonly loadBalancers?: number;
  /** Services of type NodePort. @default 0 */
  readonly nodePorts?: number;
  /** The sum of the requests of all pods. @default { cpu: 4, memory: '8Gi' } */
  readonly requests?: ComputeQuota;
  /** The sum of the limits of all pods. @default { cpu: 8, memory: '16Gi' } */
  readonly limits?: ComputeQuota;
  /** Storage per storage class (`{ gp3: '100Gi' }`); the total is capped at their sum. @default {} - no storage */
  readonly storage?: Readonly<Record<string, QuantityLike>>;
}

/** Defaults and maxima for containers in a team namespace (a LimitRange). */
export interface ContainerLimitsProps {
  /** Requests given to a container that sets none. @default { cpu: '100m', memory: '128Mi' } */
  readonly defaultRequests?: ComputeQuota;
  /** Limits given to a container that sets none. @default { cpu: '200m', memory: '128Mi' } */
  readonly defaultLimits?: ComputeQuota;
  /** The most one container may set as its limit. @default { cpu: 2, memory: '4Gi' } */
  readonly max?: ComputeQuota;
}

interface Compute {
  readonly cpu: Quantity;
  readonly memory: Quantity;
}

function compute(scope: IConstruct, field: string, given: ComputeQuota | undefined, fallback: ComputeQuota): Compute {
  const value = given ?? fallback;
  return {
    cpu: parseAt(scope, `${field}.cpu`, () => Quantity.of(value.cpu)),
    memory: parseAt(scope, `${field}.memory`, () => Quantity.of(value.memory)),
  };
}

function count(scope: IConstruct, field: string, n: number): number {
  if (!Number.isInteger(n) || n < 0) {
    throw PlatformError.at(scope, { field, value: n, rule: 'must be a whole number >= 0', fix: 'give the most objects of this kind the namespace may hold' });
  }
  return n;
}

function atMost(scope: IConstruct, field: string, small: Compute, large: Compute, largeField: string): void {
  for (const r of ['cpu', 'memory'] as const) {
    if (small[r].greaterThan(large[r])) {
      throw PlatformError.at(scope, {
        field: `${field}.${r}`, value: small[r].toString(), rule: `must be <= ${largeField}.${r} (${large[r]})`,
        fix: `lower ${field}.${r} or raise ${largeField}.${r}`,
      });
    }
  }
}

const q = (value: Quantity): k8s.Quantity => k8s.Quantity.fromString(value.toString());

/** The `spec.hard` of a team namespace's ResourceQuota, defaults applied and checked. */
export function renderQuota(scope: IConstruct, field: string, props: QuotaProps | undefined): Record<string, k8s.Quantity> {
  const storage = Object.entries(props?.storage ?? {});
  // [quota key, prop name, value]
  const counts: ReadonlyArray<readonly [string, string, number]> = [
    ['pods', 'pods', props?.pods ?? 50],
    ['services', 'services', props?.services ?? 20],
    ['configmaps', 'configMaps', props?.configMaps ?? 100],
    ['secrets', 'secrets', props?.secrets ?? 20],
    ['persistentvolumeclaims', 'persistentVolumeClaims', props?.persistentVolumeClaims ?? (storage.length > 0 ? 10 : 0)],
    ['services.loadbalancers', 'loadBalancers', props?.loadBalancers ?? 0],
    ['services.nodeports', 'nodePorts', props?.nodePorts ?? 0],
  ];
  const requests = compute(scope, `${field}.requests`, props?.requests, { cpu: 4, memory: '8Gi' });
  const limits = compute(scope, `${field}.limits`, props?.limits, { cpu: 8, memory: '16Gi' });
  atMost(scope, `${field}.requests`, requests, limits, `${field}.limits`);
  const hard: Record<string, k8s.Quantity> = {};
  for (const [key, prop, n] of counts) hard[key] = k8s.Quantity.fromNumber(count(scope, `${field}.${prop}`, n));
  Object.assign(hard, {
    'requests.cpu': q(requests.cpu), 'requests.memory': q(requests.memory),
    'limits.cpu': q(limits.cpu), 'limits.memory': q(limits.memory),
  });
  let total = Quantity.ZERO;
  for (const [storageClass, amount] of storage) {
    checkDnsLabel(storageClass, { path: pathOf(scope), field: `${field}.storage` });
    const value = parseAt(scope, `${field}.storage.${storageClass}`, () => Quantity.of(amount));
    hard[`${storageClass}.storageclass.storage.k8s.io/requests.storage`] = q(value);
    total = total.plus(value);
  }
  hard['requests.storage'] = q(total);
  return hard;
}

/** The `spec.limits` of a team namespace's LimitRange, defaults applied and checked. */
export function renderLimitRange(scope: IConstruct, field: string, props: ContainerLimitsProps | undefined): k8s.LimitRangeItem[] {
  const defaultRequests = compute(scope, `${field}.defaultRequests`, props?.defaultRequests, { cpu: '100m', memory: '128Mi' });
  const defaultLimits = compute(scope, `${field}.defaultLimits`, props?.defaultLimits, { cpu: '200m', memory: '128Mi' });
  const max = compute(scope, `${field}.max`, props?.max, { cpu: 2, memory: '4Gi' });
  atMost(scope, `${field}.defaultRequests`, defaultRequests, defaultLimits, `${field}.defaultLimits`);
  atMost(scope, `${field}.defaultLimits`, defaultLimits, max, `${field}.max`);
  const amounts = (c: Compute) => ({ cpu: q(c.cpu), memory: q(c.memory) });
  return [{ type: 'Container', defaultRequest: amounts(defaultRequests), default: amounts(defaultLimits), max: amounts(max) }];
}
