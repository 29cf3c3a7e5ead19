import type { Construct } from 'constructs';
import type { AddonSpec } from '../addon-spec';
import { Platform, PlatformError } from '../../core';
import { Edge, type EdgeDefinition } from './edge';
import { GatewayCrds } from './gateway-crds';

/**
 * The CRDs of the edge (Gateway API standard channel, Envoy Gateway's own), in a chart of the
 * `crds` phase, so the deployer applies them before the edge's Gateway and every route. The
 * composition root runs it whenever `addons.edge` is set (it reads nothing of the definition).
 */
export const edgeCrdsAddon: AddonSpec<'edge-crds', EdgeDefinition> = {
  key: 'edge-crds',
  phase: 'crds',
  build(scope: Construct) {
    new GatewayCrds(scope, 'crds');
  },
};

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
  build(scope, props, context) {
    const { cluster } = context;
    if (cluster.dnsZone === undefined) {
      throw PlatformError.at(scope, {
        field: 'addons.edge', rule: 'needs a DNS zone, and the cluster uses gossip DNS', fix: 'give the cluster a Route53 zone (kubernetes.dnsZone), or drop the edge',
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
