import { App, Chart } from 'cdk8s';
import { Environment } from '../apps/environment';
import { addServiceGroup } from '../apps/service-group';
import { Workload } from '../apps/workload';
import { k8s } from 'cdk8s-plus-27';
import { Platform, PlatformError, formatProblem, pathOf } from '../core';
import { addTeam, type Team } from '../tenancy/team';
import { edgeAddon, edgeCrdsAddon, type EdgeDefinition } from '../addons/edge';
import type { ClusterFacts } from '../core';
import { addMonitoring } from '../addons/monitoring';
import { checkClusterDefinition, type ClusterDefinition } from './cluster-definition';
import type { KopsCluster } from './kops-cluster';
import { KopsChart } from './kops-chart';

/**
 * Turns a cluster definition into a cdk8s App: one Environment named after the cluster and one
 * Chart per concern under it — the kops objects, each addon, each team, each service group. `npm run synth`
 * and the Pulumi program both call this, so they agree on every object. `environments` lists
 * every environment overrides may name.
 */
export function buildClusterApp(def: ClusterDefinition, environments: readonly string[]): App {
  checkClusterDefinition(def);
  const app = new App({ outdir: 'dist' });
  const env = new Environment(app, def.name, { name: def.environment, environments, cluster: def.name });
  const { kops } = new KopsChart(env, 'cluster', {
    ...def.kubernetes,
    region: def.region,
    identities: [...(def.kubernetes.identities ?? []), ...def.teams.flatMap((t) => t.identities ?? [])],
    networkPolicyRequired: def.kubernetes.networkPolicyRequired ?? def.teams.length > 0,
  });
  const teams = def.teams.map((team) => {
    if (kops.oidc === undefined) {
      throw PlatformError.at(env, {
        field: 'kubernetes.oidc', rule: 'is not set but the cluster has teams', fix: "set kubernetes.oidc: teams' RoleBindings use its groups prefix",
      });
    }
    return addTeam(env, { ...team, oidc: kops.oidc, ...(kops.nodeLocalDnsAddress === undefined ? {} : { nodeLocalDnsAddress: kops.nodeLocalDnsAddress }) });
  });
  if (def.edge !== undefined) addClusterEdge(env, def, def.edge, kops);
  if (def.monitoring !== undefined) {
    addMonitoring(env, {
      ...def.monitoring,
      clusterName: def.name,
      environment: def.environment,
      ...(kops.etcdMetricsPorts === undefined ? {} : { etcdMetricsPorts: kops.etcdMetricsPorts }),
      ...(kops.nodeLocalDnsAddress === undefined ? {} : { nodeLocalDnsAddress: kops.nodeLocalDnsAddress }),
    });
  }
  for (const group of def.services) addServiceGroup(env, group);
  for (const w of env.node.findAll()) {
    if (w instanceof Workload && w.serviceAccountName !== undefined) allowAwsApiEndpoints(w, kops.networkPlan.vpcCidr.toString());
  }
  env.node.addValidation({ validate: () => servicesOutsideTheirTeams(env, teams) });
  return app;
}

/**
 * The edge addon's two specs (its CRDs, then the edge), fed from the cluster model. Interim
 * wiring until the composition root (lib/platform) builds every addon from its spec.
 */
function addClusterEdge(env: Environment, def: ClusterDefinition, edgeDef: EdgeDefinition, kops: KopsCluster): void {
  const cluster: ClusterFacts = {
    name: def.name, environment: def.environment, region: def.region, clusterName: kops.clusterName,
    zones: def.kubernetes.zones, dnsZone: kops.dnsZone, vpcCidr: kops.networkPlan.vpcCidr, oidc: kops.oidc,
    nodeLocalDnsAddress: kops.nodeLocalDnsAddress, etcdMetricsPorts: kops.etcdMetricsPorts,
    nodeGroups: def.kubernetes.nodeGroups.map((g) => ({ name: g.name, zones: g.zones ?? def.kubernetes.zones, labels: g.labels ?? {}, taints: g.taints ?? [] })),
    controlPlaneToleration: kops.controlPlaneToleration,
  };
  const context = { cluster, addons: {}, environments: env.environments };
  for (const spec of [edgeCrdsAddon, edgeAddon]) spec.build(new Chart(env, `addon-${spec.key}`, { disableResourceNameHashes: true }), edgeDef, context);
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
