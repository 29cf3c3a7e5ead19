import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Platform } from '../../core';
import { dnsEgressRule, gatewayProxyPeer } from '../../tenancy/network-policies';
import { checkProps } from '../../core/props-check';

/** Props of {@link MonitoringNetworkPolicies}. */
export interface MonitoringNetworkPoliciesProps {
  /** The monitoring namespace. */
  readonly namespace: string;
  /** The `app.kubernetes.io/name` of Prometheus's pods. */
  readonly prometheus: string;
  /** Grafana's pods and the port the Gateway's Envoy pods reach them on. */
  readonly grafana: { readonly name: string; readonly port: number };
  /** The components that call out on HTTPS: receivers (Alertmanager), the OIDC issuer (Grafana), the API server (kube-state-metrics, the probes). */
  readonly httpsClients: readonly string[];
  /** The NodeLocal DNSCache address, when the cluster runs it. @default - kube-dns only */
  readonly nodeLocalDnsAddress?: string;
}

const NAME_LABEL = 'app.kubernetes.io/name';

/**
 * The monitoring namespace's network policies: deny everything, then allow DNS and traffic
 * among the monitoring components; Prometheus may reach any address (its targets are pods,
 * node ports and the masters' etcd metrics, across the cluster); Grafana takes requests from the
 * Gateway's Envoy pods; the components that call out reach HTTPS only. node-exporter runs on the
 * host network, which NetworkPolicies do not cover.
 */
export class MonitoringNetworkPolicies extends Construct {
  public constructor(scope: Construct, id: string, props: MonitoringNetworkPoliciesProps) {
    super(scope, id);
    props = checkProps(this, MonitoringNetworkPolicies, props);
    const policy = (name: string, spec: k8s.NetworkPolicySpec) =>
      new k8s.KubeNetworkPolicy(this, name, { metadata: { name, namespace: props.namespace, labels: { 'app.kubernetes.io/managed-by': Platform.managedBy } }, spec });
    const named = (name: string): k8s.LabelSelector => ({ matchLabels: { [NAME_LABEL]: name } });

    policy('monitoring-default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy('monitoring-allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule(props.nodeLocalDnsAddress)] });
    policy('monitoring-allow-same-namespace', {
      podSelector: {}, policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }],
    });
    policy('monitoring-allow-prometheus-scrapes', { podSelector: named(props.prometheus), policyTypes: ['Egress'], egress: [{}] });
    policy('monitoring-allow-grafana-ingress', {
      podSelector: named(props.grafana.name), policyTypes: ['Ingress'],
      ingress: [{ from: [gatewayProxyPeer()], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(props.grafana.port) }] }],
    });
    policy('monitoring-allow-https-out', {
      podSelector: { matchExpressions: [{ key: NAME_LABEL, operator: 'In', values: [...props.httpsClients] }] },
      policyTypes: ['Egress'],
      egress: [{ ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(443) }] }],
    });
  }
}
