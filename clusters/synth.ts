// `npm run synth`: every cluster's manifests to dist/<cluster>/, or nothing if any cluster has a problem.
// Every cluster is built and checked as far as it can be, and every problem printed once, grouped
// by cluster; a mistake raised while the definitions load is reported the same way.
import { checkClusters, reported, writeOrReport } from '../lib';

function main(): number {
  const outdir = process.argv[2] ?? process.env.CDK8S_OUTDIR ?? 'dist';
  // Required here, not imported at the top, so that a mistake raised while the definitions load is reported too.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { clusters, environments } = require('./index') as typeof import('./index');
  return writeOrReport(checkClusters(clusters, environments), outdir, `${clusters.length} clusters`);
}

void reported(main, 'loading the cluster definitions (clusters/)').then((code) => {
  process.exitCode = code;
});
