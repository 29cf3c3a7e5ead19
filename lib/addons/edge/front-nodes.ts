import type { IConstruct } from 'constructs';
import { type NodeGroupFacts, type NodeToleration, PlatformError } from '../../core';

/** Where the Envoy pods are scheduled: a nodeSelector, the tolerations it needs there, and the zones. */
export interface Placement {
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: NodeToleration[];
  /** The nodeSelector without the OS label, as `key=value,...`: the NLB's target node labels. @default - every node is a target */
  readonly targetNodeLabels: string | undefined;
}

const OS = { 'kubernetes.io/os': 'linux' };

/**
 * The Envoy pods' placement on the cluster's front node group: its labels as the nodeSelector,
 * a toleration of each of its taints. The group is named in the definition and read from the
 * cluster's facts; a group that is not there, or that carries no label to select it by, is
 * refused, since pods pinned to nodes that do not exist are never scheduled.
 */
export function frontPlacement(scope: IConstruct, groupName: string | undefined, nodeGroups: readonly NodeGroupFacts[]): Placement {
  if (groupName === undefined) return { nodeSelector: { ...OS }, tolerations: [], targetNodeLabels: undefined };
  const group = nodeGroups.find((g) => g.name === groupName);
  if (group === undefined) {
    throw PlatformError.at(scope, {
      field: 'frontNodes', value: groupName,
      rule: `names no node group of the cluster [${nodeGroups.map((g) => g.name).join(', ')}]`,
      fix: 'add a front node group (with a label and a taint) to kubernetes.nodeGroups, name one that exists, or leave frontNodes unset to run on any node',
    });
  }
  const labels = Object.entries(group.labels).sort(([a], [b]) => a.localeCompare(b));
  if (labels.length === 0) {
    throw PlatformError.at(scope, {
      field: 'frontNodes', value: groupName, rule: 'is a node group with no labels, so no nodeSelector can pin pods to it',
      fix: "give the group a label (e.g. { 'platform.example.com/node-role': 'front' }) in kubernetes.nodeGroups",
    });
  }
  const tolerations: NodeToleration[] = group.taints.map((t) => (t.value === undefined
    ? { key: t.key, operator: 'Exists', effect: t.effect }
    : { key: t.key, operator: 'Equal', value: t.value, effect: t.effect }));
  return {
    nodeSelector: { ...Object.fromEntries(labels), ...OS },
    tolerations,
    targetNodeLabels: labels.map(([k, v]) => `${k}=${v}`).join(','),
  };
}
