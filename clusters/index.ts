import type { ClusterDefinition } from '../lib';
import { admin } from './admin';
import { e2e } from './e2e';
import { prod } from './prod';
import { stage } from './stage';

/** Every cluster of the company, in the order they are synthesized. */
export const clusters: readonly ClusterDefinition[] = [prod, stage, admin, e2e];

/** Every environment a service's overrides may name. */
export const environments: readonly string[] = clusters.map((c) => c.environment);

export { admin, e2e, prod, stage };
