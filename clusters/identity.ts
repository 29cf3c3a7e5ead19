import { openLdapDirectory, type IdentityProps } from '../lib';
import { kibanaHost } from './logging';
import { grafanaHost } from './monitoring';

const CLUSTERS = ['prod', 'stage', 'admin', 'e2e'];

/**
 * The company's identity provider: one Dex in front of the directory, served by prod's
 * internet-facing edge (every cluster's API server fetches its keys, so it must be reachable
 * from all four VPCs; admin's edge is internal), trusted by each cluster with its own audience.
 * The same value is every cluster's `identity` field.
 */
export const identity: IdentityProps = {
  issuerUrl: 'https://dex.example.com',
  servedBy: 'prod',
  clusters: CLUSTERS.map((cluster) => ({ cluster })),
  directory: openLdapDirectory({
    host: 'ldap.example.com',
    baseDN: 'dc=example,dc=com',
    bindDN: 'cn=dex,ou=services,dc=example,dc=com',
    rootCA: { secret: 'dex-ldap-ca', key: 'ca.crt' },
  }),
  clients: CLUSTERS.flatMap((cluster) => [
    { id: `grafana-${cluster}`, name: `Grafana (${cluster})`, host: grafanaHost(cluster), redirectPaths: ['/login/generic_oauth'] },
    { id: `kibana-${cluster}`, name: `Kibana (${cluster})`, host: kibanaHost(cluster), redirectPaths: ['/oauth2/callback'] },
  ]),
  access: { platformAdmins: ['platform-admins'], auditors: ['auditors'] },
};
