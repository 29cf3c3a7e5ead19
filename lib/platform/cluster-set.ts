import { formatProblem } from '../core';
import type { PlatformCluster } from './cluster-app';

/**
 * Clusters whose API servers accept the same OIDC audience (`--oidc-client-id`): a token minted
 * for one would be accepted by the other, so a login to e2e would work against prod. Each pair
 * is reported once, by the later cluster.
 */
export function sharedAudiences(clusters: readonly PlatformCluster[]): string[] {
  return clusters.flatMap((c, i) => {
    const audience = c.facts.oidc?.clientId;
    if (audience === undefined) return [];
    const other = clusters.slice(0, i).find((o) => o.facts.oidc?.clientId === audience);
    if (other === undefined) return [];
    return [formatProblem({
      path: c.facts.name, field: 'kubernetes.oidc.clientId', value: audience,
      rule: `is also the OIDC audience of cluster ${other.facts.name}, so a token for one is accepted by the other`,
      fix: `give each cluster its own audience (the identity addon uses kubernetes-<cluster>)`,
    })];
  });
}
