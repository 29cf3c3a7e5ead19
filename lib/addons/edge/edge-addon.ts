import type { NodeTaint } from '../../core';
import { PlatformError } from '../../core';
import type { AddonSpec } from '../addon-spec';
import type { AcmeServer } from './acme-issuers';
import { Edge } from './edge';
import type { IngressControllerProps, LoadBalancerProps } from './ingress-nginx';

/** The edge of a cluster in its definition: what the cluster model does not already know. */
export interface EdgeDefinition {
  /** The address Let's Encrypt writes to about the cluster's certificates. */
  readonly acmeEmail: string;
  /**
   * The front nodes the ingress controller is pinned to: their labels and taint, which one of
   * the cluster's node groups must carry. @default - not pinned: the controller runs on any node
   */
  readonly frontNodes?: { readonly nodeSelector: Readonly<Record<string, string>>; readonly taint?: NodeTaint };
  /** The NLB in front of the controller. @default - internet-facing */
  readonly loadBalancer?: LoadBalancerProps;
  /** Which ACME server signs the `Platform.clusterIssuer` certificates. @default 'production' */
  readonly platformIssuer?: AcmeServer;
  /** The controller's image, replicas and resources. @default - see IngressControllerProps */
  readonly controller?: IngressControllerProps;
}

/** The edge addon: ingress, certificates and DNS for every host, fed from the cluster's DNS zone, VPC, NodeLocal DNS and node groups. */
export const edgeAddon: AddonSpec<'edge', EdgeDefinition> = {
  key: 'edge',
  phase: 'addons',
  build: (scope, props, { cluster }) => {
    if (cluster.dnsZone === undefined) {
      throw PlatformError.at(scope, { field: 'edge', rule: 'needs a DNS zone, and the cluster uses gossip DNS', fix: 'give the cluster a Route53 zone (kubernetes.dnsZone), or drop edge' });
    }
    const { frontNodes, ...edge } = props;
    new Edge(scope, 'edge', {
      ...edge,
      dnsZone: cluster.dnsZone,
      region: cluster.region,
      apiServerCidr: cluster.vpcCidr,
      ...(frontNodes === undefined ? {} : { frontNodes: { ...frontNodes, nodeGroups: cluster.nodeGroups } }),
      ...(cluster.nodeLocalDnsAddress === undefined ? {} : { nodeLocalDnsAddress: cluster.nodeLocalDnsAddress }),
    });
  },
};
