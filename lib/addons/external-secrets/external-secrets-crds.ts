import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Include } from 'cdk8s';
import { Construct } from 'constructs';
import { PlatformError } from '../../core';

/**
 * The CRD files the chart applies, relative to the package root (schemas/external-secrets/README.md
 * says where they are from): the two kinds the platform writes. ClusterSecretStore is left out on
 * purpose: the operator runs with its cluster-store reconciler off, so no store can reach across
 * namespaces.
 */
export const EXTERNAL_SECRETS_CRD_FILES: readonly string[] = [
  'schemas/external-secrets/external-secrets.io_externalsecrets.yaml',
  'schemas/external-secrets/external-secrets.io_secretstores.yaml',
];

function packageRoot(): string {
  const first = EXTERNAL_SECRETS_CRD_FILES[0] ?? '';
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, first))) return dir;
    if (dirname(dir) === dir) {
      throw PlatformError.of({ path: 'ExternalSecretsCrds', field: 'file', value: first, rule: 'is not in the package', fix: 'install platform-constructs with its schemas/ folder' });
    }
  }
}

/** The External Secrets Operator's ExternalSecret and SecretStore CRDs (v2.9.0), as upstream publishes them. */
export class ExternalSecretsCrds extends Construct {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    const root = packageRoot();
    EXTERNAL_SECRETS_CRD_FILES.forEach((file, i) => new Include(this, `crd${i}`, { url: join(root, file) }));
  }
}
