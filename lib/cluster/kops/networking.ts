import type { IConstruct } from 'constructs';
import type { ClusterSpecNetworking } from '../../../imports/kops.k8s.io';
import { PlatformError } from '../../core';

/** When Calico encapsulates pod traffic: always, only between subnets, or never. */
export type CalicoMode = 'Always' | 'CrossSubnet' | 'Never';

/** Calico: BGP routing, encapsulation only where needed, and NetworkPolicy enforcement. */
export interface CalicoProps {
  readonly cni: 'calico';
  /** The encapsulation used where `mode` asks for one. @default 'ipip' */
  readonly encapsulation?: 'ipip' | 'vxlan';
  /** When traffic is encapsulated; `CrossSubnet` suits a multi-zone AWS cluster. @default 'CrossSubnet' */
  readonly mode?: CalicoMode;
  /** Typha replicas (the datastore fan-out); 0 turns Typha off. @default 3 */
  readonly typhaReplicas?: number;
  /** The pod network MTU. @default - Calico's autodetection */
  readonly mtu?: number;
  /** Encrypt pod traffic between nodes with WireGuard. @default false */
  readonly wireguard?: boolean;
}

/** flannel (vxlan): simple, but enforces no NetworkPolicy. */
export interface FlannelProps {
  readonly cni: 'flannel';
  /**
   * Accept that NetworkPolicies are not enforced on a cluster that needs them (see
   * `KopsClusterProps.networkPolicyRequired`); explicit and visible.
   * @default false
   */
  readonly acceptUnenforcedNetworkPolicy?: boolean;
}

/** The pod network. */
export type NetworkingProps = CalicoProps | FlannelProps;

/** The kops `spec.networking` for the choice, after refusing impossible combinations. */
export function networkingSpec(scope: IConstruct, props: NetworkingProps, zoneCount: number, networkPolicyRequired: boolean): ClusterSpecNetworking {
  if (props.cni === 'flannel') {
    if (networkPolicyRequired && props.acceptUnenforcedNetworkPolicy !== true) {
      throw PlatformError.at(scope, {
        field: 'networking.cni', value: 'flannel', rule: 'enforces no NetworkPolicy, which this cluster requires (networkPolicyRequired)',
        fix: "use cni: 'calico', or set acceptUnenforcedNetworkPolicy: true",
      });
    }
    return { flannel: { backend: 'vxlan' } };
  }
  const encapsulation = props.encapsulation ?? 'ipip';
  const mode = props.mode ?? 'CrossSubnet';
  const typhaReplicas = props.typhaReplicas ?? 3;
  if (mode === 'Never' && zoneCount > 1) {
    throw PlatformError.at(scope, {
      field: 'networking.mode', value: mode, rule: `cannot route pod traffic between the subnets of ${zoneCount} zones on AWS`,
      fix: "use 'CrossSubnet' (encapsulate only between subnets) or 'Always'",
    });
  }
  if (!Number.isInteger(typhaReplicas) || typhaReplicas < 0) {
    throw PlatformError.at(scope, { field: 'networking.typhaReplicas', value: typhaReplicas, rule: 'must be a whole number >= 0', fix: 'use 3 for HA, 0 to run without Typha' });
  }
  if (props.mtu !== undefined && (!Number.isInteger(props.mtu) || props.mtu < 1000 || props.mtu > 9001)) {
    throw PlatformError.at(scope, { field: 'networking.mtu', value: props.mtu, rule: 'must be a whole number from 1000 to 9001', fix: 'leave it unset for autodetection, or use the VPC MTU less the encapsulation overhead' });
  }
  return {
    calico: {
      encapsulationMode: encapsulation,
      ...(encapsulation === 'ipip' ? { ipipMode: mode, vxlanMode: 'Never' } : { vxlanMode: mode, ipipMode: 'Never' }),
      // Unencapsulated pod traffic (same subnet in CrossSubnet, all of it in Never) carries pod
      // addresses the EC2 source/destination check drops; with Always every packet is node-to-node.
      awsSrcDstCheck: mode === 'Always' ? 'Enable' : 'Disable',
      typhaReplicas,
      ...(props.mtu === undefined ? {} : { mtu: props.mtu }),
      wireguardEnabled: props.wireguard ?? false,
    },
  };
}
