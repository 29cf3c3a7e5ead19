import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Include } from 'cdk8s';
import { Construct } from 'constructs';
import { PlatformError } from '../../core';

/** The CRD file the chart applies, relative to the package root (schemas/eck/README.md says where it is from). */
export const ECK_CRDS_FILE = 'schemas/eck/all-crds.yaml';

/** The package root: the nearest folder above this file that holds the CRD file (the same from lib/ and from build/lib/). */
function packageRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ECK_CRDS_FILE))) return dir;
    if (dirname(dir) === dir) {
      throw PlatformError.of({ path: 'EckCrds', field: 'file', value: ECK_CRDS_FILE, rule: 'is not in the package', fix: 'install platform-constructs with its schemas/ folder' });
    }
  }
}

/**
 * ECK 3.5.0's CustomResourceDefinitions, all twelve (the operator watches every kind it
 * manages), as upstream publishes them: applied in the `crds` phase, before the operator.
 */
export class EckCrds extends Construct {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    new Include(this, 'crds', { url: join(packageRoot(), ECK_CRDS_FILE) });
  }
}
