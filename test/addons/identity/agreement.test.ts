// Dex, the API server and tenancy agree: the API server's authentication configuration (a kops
// file asset) comes from the addon's contribution, and the groups Dex puts in a token are the
// subjects RBAC binds.
import { App, Chart } from 'cdk8s';
import { parse } from 'yaml';
import { identityAddon } from '../../../lib/addons/identity/identity';
import { apiSpec } from '../../../lib/cluster/kops/api-server';
import { KubernetesVersion } from '../../../lib/cluster/kubernetes-version';
import { OidcSettings } from '../../../lib/cluster/oidc';
import { Cidr } from '../../../lib/core';
import { groupSubject } from '../../../lib/tenancy/rbac';
import { buildIdentity, byName, identityProps } from './fixture';

/** Dex's issuer as the cluster's API server trusts it (the first JWT issuer of its authentication configuration). */
function dexIssuerOf(cluster: string): Record<string, any> {
  const contribution = identityAddon.contributes?.(identityProps(), { name: cluster });
  const oidc = contribution?.oidc;
  if (oidc === undefined) throw new Error('no OIDC contribution');
  const scope = new Chart(new App(), 'kops');
  const spec = apiSpec(scope, {}, Cidr.of('10.10.0.0/16'), OidcSettings.of(oidc), KubernetesVersion.parse('1.35.5'));
  const asset = spec.fileAssets?.find((f) => f.name === 'authentication-config');
  if (asset === undefined) throw new Error('no authentication configuration');
  return (parse(asset.content ?? '') as { jwt: Record<string, any>[] }).jwt[0] ?? {};
}

describe('Dex and the clusters agree', () => {
  test("each cluster's kops spec trusts Dex's issuer with that cluster's own client", () => {
    // GIVEN the clients in Dex's config
    const config = byName(buildIdentity());
    const text = Object.entries(config).find(([k]) => k.startsWith('ConfigMap/dex-config-'))?.[1].data['config.yaml'] as string;
    // WHEN the kops spec is derived from each cluster's contribution
    const issuers = ['prod', 'stage', 'admin'].map(dexIssuerOf);
    // THEN issuer and audience match Dex, and no two clusters share an audience
    for (const dex of issuers) {
      expect(dex.issuer.url).toBe('https://dex.example.com');
      expect(dex.issuer.audiences).toHaveLength(1);
      expect(text).toContain(`- id: ${String(dex.issuer.audiences[0])}\n`);
      expect(dex.claimMappings).toEqual({ username: { claim: 'email', prefix: 'oidc:' }, groups: { claim: 'groups', prefix: 'oidc:' } });
    }
    expect(new Set(issuers.map((d) => d.issuer.audiences[0])).size).toBe(3);
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
