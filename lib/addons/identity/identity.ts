import type { Construct } from 'constructs';
import type { SecretKeyRef } from '../../apps/secrets';
import { PlatformError, type ClusterFacts, type OidcFacts, type SecretDeclaration } from '../../core';
import type { AddonContext, AddonSpec, ContributionTarget } from '../addon-spec';
import { Dex, issuerHost, type DexProps } from './dex';
import { CLUSTER_DESCRIPTOR_FILE, clusterDescriptor } from './kubeconfig';
import { DEFAULT_BIND_PASSWORD, type LdapDirectoryProps } from './ldap-directory';
import { PlatformAccess, type PlatformAccessProps } from './platform-access';
import { clusterClientId, type ClusterAudienceProps, type WebClientProps } from './static-clients';

/** Dex's own settings. */
export type DexOptions = Pick<DexProps, 'replicas' | 'image' | 'resources' | 'idTokenLifetime' | 'refreshTokenIdle' | 'imagePullSecret'> & {
  /** The namespace Dex runs in. @default 'identity' */
  readonly namespace?: string;
};

/**
 * The identity addon's part of a cluster definition (`addons.identity`), the same value in every
 * cluster that trusts the issuer: one Dex, run by one cluster, in front of the directory; one
 * audience per cluster; the directory groups that administer and audit the platform.
 */
export interface IdentityProps {
  /** The issuer people sign in through (`https://dex.example.com`), served by `servedBy`'s edge. */
  readonly issuerUrl: string;
  /** The cluster that runs Dex (`admin`); the others only trust it. */
  readonly servedBy: string;
  /** Every cluster whose API server accepts the issuer's tokens, each with its own audience. */
  readonly clusters: readonly ClusterAudienceProps[];
  /** The directory (see `openLdapDirectory` and `activeDirectory` for presets). */
  readonly directory: LdapDirectoryProps;
  /** Web applications that sign in through Dex (Grafana, Kibana's edge sign-in). @default [] */
  readonly clients?: readonly WebClientProps[];
  /** Which directory groups administer and audit every cluster. */
  readonly access: PlatformAccessProps;
  /** Dex's replicas, image, resources and token lifetimes. @default - see DexProps */
  readonly dex?: DexOptions;
}

/** The claims Dex puts in its ID tokens that can name a user (server/oauth2.go, idTokenClaims). */
const DEX_USER_CLAIMS = ['sub', 'email', 'name', 'preferred_username'];
const WHERE = 'addons.identity';

function audience(props: IdentityProps, cluster: string): string {
  const entry = props.clusters.find((c) => c.cluster === cluster);
  if (entry === undefined) {
    throw PlatformError.of({
      path: WHERE, field: 'clusters', value: props.clusters.map((c) => c.cluster), rule: `does not list cluster ${cluster}, which runs the addon`,
      fix: `add { cluster: '${cluster}' } to clusters, so Dex has a client for its API server`,
    });
  }
  return clusterClientId(entry);
}

/** The Secrets Dex reads (bind password, client secrets, the directory's CA), one declaration per Secret. */
export function identitySecrets(props: IdentityProps): SecretDeclaration[] {
  const namespace = props.dex?.namespace ?? 'identity';
  const refs: SecretKeyRef[] = [
    props.directory.bindPassword ?? DEFAULT_BIND_PASSWORD,
    ...(props.clients ?? []).map((c) => c.secret ?? { secret: 'dex', key: `client-${c.id}` }),
    ...(props.directory.rootCA === undefined ? [] : [props.directory.rootCA]),
  ];
  const bySecret = new Map<string, Set<string>>();
  for (const r of refs) bySecret.set(r.secret, (bySecret.get(r.secret) ?? new Set()).add(r.key));
  return [...bySecret].sort(([a], [b]) => a.localeCompare(b)).map(([name, keys]) => ({
    name, namespace, keys: [...keys].sort(),
    configKey: `identity${name.split(/[^A-Za-z0-9]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}`,
    description: `Dex's credentials (${[...keys].sort().join(', ')}): the directory bind password and CA, and each web client's secret (the value that client holds too)`,
  }));
}

/**
 * Checks that the API server trusts exactly this issuer for this cluster, and reads the claims
 * Dex issues: the OIDC settings reach kops through the definition (from `contributes`), so a
 * disagreement here means the definition set them by hand.
 */
function checkOidc(scope: Construct, props: IdentityProps, cluster: ClusterFacts): OidcFacts {
  const oidc = cluster.oidc;
  const fail = (field: string, value: unknown, rule: string, fix: string): never => {
    throw PlatformError.at(scope, { field: `cluster.oidc.${field}`, value, rule, fix });
  };
  if (oidc === undefined) return fail('issuerUrl', undefined, 'is not set, so the API server trusts no issuer', 'leave the cluster OIDC settings to the identity addon (its contribution)');
  if (oidc.issuerUrl !== props.issuerUrl) fail('issuerUrl', oidc.issuerUrl, `is not the identity addon's issuer ${props.issuerUrl}`, 'remove the hand-written OIDC settings from the cluster definition');
  const clientId = audience(props, cluster.name);
  if (oidc.clientId !== clientId) fail('clientId', oidc.clientId, `is not this cluster's client ${clientId}`, 'remove the hand-written OIDC settings from the cluster definition');
  if (oidc.groupsClaim !== 'groups') fail('groupsClaim', oidc.groupsClaim, "is not 'groups', the claim Dex puts the directory groups in", "set groupsClaim to 'groups'");
  if (!DEX_USER_CLAIMS.includes(oidc.usernameClaim)) fail('usernameClaim', oidc.usernameClaim, `is not a claim Dex issues (${DEX_USER_CLAIMS.join(', ')})`, "use 'email'");
  return oidc;
}

/**
 * The identity addon: Dex over LDAP / Active Directory in the cluster named `servedBy`, a public
 * `kubernetes-<cluster>` client per cluster, and in every cluster the platform admins' and
 * auditors' bindings. It feeds each cluster's API server its issuer and audience.
 */
export const identityAddon: AddonSpec<'identity', IdentityProps> = {
  key: 'identity',
  phase: 'addons',
  provides: (props) => ({ identity: { issuerUrl: props.issuerUrl } }),
  contributes: (props, cluster: ContributionTarget) => ({ oidc: { issuerUrl: props.issuerUrl, clientId: audience(props, cluster.name) } }),
  secrets: (props, cluster: ContributionTarget) => (cluster.name === props.servedBy ? identitySecrets(props) : []),
  // What `platform-constructs login --cluster <name>` reads: the API server and this cluster's audience.
  publishes: (_props, { cluster }) => [{ name: CLUSTER_DESCRIPTOR_FILE, content: `${JSON.stringify(clusterDescriptor(cluster), null, 2)}\n` }],
  build(scope: Construct, props: IdentityProps, ctx: AddonContext) {
    issuerHost(scope, props.issuerUrl);
    const oidc = checkOidc(scope, props, ctx.cluster);
    new PlatformAccess(scope, 'access', props.access, oidc);
    if (ctx.cluster.name !== props.servedBy) return;
    const gateway = ctx.addons.gateway;
    if (gateway === undefined) {
      throw PlatformError.at(scope, { field: 'addons.gateway', rule: 'is missing: Dex is served through the edge', fix: `run the edge addon in cluster ${props.servedBy}, or serve Dex from a cluster that has it` });
    }
    const dex = props.dex ?? {};
    new Dex(scope, 'dex', {
      ...dex,
      namespace: dex.namespace ?? 'identity',
      issuerUrl: props.issuerUrl,
      directory: props.directory,
      clusters: props.clusters,
      ...(props.clients === undefined ? {} : { clients: props.clients }),
      gateway,
      vpcCidr: ctx.cluster.vpcCidr,
      ...(ctx.cluster.nodeLocalDnsAddress === undefined ? {} : { nodeLocalDnsAddress: ctx.cluster.nodeLocalDnsAddress }),
    });
  },
};
