import type { IConstruct } from 'constructs';
import type { ClusterSpecKubelet } from '../../../imports/kops.k8s.io';
import { PlatformError, Quantity, type QuantityLike, parseAt } from '../../core';

/** Resources the kubelet keeps back from pods. */
export interface ReservedResources {
  /** CPU (`100m`). */
  readonly cpu: QuantityLike;
  /** Memory (`512Mi`). */
  readonly memory: QuantityLike;
  /** Ephemeral storage. @default '1Gi' */
  readonly ephemeralStorage?: QuantityLike;
}

/** When the kubelet evicts pods before the node runs out. */
export interface EvictionThresholds {
  /** Evict when less memory than this is available. @default '250Mi' */
  readonly memoryAvailable?: QuantityLike;
  /** Evict when the node filesystem has less than this percentage free. @default 10 */
  readonly nodefsAvailablePercent?: number;
  /** Evict when the node filesystem has less than this percentage of inodes free. @default 5 */
  readonly nodefsInodesFreePercent?: number;
  /** Evict when the image filesystem has less than this percentage free. @default 10 */
  readonly imagefsAvailablePercent?: number;
}

/** Kubelet settings for every node. */
export interface KubeletProps {
  /** Hard eviction thresholds. @default - 250Mi memory, 10% nodefs, 5% inodes, 10% imagefs */
  readonly eviction?: EvictionThresholds;
  /** Kept for Kubernetes daemons (kubelet, container runtime). @default - 100m CPU, 256Mi memory, 1Gi storage */
  readonly kubeReserved?: ReservedResources;
  /** Kept for the operating system. @default - 100m CPU, 256Mi memory, 1Gi storage */
  readonly systemReserved?: ReservedResources;
}

const DEFAULT_RESERVED: ReservedResources = { cpu: '100m', memory: '256Mi', ephemeralStorage: '1Gi' };

/** The kops form of reserved resources (`{ cpu: '100m', memory: '256Mi', 'ephemeral-storage': '1Gi' }`). */
export function reservedMap(scope: IConstruct, field: string, r: ReservedResources): Record<string, string> {
  return {
    cpu: parseAt(scope, `${field}.cpu`, () => Quantity.of(r.cpu)).toString(),
    memory: parseAt(scope, `${field}.memory`, () => Quantity.of(r.memory)).toString(),
    'ephemeral-storage': parseAt(scope, `${field}.ephemeralStorage`, () => Quantity.of(r.ephemeralStorage ?? '1Gi')).toString(),
  };
}

function percent(scope: IConstruct, field: string, value: number): string {
  if (!Number.isInteger(value) || value < 1 || value > 50) {
    throw PlatformError.at(scope, { field, value, rule: 'must be a whole percentage from 1 to 50', fix: 'use a value such as 10' });
  }
  return `${value}%`;
}

/**
 * The kubelet's read-only port (10255, plain HTTP, no authentication: pods, their specs and node
 * stats for anyone who reaches the node), written as off on every kubelet. kops 1.36 writes
 * `readOnlyPort` into the kubelet's config file (nodeup/pkg/model/kubelet.go, kubeletConfiguration:
 * an unset value becomes 0 and is left out, and KubeletConfiguration's own default is 0), so it is
 * off there too; saying so keeps it off whatever another kops release or a merged instance-group
 * spec would default (the `--read-only-port` flag kops once passed defaulted to 10255).
 */
export const KUBELET_READ_ONLY_PORT = 0;

/** The cluster-wide kubelet spec: anonymous auth and the read-only port off, eviction thresholds, reservations enforced. */
export function kubeletSpec(scope: IConstruct, props: KubeletProps): ClusterSpecKubelet {
  const e = props.eviction ?? {};
  const memory = parseAt(scope, 'kubelet.eviction.memoryAvailable', () => Quantity.of(e.memoryAvailable ?? '250Mi'));
  const evictionHard = [
    `memory.available<${memory}`,
    `nodefs.available<${percent(scope, 'kubelet.eviction.nodefsAvailablePercent', e.nodefsAvailablePercent ?? 10)}`,
    `nodefs.inodesFree<${percent(scope, 'kubelet.eviction.nodefsInodesFreePercent', e.nodefsInodesFreePercent ?? 5)}`,
    `imagefs.available<${percent(scope, 'kubelet.eviction.imagefsAvailablePercent', e.imagefsAvailablePercent ?? 10)}`,
  ].join(',');
  return {
    anonymousAuth: false,
    readOnlyPort: KUBELET_READ_ONLY_PORT,
    evictionHard,
    kubeReserved: reservedMap(scope, 'kubelet.kubeReserved', props.kubeReserved ?? DEFAULT_RESERVED),
    systemReserved: reservedMap(scope, 'kubelet.systemReserved', props.systemReserved ?? DEFAULT_RESERVED),
    enforceNodeAllocatable: 'pods',
  };
}
