import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, type IConstruct } from 'constructs';
import { type Cidr, Platform } from '../../core';
import { arr, isObject, obj, str, strings, type JsonObject } from '../../policy/manifest';
import { dnsEgressRule, namespaceNamed } from '../../tenancy/network-policies';
import { ingressBackends } from './edge-checks';
import { CONTROLLER_PORTS } from './ingress-nginx';

/** Props of {@link EdgeNetworkPolicies}. */
export interface EdgeNetworkPoliciesProps {
  /** The edge namespace. */
  readonly namespace: string;
  /** The labels that select the controller's pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The client blocks the load balancer admits (with `externalTrafficPolicy: Local` the client address reaches the pod). */
  readonly clientCidrs: readonly Cidr[];
  /** The block the API servers' addresses are in (the cluster's VPC). */
  readonly apiServerCidr: Cidr;
  /** The NodeLocal DNSCache address, when the cluster runs it. */
  readonly nodeLocalDnsAddress: string | undefined;
  /** Namespaces whose services are deployed from service repos (not in this tree): the controller may reach any pod there. */
  readonly backendNamespaces: readonly string[];
  /** The scope whose Ingresses and Services decide the backends (the Environment). */
  readonly routes: IConstruct;
}

const tcp = (port: number | string): k8s.NetworkPolicyPort => ({
  protocol: 'TCP', port: typeof port === 'number' ? k8s.IntOrString.fromNumber(port) : k8s.IntOrString.fromString(port),
});

/**
 * The edge namespace's network policies: deny everything, then admit clients on the controller's
 * ports and Prometheus on its metrics port, and let the controller reach DNS, the API server and
 * only the pods behind a Service some Ingress of the tree routes to (computed at synth, so
 * services added after the edge count), plus the declared service-repo namespaces.
 */
export class EdgeNetworkPolicies extends Construct {
  public constructor(scope: Construct, id: string, props: EdgeNetworkPoliciesProps) {
    super(scope, id);
    const controller: k8s.LabelSelector = { matchLabels: { ...props.podLabels } };
    const policy = (name: string, spec: k8s.NetworkPolicySpec) =>
      new k8s.KubeNetworkPolicy(this, name, { metadata: { name, namespace: props.namespace, labels: { 'app.kubernetes.io/managed-by': Platform.managedBy } }, spec });

    policy('edge-default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy('edge-allow-clients', {
      podSelector: controller, policyTypes: ['Ingress'],
      ingress: [{ from: props.clientCidrs.map((c) => ({ ipBlock: { cidr: c.toString() } })), ports: [tcp(CONTROLLER_PORTS.http), tcp(CONTROLLER_PORTS.https)] }],
    });
    policy('edge-allow-monitoring', {
      podSelector: controller, policyTypes: ['Ingress'],
      ingress: [{ from: [namespaceNamed(Platform.monitoringNamespace)], ports: [tcp(CONTROLLER_PORTS.metrics)] }],
    });
    policy('edge-allow-dns', { podSelector: controller, policyTypes: ['Egress'], egress: [dnsEgressRule(props.nodeLocalDnsAddress)] });
    policy('edge-allow-api-server', {
      podSelector: controller, policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: props.apiServerCidr.toString() } }], ports: [tcp(443)] }],
    });
    new ApiObject(this, 'edge-allow-backends', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'edge-allow-backends', namespace: props.namespace, labels: { 'app.kubernetes.io/managed-by': Platform.managedBy } },
      spec: {
        podSelector: controller,
        policyTypes: ['Egress'],
        egress: Lazy.any({ produce: () => backendRules(props.routes, props.backendNamespaces) }),
      },
    });
  }
}

interface EgressRule {
  readonly to: JsonObject[];
  readonly ports?: { protocol: string; port: string | number }[];
}

/** One egress rule per routed Service (its pods, on its target port), then one per service-repo namespace. */
function backendRules(routes: IConstruct, backendNamespaces: readonly string[]): EgressRule[] {
  const objects = routes.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
  const services = new Map<string, JsonObject>();
  for (const s of objects.filter((o) => o.kind === 'Service')) {
    const json = s.toJson() as JsonObject;
    const meta = obj(json, 'metadata');
    services.set(`${str(meta, 'namespace') ?? ''}/${str(meta, 'name') ?? ''}`, json);
  }
  const rules = new Map<string, EgressRule>();
  for (const b of ingressBackends(objects)) {
    const svc = services.get(`${b.namespace}/${b.service}`);
    const selector = strings(obj(svc, 'spec'), 'selector');
    const ns = namespaceNamed(b.namespace) as JsonObject;
    if (svc === undefined || Object.keys(selector).length === 0) {
      // A Service this tree does not define (or one without a selector): its namespace, any port.
      rules.set(`${b.namespace}`, { to: [ns] });
      continue;
    }
    const port = arr(obj(svc, 'spec'), 'ports').find((p) => isObject(p) && (p.name === b.port || p.port === b.port));
    const target = isObject(port) ? (port.targetPort ?? port.port) : undefined;
    const peer = { ...ns, podSelector: { matchLabels: selector } };
    const key = `${b.namespace}/${b.service}/${String(target)}`;
    if (rules.has(b.namespace)) continue;
    rules.set(key, typeof target === 'string' || typeof target === 'number' ? { to: [peer], ports: [{ protocol: 'TCP', port: target }] } : { to: [peer] });
  }
  for (const name of backendNamespaces) rules.set(name, { to: [namespaceNamed(name) as JsonObject] });
  return [...rules.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r);
}
