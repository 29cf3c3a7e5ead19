import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Duration, Platform, PlatformError, checkDnsLabel, parseAt, pathOf, standardLabels, type DurationLike } from '../core';
import type { SecretKeyRef } from './secrets';
import { checkProps } from '../core/props-check';

/** The API version of the External Secrets Operator's kinds the library writes (v2.9.0's served version). */
export const EXTERNAL_SECRETS_API_VERSION = 'external-secrets.io/v1';

/** Props of an {@link ExternalSecret}. */
export interface ExternalSecretProps {
  /**
   * The secret in AWS Secrets Manager, below the prefix of the namespace's store (`checkout/payment`
   * reads `<team prefix><cluster>/checkout/payment`): a JSON object holding every key.
   */
  readonly remoteKey: string;
  /** The keys of the Kubernetes Secret, each read from the JSON property of the same name (`['api-key']`). */
  readonly keys: readonly string[];
  /** How often the operator reads the value again (a rotation reaches the Secret within it). @default '1h' */
  readonly refreshInterval?: DurationLike;
  /** The SecretStore of the namespace it reads through. @default Platform.secretStore, the store the platform gives the team's namespace */
  readonly store?: string;
  /** The namespace. @default - the enclosing Chart's namespace */
  readonly namespace?: string;
}

// AWS Secrets Manager's name alphabet (ASCII letters, digits and /_+=.@-), without a leading '/'.
const REMOTE_KEY = /^[A-Za-z0-9_+=.@-][A-Za-z0-9/_+=.@-]*$/;
// The keys a Secret's data may have (Kubernetes' IsConfigMapKey).
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * A Kubernetes Secret synced from AWS Secrets Manager by the External Secrets Operator: the
 * Secret named by the construct id, holding `keys`, read through the namespace's SecretStore.
 * Only the reference is in the manifest; the value never passes through synth, the repo or CI.
 * Declare it next to the `secretEnv` that reads it:
 *
 * ```ts
 * const payment = new ExternalSecret(scope, 'checkout-payment', { remoteKey: 'checkout/payment', keys: ['api-key'] });
 * new WebService(scope, 'checkout', { image, secretEnv: { PAYMENT_API_KEY: payment.ref('api-key') } });
 * ```
 */
export class ExternalSecret extends Construct {
  /** The Secret's name. */
  public readonly name: string;
  /** Its namespace. */
  public readonly namespace: string;
  /** Its keys. */
  public readonly keys: readonly string[];

  public constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    props = checkProps(this, ExternalSecret, props);
    const refresh = parseAt(this, 'refreshInterval', () => Duration.of(props.refreshInterval ?? '1h'));
    const store = props.store ?? Platform.secretStore;
    const path = pathOf(this);
    this.name = checkDnsLabel(id, { path, field: 'id' });
    const ns = props.namespace ?? Chart.of(this).namespace;
    if (ns === undefined) throw PlatformError.at(this, { field: 'namespace', rule: 'is not set', fix: 'set namespace, or create the secret in a Chart that has one' });
    this.namespace = checkDnsLabel(ns, { path, field: 'namespace' });
    checkDnsLabel(store, { path, field: 'store' });
    if (!REMOTE_KEY.test(props.remoteKey) || props.remoteKey.length > 512) {
      throw PlatformError.at(this, {
        field: 'remoteKey', value: props.remoteKey, rule: 'is not a Secrets Manager name (letters, digits and /_+=.@-, at most 512, not starting with /)',
        fix: "write the name below the store's prefix, e.g. 'checkout/payment'",
      });
    }
    if (props.keys.length === 0) throw PlatformError.at(this, { field: 'keys', value: [], rule: 'must list at least one key', fix: 'list the JSON properties of the secret the pods read' });
    props.keys.forEach((k, i) => {
      if (!SECRET_KEY.test(k) || k.length > 253 || props.keys.indexOf(k) !== i) {
        throw PlatformError.at(this, { field: `keys[${i}]`, value: k, rule: 'is not a distinct Secret key (letters, digits, -._)', fix: 'list each key once, spelled as the JSON property' });
      }
    });
    if (refresh.toMilliseconds() < 60_000) {
      throw PlatformError.at(this, { field: 'refreshInterval', value: refresh.toString(), rule: 'is below 1m (each read is a paid Secrets Manager call per Secret)', fix: "use '1h', or at least '1m'" });
    }
    this.keys = [...props.keys];
    new ApiObject(this, 'resource', {
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
      kind: 'ExternalSecret',
      metadata: { name: this.name, namespace: this.namespace, labels: standardLabels({ name: this.name, component: 'secret' }) },
      spec: {
        refreshInterval: refresh.toString(),
        secretStoreRef: { kind: 'SecretStore', name: store },
        // Owner: the Secret goes with the ExternalSecret. Retain: a remote value that disappears
        // (deleted by mistake) leaves the last one in place rather than breaking running pods.
        target: { name: this.name, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
        data: this.keys.map((k) => ({ secretKey: k, remoteRef: { key: props.remoteKey, property: k } })),
      },
    });
  }

  /** A reference to one of its keys, for `secretEnv` or a probe; a key it does not hold is an error. */
  public ref(key: string): SecretKeyRef {
    if (!this.keys.includes(key)) {
      throw PlatformError.at(this, { field: 'ref', value: key, rule: `is not one of its keys [${this.keys.join(', ')}]`, fix: 'add the key to keys, or fix its spelling' });
    }
    return { secret: this.name, key };
  }
}
