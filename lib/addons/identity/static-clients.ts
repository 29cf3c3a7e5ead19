import type { IConstruct } from 'constructs';
import type { SecretKeyRef } from '../../apps/secrets';
import { DnsName, PlatformError } from '../../core';

/** A cluster whose API server accepts the issuer's tokens, with its own audience. */
export interface ClusterAudienceProps {
  /** The cluster's short name (`prod`), as the definition names it. */
  readonly cluster: string;
  /**
   * The client id Dex issues the cluster's tokens for, which is the API server's audience
   * (`--oidc-client-id`): a token for one cluster is refused by every other.
   * @default `kubernetes-<cluster>`
   */
  readonly clientId?: string;
}

/** A web application that signs people in through Dex (Grafana, Kibana's edge sign-in). */
export interface WebClientProps {
  /** The client id (`grafana`). */
  readonly id: string;
  /** Shown on Dex's pages (`Grafana`). */
  readonly name: string;
  /** The host the application is served on (`grafana.example.com`): every redirect URI is under it. */
  readonly host: string;
  /** The paths Dex may send the browser back to after sign-in (`['/login/generic_oauth']`). */
  readonly redirectPaths: readonly string[];
  /** The client secret, a key of a Secret Dex reads. @default { secret: 'dex', key: 'client-<id>' } */
  readonly secret?: SecretKeyRef;
}

/** One entry of Dex's `staticClients` (storage.Client in storage/storage.go, Dex v2.45). */
export interface DexStaticClient {
  readonly id: string;
  readonly name: string;
  readonly public?: true;
  readonly secretEnv?: string;
  readonly redirectURIs?: readonly string[];
}

/** A resolved web client: its Dex entry and where its secret comes from. */
export interface ResolvedWebClient {
  readonly client: DexStaticClient;
  readonly secret: SecretKeyRef;
  readonly env: string;
}

const CLIENT_ID = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const PATH = /^\/[A-Za-z0-9._~!&'()*+,;=:@%/-]*$/;

/** The client id of a cluster's API server. */
export function clusterClientId(audience: ClusterAudienceProps): string {
  return audience.clientId ?? `kubernetes-${audience.cluster}`;
}

/**
 * The `kubernetes` client of each cluster: public (the CLI holds no secret; kubelogin uses PKCE)
 * and with no redirect URIs listed, so Dex accepts any `http://localhost:<port>` or
 * `http://127.0.0.1:<port>` redirect — kubelogin's loopback listener — and nothing else
 * (validateRedirectURI in server/oauth2.go, Dex v2.45).
 */
export function kubernetesClients(scope: IConstruct, clusters: readonly ClusterAudienceProps[]): DexStaticClient[] {
  if (clusters.length === 0) {
    throw PlatformError.at(scope, { field: 'clusters', value: [], rule: 'must list at least one cluster', fix: "list every cluster whose API server trusts the issuer, e.g. [{ cluster: 'prod' }]" });
  }
  const seen = new Map<string, string>();
  const names = new Set<string>();
  return clusters.map((c) => {
    if (names.has(c.cluster)) {
      throw PlatformError.at(scope, { field: 'clusters', value: c.cluster, rule: 'lists a cluster twice', fix: 'list each cluster once' });
    }
    names.add(c.cluster);
    const id = clusterClientId(c);
    if (!CLIENT_ID.test(id)) {
      throw PlatformError.at(scope, { field: `clusters.${c.cluster}.clientId`, value: id, rule: 'is not a valid client id', fix: "use lowercase letters, digits, '-' and '.', e.g. 'kubernetes-prod'" });
    }
    const other = seen.get(id);
    if (other !== undefined) {
      throw PlatformError.at(scope, {
        field: `clusters.${c.cluster}.clientId`, value: id, rule: `is also the client id of cluster ${other}, so a token for one would be accepted by both`,
        fix: 'give every cluster its own client id (the default is kubernetes-<cluster>)',
      });
    }
    seen.set(id, c.cluster);
    return { id, name: `Kubernetes ${c.cluster}`, public: true };
  });
}

/** The environment variable a web client's secret is passed to Dex in (`secretEnv`). */
export function clientSecretEnv(id: string): string {
  return `DEX_CLIENT_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_SECRET`;
}

/**
 * The web clients: confidential (the secret is read by Dex from an environment variable,
 * never written in the config), each redirect URI `https://<host><path>` — built here, in one
 * place, from the host the application declares.
 */
export function webClients(scope: IConstruct, clients: readonly WebClientProps[], taken: readonly string[]): ResolvedWebClient[] {
  const ids = new Set(taken);
  return clients.map((c) => {
    const field = `clients.${c.id}`;
    if (!CLIENT_ID.test(c.id)) {
      throw PlatformError.at(scope, { field: 'clients', value: c.id, rule: 'is not a valid client id', fix: "use lowercase letters, digits, '-' and '.', e.g. 'grafana'" });
    }
    if (ids.has(c.id)) {
      throw PlatformError.at(scope, { field, value: c.id, rule: 'is already the id of another client', fix: 'give every client its own id' });
    }
    ids.add(c.id);
    if (!DnsName.isValid(c.host)) {
      throw PlatformError.at(scope, { field: `${field}.host`, value: c.host, rule: 'is not a fully qualified lowercase DNS name', fix: "write the application's host, e.g. 'grafana.example.com'" });
    }
    if (c.redirectPaths.length === 0) {
      throw PlatformError.at(scope, { field: `${field}.redirectPaths`, value: [], rule: 'must not be empty', fix: "give the application's callback path, e.g. '/login/generic_oauth'" });
    }
    const redirectURIs = c.redirectPaths.map((p) => {
      if (!PATH.test(p)) {
        throw PlatformError.at(scope, {
          field: `${field}.redirectPaths`, value: p, rule: `is not a path under the declared host ${c.host}`,
          fix: "write only the path, starting with '/' (e.g. '/login/generic_oauth'); the URI is https://<host><path>",
        });
      }
      return `https://${c.host}${p}`;
    });
    const env = clientSecretEnv(c.id);
    return { client: { id: c.id, name: c.name, secretEnv: env, redirectURIs }, secret: c.secret ?? { secret: 'dex', key: `client-${c.id}` }, env };
  });
}
