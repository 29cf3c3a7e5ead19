import { parseDocument, stringify } from 'yaml';
import { PlatformError, type ClusterFacts } from '../../core';

/**
 * What a person needs to know of a cluster to sign in to it, published by the platform (synth
 * writes one per cluster): the API endpoint, how its certificate is verified, and the issuer and
 * audience of the cluster's logins. It holds nothing secret.
 */
export interface ClusterDescriptor {
  /** The cluster's short name (`prod`): the kubeconfig's cluster and context name. */
  readonly cluster: string;
  /** The API server's URL (`https://api.prod.example.com`). */
  readonly server: string;
  /**
   * The CA that signed the API server's certificate, base64 PEM as kubeconfig holds it.
   * @default - none: the certificate is publicly trusted (an ACM certificate on the API load balancer)
   */
  readonly certificateAuthorityData?: string;
  /** The issuer and this cluster's client id (its API server's audience). */
  readonly oidc: { readonly issuerUrl: string; readonly clientId: string };
}

/** How the API endpoint is reached and verified, which only the stack knows for sure. */
export interface ApiEndpoint {
  /** The API server's URL. @default `https://api.<clusterName>` (kops's default public name for the API) */
  readonly server?: string;
  /** @default - none: a publicly trusted certificate (ACM on the API load balancer) */
  readonly certificateAuthorityData?: string;
}

/** The file a cluster's descriptor is published as, next to its manifests (`dist/<cluster>/cluster-descriptor.json`). */
export const CLUSTER_DESCRIPTOR_FILE = 'cluster-descriptor.json';

/**
 * The descriptor of a cluster, from its facts: what synth publishes per cluster for `login`.
 * Refuses a cluster whose API server has no OIDC settings (nobody could sign in to it).
 */
export function clusterDescriptor(facts: Pick<ClusterFacts, 'name' | 'clusterName' | 'oidc'>, api: ApiEndpoint = {}): ClusterDescriptor {
  if (facts.oidc === undefined) {
    throw PlatformError.of({ path: `cluster ${facts.name}`, field: 'oidc', rule: 'is not set, so no one can sign in with login', fix: 'run the identity addon in the cluster (it contributes the OIDC settings)' });
  }
  return parseDescriptor({
    cluster: facts.name,
    server: api.server ?? `https://api.${facts.clusterName}`,
    ...(api.certificateAuthorityData === undefined ? {} : { certificateAuthorityData: api.certificateAuthorityData }),
    oidc: { issuerUrl: facts.oidc.issuerUrl, clientId: facts.oidc.clientId },
  }, `of cluster ${facts.name}`);
}

/** Where kubelogin keeps the tokens it got. */
export type TokenCache = 'keyring' | 'disk';

/** Options of {@link mergeKubeconfig}. */
export interface LoginOptions {
  /** @default 'keyring' */
  readonly tokenCache?: TokenCache;
  /** Make the cluster's context the current one. @default true */
  readonly useContext?: boolean;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function httpsUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const u = new URL(value);
    return u.protocol === 'https:' && u.search === '' && u.hash === '' && u.username === '';
  } catch {
    return false;
  }
}

/** Reads a descriptor from parsed JSON, refusing anything but the expected shape. */
export function parseDescriptor(value: unknown, source: string): ClusterDescriptor {
  const path = `descriptor ${source}`;
  const bad = (field: string, got: unknown, rule: string, fix: string): never => {
    throw PlatformError.of({ path, field, value: got, rule, fix });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('(root)', undefined, 'is not a JSON object', 'use the descriptor the platform publishes for the cluster');
  const d = value as Record<string, unknown>;
  const known = ['cluster', 'server', 'certificateAuthorityData', 'oidc'];
  const extra = Object.keys(d).filter((k) => !known.includes(k));
  if (extra.length > 0) bad(extra[0] as string, undefined, 'is not a descriptor field', `keep only ${known.join(', ')}`);
  if (typeof d.cluster !== 'string' || !NAME.test(d.cluster)) bad('cluster', d.cluster, 'is not a cluster name', "give the cluster's short name, e.g. 'prod'");
  if (!httpsUrl(d.server)) bad('server', d.server, 'is not an https URL', "give the API server's URL, e.g. 'https://api.prod.example.com'");
  const ca = d.certificateAuthorityData;
  if (ca !== undefined && (typeof ca !== 'string' || !BASE64.test(ca) || !Buffer.from(ca, 'base64').toString('utf8').includes('-----BEGIN CERTIFICATE-----'))) {
    bad('certificateAuthorityData', undefined, 'is not a base64-encoded PEM certificate', 'give the CA as kubeconfig holds it (base64 of the PEM), or leave it out for a publicly trusted certificate');
  }
  const oidc = d.oidc as Record<string, unknown> | undefined;
  if (typeof oidc !== 'object' || oidc === null) return bad('oidc', oidc, 'is missing', 'give { issuerUrl, clientId }');
  if (!httpsUrl(oidc.issuerUrl)) bad('oidc.issuerUrl', oidc.issuerUrl, 'is not an https URL', "give the issuer, e.g. 'https://dex.example.com'");
  if (typeof oidc.clientId !== 'string' || oidc.clientId === '') bad('oidc.clientId', oidc.clientId, 'is not a client id', "give the cluster's client id, e.g. 'kubernetes-prod'");
  return {
    cluster: d.cluster as string, server: d.server as string,
    ...(ca === undefined ? {} : { certificateAuthorityData: ca as string }),
    oidc: { issuerUrl: oidc.issuerUrl as string, clientId: oidc.clientId as string },
  };
}

/** The kubeconfig user of a cluster's OIDC login. */
export function loginUserName(cluster: string): string {
  return `oidc-${cluster}`;
}

/**
 * The `exec` credential plugin stanza: kubelogin (`kubectl oidc-login get-token`) signs in in
 * the browser with PKCE (S256) against the cluster's client, asks for the email and groups
 * claims and a refresh token, and caches tokens in the OS keyring (or on disk). No token or
 * secret is in it.
 */
export function kubeloginExec(descriptor: ClusterDescriptor, tokenCache: TokenCache): Record<string, unknown> {
  return {
    apiVersion: 'client.authentication.k8s.io/v1',
    command: 'kubectl',
    args: [
      'oidc-login', 'get-token',
      `--oidc-issuer-url=${descriptor.oidc.issuerUrl}`,
      `--oidc-client-id=${descriptor.oidc.clientId}`,
      '--oidc-extra-scope=email',
      '--oidc-extra-scope=groups',
      '--oidc-extra-scope=offline_access',
      '--oidc-pkce-method=S256',
      `--token-cache-storage=${tokenCache}`,
    ],
    interactiveMode: 'IfAvailable',
    provideClusterInfo: false,
    installHint: 'Install kubelogin (https://github.com/int128/kubelogin), e.g. `kubectl krew install oidc-login`.',
  };
}

type Named = { name?: unknown } & Record<string, unknown>;

function upsert(list: unknown, entry: Named): Named[] {
  const items = Array.isArray(list) ? (list as Named[]) : [];
  const i = items.findIndex((e) => e?.name === entry.name);
  if (i < 0) return [...items, entry];
  return items.map((e, j) => (j === i ? entry : e));
}

/**
 * Writes the cluster, the OIDC user and the context of `descriptor` into a kubeconfig's text
 * (or a new one), keeping every other entry and field as it was; the same input gives the same
 * output, so a second run changes nothing.
 */
export function mergeKubeconfig(existing: string | undefined, descriptor: ClusterDescriptor, options: LoginOptions = {}): string {
  const tokenCache = options.tokenCache ?? 'keyring';
  const useContext = options.useContext ?? true;
  let config: Record<string, unknown> = { apiVersion: 'v1', kind: 'Config', preferences: {}, clusters: [], users: [], contexts: [] };
  if (existing !== undefined && existing.trim() !== '') {
    const doc = parseDocument(existing);
    if (doc.errors.length > 0) {
      throw PlatformError.of({ path: 'kubeconfig', field: '(file)', rule: `is not valid YAML (${doc.errors[0]?.message.split('\n')[0] ?? ''})`, fix: 'fix or move the file, then run login again' });
    }
    const parsed: unknown = doc.toJS();
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || (parsed as Record<string, unknown>).kind !== 'Config') {
      throw PlatformError.of({ path: 'kubeconfig', field: 'kind', rule: 'is not Config', fix: 'point KUBECONFIG (or --kubeconfig) at a kubeconfig file' });
    }
    config = parsed as Record<string, unknown>;
  }
  const user = loginUserName(descriptor.cluster);
  const cluster: Record<string, unknown> = {
    server: descriptor.server,
    ...(descriptor.certificateAuthorityData === undefined ? {} : { 'certificate-authority-data': descriptor.certificateAuthorityData }),
  };
  const merged: Record<string, unknown> = {
    ...config,
    clusters: upsert(config.clusters, { name: descriptor.cluster, cluster }),
    users: upsert(config.users, { name: user, user: { exec: kubeloginExec(descriptor, tokenCache) } }),
    contexts: upsert(config.contexts, { name: descriptor.cluster, context: { cluster: descriptor.cluster, user } }),
    ...(useContext ? { 'current-context': descriptor.cluster } : {}),
  };
  return stringify(merged, { lineWidth: 0 });
}
