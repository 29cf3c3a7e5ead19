import type { IConstruct } from 'constructs';
import {
  type InstanceGroupSpec, InstanceGroupSpecRollingUpdateMaxSurge, InstanceGroupSpecRollingUpdateMaxUnavailable,
} from '../../../imports/kops.k8s.io';
import { type NodeTaint, PlatformError } from '../../core';
import { KNOWN_INSTANCE_TYPES } from '../aws';
import { CloudValues } from '../../core/cloud-values';

/** How EC2 spot allocates capacity across the instance types. */
export type SpotAllocationStrategy = 'price-capacity-optimized' | 'capacity-optimized' | 'capacity-optimized-prioritized' | 'lowest-price';

/** A group of several instance types mixing on-demand and spot capacity. */
export interface MixedInstancesProps {
  /** The instance types, in priority order. */
  readonly instanceTypes: readonly string[];
  /** On-demand instances before any spot. @default 0 */
  readonly onDemandBase?: number;
  /** Percentage (0-100) of on-demand instances above the base; the rest is spot. @default 0 */
  readonly onDemandAboveBasePercent?: number;
  /** The spot allocation strategy. @default 'price-capacity-optimized' */
  readonly spotAllocationStrategy?: SpotAllocationStrategy;
  /** Replace spot instances proactively when AWS signals a rebalance. @default true */
  readonly capacityRebalance?: boolean;
}

/** A group of worker nodes (a kops InstanceGroup with role Node). */
export interface NodeGroupProps {
  /** The group's name (a DNS label; `nodes-spot`). */
  readonly name: string;
  /** The EC2 instance type of a single-type group. @default 'm6i.large' unless `mixedInstances` is given */
  readonly machineType?: string;
  /** Several instance types, on-demand and spot. @default - a single-type, on-demand group */
  readonly mixedInstances?: MixedInstancesProps;
  /** The highest hourly price paid for spot (`'0.10'`). @default - the on-demand price */
  readonly maxPrice?: string;
  /** Fewest nodes (0 lets the autoscaler scale the group from zero). */
  readonly minSize: number;
  /** Most nodes. */
  readonly maxSize: number;
  /** The zones the group spans. @default - every zone of the cluster */
  readonly zones?: readonly string[];
  /** Kubernetes labels of the nodes. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Taints of the nodes. @default - none */
  readonly taints?: readonly NodeTaint[];
  /** Root volume size in GiB (gp3, encrypted). @default 64 */
  readonly rootVolumeSize?: number;
  /** IMDSv2 hop limit: 1 keeps pods away from the node's credentials; 2 only where a pod must reach IMDS. @default 1 */
  readonly imdsHopLimit?: 1 | 2;
  /** Nodes added above the size during a rolling update (a number or a percentage). @default 1 */
  readonly maxSurge?: number | string;
  /** Nodes that may be unavailable during a rolling update. @default 0 */
  readonly maxUnavailable?: number | string;
  /** Let the cluster autoscaler scale this group between minSize and maxSize. @default true */
  readonly autoscale?: boolean;
}

/** What the group specs need from the cluster. */
export interface GroupContext {
  readonly clusterName: string;
  readonly zones: readonly string[];
  readonly platformKey: boolean;
}

/** Refuses an instance type outside the known list. */
export function checkInstanceType(scope: IConstruct, field: string, type: string): string {
  if (!KNOWN_INSTANCE_TYPES.has(type)) {
    throw PlatformError.at(scope, {
      field, value: type, rule: 'is not a known EC2 instance type',
      fix: 'use a current type such as m6i.large (lib/cluster/aws.ts lists them)',
    });
  }
  return type;
}

/** The kops taint text: `key=value:Effect` or `key:Effect`. */
export function taintText(t: NodeTaint): string {
  return t.value === undefined ? `${t.key}:${t.effect}` : `${t.key}=${t.value}:${t.effect}`;
}

function rootVolume(size: number, ctx: GroupContext): Partial<InstanceGroupSpec> {
  return {
    rootVolumeSize: size,
    rootVolumeType: 'gp3',
    rootVolumeEncryption: true,
    ...(ctx.platformKey ? { rootVolumeEncryptionKey: CloudValues.kmsKeyArn() } : {}),
  };
}

function intOrString(scope: IConstruct, field: string, v: number | string): number | string {
  if (typeof v === 'number' ? !Number.isInteger(v) || v < 0 : !/^(100|[1-9]?\d)%$/.test(v)) {
    throw PlatformError.at(scope, { field, value: v, rule: 'must be a whole number >= 0 or a percentage', fix: "write 1 or '25%'" });
  }
  return v;
}

/** The spec of one master group: role Master, exactly one instance, in its zone's private subnet. */
export function masterGroupSpec(zone: string, machineType: string, rootVolumeSize: number, ctx: GroupContext, labels: Readonly<Record<string, string>>): InstanceGroupSpec {
  return {
    role: 'Master',
    machineType,
    minSize: 1,
    maxSize: 1,
    subnets: [zone],
    ...rootVolume(rootVolumeSize, ctx),
    instanceMetadata: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
    ...(Object.keys(labels).length === 0 ? {} : { nodeLabels: { ...labels } }),
  };
}

/** The spec of one node group, after checking sizes, zones, types and spot percentages. */
export function nodeGroupSpec(scope: IConstruct, props: NodeGroupProps, ctx: GroupContext): InstanceGroupSpec {
  const where = `nodeGroups.${props.name}`;
  const zones = props.zones ?? ctx.zones;
  const rootVolumeSize = props.rootVolumeSize ?? 64;
  const imdsHopLimit = props.imdsHopLimit ?? 1;
  const autoscale = props.autoscale ?? true;
  const labels = props.labels ?? {};
  const taints = props.taints ?? [];

  for (const [field, n] of [['minSize', props.minSize], ['maxSize', props.maxSize]] as const) {
    if (!Number.isInteger(n) || n < 0) {
      throw PlatformError.at(scope, { field: `${where}.${field}`, value: n, rule: 'must be a whole number >= 0', fix: 'give a node count' });
    }
  }
  if (props.minSize > props.maxSize) {
    throw PlatformError.at(scope, {
      field: `${where}.minSize`, value: props.minSize, rule: `is greater than maxSize (${props.maxSize})`,
      fix: 'make minSize <= maxSize',
    });
  }
  for (const zone of zones) {
    if (!ctx.zones.includes(zone)) {
      throw PlatformError.at(scope, { field: `${where}.zones`, value: zone, rule: `is not a zone of the cluster [${ctx.zones.join(', ')}]`, fix: 'use the cluster zones' });
    }
  }
  if (props.machineType !== undefined && props.mixedInstances !== undefined) {
    throw PlatformError.at(scope, { field: `${where}.machineType`, value: props.machineType, rule: 'cannot be combined with mixedInstances', fix: 'list the type in mixedInstances.instanceTypes instead' });
  }

  let machineType = props.machineType ?? 'm6i.large';
  let mixed: Partial<InstanceGroupSpec> = {};
  const m = props.mixedInstances;
  if (m !== undefined) {
    if (m.instanceTypes.length === 0) {
      throw PlatformError.at(scope, { field: `${where}.mixedInstances.instanceTypes`, rule: 'must not be empty', fix: 'list at least two similar instance types' });
    }
    m.instanceTypes.forEach((t, i) => checkInstanceType(scope, `${where}.mixedInstances.instanceTypes[${i}]`, t));
    const onDemandBase = m.onDemandBase ?? 0;
    const aboveBase = m.onDemandAboveBasePercent ?? 0;
    if (!Number.isInteger(onDemandBase) || onDemandBase < 0 || onDemandBase > props.maxSize) {
      throw PlatformError.at(scope, { field: `${where}.mixedInstances.onDemandBase`, value: onDemandBase, rule: `must be a whole number from 0 to maxSize (${props.maxSize})`, fix: 'lower the on-demand base or raise maxSize' });
    }
    if (!Number.isInteger(aboveBase) || aboveBase < 0 || aboveBase > 100) {
      throw PlatformError.at(scope, { field: `${where}.mixedInstances.onDemandAboveBasePercent`, value: aboveBase, rule: 'must be a whole percentage from 0 to 100', fix: 'use 0 for all spot above the base, 100 for all on-demand' });
    }
    machineType = m.instanceTypes[0] ?? machineType;
    mixed = {
      mixedInstancesPolicy: {
        instances: [...m.instanceTypes],
        onDemandBase,
        onDemandAboveBase: aboveBase,
        spotAllocationStrategy: m.spotAllocationStrategy ?? 'price-capacity-optimized',
      },
      capacityRebalance: m.capacityRebalance ?? true,
    };
  } else {
    checkInstanceType(scope, `${where}.machineType`, machineType);
  }
  if (props.maxPrice !== undefined && !/^\d+(\.\d+)?$/.test(props.maxPrice)) {
    throw PlatformError.at(scope, { field: `${where}.maxPrice`, value: props.maxPrice, rule: 'is not a price in USD per hour', fix: "write a decimal such as '0.10'" });
  }

  // Tags the cluster autoscaler reads to build a node from nothing when the group is at zero:
  // the labels and taints the group's nodes will have.
  const cloudLabels: Record<string, string> = {};
  if (autoscale) {
    cloudLabels['k8s.io/cluster-autoscaler/enabled'] = 'true';
    cloudLabels[`k8s.io/cluster-autoscaler/${ctx.clusterName}`] = 'owned';
    for (const [k, v] of Object.entries(labels)) cloudLabels[`k8s.io/cluster-autoscaler/node-template/label/${k}`] = v;
    for (const t of taints) cloudLabels[`k8s.io/cluster-autoscaler/node-template/taint/${t.key}`] = `${t.value ?? ''}:${t.effect}`;
  }

  return {
    role: 'Node',
    machineType,
    minSize: props.minSize,
    maxSize: props.maxSize,
    subnets: [...zones],
    ...mixed,
    ...(props.maxPrice === undefined ? {} : { maxPrice: props.maxPrice }),
    ...rootVolume(rootVolumeSize, ctx),
    instanceMetadata: { httpTokens: 'required', httpPutResponseHopLimit: imdsHopLimit },
    ...(Object.keys(labels).length === 0 ? {} : { nodeLabels: { ...labels } }),
    ...(taints.length === 0 ? {} : { taints: taints.map(taintText) }),
    ...(Object.keys(cloudLabels).length === 0 ? {} : { cloudLabels }),
    autoscale,
    rollingUpdate: {
      maxSurge: surge(intOrString(scope, `${where}.maxSurge`, props.maxSurge ?? 1)),
      maxUnavailable: unavailable(intOrString(scope, `${where}.maxUnavailable`, props.maxUnavailable ?? 0)),
    },
  };
}

function surge(v: number | string): InstanceGroupSpecRollingUpdateMaxSurge {
  return typeof v === 'number' ? InstanceGroupSpecRollingUpdateMaxSurge.fromNumber(v) : InstanceGroupSpecRollingUpdateMaxSurge.fromString(v);
}

function unavailable(v: number | string): InstanceGroupSpecRollingUpdateMaxUnavailable {
  return typeof v === 'number' ? InstanceGroupSpecRollingUpdateMaxUnavailable.fromNumber(v) : InstanceGroupSpecRollingUpdateMaxUnavailable.fromString(v);
}
