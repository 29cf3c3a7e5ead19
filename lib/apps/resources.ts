import type { IConstruct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { PlatformError, Quantity, parseAt, type QuantityLike } from '../core';

/** CPU and memory amounts. */
export interface ComputeAmounts {
  /** CPU in cores or millicores (`'250m'`, `0.5`). */
  readonly cpu?: QuantityLike;
  /** Memory in bytes with a suffix (`'256Mi'`). */
  readonly memory?: QuantityLike;
}

/** Requests (what the scheduler reserves) and limits (the most the container may use). */
export interface ResourcesProps {
  /** @default { cpu: '100m', memory: '128Mi' } */
  readonly requests?: ComputeAmounts;
  /**
   * CPU defaults to twice the request; memory defaults to the request, so a container is never
   * OOM-killed for using memory the scheduler reserved for it.
   * @default { cpu: 2 × requests.cpu, memory: requests.memory }
   */
  readonly limits?: ComputeAmounts;
}

/** Parsed, defaulted and checked resources. */
export interface Resources {
  readonly requests: { readonly cpu: Quantity; readonly memory: Quantity };
  readonly limits: { readonly cpu: Quantity; readonly memory: Quantity };
}

const DEFAULT_CPU = Quantity.parse('100m');
const DEFAULT_MEMORY = Quantity.parse('128Mi');

/** Layers `over` on `base` field by field: what a per-environment override of resources means. */
export function mergeResources(base: ResourcesProps | undefined, over: ResourcesProps | undefined): ResourcesProps | undefined {
  if (over === undefined) return base;
  return {
    requests: { ...base?.requests, ...over.requests },
    limits: { ...base?.limits, ...over.limits },
  };
}

/** Applies the defaults and checks that every limit is at least its request. */
export function resolveResources(scope: IConstruct, field: string, props: ResourcesProps | undefined): Resources {
  const q = (name: string, value: QuantityLike | undefined): Quantity | undefined =>
    value === undefined ? undefined : parseAt(scope, `${field}.${name}`, () => Quantity.of(value));
  const requestCpu = q('requests.cpu', props?.requests?.cpu) ?? DEFAULT_CPU;
  const requestMemory = q('requests.memory', props?.requests?.memory) ?? DEFAULT_MEMORY;
  const limitCpu = q('limits.cpu', props?.limits?.cpu) ?? requestCpu.times(2);
  const limitMemory = q('limits.memory', props?.limits?.memory) ?? requestMemory;
  for (const [name, request, limit] of [['cpu', requestCpu, limitCpu], ['memory', requestMemory, limitMemory]] as const) {
    if (request.toMilli() === 0n) {
      throw PlatformError.at(scope, { field: `${field}.requests.${name}`, value: request.toString(), rule: 'must be greater than 0', fix: 'request what the container needs at rest' });
    }
    if (limit.lessThan(request)) {
      throw PlatformError.at(scope, {
        field: `${field}.limits.${name}`, value: limit.toString(), rule: `must be >= requests.${name} (${request})`,
        fix: `raise limits.${name} to at least ${request} or lower requests.${name}`,
      });
    }
  }
  return { requests: { cpu: requestCpu, memory: requestMemory }, limits: { cpu: limitCpu, memory: limitMemory } };
}

/** The Kubernetes form of resolved resources. */
export function renderResources(r: Resources): k8s.ResourceRequirements {
  const amounts = (a: { cpu: Quantity; memory: Quantity }) => ({
    cpu: k8s.Quantity.fromString(a.cpu.toString()),
    memory: k8s.Quantity.fromString(a.memory.toString()),
  });
  return { requests: amounts(r.requests), limits: amounts(r.limits) };
}
