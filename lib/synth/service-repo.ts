import { App } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { Environment } from '../core/environment';
import { attempt } from '../core/attempt';
import { PlatformError, formatProblem, pathOf } from '../core/errors';
import { propsProblems } from '../core/props-check';
import { duplicates } from '../core/uniqueness';
import { refuseExemptionsUnder, refusedExemptions } from '../policy/exemption';
import { declareTenancyFacts } from '../policy/tenancy-facts';
import { addServiceGroup, type ServiceGroup } from '../apps/service-group';
import { renderApp } from './render';
import { type CheckedRun, describeCrash, outputClashes, reported, writeOrReport } from './report';
import type { Synthesized } from './synthesize';

/** A service repo's services and the environments it deploys them to. */
export interface ServiceRepoProps {
  /** The environments, one output folder each (`['stage', 'prod']`); at least one. */
  readonly environments: readonly string[];
  /** The repo's services, grouped by chart; at least one group. */
  readonly services: readonly ServiceGroup[];
}

const REPO = 'service repo';

/** What is wrong with the props before anything is built: their shape, an empty list, a repeat. */
function repoProblems(props: ServiceRepoProps): string[] {
  const shape = propsProblems('ServiceRepoProps', props, REPO);
  if (shape.length > 0) return shape;
  return [
    ...(props.environments.length === 0 ? [formatProblem({ path: REPO, field: 'environments', value: [], rule: 'must list at least one environment', fix: "name the environments the services deploy to, e.g. ['stage', 'prod']: each is a folder of the output, which would otherwise be emptied" })] : []),
    ...(props.services.length === 0 ? [formatProblem({ path: REPO, field: 'services', value: [], rule: 'must list at least one service group', fix: 'pass the groups the repo defines: with none, every environment folder would be emptied' })] : []),
    ...duplicates(REPO, 'environments', props.environments.map((e, i) => ({ key: e, where: `environments[${i}]` })), 'list each environment once'),
    ...duplicates(REPO, 'services', props.services.map((g, i) => ({ key: g.name, where: `services[${i}]` })), 'give each service group its own name (it names the chart and its file)'),
  ];
}

/** Builds the App (one Environment per environment, each with every group), collecting each group's problems. */
function buildChecked(props: ServiceRepoProps, problems: string[]): App {
  const app = new App({ outdir: 'dist' });
  for (const name of new Set(props.environments)) {
    const env = attempt(app, problems, () => new Environment(app, name, { name, environments: props.environments }));
    if (env === undefined) continue;
    refuseExemptionsUnder(env);
    // Every group's namespace is its team's: the policy check applies the team-namespace rules
    // (the kinds a team namespace holds, where an endpoint may point) as the platform's synth does,
    // so the repo learns here what the cluster would refuse. The team's address blocks and the
    // cluster's networks are the platform's facts, so only loopback and link-local are known here.
    declareTenancyFacts(env, { tenantNamespaces: [...new Set(props.services.map((g) => g.namespace))].map((namespace) => ({ namespace })) });
    const seen = new Set<string>();
    for (const group of props.services) {
      if (!seen.has(group.name)) attempt(env, problems, () => addServiceGroup(env, group));
      seen.add(group.name);
    }
    env.node.addValidation({ validate: () => selfGrantedExemptions(env) });
  }
  return app;
}

/** One cdk8s App holding an Environment per environment, each with every service group; throws every problem of its construction at once. */
export function buildServiceRepoApp(props: ServiceRepoProps): App {
  const problems = repoProblems(props);
  if (problems.length > 0) throw new PlatformError(problems);
  const app = buildChecked(props, problems);
  if (problems.length > 0) throw new PlatformError(problems);
  return app;
}

/** Checks a service repo as far as it can be: its props, each group in each environment, the whole-tree checks and the policy check. */
export function checkServiceRepo(props: ServiceRepoProps): CheckedRun {
  const problems = repoProblems(props);
  if (problems.length > 0) return { files: [], published: [], exemptions: [], sections: [{ title: REPO, problems }] };
  const rendered = renderApp(buildChecked(props, problems));
  return {
    published: [],
    files: rendered.files,
    exemptions: rendered.exemptions,
    sections: [{ title: REPO, problems: [...problems, ...rendered.problems] }, { title: 'the output', problems: outputClashes(rendered.files) }],
  };
}

/**
 * Exemptions are granted only in the platform's definitions (a cluster definition, an addon): a
 * service repo's code is its own, so an exemption it declares is refused here (one line each: the
 * policy check sees no such exemption, so it neither lifts a rule nor is reported as exempting
 * nothing), and the cluster's Pod Security level and admission policies refuse what it would have
 * let through.
 */
function selfGrantedExemptions(env: IConstruct): string[] {
  return env.node.findAll().flatMap((c) => refusedExemptions(c)).map((e) => formatProblem({
    path: pathOf(e.scope), field: 'exemption', value: e.rule,
    rule: "is declared outside the platform's definitions (a service repo cannot exempt itself; the cluster refuses what the exemption would let through)",
    fix: 'fix the object so the rule passes, or ask the platform team to declare the exemption in the cluster definition',
  }));
}

/**
 * The service-repo entry point: synthesizes `<outdir>/<environment>/manifests/5-services/*.k8s.yaml` for
 * every environment, deterministically, and only if every environment validates and passes the
 * platform's policy check. Otherwise it prints every problem once (no stack trace), leaves
 * `outdir` untouched and sets a non-zero exit code. Given a function that loads the props (an
 * `import()` of the repo's service modules), a mistake raised while they load is reported the
 * same way. Returns the files written and the policy exemptions in force (none on failure).
 *
 * @example
 * synthServiceRepo({
 *   environments: ['stage', 'prod'],
 *   services: [{ name: 'api', namespace: 'shop', define: (scope) => new WebService(scope, 'api', { image: 'registry.example.com/shop/api:1.0.0' }) }],
 * });
 */
export function synthServiceRepo(props: ServiceRepoProps, outdir?: string): Synthesized;
export function synthServiceRepo(load: () => Promise<ServiceRepoProps>, outdir?: string): Promise<Synthesized>;
export function synthServiceRepo(props: ServiceRepoProps | (() => Promise<ServiceRepoProps>), outdir = 'dist'): Synthesized | Promise<Synthesized> {
  if (typeof props === 'function') {
    let result: Synthesized = { files: [], exemptions: [] };
    return reported(async () => {
      const loaded = await props();
      result = synthServiceRepo(loaded, outdir);
      return process.exitCode === undefined || process.exitCode === 0 ? 0 : Number(process.exitCode);
    }, 'loading the service repo').then((code) => {
      if (code !== 0) process.exitCode = code;
      return result;
    });
  }
  let run: CheckedRun;
  try {
    run = checkServiceRepo(props);
  } catch (e) {
    // Not an input mistake the checks name: said to be a bug (ours or the caller's), with its trace.
    console.error(describeCrash(e));
    process.exitCode = 2;
    return { files: [], exemptions: [] };
  }
  const code = writeOrReport(run, outdir, 'the service repo');
  if (code !== 0) {
    process.exitCode = code;
    return { files: [], exemptions: [] };
  }
  return { files: run.files, exemptions: run.exemptions };
}
