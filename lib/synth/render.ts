import { ApiObject, type App, Chart, DependencyGraph, Yaml } from 'cdk8s';
import { checkPolicy } from '../policy/check';
import { identityOf } from '../policy/manifest';
import { type DeployPhase, Environment, PlatformChart } from '../core';
import { danglingOrderings, duplicateObjects, duplicateRoutes, namespacedClusterObjects, undeclaredNamespaces } from './tree-checks';
import { policyProblemsOf } from './policy-problems';

/** One file of synthesized output, relative to the output folder. */
export interface RenderedFile {
  readonly path: string;
  readonly content: string;
  /** When the deployer applies it: its chart's declared phase. */
  readonly phase: DeployPhase;
}

/** What rendering an App gave: its files, or the problems that stop it from being written. */
export interface RenderResult {
  readonly files: readonly RenderedFile[];
  readonly problems: readonly string[];
  /** The policy exemptions in force, one line each, to be shown with every synth. */
  readonly exemptions: readonly string[];
}


/** The file a chart goes to: `<environment id>/<folder>/<chart path below the environment>.k8s.yaml`. */
function fileFor(chart: Chart): string {
  const env = Environment.find(chart);
  const below = env === undefined ? chart.node.scopes : chart.node.scopes.slice(chart.node.scopes.indexOf(env) + 1);
  const dir = env === undefined ? 'default' : env.node.id;
  return `${dir}/${PlatformChart.folderOf(chart)}/${below.map((s) => s.node.id).join('-')}.k8s.yaml`;
}

/**
 * A chart's objects in the order cdk8s writes them (its dependency topology; each object in
 * its closest chart only). The library declares no construct dependencies, so this is the order
 * the constructs were created in.
 */
function objectsOf(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .filter((o) => Chart.of(o) === chart);
}

function keyOf(doc: unknown): string {
  const id = identityOf(doc);
  return `${id.kind}|${id.namespace}|${id.name}`;
}

/**
 * Makes the JSON each chart rendered the JSON the policy check sees, object by object (matched by
 * kind, namespace and name, which no two objects share): the check then reads exactly what is
 * written. A rendered document no object of its chart accounts for is a problem.
 */
function adoptRendered(rendered: readonly { chart: Chart; docs: readonly unknown[] }[], objects: readonly ApiObject[], json: Map<ApiObject, unknown>): string[] {
  return rendered.flatMap(({ chart, docs }) => {
    const own = new Map(objects.filter((o) => Chart.of(o) === chart).map((o) => [keyOf(json.get(o)), o]));
    return docs.flatMap((doc) => {
      const o = own.get(keyOf(doc));
      if (o === undefined) return [`${chart.node.path}: rendered ${keyOf(doc)}, which no object of the chart declared; render objects through ApiObject constructs only`];
      json.set(o, doc);
      return [];
    });
  });
}

/**
 * Validates every construct of the app (each registered validation, plus the whole-tree checks:
 * no two objects share kind, namespace and name, no host+path is routed twice, every namespaced
 * object is in a namespace the cluster has, no cluster-scoped object carries one, every ordering
 * names an object of the tree), runs the policy
 * check over every object, and renders each chart to YAML. Nothing is written here; `problems`
 * lists everything found, so all of them are reported at once.
 */
export function renderApp(app: App): RenderResult {
  const all = app.node.findAll();
  const problems = all.flatMap((c) => c.node.validate());
  const objects = all.filter((c): c is ApiObject => ApiObject.isApiObject(c));
  problems.push(
    ...duplicateObjects(objects), ...duplicateRoutes(objects),
    ...undeclaredNamespaces(objects), ...namespacedClusterObjects(objects), ...danglingOrderings(objects),
  );
  if (problems.length > 0) return { files: [], problems: [...problems, ...policyProblemsOf(app)], exemptions: [] };
  // Each object is resolved once and its JSON shared by the policy check and the files: asking
  // cdk8s for chart.toJson() would re-validate the whole app for every chart.
  const json = new Map(objects.map((o) => [o, o.toJson() as unknown]));
  // Construct dependencies (node.addDependency, which the library does not use itself) reorder
  // objects across the app: leave that to cdk8s, and check what it renders, since a second
  // toJson() need not give what the first did.
  const withDependencies = all.some((c) => c.node.dependencies.length > 0);
  const rendered = app.charts.map((chart) => ({ chart, docs: withDependencies ? chart.toJson() as unknown[] : objectsOf(chart).map((o) => json.get(o)) }));
  if (withDependencies) problems.push(...adoptRendered(rendered, objects, json));
  if (problems.length > 0) return { files: [], problems, exemptions: [] };
  const policy = checkPolicy(app, (o) => json.get(o) ?? o.toJson());
  const exemptions = policy.exemptions.map((e) => e.message);
  if (policy.violations.length > 0) return { files: [], problems: policy.violations.map((v) => v.message), exemptions };
  const files = rendered.map(({ chart, docs }) => ({ path: fileFor(chart), content: Yaml.stringify(...docs), phase: PlatformChart.phaseOf(chart) }));
  return { files, problems, exemptions };
}
