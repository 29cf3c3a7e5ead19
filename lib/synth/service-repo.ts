import { App } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { Environment } from '../core/environment';
import { formatProblem, pathOf } from '../core';
import { Exemption } from '../policy/exemption';
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
    env.node.addValidation({ validate: () => selfGrantedExemptions(env) });
  }
  return app;
}

/**
 * Exemptions are granted only in the platform's definitions (a cluster definition, an addon): a
 * service repo's code is its own, so an exemption it declares is refused here, and the cluster's
 * Pod Security level and admission policies refuse what it would have let through.
 */
function selfGrantedExemptions(env: IConstruct): string[] {
  return env.node.findAll().flatMap((c) => Exemption.on(c)).map((e) => formatProblem({
    path: pathOf(e.scope), field: 'exemption', value: e.rule,
    rule: "is declared outside the platform's definitions (a service repo cannot exempt itself; the cluster refuses what the exemption would let through)",
    fix: 'fix the object so the rule passes, or ask the platform team to declare the exemption in the cluster definition',
  }));
}

/**
 * The service-repo entry point: synthesizes `<outdir>/<environment>/manifests/*.k8s.yaml` for
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
