export { secretsAddon, type SecretsDefinition } from './external-secrets-addon';
export { ExternalSecretsCrds, EXTERNAL_SECRETS_CRD_FILES } from './external-secrets-crds';
export { ExternalSecretsOperator, EXTERNAL_SECRETS_NAME, EXTERNAL_SECRETS_PORTS, type ExternalSecretsOperatorProps } from './external-secrets-operator';
export { EXTERNAL_SECRETS_CLUSTER_RULES, EXTERNAL_SECRETS_LEADER_RULES } from './external-secrets-rbac';
export { EXTERNAL_SECRETS_IMAGE } from './images';
export { PlatformSecrets, platformSecretStores, type PlatformSecretsProps } from './platform-secrets';
