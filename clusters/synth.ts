// `npm run synth`: every cluster's manifests and published descriptors to dist/<cluster>/, or nothing if any cluster has a problem.
import type { App } from 'cdk8s';
import { type ClusterFile, PlatformError, buildCluster, synthesize } from '../lib';
import { clusters, environments } from './index';

function main(): number {
  const outdir = process.argv[2] ?? process.env.CDK8S_OUTDIR ?? 'dist';
  const apps: App[] = [];
  const published: ClusterFile[] = [];
  const problems: string[] = [];
  for (const cluster of clusters) {
    try {
      const built = buildCluster(cluster, environments);
      apps.push(built.app);
      published.push(...built.published);
    } catch (e) {
      if (!(e instanceof PlatformError)) throw e;
      problems.push(...e.problems);
    }
  }
  try {
    if (problems.length > 0) throw new PlatformError(problems);
    const { files, exemptions } = synthesize(apps, outdir, published);
    console.log(`synthesized ${clusters.length} clusters, ${files.length + published.length} files, to ${outdir}/`);
    if (exemptions.length > 0) console.log(`policy exemptions in force:\n${exemptions.map((e) => `  - ${e}`).join('\n')}`);
    return 0;
  } catch (e) {
    if (!(e instanceof PlatformError)) throw e;
    console.error(`synth failed; ${outdir}/ is unchanged.\n${e.message}`);
    return 1;
  }
}

process.exitCode = main();
