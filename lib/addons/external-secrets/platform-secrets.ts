import { Construct } from 'constructs';
import { ExternalSecret } from '../../apps/external-secret';
import { PLATFORM_SECRETS_PREFIX, type SecretDeclaration } from '../../core';
import { SecretStore, planSecretStore, type SecretStorePlan, type SecretsManagerTarget } from '../../tenancy/secret-store';
import { checkProps } from '../../core/props-check';

/**
 * The stores that sync the platform's own Secrets: one per namespace holding a declared Secret,
 * each reading `platform/<cluster>/<namespace>/` and nothing else.
 */
export function platformSecretStores(target: SecretsManagerTarget, declared: readonly SecretDeclaration[]): SecretStorePlan[] {
  const namespaces = [...new Set(declared.map((d) => d.namespace))].sort();
  return namespaces.map((ns) => planSecretStore(target, ns, `${PLATFORM_SECRETS_PREFIX}${target.cluster}/${ns}/`));
}

/** Props of {@link PlatformSecrets}. */
export interface PlatformSecretsProps {
  readonly target: SecretsManagerTarget;
  /** The Secrets an addon declared: each becomes an ExternalSecret of its keys. */
  readonly declared: readonly SecretDeclaration[];
}

/**
 * An addon's declared Secrets, synced from AWS Secrets Manager: in each namespace a SecretStore
 * reading `platform/<cluster>/<namespace>/`, and per Secret an ExternalSecret of its keys from the
 * JSON object `platform/<cluster>/<namespace>/<name>` ({@link platformSecretName}).
 */
export class PlatformSecrets extends Construct {
  public constructor(scope: Construct, id: string, props: PlatformSecretsProps) {
    super(scope, id);
    props = checkProps(this, PlatformSecrets, props);
    for (const plan of platformSecretStores(props.target, props.declared)) {
      const inNamespace = new Construct(this, plan.namespace);
      new SecretStore(inNamespace, 'store', { plan, target: props.target });
      for (const d of props.declared.filter((x) => x.namespace === plan.namespace)) {
        new ExternalSecret(inNamespace, d.name, { namespace: d.namespace, remoteKey: d.name, keys: d.keys });
      }
    }
  }
}
