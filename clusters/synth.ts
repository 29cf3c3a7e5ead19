// `npm run synth`: every cluster's manifests and published descriptors to dist/<cluster>/, or
// nothing if any cluster has a problem. Every cluster is built and checked as far as it can be, and
// every problem printed once, grouped by cluster; a mistake raised while the definitions load is
// reported the same way. Each cluster is built with its stack's settings (Pulumi.<cluster>.yaml),
// so dist/ holds what the stack deploys.
import { join } from 'node:path';
import { type ClusterDefinition, checkClusters, problemsOf, reported, writeOrReport } from '../lib';
import { definitionAsDeployed } from './stack-file';

function main(): number {
  const outdir = process.argv[2] ?? process.env.CDK8S_OUTDIR ?? 'dist';
  // Required here, not imported at the top, so that a mistake raised while the definitions load is reported too.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { clusters, environments } = require('./index') as typeof import('./index');
  const root = join(__dirname, '..');
  const stackProblems: string[] = [];
  const deployed = clusters.map((def: ClusterDefinition) => {
    try {
      return definitionAsDeployed(def, root);
    } catch (e) {
      stackProblems.push(...(problemsOf(e) ?? rethrow(e)));
      return def;
    }
  });
  const run = checkClusters(deployed, environments);
  return writeOrReport({ ...run, sections: [{ title: "the stacks' settings", problems: stackProblems }, ...run.sections] }, outdir, `${clusters.length} clusters`);
}

function rethrow(e: unknown): never {
  throw e;
}

void reported(main, 'loading the cluster definitions (clusters/)').then((code) => {
  process.exitCode = code;
});
