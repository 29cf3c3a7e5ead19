import { App } from 'cdk8s';
import { Environment } from '../apps/environment';
import { addServiceGroup } from '../apps/service-group';
import { checkClusterDefinition, type ClusterDefinition } from './cluster-definition';
import { KopsChart } from './kops-chart';

/**
 * Turns a cluster definition into a cdk8s App: one Environment named after the cluster and one
 * Chart per concern under it. `npm run synth` and the Pulumi program both call this, so they
 * agree on every object. `environments` lists every environment overrides may name.
 */
export function buildClusterApp(def: ClusterDefinition, environments: readonly string[]): App {
  checkClusterDefinition(def);
  const app = new App({ outdir: 'dist' });
  const env = new Environment(app, def.name, { name: def.environment, environments, cluster: def.name });
  new KopsChart(env, 'cluster', { ...def.kubernetes, region: def.region });
  for (const group of def.services) addServiceGroup(env, group);
  return app;
}
