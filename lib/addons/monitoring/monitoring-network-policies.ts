import type { IConstruct } from 'constructs';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Cidr, Platform, PlatformError, parseAt, type CidrLike } from '../../core';
import { dnsEgressRule, gatewayProxyPeer } from '../../tenancy/network-policies';
import { checkProps } from '../../core/props-check';
import { API_SERVER_PORT } from './scrape-jobs';
import { portsOn, type ScrapeReach } from './scrape-reach';

/**
 * One way out of the cluster a component needs: to a service outside known by name (a receiver,
 * the OIDC provider, the long-term store). A NetworkPolicy matches addresses, not names, so the
 * blocks are declared (`egressTo`); without them the way out is the public internet on the
 * service's port (see {@link PUBLIC_INTERNET_EXCEPT}).
 */
export interface MonitoringEgress {
  /** The `app.kubernetes.io/name` of the pods that call out. */
  readonly component: string;
  /** The policy's name (`monitoring-allow-<what>`). */
  readonly policy: string;
  /** The blocks the service is at. @default - the public internet */
  readonly to?: readonly CidrLike[] | undefined;
  /** The TCP port (from the service's URL). */
  readonly port: number;
}

/** Props of {@link MonitoringNetworkPolicies}. */
export interface MonitoringNetworkPoliciesProps {
  /** The monitoring namespace. */
  readonly namespace: string;
  /** The `app.kubernetes.io/name` of Prometheus's pods. */
  readonly prometheus: string;
  /** Grafana's pods and the port the Gateway's Envoy pods reach them on. */
  readonly grafana: { readonly name: string; readonly port: number };
  /** The cluster's pod block. */
  readonly podCidr: CidrLike;
  /** The cluster's VPC block: the nodes, the masters, the API servers. */
  readonly vpcCidr: CidrLike;
  /** Where Prometheus's scrape jobs reach, as derived from the rendered jobs. */
  readonly scrapes: readonly ScrapeReach[];
  /** The components that call the API server (discovery, kube-state-metrics, the probes). */
  readonly apiClients: readonly string[];
  /** The ways out of the cluster. @default [] */
  readonly egress?: readonly MonitoringEgress[];
  /** The NodeLocal DNSCache address, when the cluster runs it. @default - kube-dns only */
  readonly nodeLocalDnsAddress?: string;
}

const NAME_LABEL = 'app.kubernetes.io/name';

/**
 * What "the public internet" leaves out: the private blocks (RFC 1918), the shared block kops
 * takes pods and Services from (100.64.0.0/10, RFC 6598), link-local (the instance metadata
 * service) and loopback. A way out with no declared blocks goes to every other address, on its
 * one port: it cannot reach the cluster, the VPC or a peered network, but it can reach any public
 * host on that port, since Slack, PagerDuty and most SaaS endpoints publish no address ranges.
 */
export const PUBLIC_INTERNET_EXCEPT: readonly string[] = ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'];

/** The TCP port an http(s) URL is served on: its own, else 443 for https and 80 for http. */
export function urlPort(scope: IConstruct, field: string, url: string): number {
  // WHATWG URL (Node's URL) drops a scheme's default port from `port`, and refuses ports over 65535.
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  const scheme = parsed !== undefined && parsed.hostname !== '' && !/\s/.test(url) ? parsed.protocol : undefined;
  const fallback = scheme === 'https:' ? 443 : scheme === 'http:' ? 80 : undefined;
  const port = fallback === undefined || parsed === undefined ? undefined : parsed.port === '' ? fallback : Number(parsed.port);
  if (port === undefined || port < 1) {
    throw PlatformError.at(scope, { field, value: url, rule: 'is not an http(s) URL with a valid port', fix: 'write the URL as https://host[:port]/path' });
  }
  return port;
}

/**
 * The monitoring namespace's network policies: deny everything, then allow DNS and traffic among
 * the monitoring components, and each way out that a component has:
 * - Prometheus to the pod block and the VPC block, on the ports its scrape jobs reach there (read
 *   from the rendered jobs: the kubelets, the control plane, node-exporter, NodeLocal DNS, etcd
 *   on the nodes; CoreDNS and the services job on pods, the latter on each Service's own port);
 * - the components that call the API server, to the VPC block on the API server's port (policy
 *   applies after a Service address is translated to an API server's, so the `kubernetes`
 *   Service is reached through its endpoints);
 * - each way out of the cluster (receivers, the OIDC provider, the long-term store) to its
 *   declared blocks, or the public internet, on its port.
 * Grafana takes requests from the Gateway's Envoy pods.
 */
export class MonitoringNetworkPolicies extends Construct {
  public constructor(scope: Construct, id: string, props: MonitoringNetworkPoliciesProps) {
    super(scope, id);
    props = checkProps(this, MonitoringNetworkPolicies, props);
    const podCidr = parseAt(this, 'podCidr', () => Cidr.of(props.podCidr));
    const vpcCidr = parseAt(this, 'vpcCidr', () => Cidr.of(props.vpcCidr));
    const policy = (name: string, spec: k8s.NetworkPolicySpec) =>
      new k8s.KubeNetworkPolicy(this, name, { metadata: { name, namespace: props.namespace, labels: { 'app.kubernetes.io/managed-by': Platform.managedBy } }, spec });
    const named = (name: string): k8s.LabelSelector => ({ matchLabels: { [NAME_LABEL]: name } });
    const tcp = (ports: readonly number[]): k8s.NetworkPolicyPort[] => ports.map((p) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(p) }));
    const block = (cidr: Cidr): k8s.NetworkPolicyPeer => ({ ipBlock: { cidr: cidr.toString() } });

    policy('monitoring-default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy('monitoring-allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule(props.nodeLocalDnsAddress)] });
    policy('monitoring-allow-same-namespace', {
      podSelector: {}, policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }],
    });

    const rules = ([['pods', podCidr], ['nodes', vpcCidr]] as const).flatMap(([network, cidr]): k8s.NetworkPolicyEgressRule[] => {
      const ports = portsOn(props.scrapes, network);
      if (ports === 'any') return [{ to: [block(cidr)] }];
      return ports.length > 0 ? [{ to: [block(cidr)], ports: tcp(ports) }] : [];
    });
    if (rules.length > 0) policy('monitoring-allow-prometheus-scrapes', { podSelector: named(props.prometheus), policyTypes: ['Egress'], egress: rules });

    policy('monitoring-allow-api-server', {
      podSelector: { matchExpressions: [{ key: NAME_LABEL, operator: 'In', values: [...props.apiClients] }] },
      policyTypes: ['Egress'],
      egress: [{ to: [block(vpcCidr)], ports: tcp([API_SERVER_PORT]) }],
    });

    const publicInternet: k8s.NetworkPolicyPeer = {
      ipBlock: { cidr: '0.0.0.0/0', except: exceptOf([...PUBLIC_INTERNET_EXCEPT.map((c) => Cidr.of(c)), podCidr, vpcCidr]) },
    };
    const byPolicy = new Map<string, { component: string; rules: Map<string, k8s.NetworkPolicyEgressRule> }>();
    (props.egress ?? []).forEach((e, i) => {
      const to = e.to === undefined ? [publicInternet] : e.to.map((c, j) => block(parseAt(this, `egress[${i}].to[${j}]`, () => Cidr.of(c))));
      const entry = byPolicy.get(e.policy) ?? { component: e.component, rules: new Map() };
      const rule: k8s.NetworkPolicyEgressRule = { to, ports: tcp([e.port]) };
      entry.rules.set(JSON.stringify(rule), rule);
      byPolicy.set(e.policy, entry);
    });
    for (const [name, entry] of byPolicy) {
      policy(name, { podSelector: named(entry.component), policyTypes: ['Egress'], egress: [...entry.rules.values()] });
    }

    policy('monitoring-allow-grafana-ingress', {
      podSelector: named(props.grafana.name), policyTypes: ['Ingress'],
      ingress: [{ from: [gatewayProxyPeer()], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(props.grafana.port) }] }],
    });
  }
}

/** The blocks to leave out, each once: none inside another, sorted by address. */
function exceptOf(blocks: readonly Cidr[]): string[] {
  const kept = blocks.filter((b, i) => !blocks.some((o, j) => j !== i && o.contains(b) && !(b.contains(o) && j > i)));
  return [...new Set(kept.map((b) => b.toString()))].sort((a, b) => Cidr.of(a).network.localeCompare(Cidr.of(b).network, 'en', { numeric: true }));
}
