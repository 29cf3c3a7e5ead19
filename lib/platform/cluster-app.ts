import { App } from 'cdk8s';
import type { Construct, IConstruct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { addServiceGroup } from '../apps/service-group';
import { Workload } from '../apps/workload';
import type { AddonContext, AddonFacts, AddonSpec, PublishedFile } from '../addons/addon-spec';
import { type ClusterFacts, Environment, Platform, PlatformChart, PlatformError, type SecretDeclaration, attempt, formatProblem, pathOf, problemsOf } from '../core';
import { leaveNamespacesTo } from '../core/reported-namespaces';
import { KopsChart } from '../cluster/kops/kops-chart';
import type { KopsCluster } from '../cluster/kops/kops-cluster';
import { kopsClusterFacts } from '../cluster/kops/kops-facts';
import { addTeam, type Team } from '../tenancy/team';
import { addTenantAdmission, clusterReservedRanges } from '../tenancy/tenant-admission';
import { PLATFORM_OBJECT_PREFIX } from '../tenancy/admission-policies';
import { ADDONS } from './addons';
import { checkClusterDefinition, type ClusterDefinition } from './cluster-definition';
import { definitionPath, definitionProblems, repeatedTeams } from './definition-checks';
import { secretStoreIdentities, secretsManagerTarget, syncAddonSecrets, withSecretSource } from './secret-sync';

/** A cluster definition built: its App, the facts of its cluster, its kops model and the Secrets its addons need. */
export interface PlatformCluster {
  /** One Environment named after the cluster, one Chart per concern under it. */
  readonly app: App;
  /** What addons and stacks know of the cluster. */
  readonly facts: ClusterFacts;
  /** The kops model: the Cluster and InstanceGroup objects handed to kops, and the network plan the stack creates. */
  readonly kops: KopsCluster;
  /** The chart of the kops objects (its file is `dist/<cluster>/kops/<id>.k8s.yaml`). */
  readonly kopsChart: KopsChart;
  /** The Secrets the cluster's addons read, each with its source: the stack writes those from `stack`, the operator syncs the others. */
  readonly secrets: readonly SecretDeclaration[];
  /**
   * The files its addons publish next to its manifests, each at `<cluster>/<name>` under the
   * output folder (`prod/release-gate.json`): what `npm run synth` writes besides the charts.
   */
  readonly published: readonly ClusterFile[];
}

/** A file of a cluster's output that is not a chart, relative to the output folder. */
export interface ClusterFile {
  readonly path: string;
  readonly content: string;
}

/** An addon of the list, with the definition's value for it, seen through the one shape every addon has. */
interface EnabledAddon {
  readonly spec: AddonSpec<string, unknown>;
  readonly props: unknown;
}

function enabledAddons(def: ClusterDefinition): EnabledAddon[] {
  return ADDONS.flatMap((spec): EnabledAddon[] => {
    const props: unknown = def[spec.key];
    // Each spec reads only its own field of the definition, whose type AddonDefinitions derives from the spec.
    return props === undefined ? [] : [{ spec: spec as AddonSpec<string, unknown>, props }];
  });
}

/** What the addons feed into the cluster model, merged with the definition's own settings. */
function contributions(env: Environment, def: ClusterDefinition, addons: readonly EnabledAddon[]): Pick<ClusterDefinition['kubernetes'], 'oidc' | 'sysctlParameters'> {
  const all = addons.map((a) => ({ key: a.spec.key, c: a.spec.contributes?.(a.props, { name: def.name }) ?? {} }));
  const oidcFrom = all.filter((a) => a.c.oidc !== undefined);
  const own = def.kubernetes.oidc;
  const first = oidcFrom[0];
  if (first !== undefined && (oidcFrom.length > 1 || own !== undefined)) {
    throw PlatformError.at(env, {
      field: 'kubernetes.oidc', value: [...(own === undefined ? [] : ['kubernetes.oidc']), ...oidcFrom.map((a) => a.key)].join(', '),
      rule: 'is set by more than one source', fix: 'let one addon (or the definition) set the API server\'s OIDC issuer',
    });
  }
  const sysctls = [...(def.kubernetes.sysctlParameters ?? []), ...all.flatMap((a) => a.c.sysctls ?? [])];
  return {
    ...(first?.c.oidc === undefined ? (own === undefined ? {} : { oidc: own }) : { oidc: { ...first.c.oidc } }),
    ...(sysctls.length === 0 ? {} : { sysctlParameters: sysctls }),
  };
}

/**
 * The CI issuer the API server needs for the teams that deploy from GitHub Actions: their
 * repositories (with any the definition lists itself), for the cluster's environment.
 */
function ciIssuerOf(def: ClusterDefinition): Pick<ClusterDefinition['kubernetes'], 'ciIssuer'> {
  const own = def.kubernetes.ciIssuer;
  const repositories = [...(own?.repositories ?? []), ...def.teams.flatMap((t) => (t.deployer !== undefined && 'githubRepository' in t.deployer ? [t.deployer.githubRepository] : []))];
  return repositories.length === 0 ? {} : { ciIssuer: { ...own, environment: own?.environment ?? def.environment, repositories } };
}

/**
 * Turns a cluster definition into an App and the facts the stack needs: one Environment named
 * after the cluster and one Chart per concern under it — the kops objects, each addon of
 * {@link ADDONS} the definition enables, each team, each service group. `npm run synth` and the
 * Pulumi program both call this, so they agree on every object. `environments` lists every
 * environment overrides may name.
 */
export function buildCluster(def: ClusterDefinition, environments: readonly string[]): PlatformCluster {
  const { cluster, problems } = buildClusterChecked(def, environments);
  if (cluster === undefined || problems.length > 0) throw new PlatformError(problems);
  return cluster;
}

/** A cluster built as far as it could be, and every problem met on the way. */
export interface CheckedCluster {
  /** The cluster, without the parts that failed; undefined when its definition or kops model could not be built. */
  readonly cluster: PlatformCluster | undefined;
  /** Every problem of the definition and of its construction, one line each. */
  readonly problems: readonly string[];
}

/**
 * Builds a cluster as far as it can be (see {@link buildCluster}): a definition whose shape is
 * wrong is not built; otherwise each team, addon and service group is built on its own, a failing
 * one is reported and left out, and the rest goes on, so that the whole-tree checks and the policy
 * check still run over everything else. `index` is the definition's place in the fleet, for errors.
 */
export function buildClusterChecked(def: ClusterDefinition, environments: readonly string[], index = 0): CheckedCluster {
  const { shape, repeats } = definitionProblems(def, definitionPath(def, index));
  if (shape.length > 0) return { cluster: undefined, problems: shape };
  const problems = [...repeats];
  try {
    checkClusterDefinition(def);
  } catch (e) {
    return { cluster: undefined, problems: [...problems, ...(problemsOf(e) ?? rethrow(e))] };
  }
  const app = new App({ outdir: 'dist' });
  const env = attempt(app, problems, () => new Environment(app, def.name, { name: def.environment, environments, cluster: def.name }));
  if (env === undefined) return { cluster: undefined, problems };
  const addons = enabledAddons(def);
  const secretsTarget = secretsManagerTarget(def);
  const declared = new Map(addons.map((a) => [a.spec.key, withSecretSource(a.spec.secrets?.(a.props, { name: def.name }) ?? [], secretsTarget)]));
  const kopsChart = attempt(env, problems, () => new KopsChart(env, 'cluster', {
    ...def.kubernetes,
    ...contributions(env, def, addons),
    ...ciIssuerOf(def),
    region: def.region,
    identities: [...(def.kubernetes.identities ?? []), ...def.teams.flatMap((t) => t.identities ?? []), ...secretStoreIdentities(def, secretsTarget, [...declared.values()].flat())],
    networkPolicyRequired: def.kubernetes.networkPolicyRequired ?? def.teams.length > 0,
  }));
  if (kopsChart === undefined) return { cluster: undefined, problems };
  const { kops } = kopsChart;
  const facts = kopsClusterFacts({ name: def.name, environment: def.environment, region: def.region, zones: def.kubernetes.zones, nodeGroups: def.kubernetes.nodeGroups }, kops);
  const oidc = facts.oidc;
  if (oidc === undefined && def.teams.length > 0) {
    problems.push(formatProblem({
      path: pathOf(env), field: 'kubernetes.oidc', rule: 'is not set but the cluster has teams', fix: "set kubernetes.oidc: teams' RoleBindings use its groups prefix",
    }));
  }
  const repeated = repeatedTeams(def);
  const unbuilt = new Set<string>();
  const teams = oidc === undefined ? [] : def.teams.flatMap((team, i) => {
    const built = repeated.has(i) ? undefined : attempt(env, problems, () => addTeam(env, {
      ...team, oidc,
      ...(def.podTemplateKinds === undefined ? {} : { podTemplateKinds: def.podTemplateKinds }),
      ...(facts.nodeLocalDnsAddress === undefined ? {} : { nodeLocalDnsAddress: facts.nodeLocalDnsAddress }),
      ...(secretsTarget === undefined ? {} : { secretsManager: secretsTarget }),
    }));
    if (built === undefined) for (const ns of team.namespaces ?? [{ name: team.name }]) unbuilt.add(ns.name);
    return built === undefined ? [] : [built];
  });
  // The addons' charts first, in the list's order (the files and the deploy plan keep it), then
  // the service groups, whose declarations (SLOs) complete the addons' props before any facts.
  const charts = addons.map((a) => ({
    ...a,
    crdsChart: a.spec.crds === undefined ? undefined : new PlatformChart(env, `addon-${a.spec.key}-crds`, { phase: 'crds' }),
    chart: addonChart(env, a.spec),
  }));
  const groups: IConstruct[] = [];
  const seen = new Set<string>();
  for (const group of def.services) {
    if (!seen.has(group.name)) {
      const chart = attempt(env, problems, () => addServiceGroup(env, group));
      if (chart !== undefined) groups.push(chart);
    }
    seen.add(group.name);
  }
  const completed = charts.flatMap((a) => {
    const props = attempt(env, problems, () => (a.spec.fromServices === undefined ? a.props : a.spec.fromServices(a.props, groups)));
    return props === undefined ? [] : [{ ...a, props }];
  });
  attempt(env, problems, () => addTenantAdmission(env, teams, { reserved: clusterReservedRanges(kops.networkPlan), podTemplateKinds: def.podTemplateKinds ?? [] }));
  const factsBefore = problems.length;
  const context: AddonContext = {
    cluster: facts,
    addons: attempt(env, problems, () => mergeFacts(env, completed.map((a) => ({ key: a.spec.key, facts: a.spec.provides?.(a.props, facts) ?? {} })))) ?? {},
    environments,
  };
  // When an addon's facts cannot be read, no addon is built: each would only repeat that problem
  // or report the missing fact as its own (the teams and services are still built and checked).
  const factsFailed = problems.length > factsBefore;
  if (factsFailed) for (const { crdsChart, chart } of charts) for (const c of [crdsChart, chart]) if (c !== undefined) env.node.tryRemoveChild(c.node.id);
  const built = factsFailed ? [] : completed.filter(({ spec, props, crdsChart, chart }) => {
    const done = attempt(env, problems, () => {
      if (spec.crds !== undefined && crdsChart !== undefined) spec.crds(crdsChart, props, context);
      spec.build(chart, props, context);
      syncAddonSecrets(chart, secretsTarget, declared.get(spec.key) ?? []);
      return true;
    });
    // A failed addon leaves no half-built chart behind for the whole-tree checks or the output.
    if (done === undefined) for (const c of [crdsChart, chart]) if (c !== undefined) env.node.tryRemoveChild(c.node.id);
    return done === true;
  });
  for (const w of env.node.findAll()) {
    if (w instanceof Workload && w.serviceAccountName !== undefined) allowAwsApiEndpoints(w, facts.vpcCidr.toString());
  }
  // A team not built is reported already: its namespaces' services are not reported again as owned by none.
  if (oidc !== undefined) env.node.addValidation({ validate: () => servicesOutsideTheirTeams(env, teams, unbuilt) });
  // Nor are the namespaces a team would have created reported again as created by no chart: those
  // of a team not built (or of every team, when the missing OIDC settings kept them all from being
  // built), and one no team owns that a service runs in, which the check above names as its cause.
  const claimed = new Set(def.teams.flatMap((t) => (t.namespaces ?? [{ name: t.name }]).map((ns) => ns.name)));
  let served: Set<string> | undefined;
  leaveNamespacesTo(env, (ns) => {
    served ??= new Set(env.node.findAll().filter((c): c is Workload => c instanceof Workload).map((w) => w.namespace));
    return unbuilt.has(ns) || (oidc === undefined ? claimed.has(ns) : served.has(ns));
  });
  const published = attempt(env, problems, () => publishedFiles(env, def.name, built.map((a) => ({ key: a.spec.key, files: a.spec.publishes?.(a.props, context) ?? [] })))) ?? [];
  const cluster = { app, facts, kops, kopsChart, secrets: [...declared.values()].flat(), published };
  return { cluster, problems };
}

function rethrow(e: unknown): never {
  throw e;
}

/**
 * The facts every addon offers, merged: rule files for Prometheus add up; any other fact comes
 * from one addon only (two Gateways or two Prometheus would leave the others guessing).
 */
export function mergeFacts(env: Environment, provided: readonly { key: string; facts: AddonFacts }[]): AddonFacts {
  const from = new Map<string, string>();
  const problems: string[] = [];
  let merged: AddonFacts = {};
  for (const { key, facts } of provided) {
    const { prometheusRuleFiles, ...single } = facts;
    for (const fact of Object.keys(single)) {
      const first = from.get(fact);
      if (first !== undefined) {
        problems.push(formatProblem({ path: pathOf(env), field: fact, value: `${first}, ${key}`, rule: 'is a fact more than one addon provides', fix: 'let one addon of the cluster provide it' }));
      } else from.set(fact, key);
    }
    merged = {
      ...merged, ...single,
      ...(prometheusRuleFiles === undefined ? {} : { prometheusRuleFiles: [...(merged.prometheusRuleFiles ?? []), ...prometheusRuleFiles] }),
    };
  }
  if (problems.length > 0) throw new PlatformError(problems);
  return merged;
}

const FILE_NAME = /^[a-z0-9][a-z0-9.-]*\.[a-z]+$/;

/** The addons' published files at `<cluster>/<name>`, refusing a name that is not a plain file name or that two addons use. */
export function publishedFiles(env: Environment, cluster: string, published: readonly { key: string; files: readonly PublishedFile[] }[]): ClusterFile[] {
  const owner = new Map<string, string>();
  const problems: string[] = [];
  for (const { key, files } of published) {
    for (const f of files) {
      const first = owner.get(f.name);
      if (!FILE_NAME.test(f.name)) {
        problems.push(formatProblem({ path: pathOf(env), field: `addon ${key} publishes`, value: f.name, rule: 'is not a plain file name', fix: "name the file in lowercase with an extension, no folder ('release-gate.json')" }));
      } else if (first !== undefined) {
        problems.push(formatProblem({ path: pathOf(env), field: `addon ${key} publishes`, value: f.name, rule: `is also published by addon ${first}`, fix: 'give each published file its own name' }));
      } else owner.set(f.name, key);
    }
  }
  if (problems.length > 0) throw new PlatformError(problems);
  return published.flatMap(({ files }) => files.map((f) => ({ path: `${cluster}/${f.name}`, content: f.content })));
}

/**
 * The Secrets the addons of a definition read in its cluster: what {@link buildCluster} returns as
 * `secrets`, without building the cluster (each addon answers from its own definition).
 */
export function clusterSecrets(def: ClusterDefinition): SecretDeclaration[] {
  const target = secretsManagerTarget(def);
  return enabledAddons(def).flatMap((a) => withSecretSource(a.spec.secrets?.(a.props, { name: def.name }) ?? [], target));
}

/** The App of a cluster definition (see {@link buildCluster}). */
export function buildClusterApp(def: ClusterDefinition, environments: readonly string[]): App {
  return buildCluster(def, environments).app;
}

/** An addon's own chart, `addon-<key>`, applied in the phase it declares. */
function addonChart(env: Environment, spec: AddonSpec<string, unknown>): Construct {
  return new PlatformChart(env, `addon-${spec.key}`, { phase: spec.phase });
}

/**
 * A service that runs as a workload identity calls STS (to trade its token for credentials) and
 * the AWS APIs it was granted. The stack gives the VPC interface endpoints for them (STS at
 * least), so the narrowest rule a NetworkPolicy can state is HTTPS to the VPC's own block, where
 * those endpoints live. What stays open: any other HTTPS listener inside the VPC. What is not
 * covered: APIs reached on public addresses (S3 through its gateway endpoint keeps S3's public
 * IPs) — allow their published ranges in the team namespace's egressTo.
 */
function allowAwsApiEndpoints(w: Workload, vpcCidr: string): void {
  new k8s.KubeNetworkPolicy(w, 'allow-aws-apis', {
    // Named platform-*: the team may neither change nor delete it (platform-tenant-platform-objects).
    metadata: { name: `${PLATFORM_OBJECT_PREFIX}${w.name}-aws-apis`, namespace: w.namespace, labels: { 'app.kubernetes.io/managed-by': Platform.managedBy } },
    spec: {
      podSelector: { matchLabels: w.selector },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: vpcCidr } }], ports: [{ port: k8s.IntOrString.fromNumber(443), protocol: 'TCP' }] }],
    },
  });
}

/**
 * Inside a cluster definition every service runs in a namespace a team owns, and AWS
 * permissions are platform-owned: a service may run as a ServiceAccount only if its team
 * declared that workload identity.
 */
function servicesOutsideTheirTeams(env: Environment, teams: readonly Team[], unbuilt: ReadonlySet<string>): string[] {
  return env.node.findAll()
    .filter((c): c is Workload => c instanceof Workload)
    .flatMap((w) => {
      const team = teams.find((t) => t.namespaceNames.includes(w.namespace));
      if (team === undefined) {
        if (unbuilt.has(w.namespace)) return [];
        return [formatProblem({
          path: pathOf(w), field: 'namespace', value: w.namespace, rule: 'is owned by no team of the cluster',
          fix: "add the namespace to its team's namespaces in the cluster definition",
        })];
      }
      const sa = w.serviceAccountName;
      if (sa === undefined || team.identities.some((i) => i.namespace === w.namespace && i.serviceAccount === sa)) return [];
      return [formatProblem({
        path: pathOf(w), field: 'serviceAccountName', value: sa, rule: `names an identity team ${team.name} did not declare`,
        fix: "declare it in the team's identities in the cluster definition, or drop serviceAccountName",
      })];
    });
}
