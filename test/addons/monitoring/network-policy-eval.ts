// Evaluates NetworkPolicies on a connection, as the NetworkPolicy API defines them
// (kubernetes staging/src/k8s.io/api/networking/v1/types.go, NetworkPolicySpec, NetworkPolicyPeer,
// NetworkPolicyPort):
// - a pod is isolated for ingress (egress) when a policy of its namespace selects it and lists
//   that type in policyTypes (absent policyTypes: Ingress, plus Egress when egress rules exist);
// - an isolated pod admits a connection when some rule of some selecting policy allows it (the
//   union); a connection needs the source's egress and the destination's ingress;
// - a rule with no `to`/`from` matches every peer, with no `ports` every port; a peer with only a
//   podSelector means pods of the policy's namespace, with a namespaceSelector pods of the
//   selected namespaces (and the podSelector, when both are given), an ipBlock addresses in its
//   cidr and not in its except; a port is a number or a name of the destination's container
//   ports, protocol TCP when absent, `endPort` making a range.
// Behaviour the API leaves to the network plugin is modelled as Calico does it (the clusters'
// CNI): an ipBlock matches pod addresses too, and a host-network pod is the node itself, which
// no pod selector selects and no NetworkPolicy isolates.
import { Cidr } from '../../../lib/core';

/** One end of a connection: a pod (its namespace and labels), or an address outside any pod. */
export interface Endpoint {
  /** The pod's namespace; undefined for an address that is no pod (a node, the API server, the internet). */
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly ip: string;
  /** A host-network pod: the node's own address and network. */
  readonly hostNetwork?: boolean;
  /** The destination's named container ports (`metrics` -> 9100). */
  readonly namedPorts?: Readonly<Record<string, number>>;
}

export interface Connection {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

type Obj = Record<string, any>;

function selects(selector: Obj | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (selector === undefined) return false;
  const matchLabels: Record<string, string> = selector.matchLabels ?? {};
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return (selector.matchExpressions ?? []).every((e: Obj) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': return has && (e.values as string[]).includes(labels[e.key] as string);
      case 'NotIn': return !has || !(e.values as string[]).includes(labels[e.key] as string);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: throw new Error(`unknown selector operator ${String(e.operator)}`);
    }
  });
}

function namespaceLabels(namespace: string, namespaces: Readonly<Record<string, Readonly<Record<string, string>>>>): Record<string, string> {
  return { ...(namespaces[namespace] ?? {}), 'kubernetes.io/metadata.name': namespace };
}

function isPod(e: Endpoint): e is Endpoint & { namespace: string } {
  return e.namespace !== undefined && e.hostNetwork !== true;
}

function peerMatches(peer: Obj, policyNamespace: string, e: Endpoint, namespaces: Readonly<Record<string, Readonly<Record<string, string>>>>): boolean {
  if (peer.ipBlock !== undefined) {
    return Cidr.of(peer.ipBlock.cidr).containsAddress(e.ip) && !(peer.ipBlock.except ?? []).some((x: string) => Cidr.of(x).containsAddress(e.ip));
  }
  if (!isPod(e)) return false;
  const labels = e.labels ?? {};
  if (peer.namespaceSelector !== undefined) {
    return selects(peer.namespaceSelector, namespaceLabels(e.namespace, namespaces)) && (peer.podSelector === undefined || selects(peer.podSelector, labels));
  }
  return e.namespace === policyNamespace && selects(peer.podSelector, labels);
}

function portMatches(ports: Obj[] | undefined, c: Connection): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== (c.protocol ?? 'TCP')) return false;
    if (p.port === undefined) return true;
    const port = typeof p.port === 'number' ? p.port : c.to.namedPorts?.[p.port];
    if (port === undefined) return false;
    return p.endPort === undefined ? c.port === port : c.port >= port && c.port <= p.endPort;
  });
}

function typesOf(spec: Obj): string[] {
  return spec.policyTypes ?? ['Ingress', ...(spec.egress === undefined ? [] : ['Egress'])];
}

/** The policies whose type is `type` and that select `e` (none for an address that is no pod). */
function selecting(policies: readonly Obj[], e: Endpoint, type: 'Ingress' | 'Egress'): Obj[] {
  if (!isPod(e)) return [];
  return policies.filter((p) => p.metadata.namespace === e.namespace && typesOf(p.spec).includes(type) && selects(p.spec.podSelector, e.labels ?? {}));
}

/** Why the connection is refused (`egress` or `ingress`), or undefined when the policies admit it. */
export function refusal(policies: readonly Obj[], c: Connection, namespaces: Readonly<Record<string, Readonly<Record<string, string>>>> = {}): 'egress' | 'ingress' | undefined {
  const out = selecting(policies, c.from, 'Egress');
  const egressOk = out.length === 0 || out.some((p) => (p.spec.egress ?? []).some((r: Obj) =>
    portMatches(r.ports, c) && (r.to === undefined || r.to.length === 0 || r.to.some((peer: Obj) => peerMatches(peer, p.metadata.namespace, c.to, namespaces)))));
  if (!egressOk) return 'egress';
  const into = selecting(policies, c.to, 'Ingress');
  const ingressOk = into.length === 0 || into.some((p) => (p.spec.ingress ?? []).some((r: Obj) =>
    portMatches(r.ports, c) && (r.from === undefined || r.from.length === 0 || r.from.some((peer: Obj) => peerMatches(peer, p.metadata.namespace, c.from, namespaces)))));
  return ingressOk ? undefined : 'ingress';
}

/** Whether the policies admit the connection. */
export function admits(policies: readonly Obj[], c: Connection, namespaces: Readonly<Record<string, Readonly<Record<string, string>>>> = {}): boolean {
  return refusal(policies, c, namespaces) === undefined;
}

/** Every NetworkPolicy among synthesized objects. */
export function networkPolicies(objects: readonly Obj[]): Obj[] {
  return objects.filter((o) => o.kind === 'NetworkPolicy');
}
