import { App } from 'cdk8s';
import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { addServiceGroup } from '../apps/service-group';
import { Workload } from '../apps/workload';
import type { AddonContext, AddonFacts, AddonSpec, ClusterContribution } from '../addons/addon-spec';
import { type ClusterFacts, Environment, Platform, PlatformChart, PlatformError, type SecretDeclaration, formatProblem, pathOf } from '../core';
import { KopsChart } from '../cluster/kops/kops-chart';
import type { KopsCluster } from '../cluster/kops/kops-cluster';
import { kopsClusterFacts } from '../cluster/kops/kops-facts';
import { addTeam, type Team } from '../tenancy/team';
import { ADDONS } from './addons';
import { checkClusterDefinition, type ClusterDefinition } from './cluster-definition';
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
  const all = addons.map((a) => ({ key: a.spec.key, c: a.spec.contributes?.(a.props, { name: def.name }) ?? ({} as ClusterContribution) }));
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
 * Turns a cluster definition into an App and the facts the stack needs: one Environment named
 * after the cluster and one Chart per concern under it — the kops objects, each addon of
 * {@link ADDONS} the definition enables, each team, each service group. `npm run synth` and the
 * Pulumi program both call this, so they agree on every object. `environments` lists every
 * environment overrides may name.
 */
export function buildCluster(def: ClusterDefinition, environments: readonly string[]): PlatformCluster {
  checkClusterDefinition(def);
  const app = new App({ outdir: 'dist' });
  const env = new Environment(app, def.name, { name: def.environment, environments, cluster: def.name });
  const addons = enabledAddons(def);
  const secretsTarget = secretsManagerTarget(def);
  const declared = addons.map((a) => withSecretSource(a.spec.secrets?.(a.props, { name: def.name }) ?? [], secretsTarget));
  const kopsChart = new KopsChart(env, 'cluster', {
    ...def.kubernetes,
    ...contributions(env, def, addons),
    region: def.region,
    identities: [...(def.kubernetes.identities ?? []), ...def.teams.flatMap((t) => t.identities ?? []), ...secretStoreIdentities(def, secretsTarget, declared.flat())],
    networkPolicyRequired: def.kubernetes.networkPolicyRequired ?? def.teams.length > 0,
  });
  const { kops } = kopsChart;
  const facts = kopsClusterFacts({ name: def.name, environment: def.environment, region: def.region, zones: def.kubernetes.zones, nodeGroups: def.kubernetes.nodeGroups }, kops);
  const teams = def.teams.map((team) => {
    if (facts.oidc === undefined) {
      throw PlatformError.at(env, {
        field: 'kubernetes.oidc', rule: 'is not set but the cluster has teams', fix: "set kubernetes.oidc: teams' RoleBindings use its groups prefix",
      });
    }
    return addTeam(env, {
      ...team, oidc: facts.oidc,
      ...(facts.nodeLocalDnsAddress === undefined ? {} : { nodeLocalDnsAddress: facts.nodeLocalDnsAddress }),
      ...(secretsTarget === undefined ? {} : { secretsManager: secretsTarget }),
    });
  });
  const context: AddonContext = {
    cluster: facts,
    addons: addons.reduce<AddonFacts>((all, a) => ({ ...all, ...a.spec.provides?.(a.props, facts) }), {}),
    environments,
  };
  addons.forEach(({ spec, props }, i) => {
    if (spec.crds !== undefined) spec.crds(new PlatformChart(env, `addon-${spec.key}-crds`, { phase: 'crds' }), props, context);
    const chart = addonChart(env, spec);
    spec.build(chart, props, context);
    syncAddonSecrets(chart, secretsTarget, declared[i] ?? []);
  });
  for (const group of def.services) addServiceGroup(env, group);
  for (const w of env.node.findAll()) {
    if (w instanceof Workload && w.serviceAccountName !== undefined) allowAwsApiEndpoints(w, facts.vpcCidr.toString());
  }
  env.node.addValidation({ validate: () => servicesOutsideTheirTeams(env, teams) });
  return { app, facts, kops, kopsChart, secrets: declared.flat() };
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
    metadata: { name: `${w.name}-allow-aws-apis`, namespace: w.namespace, labels: { 'app.kubernetes.io/managed-by': Platform.managedBy } },
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
function servicesOutsideTheirTeams(env: Environment, teams: readonly Team[]): string[] {
  return env.node.findAll()
    .filter((c): c is Workload => c instanceof Workload)
    .flatMap((w) => {
      const team = teams.find((t) => t.namespaceNames.includes(w.namespace));
      if (team === undefined) {
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
