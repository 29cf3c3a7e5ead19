import type { AddonSpec } from '../addons/addon-spec';
import { edgeAddon } from '../addons/edge/edge-addon';
import { secretsAddon } from '../addons/external-secrets/external-secrets-addon';
import { identityAddon } from '../addons/identity/identity';
import { loggingAddon } from '../addons/logging/logging-addon';
import { monitoringAddon } from '../addons/monitoring/monitoring-addon';
import { sloAddon } from '../addons/slo/slo-addon';

/**
 * Every addon the platform knows, in the order their charts are created. Adding an addon is its
 * folder under `lib/addons/` and one entry here: the definition's field, the chart, the deploy
 * phase and the stack's secrets all follow from its spec.
 */
export const ADDONS = [secretsAddon, edgeAddon, identityAddon, monitoringAddon, loggingAddon, sloAddon] as const;

type DefinitionOf<S> = S extends AddonSpec<string, infer D> ? D : never;

/** The addons part of a cluster definition: one optional field per addon, named by its key. */
export type AddonDefinitions = {
  readonly [S in (typeof ADDONS)[number] as S['key']]?: DefinitionOf<S>;
};

/** The key of an addon (`edge`, `monitoring`). */
export type AddonKey = keyof AddonDefinitions;
