// Dex, the API server and tenancy agree: the kops spec's OIDC fields come from the addon's
// contribution, and the groups Dex puts in a token are the subjects RBAC binds.
import { App, Chart } from 'cdk8s';
import { identityAddon } from '../../../lib/addons/identity/identity';
import { apiSpec } from '../../../lib/cluster/kops/api-server';
import { OidcSettings } from '../../../lib/cluster/oidc';
import { Cidr } from '../../../lib/core';
import { groupSubject } from '../../../lib/tenancy/rbac';
import { buildIdentity, byName, identityProps } from './fixture';

function kubeApiServerOf(cluster: string): Record<string, unknown> {
  const contribution = identityAddon.contributes?.(identityProps(), { name: cluster });
  const oidc = contribution?.oidc;
  if (oidc === undefined) throw new Error('no OIDC contribution');
  const scope = new Chart(new App(), 'kops');
  return apiSpec(scope, {}, Cidr.of('10.10.0.0/16'), OidcSettings.of(oidc)).kubeApiServer as Record<string, unknown>;
}

describe('Dex and the clusters agree', () => {
  test("each cluster's kops spec trusts Dex's issuer with that cluster's own client", () => {
    // GIVEN the clients in Dex's config
    const config = byName(buildIdentity());
    const text = Object.entries(config).find(([k]) => k.startsWith('ConfigMap/dex-config-'))?.[1].data['config.yaml'] as string;
    // WHEN the kops spec is derived from each cluster's contribution
    const specs = ['prod', 'stage', 'admin'].map(kubeApiServerOf);
    // THEN issuer and audience match Dex, and no two clusters share an audience
    for (const spec of specs) {
      expect(spec.oidcIssuerUrl).toBe('https://dex.example.com');
      expect(text).toContain(`- id: ${String(spec.oidcClientId)}\n`);
      expect([spec.oidcGroupsClaim, spec.oidcGroupsPrefix, spec.oidcUsernameClaim]).toEqual(['groups', 'oidc:', 'email']);
    }
    expect(new Set(specs.map((s) => s.oidcClientId)).size).toBe(3);
  });

  test('a directory group, as the API server prefixes it, is the subject tenancy and the platform bindings use', () => {
    // GIVEN the cluster model's OIDC settings for prod, from the contribution
    const oidc = OidcSettings.of(identityAddon.contributes?.(identityProps(), { name: 'prod' }).oidc ?? { issuerUrl: '', clientId: '' });
    // WHEN Dex puts `team-orders` and `platform-admins` in the groups claim, the API server sees
    const seen = (claim: string) => `${oidc.groupsPrefix}${claim}`;
    // THEN tenancy's RoleBindings and the addon's ClusterRoleBinding name exactly those groups
    expect(groupSubject(oidc, 'team-orders').name).toBe(seen('team-orders'));
    const admins = byName(buildIdentity(identityProps(), { name: 'prod' }, {}))['ClusterRoleBinding/platform:cluster-admin'];
    expect(admins.subjects[0].name).toBe(seen('platform-admins'));
  });
});
