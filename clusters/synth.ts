// `npm run synth`: every cluster's manifests and published descriptors to dist/<cluster>/, or nothing if any cluster has a problem.
import { PlatformError, renderAll, synthesize } from '../lib';
import { buildFleet } from './fleet';

function main(): number {
  const outdir = process.argv[2] ?? process.env.CDK8S_OUTDIR ?? 'dist';
  const { built, problems } = buildFleet();
  const apps = built.map((b) => b.app);
  const published = built.flatMap((b) => b.published);
  try {
    if (problems.length > 0) {
      // Report the trees' own problems with these, all at once.
      try {
        renderAll(apps);
      } catch (e) {
        if (!(e instanceof PlatformError)) throw e;
        throw new PlatformError([...problems, ...e.problems]);
      }
      throw new PlatformError([...problems]);
    }
    const { files, exemptions } = synthesize(apps, outdir, published);
    console.log(`synthesized ${apps.length} clusters, ${files.length + published.length} files, to ${outdir}/`);
    if (exemptions.length > 0) console.log(`policy exemptions in force:\n${exemptions.map((e) => `  - ${e}`).join('\n')}`);
    return 0;
  } catch (e) {
    if (!(e instanceof PlatformError)) throw e;
    console.error(`synth failed; ${outdir}/ is unchanged.\n${e.message}`);
    return 1;
  }
}

process.exitCode = main();
