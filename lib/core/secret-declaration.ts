/**
 * Where the values of a declared Secret come from: `stack`, the stack's secret config
 * `platform:<configKey>` (the stack writes the Secret); `secretsManager`, the AWS Secrets Manager
 * secret {@link platformSecretName} holding a JSON object of the keys (the External Secrets
 * Operator syncs it, the stack never sees a value).
 */
export type SecretSource = 'stack' | 'secretsManager';

/**
 * A Kubernetes Secret an addon's pods read and the platform repo never holds: the addon
 * declares it, and the composition root decides where each value comes from ({@link SecretSource}):
 * the stack writes it from its config, or the External Secrets Operator syncs it from AWS Secrets
 * Manager. No value is ever in a manifest, a snapshot, a plan or a log.
 */
export interface SecretDeclaration {
  /** The Secret's name (`alerting`). */
  readonly name: string;
  /** Its namespace (`monitoring`). */
  readonly namespace: string;
  /** The keys it must hold (`['slack-url']`); the deploy step refuses a value with keys missing or extra. */
  readonly keys: readonly string[];
  /** The stack config key that holds the values, as a map key -> value (`alertmanagerKeys`). */
  readonly configKey: string;
  /** One line for the operator: what it is and where it comes from. */
  readonly description: string;
  /** Where its values come from. @default 'stack' */
  readonly source?: SecretSource;
}

/** The prefix of every platform secret in AWS Secrets Manager; no team's prefix may start with it. */
export const PLATFORM_SECRETS_PREFIX = 'platform/';

/**
 * The Secrets Manager name of a platform Secret synced by the External Secrets Operator:
 * `platform/<cluster>/<namespace>/<name>`, a JSON object of the declared keys. Per cluster,
 * since every cluster runs in one account: a cluster's stores can read only its own.
 */
export function platformSecretName(cluster: string, namespace: string, name: string): string {
  return `${PLATFORM_SECRETS_PREFIX}${cluster}/${namespace}/${name}`;
}

/**
 * The stack config key of a declared Secret: its namespace and name in camel case
 * (`monitoring`/`alerting` -> `monitoringAlerting`), set as a map of its keys:
 * `pulumi config set --secret --path 'platform:monitoringAlerting.slack-url' '…'`.
 */
export function secretConfigKey(namespace: string, name: string): string {
  const words = `${namespace}-${name}`.split(/[^a-zA-Z0-9]+/).filter((w) => w !== '');
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())).join('');
}

/** The declarations whose Secret the stack writes from its config (source `stack`): the only ones the stack reads values for. */
export function writtenByStack(declared: readonly SecretDeclaration[]): SecretDeclaration[] {
  return declared.filter((d) => (d.source ?? 'stack') === 'stack');
}
