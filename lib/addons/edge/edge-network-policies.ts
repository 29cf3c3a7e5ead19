import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { type Cidr, GATEWAY_PROXY_LABELS, Platform, PlatformLabels } from '../../core';
import { dnsEgressRule, namespaceNamed } from '../../tenancy/network-policies';
import { CONTROLLER_PORTS, PROXY_PORTS } from './images';
import { checkProps } from '../../core/props-check';

/** Props of {@link EdgeNetworkPolicies}. */
export interface EdgeNetworkPoliciesProps {
  /** The edge namespace. */
  readonly namespace: string;
  /** The labels that select the controller's pods. */
  readonly controllerLabels: Readonly<Record<string, string>>;
  /** The labels that select the certgen Job's pod. */
  readonly certgenLabels: Readonly<Record<string, string>>;
  /** The client blocks the load balancer admits (with `externalTrafficPolicy: Local` the client address reaches the pod). */
  readonly clientCidrs: readonly Cidr[];
  /** The block the API servers' addresses are in (the cluster's VPC). */
  readonly apiServerCidr: Cidr;
  /** The NodeLocal DNSCache address, when the cluster runs it. */
  readonly nodeLocalDnsAddress: string | undefined;
  /** The container ports (names or numbers) the Envoy pods may reach in namespaces that serve hosts, computed at synth. */
  readonly backendPorts: () => readonly (string | number)[];
}

const tcp = (port: number | string): k8s.NetworkPolicyPort => ({
  protocol: 'TCP', port: typeof port === 'number' ? k8s.IntOrString.fromNumber(port) : k8s.IntOrString.fromString(port),
});

/**
 * The edge namespace's network policies: deny everything; the Envoy pods take clients on the
 * listener ports (a NetworkPolicy cannot name the NLB: the client blocks, or anywhere for a
 * public edge) and Prometheus on their metrics port, and reach only the controller's xDS port
 * and, in the namespaces that serve hosts (by the gateway-listeners label), the ports of routed
 * services; the controller takes xDS from the Envoy pods and scrapes from Prometheus, and reaches
 * DNS and the API server; certgen reaches DNS and the API server.
 */
export class EdgeNetworkPolicies extends Construct {
  public constructor(scope: Construct, id: string, props: EdgeNetworkPoliciesProps) {
    super(scope, id);
    props = checkProps(this, EdgeNetworkPolicies, props);
    const proxy: k8s.LabelSelector = { matchLabels: { ...GATEWAY_PROXY_LABELS } };
    const controller: k8s.LabelSelector = { matchLabels: { ...props.controllerLabels } };
    const certgen: k8s.LabelSelector = { matchLabels: { ...props.certgenLabels } };
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels: { 'app.kubernetes.io/managed-by': Platform.managedBy } });
    const policy = (name: string, spec: k8s.NetworkPolicySpec) => new k8s.KubeNetworkPolicy(this, name, { metadata: metadata(name), spec });
    const monitoring = namespaceNamed(Platform.monitoringNamespace);
    const apiServer: k8s.NetworkPolicyEgressRule = { to: [{ ipBlock: { cidr: props.apiServerCidr.toString() } }], ports: [tcp(443)] };

    policy('edge-default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy('edge-allow-clients', {
      podSelector: proxy, policyTypes: ['Ingress'],
      ingress: [{ from: props.clientCidrs.map((c) => ({ ipBlock: { cidr: c.toString() } })), ports: [tcp(PROXY_PORTS.http), tcp(PROXY_PORTS.https)] }],
    });
    policy('edge-allow-monitoring', {
      podSelector: {}, policyTypes: ['Ingress'],
      ingress: [
        { from: [monitoring], ports: [tcp(PROXY_PORTS.metrics), tcp(CONTROLLER_PORTS.metrics)] },
      ],
    });
    policy('edge-allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule(props.nodeLocalDnsAddress)] });
    policy('edge-controller-allow-xds', {
      podSelector: controller, policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: proxy }], ports: [tcp(CONTROLLER_PORTS.xds)] }],
      egress: [apiServer],
    });
    policy('edge-certgen-allow-api-server', { podSelector: certgen, policyTypes: ['Egress'], egress: [apiServer] });
    new ApiObject(this, 'edge-proxy-allow-backends', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata('edge-proxy-allow-backends'),
      spec: {
        podSelector: proxy,
        policyTypes: ['Egress'],
        egress: Lazy.any({
          produce: () => {
            const ports = props.backendPorts();
            return [
              { to: [{ podSelector: { matchLabels: { ...props.controllerLabels } } }], ports: [{ protocol: 'TCP', port: CONTROLLER_PORTS.xds }] },
              ...(ports.length === 0 ? [] : [{
                to: [{ namespaceSelector: { matchLabels: { [PlatformLabels.gatewayListeners]: 'allowed' } } }],
                ports: ports.map((port) => ({ protocol: 'TCP', port })),
              }]),
            ];
          },
        }),
      },
    });
  }
}
