// Validates External Secrets Operator objects against the v2.9.0 CRDs in schemas/external-secrets/
// the way the API server reads them: `required` lists enforced, and a field the schema does not
// list is an error (the API server would prune it silently, which hides a typo).
import { crdValidator } from '../../support/crd-schema';

const validate = crdValidator({
  folder: 'external-secrets', version: 'v1',
  files: { ExternalSecret: 'external-secrets.io_externalsecrets.yaml', SecretStore: 'external-secrets.io_secretstores.yaml' },
  enforceRequired: true, topLevelRequired: ['apiVersion', 'kind', 'metadata', 'spec'],
});

/** Whether the object is one of the operator's kinds. */
export function isExternalSecretsKind(obj: { apiVersion?: string }): boolean {
  return typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('external-secrets.io/');
}

/** The schema violations of an ExternalSecret or SecretStore; empty when valid. */
export function externalSecretsErrors(obj: object): string[] {
  const { apiVersion, kind } = obj as { apiVersion?: string; kind?: string };
  if (apiVersion !== 'external-secrets.io/v1') return [`${String(kind)} has apiVersion ${String(apiVersion)}, not external-secrets.io/v1 (the served version)`];
  return validate(obj);
}
