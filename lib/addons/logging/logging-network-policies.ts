import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Platform, type Cidr } from '../../core';
import { dnsEgressRule } from '../../tenancy/network-policies';

/** Props of {@link LoggingNetworkPolicies}. */
export interface LoggingNetworkPoliciesProps {
  readonly namespace: string;
  readonly agentNamespace: string;
  /** Selects the Elasticsearch pods (ECK's cluster-name label). */
  readonly elasticsearchPods: Record<string, string>;
  /** Selects the Kibana pods (ECK's name label). */
  readonly kibanaPods: Record<string, string>;
  /** The namespace the edge's Gateway is in; Kibana takes requests from it only. @default - Kibana takes none from outside the namespace */
  readonly gatewayNamespace: string | undefined;
  /** The names (`app.kubernetes.io/name`) of the pods that call the API server. */
  readonly apiClients: readonly string[];
  /** The VPC's block: the API servers are in it. */
  readonly vpcCidr: Cidr;
  readonly nodeLocalDnsAddress: string | undefined;
}

const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });
const inNamespace = (name: string): k8s.NetworkPolicyPeer => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });

/**
 * Both namespaces deny everything, then allow: DNS; traffic inside the addon's namespace;
 * Elasticsearch's HTTP port from the node agent's namespace; Kibana's port from the Gateway's
 * namespace; HTTPS to the API servers for the pods that call it; the agent to Elasticsearch.
 */
export class LoggingNetworkPolicies extends Construct {
  public constructor(scope: Construct, id: string, props: LoggingNetworkPoliciesProps) {
    super(scope, id);
    const labels = { 'app.kubernetes.io/managed-by': Platform.managedBy, 'app.kubernetes.io/part-of': 'logging' };
    const policy = (cid: string, name: string, namespace: string, spec: k8s.NetworkPolicySpec) =>
      new k8s.KubeNetworkPolicy(this, cid, { metadata: { name, namespace, labels }, spec });
    const api: k8s.NetworkPolicyEgressRule = { to: [{ ipBlock: { cidr: props.vpcCidr.toString() } }], ports: [tcp(443)] };
    for (const ns of [props.namespace, props.agentNamespace]) {
      policy(`${ns}-default-deny`, 'default-deny', ns, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      policy(`${ns}-allow-dns`, 'allow-dns', ns, { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule(props.nodeLocalDnsAddress)] });
    }
    policy('within', 'allow-within-namespace', props.namespace, {
      podSelector: {}, policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }],
    });
    policy('es-from-agent', 'elasticsearch-from-agent', props.namespace, {
      podSelector: { matchLabels: props.elasticsearchPods }, policyTypes: ['Ingress'],
      ingress: [{ from: [inNamespace(props.agentNamespace)], ports: [tcp(9200)] }],
    });
    if (props.gatewayNamespace !== undefined) {
      policy('kibana-from-gateway', 'kibana-from-gateway', props.namespace, {
        podSelector: { matchLabels: props.kibanaPods }, policyTypes: ['Ingress'],
        ingress: [{ from: [inNamespace(props.gatewayNamespace)], ports: [tcp(5601)] }],
      });
    }
    policy('api-clients', 'api-server-clients', props.namespace, {
      podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [...props.apiClients] }] },
      policyTypes: ['Egress'], egress: [api],
    });
    policy('agent-out', 'agent-to-elasticsearch-and-api', props.agentNamespace, {
      podSelector: {}, policyTypes: ['Egress'],
      egress: [{ to: [{ ...inNamespace(props.namespace), podSelector: { matchLabels: props.elasticsearchPods } }], ports: [tcp(9200)] }, api],
    });
  }
}
