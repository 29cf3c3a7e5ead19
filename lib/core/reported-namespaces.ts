import type { Environment } from './environment';

/** Per Environment, the namespaces whose absence another check reports with its cause (see {@link leaveNamespacesTo}). */
const reportedElsewhere = new WeakMap<Environment, (namespace: string) => boolean>();

/**
 * Leaves the namespaces `reported` accepts to another check of `env`, whose line names their
 * cause (a namespace no team owns: the team would create it), so that the whole-tree check of
 * namespaces no chart creates does not repeat it. `reported` is asked once the tree is complete.
 */
export function leaveNamespacesTo(env: Environment, reported: (namespace: string) => boolean): void {
  reportedElsewhere.set(env, reported);
}

/** Whether another check of `env` reports the absence of `namespace` with its cause. */
export function namespaceReportedElsewhere(env: Environment, namespace: string): boolean {
  return reportedElsewhere.get(env)?.(namespace) === true;
}
