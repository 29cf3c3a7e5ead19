// Validates kops objects against the kops CRDs in schemas/kops/ the way kops reads them
// (schemas/kops/README.md): unknown fields are errors, `required` lists are not enforced, and
// int-or-string fields also take plain numbers.
import { crdValidator } from '../support/crd-schema';

/** The schema violations of one kops object, as `<kind>/<name><path> <message>` lines; empty when valid. */
export const kopsSchemaErrors = crdValidator({
  folder: 'kops',
  version: 'v1alpha2',
  files: { Cluster: 'kops.k8s.io_clusters.yaml', InstanceGroup: 'kops.k8s.io_instancegroups.yaml' },
  enforceRequired: false,
});
