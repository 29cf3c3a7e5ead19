// GIVEN helpers for the identity addon: the props a company would write, and a build of the
// addon's chart the way the composition root makes it (chart `addon-identity`).
import { App, Chart } from 'cdk8s';
import type { AddonFacts } from '../../../lib/addons/addon-spec';
import type { ClusterFacts, OidcFacts } from '../../../lib/core';
import { identityAddon, type IdentityProps } from '../../../lib/addons/identity/identity';
import { openLdapDirectory } from '../../../lib/addons/identity/ldap-directory';
import { testAddonContext } from '../../support/cluster-facts';

export const ISSUER = 'https://dex.example.com';
export const GATEWAY = { name: 'platform', namespace: 'edge', dnsZone: 'example.com' };

/** The API server's OIDC settings as the cluster model derives them from the addon's contribution. */
export function oidcFacts(over: Partial<OidcFacts> = {}, clientId = 'kubernetes-admin'): OidcFacts {
  const groupsPrefix = over.groupsPrefix ?? 'oidc:';
  const usernamePrefix = over.usernamePrefix ?? 'oidc:';
  return {
    issuerUrl: ISSUER, clientId, usernameClaim: 'email', groupsClaim: 'groups', usernamePrefix, groupsPrefix,
    group: (n) => `${groupsPrefix}${n}`, user: (n) => `${usernamePrefix}${n}`, ...over,
  };
}

/** Identity props for prod, stage and admin, Dex in admin, an OpenLDAP directory, Grafana as a web client. */
export function identityProps(over: Partial<IdentityProps> = {}): IdentityProps {
  return {
    issuerUrl: ISSUER,
    servedBy: 'admin',
    clusters: [{ cluster: 'prod' }, { cluster: 'stage' }, { cluster: 'admin' }],
    directory: openLdapDirectory({
      host: 'ldap.example.com', baseDN: 'dc=example,dc=com', bindDN: 'cn=dex,ou=services,dc=example,dc=com',
      rootCA: { secret: 'dex-ldap-ca', key: 'ca.crt' },
    }),
    clients: [{ id: 'grafana', name: 'Grafana', host: 'grafana.example.com', redirectPaths: ['/login/generic_oauth'] }],
    access: { platformAdmins: ['platform-admins'], auditors: ['auditors'] },
    ...over,
  };
}

/** WHEN helper: builds the addon into its own chart for the given cluster. */
export function buildIdentity(props: IdentityProps = identityProps(), cluster: Partial<ClusterFacts> = {}, addons: AddonFacts = { gateway: GATEWAY }): Chart {
  const app = new App({ outdir: 'dist' });
  const chart = new Chart(app, 'addon-identity');
  const name = cluster.name ?? 'admin';
  identityAddon.build(chart, props, testAddonContext(addons, { name, oidc: oidcFacts({}, `kubernetes-${name}`), ...cluster }));
  return chart;
}

/** The chart's objects by `Kind/name`. */
export function byName(chart: Chart): Record<string, any> {
  return Object.fromEntries(chart.toJson().map((o: any) => [`${o.kind}/${o.metadata.name}`, o]));
}
