// Every cluster built as `npm run synth` writes it and its stack deploys it, and the checks that
// need the whole fleet.
import { join } from 'node:path';
import { type PlatformCluster, PlatformError, addressesInOtherClusters, buildCluster } from '../lib';
import { definitionAsDeployed } from '../stacks/stack-file';
import { clusters, environments } from './index';

/** The built clusters, and every problem found building them or across them. */
export interface Fleet {
  readonly built: readonly PlatformCluster[];
  readonly problems: readonly string[];
}

/**
 * Builds every cluster from its definition with its stack's settings (Pulumi.<cluster>.yaml in
 * `root`), so the files are those the stack deploys, and checks what no single tree can see: no
 * cluster points at an address inside another's VPC.
 */
export function buildFleet(root: string = join(__dirname, '..')): Fleet {
  const built: PlatformCluster[] = [];
  const problems: string[] = [];
  for (const cluster of clusters) {
    try {
      built.push(buildCluster(definitionAsDeployed(cluster, root), environments));
    } catch (e) {
      if (!(e instanceof PlatformError)) throw e;
      problems.push(...e.problems);
    }
  }
  const networks = built.map((b) => b.facts);
  for (const b of built) problems.push(...addressesInOtherClusters(b.app, b.facts.name, networks));
  return { built, problems };
}
