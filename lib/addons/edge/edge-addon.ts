import type { AddonSpec } from '../addon-spec';
import { Platform, PlatformError } from '../../core';
import { Edge, type EdgeDefinition } from './edge';
import { GatewayCrds } from './gateway-crds';

/**
 * The edge: Envoy Gateway on the front nodes behind an AWS NLB, the platform Gateway, the ACME
 * issuers, network policies and the route checks. Other addons attach HTTPRoutes to the Gateway
 * it provides (with `GatewayRoute` from lib/apps).
 */
export const edgeAddon: AddonSpec<'edge', EdgeDefinition> = {
  key: 'edge',
  phase: 'addons',
  provides: (_props, cluster) => (cluster.dnsZone === undefined ? {} : {
    gateway: { name: Platform.gatewayName, namespace: Platform.gatewayNamespace, dnsZone: cluster.dnsZone },
  }),
  // The Gateway API standard CRDs and Envoy Gateway's own, applied in the crds phase before the
  // edge's Gateway and every route.
  crds(scope) {
    new GatewayCrds(scope, 'crds');
  },
  build(scope, props, context) {
    const { cluster } = context;
    if (cluster.dnsZone === undefined) {
      throw PlatformError.at(scope, {
        field: 'edge', rule: 'needs a DNS zone, and the cluster uses gossip DNS', fix: 'give the cluster a Route53 zone (kubernetes.dnsZone), or drop the edge',
      });
    }
    new Edge(scope, 'edge', {
      ...props,
      dnsZone: cluster.dnsZone,
      region: cluster.region,
      apiServerCidr: cluster.vpcCidr,
      nodeGroups: cluster.nodeGroups,
      ...(cluster.nodeLocalDnsAddress === undefined ? {} : { nodeLocalDnsAddress: cluster.nodeLocalDnsAddress }),
    });
  },
};
