import type { Construct, IConstruct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { GATEWAY_PROXY_LABELS, Platform, checkDnsLabel, formatProblem, pathOf, selectorLabels } from '../core';
import type { PortProps } from './container';

/** The label every namespace carries with its own name (set by Kubernetes). */
const NAMESPACE_NAME = 'kubernetes.io/metadata.name';

/**
 * A service known by namespace and name rather than by construct: one defined in another repo,
 * or in another chart of this one. Inside a cluster definition, a reference to a service that
 * the cluster does not run is an error at synth.
 */
export class ServiceReference {
  /** Refers to `name` in `namespace`, listening on `ports` (needed when traffic is allowed to it). */
  public static of(namespace: string, name: string, ports: readonly PortProps[] = []): ServiceReference {
    checkDnsLabel(namespace, { path: 'ServiceReference', field: 'namespace' });
    checkDnsLabel(name, { path: 'ServiceReference', field: 'name' });
    return new ServiceReference(namespace, name, ports);
  }

  private constructor(
    public readonly namespace: string,
    public readonly name: string,
    public readonly ports: readonly PortProps[],
  ) {}
}

/** What network policies need to know of a service, whether a construct or a reference. */
export interface NetworkEndpoint {
  readonly namespace: string;
  readonly name: string;
  readonly ports: readonly PortProps[];
}

/** A service outside the cluster that a service may reach: an ExternalService, by its IPs or the blocks its DNS name resolves into. */
export interface ExternalEndpoint {
  readonly namespace: string;
  readonly name: string;
  /** Its IPv4 addresses. */
  readonly addresses: readonly string[];
  /** The CIDR blocks its DNS name resolves into. @default [] */
  readonly addressRanges?: readonly string[];
  readonly ports: readonly PortProps[];
}

/** The blocks a NetworkPolicy names to reach an external endpoint. */
export function externalBlocks(target: ExternalEndpoint): string[] {
  return [...target.addresses.map((a) => `${a}/32`), ...(target.addressRanges ?? [])];
}

/** The peer that selects an endpoint's pods, across namespaces when needed. */
export function peerOf(from: { readonly namespace: string }, to: NetworkEndpoint): k8s.NetworkPolicyPeer {
  return {
    podSelector: { matchLabels: selectorLabels(to.name) },
    ...(from.namespace === to.namespace ? {} : { namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: to.namespace } } }),
  };
}

function policyPorts(ports: readonly PortProps[]): k8s.NetworkPolicyPort[] {
  return ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol ?? 'TCP' }));
}

const labels = { 'app.kubernetes.io/managed-by': Platform.managedBy };

/** A NetworkPolicy letting `source`'s pods in to `target`'s ports. */
export function allowIngress(scope: Construct, id: string, target: NetworkEndpoint, source: NetworkEndpoint): k8s.KubeNetworkPolicy {
  return new k8s.KubeNetworkPolicy(scope, id, {
    metadata: { name: `${target.name}-from-${source.name}`.slice(0, 63).replace(/-+$/, ''), namespace: target.namespace, labels },
    spec: {
      podSelector: { matchLabels: selectorLabels(target.name) },
      policyTypes: ['Ingress'],
      ingress: [{ from: [peerOf(target, source)], ports: policyPorts(target.ports) }],
    },
  });
}

/** A NetworkPolicy letting `source`'s pods out to `target`'s ports. */
export function allowEgress(scope: Construct, id: string, source: NetworkEndpoint, target: NetworkEndpoint | ExternalEndpoint): k8s.KubeNetworkPolicy {
  const to: k8s.NetworkPolicyPeer[] = 'addresses' in target
    ? externalBlocks(target).map((cidr) => ({ ipBlock: { cidr } }))
    : [peerOf(source, target)];
  return new k8s.KubeNetworkPolicy(scope, id, {
    metadata: { name: `${source.name}-to-${target.name}`.slice(0, 63).replace(/-+$/, ''), namespace: source.namespace, labels },
    spec: {
      podSelector: { matchLabels: selectorLabels(source.name) },
      policyTypes: ['Egress'],
      egress: [{ to, ports: policyPorts(target.ports) }],
    },
  });
}

/**
 * A NetworkPolicy letting the platform Gateway's Envoy pods (by Envoy Gateway's own labels, in the
 * gateway namespace) in to `target`'s pods on `port`: what a route to the service needs. Team
 * namespaces admit the Gateway to nothing else.
 */
export function allowFromGateway(scope: Construct, target: { readonly name: string; readonly namespace: string }, port: PortProps): k8s.KubeNetworkPolicy {
  return new k8s.KubeNetworkPolicy(scope, 'allow-from-gateway', {
    metadata: { name: `${target.name}-from-gateway`, namespace: target.namespace, labels },
    spec: {
      podSelector: { matchLabels: selectorLabels(target.name) },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: Platform.gatewayNamespace } }, podSelector: { matchLabels: { ...GATEWAY_PROXY_LABELS } } }],
        ports: policyPorts([port]),
      }],
    },
  });
}

/**
 * References that name no service of the cluster. Checked only inside a cluster definition,
 * where every service is synthesized together; a service repo cannot see the others.
 */
export function danglingReferences(scope: IConstruct, field: string, refs: readonly ServiceReference[], known: ReadonlySet<string>): string[] {
  return refs
    .filter((r) => !known.has(`${r.namespace}/${r.name}`))
    .map((r) => formatProblem({
      path: pathOf(scope), field, value: `${r.namespace}/${r.name}`, rule: 'names a service that does not exist in this cluster',
      fix: 'fix the namespace or name, or add the service to the cluster definition',
    }));
}
