import { ApiObject, type App, Chart } from 'cdk8s';
import { RUN_BEFORE_ANNOTATION, runBeforeTargets } from '../apps/migration-job';
import { namespaceReportedElsewhere } from '../core/reported-namespaces';
import { CLUSTER_SCOPED_KINDS, Cidr, Environment, PlatformChart, describeObject, formatProblem, objectIdentity, objectKey, pathOf } from '../core';


const where = (obj: ApiObject) => pathOf(obj.node.scope ?? obj);

/** Two objects of one kind, name and namespace in one environment would overwrite each other. */
export function duplicateObjects(objects: readonly ApiObject[]): string[] {
  const seen = new Map<string, ApiObject>();
  const problems: string[] = [];
  for (const obj of objects) {
    const id = objectIdentity({ apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.name, namespace: obj.metadata.namespace ?? Chart.of(obj).namespace } });
    const env = Environment.find(obj)?.node.path ?? '';
    const key = [env, id.group, id.kind, id.namespace, id.name].join('|');
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, obj);
      continue;
    }
    problems.push(`${where(obj)}: ${describeObject(id)} is also defined by ${where(first)}; give one of them another name or move it to another namespace`);
  }
  return problems;
}

interface HttpRouteJson {
  readonly spec?: {
    readonly hostnames?: readonly string[];
    readonly rules?: readonly { readonly matches?: readonly { readonly path?: { readonly value?: string } }[] }[];
  };
}

/** One host and path routed by two HTTPRoutes of one cluster: the Gateway would serve only one of them. */
export function duplicateRoutes(objects: readonly ApiObject[]): string[] {
  const seen = new Map<string, ApiObject>();
  const problems: string[] = [];
  for (const obj of objects.filter((o) => o.kind === 'HTTPRoute' && o.apiVersion.startsWith('gateway.networking.k8s.io/'))) {
    const env = Environment.find(obj)?.node.path ?? '';
    const spec = (obj.toJson() as HttpRouteJson).spec;
    const hosts = spec?.hostnames ?? ['*'];
    const paths = (spec?.rules ?? []).flatMap((r) => (r.matches ?? [{}]).map((m) => m.path?.value ?? '/'));
    for (const host of hosts) {
      for (const path of new Set(paths)) {
        const route = `${host}${path}`;
        const first = seen.get(`${env}|${route}`);
        if (first === undefined) seen.set(`${env}|${route}`, obj);
        else if (first !== obj) problems.push(`${where(obj)}: route host+path ${route} is also routed by ${where(first)}; give one of them another host or path`);
      }
    }
  }
  return problems;
}

/**
 * The namespaces every Kubernetes cluster has without a chart creating them: `kube-system`,
 * `kube-public` and `kube-node-lease` (the API server's system namespaces controller,
 * kubernetes `pkg/controlplane/controller/systemnamespaces/system_namespaces_controller.go`) and
 * `default` (ensured by the `kubernetes` Service controller,
 * `pkg/controlplane/controller/kubernetesservice/controller.go`).
 */
export const KUBERNETES_NAMESPACES: readonly string[] = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** The objects a cluster applies: those of the charts written to `manifests/` (the kops objects are handed to kops). */
const applied = (objects: readonly ApiObject[]): ApiObject[] => objects.filter((o) => PlatformChart.folderOf(Chart.of(o)) === 'manifests');

/** The objects of each Environment (one per cluster, or per environment of a service repo). */
function byEnvironment(objects: readonly ApiObject[]): Map<Environment | undefined, ApiObject[]> {
  const out = new Map<Environment | undefined, ApiObject[]>();
  for (const o of objects) {
    const env = Environment.find(o);
    out.set(env, [...(out.get(env) ?? []), o]);
  }
  return out;
}

interface CrdJson { readonly spec?: { readonly scope?: string; readonly names?: { readonly kind?: string } } }

/** The cluster-scoped kinds: the API server's own ({@link CLUSTER_SCOPED_KINDS}) and those of the tree's CRDs with `scope: Cluster`. */
function clusterScopedKinds(objects: readonly ApiObject[]): Set<string> {
  const kinds = new Set(CLUSTER_SCOPED_KINDS);
  for (const o of objects.filter((x) => x.kind === 'CustomResourceDefinition')) {
    if (!crdKinds.has(o)) {
      const spec = (o.toJson() as CrdJson).spec;
      crdKinds.set(o, spec?.scope === 'Cluster' ? spec.names?.kind : undefined);
    }
    const kind = crdKinds.get(o);
    if (kind !== undefined) kinds.add(kind);
  }
  return kinds;
}

/** The cluster-scoped kind each CRD defines (undefined: a namespaced kind), read once per CRD: the edge's CRDs are megabytes. */
const crdKinds = new WeakMap<ApiObject, string | undefined>();

const identityOf = (o: ApiObject) => objectIdentity({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name, namespace: o.metadata.namespace } });

/**
 * Every namespaced object names its namespace (one without lands in `default`, whatever the
 * author meant), and inside a cluster definition that namespace is one a chart of the cluster
 * creates or Kubernetes has ({@link KUBERNETES_NAMESPACES}): otherwise the apply fails, or the
 * object waits for a Namespace nothing creates. A service repo's namespaces are its teams',
 * created by the platform, so there only the first rule holds.
 */
export function undeclaredNamespaces(objects: readonly ApiObject[]): string[] {
  const problems: string[] = [];
  for (const [env, all] of byEnvironment(applied(objects))) {
    const scoped = clusterScopedKinds(all);
    const created = new Set([...KUBERNETES_NAMESPACES, ...all.filter((o) => o.kind === 'Namespace').map((o) => o.name)]);
    // One line per construct and missing namespace, however many of its objects are in it.
    const missing = new Map<string, { path: string; ns: string; ids: string[] }>();
    for (const o of all.filter((x) => !scoped.has(x.kind))) {
      const ns = o.metadata.namespace;
      const id = describeObject(identityOf(o));
      if (ns === undefined) {
        problems.push(formatProblem({
          path: where(o), field: 'metadata.namespace', rule: `of ${id} is not set: a namespaced object without one lands in default`,
          fix: 'set its namespace, or create it in a chart that has one',
        }));
      } else if (env?.cluster !== undefined && !created.has(ns) && !namespaceReportedElsewhere(env, ns)) {
        const key = `${where(o)}\u0000${ns}`;
        const entry = missing.get(key) ?? { path: where(o), ns, ids: [] };
        entry.ids.push(id);
        missing.set(key, entry);
      }
    }
    for (const { path, ns, ids } of missing.values()) {
      problems.push(formatProblem({
        path, field: 'metadata.namespace', value: ns, rule: `of ${ids.join(', ')} is created by no chart of cluster ${env?.cluster ?? ''}`,
        fix: 'create the Namespace in the chart that owns it (a team, an addon), or name a namespace the cluster has',
      }));
    }
  }
  return problems;
}

/**
 * No cluster-scoped object carries a namespace: the deployer would key it under that namespace
 * and wait for the Namespace (or, for a Namespace, for itself). A namespaced Chart stamps its
 * namespace on every object that sets none, cluster-scoped ones included.
 */
export function namespacedClusterObjects(objects: readonly ApiObject[]): string[] {
  const problems: string[] = [];
  for (const all of byEnvironment(applied(objects)).values()) {
    const scoped = clusterScopedKinds(all);
    for (const o of all.filter((x) => scoped.has(x.kind) && x.metadata.namespace !== undefined)) {
      problems.push(formatProblem({
        path: where(o), field: 'metadata.namespace', value: o.metadata.namespace, rule: `is set on ${o.kind} ${o.name}, which is cluster-scoped`,
        fix: 'create it in a chart without a namespace (a namespaced chart stamps its namespace on every object that sets none)',
      }));
    }
  }
  return problems;
}

/** Every object an ordering annotation (`run-before`) names exists in the same cluster or environment: else the plan fails to order it. */
export function danglingOrderings(objects: readonly ApiObject[]): string[] {
  const problems: string[] = [];
  for (const all of byEnvironment(applied(objects)).values()) {
    const keys = new Set(all.map((o) => objectKey(identityOf(o))));
    for (const o of all) {
      const value = (o.metadata.toJson() as { annotations?: Record<string, string> }).annotations?.[RUN_BEFORE_ANNOTATION];
      if (value === undefined) continue;
      for (const target of runBeforeTargets(value).filter((t) => !keys.has(t))) {
        problems.push(formatProblem({
          path: where(o), field: `metadata.annotations.${RUN_BEFORE_ANNOTATION}`, value: target, rule: `of ${describeObject(identityOf(o))} names no object of the tree`,
          fix: 'name the objects as <Kind>/<namespace>/<name> of objects synthesized with it (MigrationJob derives them from `before`)',
        }));
      }
    }
  }
  return problems;
}

/** One cluster's network, as the fleet check needs it. */
export interface ClusterNetwork {
  /** The cluster's short name (`prod`). */
  readonly name: string;
  /** Its VPC's address block. */
  readonly vpcCidr: Cidr;
}

interface AddressJson {
  readonly endpoints?: readonly { readonly addresses?: readonly string[] }[];
  readonly spec?: {
    readonly externalIPs?: readonly string[];
    readonly ingress?: readonly { readonly from?: readonly { readonly ipBlock?: { readonly cidr?: string } }[] }[];
    readonly egress?: readonly { readonly to?: readonly { readonly ipBlock?: { readonly cidr?: string } }[] }[];
  };
}

/** The addresses and blocks an object points traffic at: an EndpointSlice's endpoints, a Service's external IPs, a NetworkPolicy's ipBlocks. */
function addressesOf(o: ApiObject): string[] {
  if (!['EndpointSlice', 'Service', 'NetworkPolicy'].includes(o.kind)) return [];
  const json = o.toJson() as AddressJson;
  return [
    ...(json.endpoints ?? []).flatMap((e) => e.addresses ?? []),
    ...(json.spec?.externalIPs ?? []),
    ...(json.spec?.ingress ?? []).flatMap((r) => r.from ?? []).flatMap((p) => p.ipBlock?.cidr ?? []),
    ...(json.spec?.egress ?? []).flatMap((r) => r.to ?? []).flatMap((p) => p.ipBlock?.cidr ?? []),
  ];
}

function asCidr(text: string): Cidr | undefined {
  try {
    return Cidr.of(text.includes('/') ? text : `${text}/32`);
  } catch {
    return undefined;
  }
}

/**
 * No cluster points traffic at an address inside another cluster's VPC: the VPCs are not peered,
 * so such an address is at best unreachable and at worst another environment's database (a
 * derived cluster that kept its base's address). A block that merely contains another VPC
 * (`0.0.0.0/0`) is not refused: only one that lies inside it.
 */
export function addressesInOtherClusters(app: App, own: string, networks: readonly ClusterNetwork[]): string[] {
  const others = networks.filter((n) => n.name !== own);
  const problems: string[] = [];
  for (const o of applied(app.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c)))) {
    for (const address of addressesOf(o)) {
      const block = asCidr(address);
      const inside = block === undefined ? undefined : others.find((n) => n.vpcCidr.contains(block));
      if (inside === undefined) continue;
      problems.push(formatProblem({
        path: where(o), field: `address of ${describeObject(identityOf(o))}`, value: address, rule: `is inside cluster ${inside.name}'s VPC ${inside.vpcCidr.toString()}, not reachable from cluster ${own}`,
        fix: `give cluster ${own} its own address (an ExternalService or team egress override for its environment)`,
      }));
    }
  }
  return problems;
}
