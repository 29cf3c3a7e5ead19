/**
 * A Kubernetes Secret an addon's pods read and the platform repo never holds: the addon
 * declares it, and the deploy step derives from the declaration where each value comes from
 * (a stack secret `platform:<configKey>` today) and writes the Secret before the pods that
 * read it. No value is ever in a manifest, a snapshot, a plan or a log.
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
