export { ACME_SERVERS, AcmeIssuers, type AcmeIssuersProps, type AcmeServer } from './acme-issuers';
export { EdgeCloudValues } from './cloud-values';
export {
  attachedListeners, certificateCovers, hostsClaimedTwice, hostsOutsideZone, isInZone, listenerMatches, listenersWithoutCertificate, publishedHosts,
  routeHostsWithoutListener, routedTargetPorts, type AttachedListener, type GatewayIdentity,
} from './edge-checks';
export { edgeAddon } from './edge-addon';
export { EdgeNetworkPolicies, type EdgeNetworkPoliciesProps } from './edge-network-policies';
export {
  ACCESS_LOG_FIELDS, ENVOY_PROXY_NAME, EXTERNAL_DNS_HOSTNAME, EdgeProxy, hostnameAnnotation, nlbAnnotations,
  type EdgeProxyProps, type EdgeProxyResolvedProps, type LoadBalancerProps, type LoadBalancerScheme, type ProxyScale,
} from './edge-proxy';
export { Edge, PLATFORM_GATEWAY_IDENTITY, type EdgeDefinition, type EdgeProps } from './edge';
export { CONTROLLER_CERT_SECRET, CONTROLLER_NAME, EnvoyGatewayController, type EdgeControllerProps, type EnvoyGatewayControllerProps } from './envoy-gateway-controller';
export { CERTGEN_RULES, CONTROLLER_CLUSTER_RULES, CONTROLLER_INFRA_RULES, CONTROLLER_LEADER_RULES } from './envoy-gateway-rbac';
export { frontPlacement, type Placement } from './front-nodes';
export { GatewayCrds, gatewayCrdObjects } from './gateway-crds';
export { HostCertificate, type HostCertificateProps } from './host-certificate';
export { CONTROLLER_PORTS, EDGE_IMAGES, PROXY_PORTS } from './images';
export { HTTP_LISTENER, PlatformGateway, type PlatformGatewayProps } from './platform-gateway';
