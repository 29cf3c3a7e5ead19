import type { IConstruct } from 'constructs';
import { PlatformError, PlatformLabels } from '../core';

/** The Pod Security Standards levels, strictest first. */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

const ORDER: readonly PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];

/**
 * The Pod Security level a namespace enforces. `restricted` is the default and needs no words;
 * anything weaker states why, and the reason is written on the Namespace for reviewers.
 */
export type PodSecurityProps =
  | { readonly level: 'restricted' }
  | { readonly level: 'baseline' | 'privileged'; readonly reason: string };

/** The labels that set a namespace's Pod Security Admission, and the annotation with the reason. */
export interface PodSecurityMetadata {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** The label Pod Security Admission enforces. */
export const POD_SECURITY_ENFORCE = 'pod-security.kubernetes.io/enforce';

/**
 * The Pod Security Standards version every namespace enforces, warns and audits at: pinned, so
 * an API server upgrade does not change what is admitted until the platform moves this (with
 * the clusters' Kubernetes minor version; a test holds the two together).
 */
export const POD_SECURITY_VERSION = 'v1.35';

/** Whether `level` admits pods that need `needed`. */
export function levelAllows(level: PodSecurityLevel, needed: PodSecurityLevel): boolean {
  return ORDER.indexOf(level) >= ORDER.indexOf(needed);
}

/** Whether `text` is a Pod Security level. */
export function isPodSecurityLevel(text: string): text is PodSecurityLevel {
  return (ORDER as readonly string[]).includes(text);
}

/**
 * The Namespace labels for a Pod Security level, each pinned to {@link POD_SECURITY_VERSION}:
 * `enforce` at the level, `warn` and `audit` always at `restricted`, so that what a weaker level
 * lets through still shows in warnings and the audit log. A level below `restricted` without a reason is refused.
 */
export function podSecurityMetadata(scope: IConstruct, field: string, props: PodSecurityProps): PodSecurityMetadata {
  const labels = {
    [POD_SECURITY_ENFORCE]: props.level,
    'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION,
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': POD_SECURITY_VERSION,
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': POD_SECURITY_VERSION,
  };
  if (props.level === 'restricted') return { labels, annotations: {} };
  if (!isPodSecurityLevel(props.level)) {
    throw PlatformError.at(scope, { field: `${field}.level`, value: props.level, rule: 'is not a Pod Security level', fix: "use 'restricted', 'baseline' or 'privileged'" });
  }
  if (typeof props.reason !== 'string' || props.reason.trim() === '') {
    throw PlatformError.at(scope, {
      field: `${field}.reason`, rule: `must say why the namespace needs Pod Security level ${props.level}`,
      fix: "state the reason (e.g. 'node-exporter reads the host network and /proc'), or keep level 'restricted'",
    });
  }
  return { labels, annotations: { [PlatformLabels.podSecurityReason]: props.reason.trim() } };
}
