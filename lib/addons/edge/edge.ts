import { ApiObject } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { Environment } from '../../core/environment';
import { DnsName, Cidr, type CidrLike, type NodeGroupFacts, Platform, PlatformError, parseAt } from '../../core';
import { PlatformNamespace } from '../../tenancy/platform-namespace';
import { AcmeIssuers, type AcmeServer } from './acme-issuers';
import { EdgeCloudValues } from './cloud-values';
import { hostsClaimedTwice, hostsOutsideZone, isInZone, listenersWithoutCertificate, publishedHosts, routeHostsWithoutListener, routedTargetPorts, type GatewayIdentity } from './edge-checks';
import { EdgeNetworkPolicies } from './edge-network-policies';
import { EdgeProxy, type EdgeProxyProps, type LoadBalancerProps } from './edge-proxy';
import { EnvoyGatewayController, type EdgeControllerProps } from './envoy-gateway-controller';
import { frontPlacement } from './front-nodes';
import { PlatformGateway } from './platform-gateway';
import { checkProps } from '../../core/props-check';

/** The edge of a cluster, as its definition states it (`addons.edge`); the rest comes from the cluster's facts. */
export interface EdgeDefinition {
  /** The ACME account's contact address (Let's Encrypt's expiry notices). */
  readonly acmeEmail: string;
  /** The ACME directory of the issuer every route's certificate names: 'staging' where certificates need not be trusted (e2e). @default 'production' */
  readonly platformIssuer?: AcmeServer;
  /** The node group the Envoy pods are pinned to (its labels selected, its taints tolerated), by name. @default - any worker node */
  readonly frontNodes?: string;
  /** The AWS NLB in front of the Envoy pods. @default - internet-facing, open to every client */
  readonly loadBalancer?: LoadBalancerProps;
  /** The Envoy pods: image, replicas or autoscaling, resources. @default - EDGE_IMAGES.envoy, 3 replicas */
  readonly proxy?: EdgeProxyProps;
  /** The Envoy Gateway controller: image, replicas, resources, log level. @default - EDGE_IMAGES.controller, 2 replicas */
  readonly controller?: EdgeControllerProps;
  /**
   * Hosts whose routes are deployed from service repos (not in this tree): the Envoy Service
   * carries them for external-dns too. Each must be in the cluster's DNS zone. @default []
   */
  readonly serviceRepoHosts?: readonly string[];
  /**
   * Container ports (names or numbers) the Envoy pods may reach in namespaces that serve hosts,
   * besides the target ports of the routes in this tree: those of service-repo backends.
   * @default ['http'] (a WebService's default port name)
   */
  readonly serviceRepoPorts?: readonly (string | number)[];
}

/** Props of the {@link Edge}: its definition and the cluster facts it needs. */
export interface EdgeProps extends EdgeDefinition {
  /** The Route53 zone every route host must be in: the cluster's `dnsZone`, where kops's external-dns writes and DNS-01 is solved. */
  readonly dnsZone: string;
  /** The Route53 hosted zone ID of `dnsZone`. @default EdgeCloudValues.hostedZoneId(dnsZone), filled by the stack */
  readonly hostedZoneId?: string;
  /** The cluster's AWS region, for cert-manager's Route53 client. */
  readonly region: string;
  /** The block the API servers' addresses are in (the cluster's VPC CIDR): the controller's only egress outside the cluster. */
  readonly apiServerCidr: CidrLike;
  /** The NodeLocal DNSCache address, when the cluster runs it. @default - none: DNS goes to kube-dns only */
  readonly nodeLocalDnsAddress?: string;
  /** The cluster's worker node groups, which `frontNodes` names one of. */
  readonly nodeGroups: readonly NodeGroupFacts[];
}


/** The platform Gateway as the checks and routes name it. */
export const PLATFORM_GATEWAY_IDENTITY: GatewayIdentity = { name: Platform.gatewayName, namespace: Platform.gatewayNamespace };

/**
 * The cluster's edge on the Gateway API: Envoy Gateway's controller, the Envoy pods on the front
 * nodes behind an AWS NLB (an EnvoyProxy), the GatewayClass and the one Gateway (HTTP redirected
 * to HTTPS; hosts come as ListenerSets from the namespaces that serve them), cert-manager
 * ClusterIssuers (ACME DNS-01 on Route53), network policies, and the whole-tree checks that every
 * route host is in the DNS zone, has an HTTPS listener and a certificate. Every listener hostname
 * is published through the Envoy Service's external-dns annotation.
 */
export class Edge extends Construct {
  /** The edge namespace. */
  public readonly namespace: PlatformNamespace;
  /** The Envoy Gateway controller. */
  public readonly controller: EnvoyGatewayController;
  /** The data plane: EnvoyProxy and GatewayClass. */
  public readonly proxy: EdgeProxy;
  /** The Gateway. */
  public readonly gateway: PlatformGateway;
  /** The ClusterIssuers. */
  public readonly issuers: AcmeIssuers;
  /** The DNS zone every host is in. */
  public readonly dnsZone: string;
  /** The Route53 hosted zone ID (a placeholder offline): kops's `spec.certManager.hostedZoneIDs` must list it. */
  public readonly hostedZoneId: string;

  public constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    props = checkProps(this, Edge, props);
    if (!DnsName.isValid(props.dnsZone)) {
      throw PlatformError.at(this, { field: 'dnsZone', value: props.dnsZone, rule: 'is not a lowercase DNS name with at least two labels', fix: "give the Route53 zone the cluster's hosts are in, e.g. 'example.com'" });
    }
    const hostedZoneId = props.hostedZoneId ?? EdgeCloudValues.hostedZoneId(props.dnsZone);
    const serviceRepoHosts = props.serviceRepoHosts ?? [];
    const serviceRepoPorts = props.serviceRepoPorts ?? ['http'];
    this.dnsZone = props.dnsZone;
    this.hostedZoneId = hostedZoneId;
    serviceRepoHosts.forEach((host, i) => {
      if (!DnsName.isValid(host)) {
        throw PlatformError.at(this, { field: `serviceRepoHosts[${i}]`, value: host, rule: 'is not a fully qualified lowercase DNS name', fix: "write a host such as 'api.example.com'" });
      }
      if (!isInZone(host, props.dnsZone)) {
        throw PlatformError.at(this, { field: `serviceRepoHosts[${i}]`, value: host, rule: `is outside the cluster's DNS zone ${props.dnsZone}`, fix: `use a host under ${props.dnsZone}, or list it on the cluster whose zone holds it` });
      }
    });
    const apiServerCidr = parseAt(this, 'apiServerCidr', () => Cidr.of(props.apiServerCidr));
    const placement = frontPlacement(this, props.frontNodes, props.nodeGroups);
    const tree: IConstruct = Environment.find(this) ?? this.node.root;
    const objects = (): ApiObject[] => tree.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
    const gatewayId = PLATFORM_GATEWAY_IDENTITY;

    this.namespace = new PlatformNamespace(this, 'namespace', { name: Platform.gatewayNamespace });
    this.controller = new EnvoyGatewayController(this, 'controller', { ...props.controller, namespace: this.namespace.name });
    this.proxy = new EdgeProxy(this, 'proxy', {
      ...props.proxy,
      namespace: this.namespace.name,
      placement,
      ...(props.loadBalancer === undefined ? {} : { loadBalancer: props.loadBalancer }),
      hosts: () => [...publishedHosts(objects(), gatewayId), ...serviceRepoHosts],
    });
    this.gateway = new PlatformGateway(this, 'gateway', { namespace: this.namespace.name, gatewayClassName: Platform.gatewayClassName });
    this.issuers = new AcmeIssuers(this, 'issuers', {
      email: props.acmeEmail, dnsZone: this.dnsZone, hostedZoneId, region: props.region,
      ...(props.platformIssuer === undefined ? {} : { platformIssuer: props.platformIssuer }),
    });
    new EdgeNetworkPolicies(this, 'network-policies', {
      namespace: this.namespace.name,
      controllerLabels: this.controller.selectorLabels,
      certgenLabels: this.controller.certgenLabels,
      clientCidrs: this.proxy.clientCidrs,
      apiServerCidr,
      nodeLocalDnsAddress: props.nodeLocalDnsAddress,
      backendPorts: () => {
        const ports = new Map<string, string | number>();
        for (const p of [...routedTargetPorts(objects()), ...serviceRepoPorts]) ports.set(`${typeof p}:${String(p)}`, p);
        return [...ports.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, p]) => p);
      },
    });
    this.node.addValidation({
      validate: () => {
        const all = objects();
        return [
          ...hostsOutsideZone(all, gatewayId, this.dnsZone), ...hostsClaimedTwice(all, gatewayId),
          ...routeHostsWithoutListener(all, gatewayId), ...listenersWithoutCertificate(all, gatewayId),
        ];
      },
    });
  }
}
