import { type ManifestObject, byCodePoint } from './dist-reader';
import { type LabelSelector, isEmptySelector, matches, selectorOf, selectorText } from './label-selector';

/** What a node of the graph stands for. */
export type NodeKind = 'workload' | 'service' | 'route' | 'gateway' | 'namespace' | 'pods' | 'cidr' | 'anywhere';

/** A node: its id (the `<title>` of its SVG group), what it is, and the chart that writes it (none for what the output only refers to). */
export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  readonly chart?: string;
  /** Referred to but not in this output (a Service of another repo, pods an operator creates). */
  readonly external: boolean;
}

/** `route`: a route or listener to what it sends to; `selects`: a Service to its pods; `ingress`/`egress`: a NetworkPolicy allow, from the side that starts the connection. */
export type EdgeKind = 'route' | 'selects' | 'ingress' | 'egress';

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** The ports, for an allow (`TCP 8080`, `all ports`). */
  readonly label: string;
  /** The NetworkPolicies that allow it (`shop/api-allow-web`), for an allow. */
  readonly policies: readonly string[];
}

export interface ClusterGraph {
  readonly name: string;
  /** Sorted by id. */
  readonly nodes: readonly GraphNode[];
  /** Sorted by from, to, kind, label. */
  readonly edges: readonly GraphEdge[];
}

type Rec = Record<string, unknown>;

function rec(v: unknown): Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : {};
}

function list(v: unknown): Rec[] {
  return Array.isArray(v) ? v.map(rec) : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function labelsOf(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(rec(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);
const ROUTES = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'Ingress']);
const GATEWAYS = new Set(['Gateway', 'ListenerSet']);
/** The label the API server sets on every namespace (upstream: kubernetes pkg/registry/core/namespace/strategy.go, since 1.21). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The labels a workload's pods carry. */
function podLabels(o: ManifestObject): Record<string, string> {
  const spec = rec(o.body.spec);
  if (o.kind === 'Pod') return labelsOf(rec(o.body.metadata).labels);
  const template = o.kind === 'CronJob' ? rec(rec(rec(spec.jobTemplate).spec).template) : rec(spec.template);
  return labelsOf(rec(template.metadata).labels);
}

/** A selector's terms one per line, for a node's label. */
function lines(s: LabelSelector): string {
  return selectorText(s).split(', ').join('\n');
}

function id(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace === '' ? '' : `${namespace}/`}${name}`;
}

function portsLabel(ports: readonly Rec[]): string {
  if (ports.length === 0) return 'all ports';
  const each = ports.map((p) => {
    const protocol = str(p.protocol) ?? 'TCP';
    const port = p.port === undefined ? 'all' : String(p.port as string | number);
    return `${protocol} ${port}${typeof p.endPort === 'number' ? `-${p.endPort}` : ''}`;
  });
  return [...new Set(each)].join(', ');
}

/**
 * The graph of one cluster's output: its workloads, Services, routes and gateways, grouped by
 * chart; routes to their Services, Services to the workloads they select; and every allow of its
 * NetworkPolicies, from the pods (or namespaces, or address blocks) that may start a connection
 * to those that may accept it. A NetworkPolicy rule follows the Kubernetes API's semantics
 * (upstream k8s.io/api networking/v1 types.go): no `from`/`to` is anywhere, no `ports` is all
 * ports, a pod selector alone is the policy's namespace, a namespace selector alone is all pods
 * of the namespaces it selects. Deny-only policies draw nothing: what is not drawn is not allowed.
 */
export function clusterGraph(name: string, objects: readonly ManifestObject[]): ClusterGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, { from: string; to: string; kind: EdgeKind; label: string; policies: Set<string> }>();
  const add = (n: GraphNode) => {
    if (!nodes.has(n.id) || (nodes.get(n.id)?.external === true && !n.external)) nodes.set(n.id, n);
    return n.id;
  };
  const connect = (from: string, to: string, kind: EdgeKind, label = '', policy?: string) => {
    const key = JSON.stringify([from, to, kind, label]);
    const e = edges.get(key) ?? { from, to, kind, label, policies: new Set<string>() };
    if (policy !== undefined) e.policies.add(policy);
    edges.set(key, e);
  };

  const workloads = objects.filter((o) => WORKLOADS.has(o.kind)).map((o) => ({ o, labels: podLabels(o) }));
  // Namespaces and their labels: those written here, and any the output names (kube-system), with the label the API server gives each.
  const namespaces = new Map<string, Record<string, string>>();
  const knowNamespace = (ns: string) => {
    if (ns !== '' && !namespaces.has(ns)) namespaces.set(ns, { [NAMESPACE_NAME_LABEL]: ns });
  };
  for (const o of objects) {
    if (o.kind === 'Namespace' && o.apiVersion === 'v1') namespaces.set(o.name, { ...labelsOf(rec(o.body.metadata).labels), [NAMESPACE_NAME_LABEL]: o.name });
  }
  for (const o of objects) knowNamespace(o.namespace);

  for (const { o } of workloads) add({ id: id(o.kind, o.namespace, o.name), kind: 'workload', label: `${o.kind}\n${o.namespace}/${o.name}`, chart: o.chart, external: false });

  const namespaceNode = (ns: string) => add({ id: `namespace/${ns}`, kind: 'namespace', label: `all pods in\nnamespace ${ns}`, external: false });
  const serviceNode = (ns: string, svc: string) => add({ id: id('Service', ns, svc), kind: 'service', label: `Service\n${ns}/${svc}`, external: true });
  const gatewayNode = (kind: string, ns: string, gw: string) => add({ id: id(kind, ns, gw), kind: 'gateway', label: `${kind}\n${ns}/${gw}`, external: true });

  for (const o of objects) {
    const spec = rec(o.body.spec);
    if (o.kind === 'Service' && o.apiVersion === 'v1') {
      const sid = add({ id: id('Service', o.namespace, o.name), kind: 'service', label: `Service\n${o.namespace}/${o.name}`, chart: o.chart, external: false });
      const selector = labelsOf(spec.selector);
      // A Service without a selector (an ExternalService's) has no pods here to point at.
      if (Object.keys(selector).length === 0) continue;
      for (const w of workloads) {
        if (w.o.namespace === o.namespace && matches({ matchLabels: selector }, w.labels)) connect(sid, id(w.o.kind, w.o.namespace, w.o.name), 'selects');
      }
    } else if (GATEWAYS.has(o.kind)) {
      const gid = add({ id: id(o.kind, o.namespace, o.name), kind: 'gateway', label: `${o.kind}\n${o.namespace}/${o.name}`, chart: o.chart, external: false });
      // A ListenerSet attaches to its Gateway: traffic comes in through the Gateway, then the listener.
      const parent = rec(spec.parentRef);
      if (o.kind === 'ListenerSet' && str(parent.name) !== undefined) connect(gatewayNode(str(parent.kind) ?? 'Gateway', str(parent.namespace) ?? o.namespace, str(parent.name) ?? ''), gid, 'route');
    } else if (ROUTES.has(o.kind)) {
      const hosts = Array.isArray(spec.hostnames) ? spec.hostnames.map(String) : list(spec.rules).map((r) => str(r.host)).filter((h): h is string => h !== undefined);
      const rid = add({ id: id(o.kind, o.namespace, o.name), kind: 'route', label: `${o.kind}\n${o.namespace}/${o.name}${hosts.length > 0 ? `\n${[...new Set(hosts)].join(', ')}` : ''}`, chart: o.chart, external: false });
      if (o.kind === 'Ingress') {
        const backends = [rec(spec.defaultBackend), ...list(spec.rules).flatMap((r) => list(rec(r.http).paths).map((p) => rec(p.backend)))];
        for (const b of backends) {
          const svc = str(rec(b.service).name);
          if (svc !== undefined) connect(rid, serviceNode(o.namespace, svc), 'route');
        }
        continue;
      }
      for (const p of list(spec.parentRefs)) {
        const parent = str(p.name);
        if (parent !== undefined) connect(gatewayNode(str(p.kind) ?? 'Gateway', str(p.namespace) ?? o.namespace, parent), rid, 'route');
      }
      for (const b of list(spec.rules).flatMap((r) => list(r.backendRefs))) {
        const svc = str(b.name);
        if (svc !== undefined && (str(b.kind) ?? 'Service') === 'Service' && (str(b.group) ?? '') === '') connect(rid, serviceNode(str(b.namespace) ?? o.namespace, svc), 'route');
      }
    }
  }

  /** The nodes that pods selected by `pods` in namespace `ns` stand for: their workloads, all of the namespace, or the selector itself. */
  const podsIn = (ns: string, pods: LabelSelector): string[] => {
    if (isEmptySelector(pods)) return [namespaceNode(ns)];
    const found = workloads.filter((w) => w.o.namespace === ns && matches(pods, w.labels)).map((w) => id(w.o.kind, w.o.namespace, w.o.name));
    if (found.length > 0) return found;
    return [add({ id: `pods/${ns}/${selectorText(pods)}`, kind: 'pods', label: `pods in ${ns}\n${lines(pods)}`, external: true })];
  };

  const peerNodes = (peer: Rec, policyNamespace: string): string[] => {
    const block = rec(peer.ipBlock);
    const cidr = str(block.cidr);
    if (cidr !== undefined) {
      const except = Array.isArray(block.except) ? block.except.map(String) : [];
      const text = except.length === 0 ? cidr : `${cidr} except ${except.join(', ')}`;
      return [add({ id: `cidr/${text}`, kind: 'cidr', label: text, external: true })];
    }
    const pods = selectorOf(peer.podSelector);
    const nsSelector = selectorOf(peer.namespaceSelector);
    if (nsSelector === undefined) return podsIn(policyNamespace, pods ?? {});
    const named = nsSelector.matchLabels?.[NAMESPACE_NAME_LABEL];
    if (named !== undefined) knowNamespace(named);
    if (isEmptySelector(nsSelector)) {
      const text = pods === undefined || isEmptySelector(pods) ? 'all pods in\nall namespaces' : `pods in all namespaces\n${lines(pods)}`;
      return [add({ id: `namespaces/all/${pods === undefined ? 'all' : selectorText(pods)}`, kind: 'pods', label: text, external: true })];
    }
    const selected = [...namespaces.entries()].filter(([, labels]) => matches(nsSelector, labels)).map(([ns]) => ns).sort(byCodePoint);
    if (selected.length === 0) {
      return [add({ id: `namespaces/${selectorText(nsSelector)}/${pods === undefined ? 'all' : selectorText(pods)}`, kind: 'namespace', label: `namespaces\n${lines(nsSelector)}${pods === undefined || isEmptySelector(pods) ? '' : `\npods\n${lines(pods)}`}`, external: true })];
    }
    return selected.flatMap((ns) => podsIn(ns, pods ?? {}));
  };

  const anywhere = () => add({ id: 'anywhere', kind: 'anywhere', label: 'anywhere', external: true });

  for (const o of objects) {
    if (o.kind !== 'NetworkPolicy') continue;
    const spec = rec(o.body.spec);
    const policy = `${o.namespace}/${o.name}`;
    const types = Array.isArray(spec.policyTypes) ? spec.policyTypes.map(String) : ['Ingress', ...(spec.egress === undefined ? [] : ['Egress'])];
    const selected = podsIn(o.namespace, selectorOf(spec.podSelector) ?? {});
    if (types.includes('Ingress')) {
      for (const rule of list(spec.ingress)) {
        const peers = list(rule.from);
        const sources = peers.length === 0 ? [anywhere()] : peers.flatMap((p) => peerNodes(p, o.namespace));
        const label = portsLabel(list(rule.ports));
        for (const s of sources) for (const t of selected) connect(s, t, 'ingress', label, policy);
      }
    }
    if (types.includes('Egress')) {
      for (const rule of list(spec.egress)) {
        const peers = list(rule.to);
        const targets = peers.length === 0 ? [anywhere()] : peers.flatMap((p) => peerNodes(p, o.namespace));
        const label = portsLabel(list(rule.ports));
        for (const s of selected) for (const t of targets) connect(s, t, 'egress', label, policy);
      }
    }
  }

  return {
    name,
    nodes: [...nodes.values()].sort((a, b) => byCodePoint(a.id, b.id)),
    edges: [...edges.values()]
      .map((e) => ({ from: e.from, to: e.to, kind: e.kind, label: e.label, policies: [...e.policies].sort(byCodePoint) }))
      .sort((a, b) => byCodePoint(a.from, b.from) || byCodePoint(a.to, b.to) || byCodePoint(a.kind, b.kind) || byCodePoint(a.label, b.label)),
  };
}

/** A DOT string literal. */
function q(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

const NODE_STYLE: Record<NodeKind, string> = {
  workload: 'shape=box style="rounded,filled" fillcolor="#e8f0fe"',
  service: 'shape=ellipse style=filled fillcolor="#fef7e0"',
  route: 'shape=hexagon style=filled fillcolor="#e6f4ea"',
  gateway: 'shape=house style=filled fillcolor="#e6f4ea"',
  namespace: 'shape=folder style=filled fillcolor="#f1f3f4"',
  pods: 'shape=box style="rounded,dashed"',
  cidr: 'shape=note',
  anywhere: 'shape=doublecircle',
};

const EDGE_STYLE: Record<EdgeKind, string> = {
  route: 'color="#188038"',
  selects: 'color="#9aa0a6" arrowhead=empty',
  ingress: 'color="#1a73e8" fontcolor="#1a73e8"',
  egress: 'color="#e37400" fontcolor="#e37400" style=dashed',
};

function nodeLine(n: GraphNode, indent: string): string {
  const style = n.external && (n.kind === 'service' || n.kind === 'gateway') ? `${NODE_STYLE[n.kind]} color="#9aa0a6" fontcolor="#5f6368"` : NODE_STYLE[n.kind];
  return `${indent}${q(n.id)} [label=${q(n.label)} ${style}];`;
}

/**
 * The graph as Graphviz DOT text: one `cluster_` subgraph per chart holding what it writes, the
 * rest (namespaces, address blocks, what only is referred to) outside; edges styled by kind and
 * labelled with their ports. Same graph, same bytes.
 */
export function graphDot(graph: ClusterGraph): string {
  const charts = [...new Set(graph.nodes.map((n) => n.chart).filter((c): c is string => c !== undefined))].sort(byCodePoint);
  const lines = [
    `digraph ${q(graph.name)} {`,
    `  label=${q(`cluster ${graph.name}: charts, workloads, Services, routes and the network allows between them`)};`,
    '  labelloc=t;',
    '  rankdir=LR;',
    '  node [fontname="Helvetica" fontsize=10];',
    '  edge [fontname="Helvetica" fontsize=9];',
  ];
  charts.forEach((chart, i) => {
    lines.push(`  subgraph ${q(`cluster_${i}`)} {`, `    label=${q(`chart ${chart}`)};`, '    style=rounded;', '    color="#9aa0a6";');
    for (const n of graph.nodes) if (n.chart === chart) lines.push(nodeLine(n, '    '));
    lines.push('  }');
  });
  for (const n of graph.nodes) if (n.chart === undefined) lines.push(nodeLine(n, '  '));
  for (const e of graph.edges) {
    const label = e.kind === 'ingress' || e.kind === 'egress' ? ` label=${q(`${e.kind}: ${e.label}`)} tooltip=${q(`allowed by ${e.policies.join(', ')}`)}` : '';
    lines.push(`  ${q(e.from)} -> ${q(e.to)} [${EDGE_STYLE[e.kind]}${label}];`);
  }
  lines.push('}', '');
  return lines.join('\n');
}
