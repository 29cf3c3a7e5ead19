import type { AddonSpec } from '../addon-spec';
import { ExternalSecretsCrds } from './external-secrets-crds';
import { ExternalSecretsOperator, type ExternalSecretsOperatorProps } from './external-secrets-operator';

/** The secrets addon's part of a cluster definition: the operator's sizing and image; the rest comes from the cluster's facts. */
export type SecretsDefinition = Omit<ExternalSecretsOperatorProps, 'vpcCidr' | 'nodeLocalDnsAddress'>;

/**
 * The External Secrets Operator: its CRDs in the `crds` phase, its controller in `addons`. With it,
 * the composition root gives every team that declares a `secretsPrefix` a SecretStore per
 * namespace, and syncs every Secret the other addons declare from Secrets Manager instead of
 * having the stack write it.
 */
export const secretsAddon: AddonSpec<'secrets', SecretsDefinition> = {
  key: 'secrets',
  phase: 'addons',
  crds: (scope) => {
    new ExternalSecretsCrds(scope, 'external-secrets');
  },
  build: (scope, props, { cluster }) => {
    new ExternalSecretsOperator(scope, 'external-secrets', {
      ...props,
      vpcCidr: cluster.vpcCidr,
      ...(cluster.nodeLocalDnsAddress === undefined ? {} : { nodeLocalDnsAddress: cluster.nodeLocalDnsAddress }),
    });
  },
};
