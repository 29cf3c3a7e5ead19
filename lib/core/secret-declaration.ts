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
