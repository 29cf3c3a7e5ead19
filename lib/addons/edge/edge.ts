import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DnsName, Cidr, type CidrLike, Environment, Platform, PlatformChart, PlatformError, parseAt } from '../../core';
import { PlatformNamespace } from '../../tenancy/platform-namespace';
import { AcmeIssuers, type AcmeServer } from './acme-issuers';
import { EdgeCloudValues } from './cloud-values';
import { hostsOutsideZone, tlsHostsWithoutIssuer } from './edge-checks';
import { EdgeNetworkPolicies } from './edge-network-policies';
import { frontPlacement, type FrontNodesProps } from './front-nodes';
import { IngressNginx, type IngressControllerProps, type LoadBalancerProps } from './ingress-nginx';

/** Props of the {@link Edge} addon. */
export interface EdgeProps {
  /**
   * The Route53 zone every Ingress host must be in (`example.com`): the cluster's kops `dnsZone`,
   * the one zone kops's external-dns writes records to and DNS-01 is solved in.
   */
  readonly dnsZone: string;
  /** The Route53 hosted zone ID of `dnsZone`. @default EdgeCloudValues.hostedZoneId(dnsZone), filled by the stack */
  readonly hostedZoneId?: string;
  /** The cluster's AWS region, for cert-manager's Route53 client (`eu-west-1`). */
  readonly region: string;
  /** The ACME account's contact address (Let's Encrypt's expiry notices). */
  readonly acmeEmail: string;
  /** The ACME directory of the issuer every Ingress names: 'staging' where certificates need not be trusted (e2e). @default 'production' */
  readonly platformIssuer?: AcmeServer;
  /** The block the API servers' addresses are in (the cluster's VPC CIDR): the controller's only egress outside the cluster. */
  readonly apiServerCidr: CidrLike;
  /** Pin the controller to dedicated front nodes (labels, taint, and the node groups that must provide them). @default - any worker node */
  readonly frontNodes?: FrontNodesProps;
  /** The AWS NLB in front of the controller. @default - internet-facing, open to every client */
  readonly loadBalancer?: LoadBalancerProps;
  /** The controller's image, replicas and resources. @default - INGRESS_NGINX_IMAGE, 3 replicas */
  readonly controller?: IngressControllerProps;
  /** The NodeLocal DNSCache address, when the cluster runs it (KopsCluster.nodeLocalDnsAddress). @default - none: DNS goes to kube-dns only */
  readonly nodeLocalDnsAddress?: string;
  /** Namespaces whose services come from service repos (not in this tree); the controller may reach any of their pods. @default [] */
  readonly backendNamespaces?: readonly string[];
}


/**
 * The cluster's edge: ingress-nginx on the front nodes behind an AWS NLB, in a restricted
 * namespace whose network policies admit only clients and Prometheus and reach only routed
 * services; cert-manager ClusterIssuers (ACME DNS-01 on Route53) for every TLS host; and the
 * whole-tree checks that every Ingress host is in the cluster's DNS zone (so kops's external-dns
 * publishes it) and every TLS host has an issuer.
 */
export class Edge extends Construct {
  /** The edge namespace. */
  public readonly namespace: PlatformNamespace;
  /** The ingress controller. */
  public readonly controller: IngressNginx;
  /** The ClusterIssuers. */
  public readonly issuers: AcmeIssuers;
  /** The DNS zone every host is in. */
  public readonly dnsZone: string;
  /** The Route53 hosted zone ID (a placeholder offline): kops's `spec.certManager.hostedZoneIDs` must list it. */
  public readonly hostedZoneId: string;

  public constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    if (!DnsName.isValid(props.dnsZone)) {
      throw PlatformError.at(this, { field: 'dnsZone', value: props.dnsZone, rule: 'is not a lowercase DNS name with at least two labels', fix: "give the Route53 zone the cluster's hosts are in, e.g. 'example.com'" });
    }
    const hostedZoneId = props.hostedZoneId ?? EdgeCloudValues.hostedZoneId(props.dnsZone);
    const backendNamespaces = props.backendNamespaces ?? [];
    this.dnsZone = props.dnsZone;
    this.hostedZoneId = hostedZoneId;
    const apiServerCidr = parseAt(this, 'apiServerCidr', () => Cidr.of(props.apiServerCidr));
    const placement = frontPlacement(this, props.frontNodes);

    this.namespace = new PlatformNamespace(this, 'namespace', { name: Platform.ingressNamespace });
    this.controller = new IngressNginx(this, 'controller', {
      ...props.controller,
      namespace: this.namespace.name,
      placement,
      ...(props.loadBalancer === undefined ? {} : { loadBalancer: props.loadBalancer }),
    });
    this.issuers = new AcmeIssuers(this, 'issuers', {
      email: props.acmeEmail, dnsZone: this.dnsZone, hostedZoneId, region: props.region,
      ...(props.platformIssuer === undefined ? {} : { platformIssuer: props.platformIssuer }),
    });
    const routes = Environment.of(this);
    new EdgeNetworkPolicies(this, 'network-policies', {
      namespace: this.namespace.name,
      podLabels: this.controller.selectorLabels,
      clientCidrs: this.controller.clientCidrs,
      apiServerCidr,
      nodeLocalDnsAddress: props.nodeLocalDnsAddress,
      backendNamespaces,
      routes,
    });
    this.node.addValidation({
      validate: () => {
        const objects = routes.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
        return [...hostsOutsideZone(objects, this.dnsZone), ...tlsHostsWithoutIssuer(objects)];
      },
    });
  }
}

/**
 * Adds the edge addon to a cluster's Environment as its own Chart, `addon-edge` (addon charts are
 * applied before teams and services).
 *
 * @example
 * addEdge(env, { dnsZone: 'example.com', region: 'eu-west-1', acmeEmail: 'platform@example.com', apiServerCidr: '10.10.0.0/16' });
 */
export function addEdge(scope: Environment, props: EdgeProps): Edge {
  const chart = new PlatformChart(scope, 'addon-edge', { phase: 'addons' });
  return new Edge(chart, 'edge', props);
}
