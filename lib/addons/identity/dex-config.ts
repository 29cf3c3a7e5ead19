import type { LdapConnectorConfig } from './ldap-directory';
import type { DexStaticClient } from './static-clients';

/** The port Dex serves OpenID Connect on (plain HTTP inside the cluster; TLS ends at the edge). */
export const DEX_HTTP_PORT = 5556;
/** The port of Dex's telemetry server: `/metrics`, `/healthz`, `/healthz/live`, `/healthz/ready`. */
export const DEX_TELEMETRY_PORT = 5558;
/** The connector's id: part of every user's `sub`, so it never changes. */
export const LDAP_CONNECTOR_ID = 'ldap';

/** What the configuration is made of, every value already checked. */
export interface DexConfigInput {
  readonly issuerUrl: string;
  readonly connector: LdapConnectorConfig;
  readonly connectorName: string;
  readonly clients: readonly DexStaticClient[];
  /** How long an ID token is valid (`1h`, Go duration syntax). */
  readonly idTokenLifetime: string;
  /** How long a refresh token may go unused before it expires (`168h`). */
  readonly refreshTokenIdle: string;
}

/**
 * Dex's configuration file (cmd/dex/config.go `Config`, Dex v2.45): storage in Kubernetes
 * custom resources whose CRDs are applied with the addon (`crdHandling: check`, so Dex needs no
 * right to create CRDs), HTTP behind the edge, telemetry on its own port, the LDAP connector and
 * the static clients. No secret is in it: the bind password is `$DEX_LDAP_BIND_PASSWORD`,
 * which Dex expands from its environment, and client secrets are `secretEnv` names.
 */
export function renderDexConfig(input: DexConfigInput): Record<string, unknown> {
  return {
    issuer: input.issuerUrl,
    storage: { type: 'kubernetes', config: { inCluster: true, crdHandling: 'check' } },
    web: { http: `0.0.0.0:${DEX_HTTP_PORT}` },
    telemetry: { http: `0.0.0.0:${DEX_TELEMETRY_PORT}` },
    logger: { level: 'info', format: 'json' },
    oauth2: { responseTypes: ['code'], skipApprovalScreen: true },
    expiry: {
      idTokens: input.idTokenLifetime,
      refreshTokens: { validIfNotUsedFor: input.refreshTokenIdle, disableRotation: false },
    },
    connectors: [{ type: 'ldap', id: LDAP_CONNECTOR_ID, name: input.connectorName, config: input.connector }],
    staticClients: input.clients,
    enablePasswordDB: false,
  };
}
