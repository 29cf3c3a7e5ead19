// `npm run synth`: every cluster's manifests to dist/<cluster>/, or nothing if any cluster has a problem.
import type { App } from 'cdk8s';
import { PlatformError, buildCluster, sharedAudiences, synthesize, type PlatformCluster } from '../lib';
import { clusters, environments } from './index';

function main(): number {
  const outdir = process.argv[2] ?? process.env.CDK8S_OUTDIR ?? 'dist';
  const built: PlatformCluster[] = [];
  const problems: string[] = [];
  for (const cluster of clusters) {
    try {
      built.push(buildCluster(cluster, environments));
    } catch (e) {
      if (!(e instanceof PlatformError)) throw e;
      problems.push(...e.problems);
    }
  }
  problems.push(...sharedAudiences(built));
  const apps: App[] = built.map((b) => b.app);
  try {
    if (problems.length > 0) throw new PlatformError(problems);
    const { files, exemptions } = synthesize(apps, outdir);
    console.log(`synthesized ${clusters.length} clusters, ${files.length} files, to ${outdir}/`);
    if (exemptions.length > 0) console.log(`policy exemptions in force:\n${exemptions.map((e) => `  - ${e}`).join('\n')}`);
    return 0;
  } catch (e) {
    if (!(e instanceof PlatformError)) throw e;
    console.error(`synth failed; ${outdir}/ is unchanged.\n${e.message}`);
    return 1;
  }
}

process.exitCode = main();
