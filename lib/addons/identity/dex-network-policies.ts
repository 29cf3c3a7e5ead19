import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Platform } from '../../core';
import { dnsEgressRule, namespaceNamed } from '../../tenancy/network-policies';

/** Props of {@link DexNetworkPolicies}. */
export interface DexNetworkPoliciesProps {
  readonly namespace: string;
  /** The `app.kubernetes.io/name` of Dex's pods. */
  readonly name: string;
  /** The namespace the shared Gateway's proxies run in: sign-in requests come from there. */
  readonly gatewayNamespace: string;
  readonly httpPort: number;
  readonly telemetryPort: number;
  /** The VPC's block: the API servers (Dex's storage) are inside it. */
  readonly vpcCidr: string;
  /** The directory's port. */
  readonly ldapPort: number;
  /** @default - kube-dns only */
  readonly nodeLocalDnsAddress?: string;
}

/**
 * The identity namespace's network policies: deny everything, then let sign-in requests in from
 * the Gateway, scrapes of the telemetry port in from Prometheus, and Dex out to DNS, the API
 * servers (HTTPS inside the VPC) and the directory's port.
 */
export class DexNetworkPolicies extends Construct {
  public constructor(scope: Construct, id: string, props: DexNetworkPoliciesProps) {
    super(scope, id);
    const policy = (name: string, spec: k8s.NetworkPolicySpec) =>
      new k8s.KubeNetworkPolicy(this, name, { metadata: { name, namespace: props.namespace, labels: { 'app.kubernetes.io/managed-by': Platform.managedBy } }, spec });
    const dex: k8s.LabelSelector = { matchLabels: { 'app.kubernetes.io/name': props.name } };
    const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });

    policy('identity-default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy('identity-allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule(props.nodeLocalDnsAddress)] });
    policy('dex-allow-sign-in', { podSelector: dex, policyTypes: ['Ingress'], ingress: [{ from: [namespaceNamed(props.gatewayNamespace)], ports: [tcp(props.httpPort)] }] });
    policy('dex-allow-scrapes', { podSelector: dex, policyTypes: ['Ingress'], ingress: [{ from: [namespaceNamed(Platform.monitoringNamespace)], ports: [tcp(props.telemetryPort)] }] });
    policy('dex-allow-api-server', { podSelector: dex, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: props.vpcCidr } }], ports: [tcp(443)] }] });
    policy('dex-allow-directory', { podSelector: dex, policyTypes: ['Egress'], egress: [{ ports: [tcp(props.ldapPort)] }] });
  }
}
