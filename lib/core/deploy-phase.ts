/**
 * When a chart's objects are applied. Every object of a phase waits for every object of the
 * phases before it: CRDs and their operators first, then the shared addons that use them, then
 * team namespaces, then the services in them.
 */
export type DeployPhase = 'crds' | 'addons' | 'teams' | 'services';

/** The phases in the order they are applied. */
export const DEPLOY_PHASES: readonly DeployPhase[] = ['crds', 'addons', 'teams', 'services'];
