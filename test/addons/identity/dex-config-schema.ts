// The fields Dex v2.45.1 reads from its config file, as JSON Schema with every unknown field an
// error: Dex unmarshals with encoding/json, which silently drops a field it does not know, so a
// typo would only show as a setting that does nothing. Taken from the Go structs' json tags in
// cmd/dex/config.go (Config, Web, Telemetry, OAuth2, Expiry, RefreshToken, Logger, Storage,
// Connector), storage/kubernetes/storage.go (Config), storage/storage.go (Client) and
// connector/ldap/ldap.go (Config, UserMatcher). Only the parts the addon writes are spelled out.
import Ajv from 'ajv';

const str = { type: 'string' };
const bool = { type: 'boolean' };
const obj = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, required, additionalProperties: false });

const userMatcher = obj({ userAttr: str, groupAttr: str, recursionGroupAttr: str }, ['userAttr', 'groupAttr']);
const ldapConfig = obj({
  host: str, insecureNoSSL: bool, insecureSkipVerify: bool, startTLS: bool, rootCA: str, clientCert: str, clientKey: str, rootCAData: str,
  bindDN: str, bindPW: str, usernamePrompt: str,
  userSearch: obj({
    baseDN: str, filter: str, username: str, scope: { enum: ['', 'sub', 'one'] },
    idAttr: str, emailAttr: str, nameAttr: str, preferredUsernameAttr: str, emailSuffix: str,
  }, ['baseDN', 'username', 'idAttr', 'emailAttr']),
  groupSearch: obj({
    baseDN: str, filter: str, scope: { enum: ['', 'sub', 'one'] }, userAttr: str, groupAttr: str, recursionGroupAttr: str,
    userMatchers: { type: 'array', items: userMatcher, minItems: 1 }, nameAttr: str,
  }, ['baseDN', 'userMatchers', 'nameAttr']),
}, ['host', 'bindDN', 'bindPW', 'userSearch', 'groupSearch']);
const client = obj({
  id: str, idEnv: str, secret: str, secretEnv: str, redirectURIs: { type: 'array', items: str },
  trustedPeers: { type: 'array', items: str }, public: bool, name: str, logoURL: str,
}, ['id', 'name']);

const schema = obj({
  issuer: str,
  storage: obj({ type: { const: 'kubernetes' }, config: obj({ inCluster: bool, kubeConfigFile: str, crdHandling: { enum: ['ensure', 'check'] } }) }, ['type', 'config']),
  web: obj({ http: str, https: str, tlsCert: str, tlsKey: str, tlsMinVersion: str, tlsMaxVersion: str, allowedOrigins: {}, allowedHeaders: {}, headers: {}, clientRemoteIP: {} }),
  telemetry: obj({ http: str, enableProfiling: bool }),
  oauth2: obj({ grantTypes: { type: 'array', items: str }, responseTypes: { type: 'array', items: { enum: ['code', 'token', 'id_token'] } }, skipApprovalScreen: bool, alwaysShowLoginScreen: bool, passwordConnector: str }),
  expiry: obj({ signingKeys: str, idTokens: str, authRequests: str, deviceRequests: str, refreshTokens: obj({ disableRotation: bool, reuseInterval: str, absoluteLifetime: str, validIfNotUsedFor: str }) }),
  logger: obj({ level: { enum: ['debug', 'info', 'warn', 'error'] }, format: { enum: ['text', 'json'] } }),
  connectors: { type: 'array', items: obj({ type: { const: 'ldap' }, id: str, name: str, config: ldapConfig }, ['type', 'id', 'name', 'config']) },
  staticClients: { type: 'array', items: client },
  enablePasswordDB: bool,
}, ['issuer', 'storage', 'web']);

const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** The violations of a Dex config, one line each; empty when Dex v2.45.1 would read every field. */
export function dexConfigErrors(config: unknown): string[] {
  if (validate(config) === true) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** Dex's own checks at start (Config.Validate in cmd/dex/config.go; client checks in cmd/dex/serve.go). */
export function dexStartupErrors(config: { issuer?: string; storage?: unknown; web?: { http?: string; https?: string }; staticClients?: { id?: string; idEnv?: string; secret?: string; secretEnv?: string; public?: boolean }[] }): string[] {
  const errors: string[] = [];
  if (config.issuer === undefined || config.issuer === '') errors.push('no issuer specified in config file');
  if (config.storage === undefined) errors.push('no storage supplied in config file');
  if ((config.web?.http ?? '') === '' && (config.web?.https ?? '') === '') errors.push('must supply a HTTP/HTTPS  address to listen on');
  for (const c of config.staticClients ?? []) {
    if ((c.id ?? '') === '' && (c.idEnv ?? '') === '') errors.push('invalid config: ID or IDEnv field is required for a client');
    if ((c.secret ?? '') === '' && (c.secretEnv ?? '') === '' && c.public !== true) errors.push(`invalid config: Secret or SecretEnv field is required for client "${c.id ?? ''}"`);
    if ((c.secret ?? '') !== '' && (c.secretEnv ?? '') !== '') errors.push(`invalid config: Secret and SecretEnv fields are exclusive for client "${c.id ?? ''}"`);
  }
  return errors;
}
