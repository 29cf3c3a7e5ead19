// Validates cert-manager objects against the CRDs in schemas/cert-manager/ (see its README): the
// `required` lists are enforced as the API server does, and a field the schema does not list is an
// error (the API server would prune it silently, which hides a typo).
import { crdValidator } from '../../support/crd-schema';

const validate = crdValidator({
  folder: 'cert-manager',
  version: 'v1',
  files: { Certificate: 'cert-manager.io_certificates.yaml', ClusterIssuer: 'cert-manager.io_clusterissuers.yaml' },
  enforceRequired: true,
  // Every object carries metadata; the CRD leaves it to the API server.
  topLevelRequired: ['apiVersion', 'kind', 'metadata', 'spec'],
});

/** The schema violations of one cert-manager object, as `<kind>/<name><path> <message>` lines; empty when valid. */
export function certManagerSchemaErrors(obj: object): string[] {
  const { apiVersion, kind, metadata } = obj as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  if (apiVersion !== 'cert-manager.io/v1') return [`${String(kind)}/${String(metadata?.name)} has apiVersion ${String(apiVersion)}, not cert-manager.io/v1`];
  return validate(obj);
}
