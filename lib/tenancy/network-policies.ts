import { k8s } from 'cdk8s-plus-27';
import { GATEWAY_PROXY_LABELS, Platform, type Cidr } from '../core';

/** The label every Namespace carries with its own name (set by Kubernetes since 1.22). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Selects the pods of one namespace by name. */
export function namespaceNamed(name: string): k8s.NetworkPolicyPeer {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } } };
}

/** Selects the Envoy pods of the platform Gateway (in the gateway namespace, by Envoy Gateway's own labels), not the whole edge namespace. */
export function gatewayProxyPeer(): k8s.NetworkPolicyPeer {
  return { ...namespaceNamed(Platform.gatewayNamespace), podSelector: { matchLabels: { ...GATEWAY_PROXY_LABELS } } };
}

/** What the network policies of a team namespace need to know. */
export interface NetworkPolicyInputs {
  /** The NodeLocal DNSCache address, when the cluster runs it. */
  readonly nodeLocalDnsAddress: string | undefined;
  /** External blocks the namespace's pods may reach. */
  readonly egressTo: readonly Cidr[];
  /** Whether every pod of the namespace may reach every other. */
  readonly allowSameNamespace: boolean;
}

/** One NetworkPolicy: its name and spec. */
export interface NamedPolicy {
  readonly name: string;
  readonly spec: k8s.NetworkPolicySpec;
}

const ALL_PODS: k8s.LabelSelector = {};

/** The egress rule that lets pods resolve names: cluster DNS, and NodeLocal DNSCache where the cluster runs it. */
export function dnsEgressRule(nodeLocalDnsAddress: string | undefined): k8s.NetworkPolicyEgressRule {
  return {
    to: [
      { ...namespaceNamed(Platform.dnsNamespace), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
      ...(nodeLocalDnsAddress === undefined ? [] : [{ ipBlock: { cidr: `${nodeLocalDnsAddress}/32` } }]),
    ],
    ports: [
      { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
      { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
    ],
  };
}

/**
 * The network policies of a team namespace: deny everything, then allow DNS, traffic inside
 * the namespace (unless the namespace opts out) and egress to the declared external blocks.
 * The rest is the apps': service-to-service rules (`allowFrom`/`allowTo`), the Gateway's Envoy
 * pods to a service with a route, Prometheus to a service's metrics port.
 */
export function teamNetworkPolicies(inputs: NetworkPolicyInputs): NamedPolicy[] {
  const policies: NamedPolicy[] = [
    { name: 'platform-default-deny', spec: { podSelector: ALL_PODS, policyTypes: ['Ingress', 'Egress'] } },
    { name: 'platform-allow-dns', spec: { podSelector: ALL_PODS, policyTypes: ['Egress'], egress: [dnsEgressRule(inputs.nodeLocalDnsAddress)] } },
  ];
  if (inputs.allowSameNamespace) {
    policies.push({
      name: 'platform-allow-same-namespace',
      spec: { podSelector: ALL_PODS, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: ALL_PODS }] }], egress: [{ to: [{ podSelector: ALL_PODS }] }] },
    });
  }
  if (inputs.egressTo.length > 0) {
    policies.push({
      name: 'platform-allow-external-egress',
      spec: { podSelector: ALL_PODS, policyTypes: ['Egress'], egress: [{ to: inputs.egressTo.map((c) => ({ ipBlock: { cidr: c.toString() } })) }] },
    });
  }
  return policies;
}
