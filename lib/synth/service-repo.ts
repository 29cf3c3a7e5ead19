import { App } from 'cdk8s';
import { Environment } from '../core/environment';
import { addServiceGroup, type ServiceGroup } from '../apps/service-group';
import { synthesize, type Synthesized } from './synthesize';

/** A service repo's services and the environments it deploys them to. */
export interface ServiceRepoProps {
  /** The environments, one output folder each (`['stage', 'prod']`). */
  readonly environments: readonly string[];
  /** The repo's services, grouped by chart. */
  readonly services: readonly ServiceGroup[];
}

/** One cdk8s App holding an Environment per environment, each with every service group. */
export function buildServiceRepoApp(props: ServiceRepoProps): App {
  const app = new App({ outdir: 'dist' });
  for (const name of props.environments) {
    const env = new Environment(app, name, { name, environments: props.environments });
    for (const group of props.services) addServiceGroup(env, group);
  }
  return app;
}

/**
 * The service-repo entry point: synthesizes `<outdir>/<environment>/manifests/5-services/*.k8s.yaml` for
 * every environment, deterministically, and only if every environment validates and passes the
 * platform's policy check. Returns the files and the policy exemptions in force.
 *
 * @example
 * synthServiceRepo({
 *   environments: ['stage', 'prod'],
 *   services: [{ name: 'api', namespace: 'shop', define: (scope) => new WebService(scope, 'api', { image: 'registry.example.com/shop/api:1.0.0' }) }],
 * });
 */
export function synthServiceRepo(props: ServiceRepoProps, outdir = 'dist'): Synthesized {
  return synthesize([buildServiceRepoApp(props)], outdir);
}
