import type { AddonSpec } from '../addon-spec';
import { EckCrds } from './eck-crds';
import { Logging, loggingSecrets, type LoggingDefinition } from './logging';

/** `vm.max_map_count` as Elasticsearch's bootstrap check requires it for mmap (262144). */
export const MAX_MAP_COUNT_SYSCTL = 'vm.max_map_count=262144';

/**
 * Logs: Elasticsearch and Kibana through ECK, Fluent Bit on every node, Kubernetes events and
 * the API servers' audit logs. With `mmap: 'sysctl'` (the default) it contributes
 * `vm.max_map_count` to every worker node group.
 */
export const loggingAddon: AddonSpec<'logging', LoggingDefinition> = {
  key: 'logging',
  phase: 'addons',
  contributes: (def) => ((def.mmap ?? 'sysctl') === 'sysctl' ? { sysctls: [MAX_MAP_COUNT_SYSCTL] } : {}),
  secrets: (def) => loggingSecrets(def),
  // ECK's CRDs, applied in the crds phase so the operator and its objects find them.
  crds(scope) {
    new EckCrds(scope, 'eck-crds');
  },
  build(scope, def, ctx) {
    new Logging(scope, 'logging', def, ctx);
  },
};
