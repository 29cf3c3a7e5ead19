import type { IConstruct } from 'constructs';
import type { k8s } from 'cdk8s-plus-27';
import { type NodeGroupFacts, type NodeTaint, PlatformError } from '../../core';

/** The dedicated front nodes the ingress controller runs on, and the cluster's node groups to check them against. */
export interface FrontNodesProps {
  /** The labels that mark the front nodes (`{ 'platform.example.com/node-role': 'front' }`): the controller's nodeSelector. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** The taint that keeps other pods off the front nodes; the controller tolerates it. @default - none: the front nodes are not tainted */
  readonly taint?: NodeTaint;
  /** The cluster's node groups (its facts' `nodeGroups`): one of them must carry these labels and taint. */
  readonly nodeGroups: readonly NodeGroupFacts[];
}

/** Where the controller's pods are scheduled: a nodeSelector and the tolerations it needs there. */
export interface Placement {
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: k8s.Toleration[];
  /** The nodeSelector as `key=value,...`: the NLB's target node labels. */
  readonly targetNodeLabels: string | undefined;
}

const HARD_EFFECTS: ReadonlySet<string> = new Set(['NoSchedule', 'NoExecute']);

function tolerates(taint: NodeTaint | undefined, other: NodeTaint): boolean {
  if (!HARD_EFFECTS.has(other.effect)) return true;
  return taint !== undefined && taint.key === other.key && taint.effect === other.effect && (taint.value ?? '') === (other.value ?? '');
}

function describe(props: FrontNodesProps): string {
  const taint = props.taint === undefined ? '' : ` and tolerates ${props.taint.key}${props.taint.value === undefined ? '' : `=${props.taint.value}`}:${props.taint.effect}`;
  return `${JSON.stringify(props.nodeSelector)}${taint}`;
}

/**
 * The controller's placement on the front nodes, after checking that a node group of the cluster
 * carries every label of the selector and has no hard taint (NoSchedule, NoExecute) the
 * controller does not tolerate: pinned to nodes that do not exist, it would never be scheduled.
 */
export function frontPlacement(scope: IConstruct, props: FrontNodesProps | undefined): Placement {
  const os = { 'kubernetes.io/os': 'linux' };
  if (props === undefined) return { nodeSelector: os, tolerations: [], targetNodeLabels: undefined };
  if (Object.keys(props.nodeSelector).length === 0) {
    throw PlatformError.at(scope, {
      field: 'frontNodes.nodeSelector', value: {}, rule: 'must name at least one label',
      fix: "give the front nodes' label (e.g. { 'platform.example.com/node-role': 'front' }), or leave frontNodes unset to run on any node",
    });
  }
  const fits = props.nodeGroups.some((g) => {
    const labels = g.labels;
    return Object.entries(props.nodeSelector).every(([k, v]) => labels[k] === v) && g.taints.every((t) => tolerates(props.taint, t));
  });
  if (!fits) {
    throw PlatformError.at(scope, {
      field: 'frontNodes', value: describe(props),
      rule: `matches no node group of the cluster [${props.nodeGroups.map((g) => g.name).join(', ')}]`,
      fix: 'add a front node group with these labels (and this taint) to kubernetes.nodeGroups, or leave frontNodes unset to run on any node',
    });
  }
  const t = props.taint;
  const tolerations: k8s.Toleration[] = t === undefined ? [] : [
    t.value === undefined ? { key: t.key, operator: 'Exists', effect: t.effect } : { key: t.key, operator: 'Equal', value: t.value, effect: t.effect },
  ];
  const selector = { ...props.nodeSelector };
  return {
    nodeSelector: { ...selector, ...os },
    tolerations,
    targetNodeLabels: Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(','),
  };
}
