import * as pulumi from '@pulumi/pulumi';
import { CloudValues } from '../core/cloud-values';
import type { NetworkPlan } from '../cluster/network-plan';
import { DiscoveryBucket, discoveryBucketName } from './discovery-bucket';
import { permissionsBoundaryArn } from './deployer-policy';
import { DnsZone } from './dns-zone';
import { EtcdSnapshots } from './etcd-snapshots';
import { Network } from './network';
import { StateStore } from './state-store';
import { VpcEndpoints } from './vpc-endpoints';
import { checkArgs } from './args-check';

/** Inputs of {@link ClusterFoundation}. */
export interface ClusterFoundationArgs {
  /** The cluster's short name (`prod`). */
  readonly cluster: string;
  /** The cluster's DNS name (`prod.k8s.example.com`). */
  readonly clusterName: string;
  /** The region. */
  readonly region: string;
  /** The AWS account. */
  readonly accountId: string;
  /** The role the stack runs as (administers the cluster key). */
  readonly deployerRoleArn: string;
  /** The cluster model's network plan. */
  readonly networkPlan: NetworkPlan;
  /** The Route53 zone of the cluster's records. @default - none (gossip cluster) */
  readonly dnsZone?: string;
  /** An existing hosted zone for dnsZone. @default - a new zone is created */
  readonly existingDnsZoneId?: string;
  /** Other hosted zones the manifests name (DNS-01 solvers), by zone name (`example.com`). @default {} */
  readonly hostedZoneIds?: Readonly<Record<string, string>>;
  /** The Name tags of the etcd volumes to snapshot. */
  readonly etcdVolumeNames: readonly string[];
  /** Days VPC flow logs are kept. @default 90 */
  readonly flowLogRetentionDays?: number;
  /** Daily etcd snapshots kept per volume. @default 14 */
  readonly etcdSnapshotRetainCount?: number;
}

/**
 * Everything AWS must hold before kops runs: the network from the cluster model's plan, the VPC
 * endpoints, the state store and its key, the discovery bucket, the DNS zone and the etcd
 * snapshot policy — and the cloud values that fill the placeholders of the synthesized objects.
 */
export class ClusterFoundation extends pulumi.ComponentResource {
  public readonly network: Network;
  public readonly stateStore: StateStore;
  public readonly discovery: DiscoveryBucket;
  public readonly dns: DnsZone | undefined;
  /** The value of every cloud placeholder, keyed by placeholder text (`${cloud:vpcId}`). */
  public readonly cloudValues: pulumi.Output<Readonly<Record<string, string>>>;
  /** The placeholders {@link cloudValues} holds, known offline. */
  public readonly placeholders: readonly string[];

  public constructor(name: string, args: ClusterFoundationArgs, opts?: pulumi.ComponentResourceOptions) {
    checkArgs('platform:aws:ClusterFoundation', name, ClusterFoundation, args);
    super('platform:aws:ClusterFoundation', name, {}, opts);
    const child = { parent: this };
    this.network = new Network(`${name}-network`, {
      clusterName: args.clusterName, plan: args.networkPlan, permissionsBoundaryArn: permissionsBoundaryArn(args.accountId),
      ...(args.flowLogRetentionDays === undefined ? {} : { flowLogRetentionDays: args.flowLogRetentionDays }),
    }, child);
    new VpcEndpoints(`${name}-endpoints`, {
      vpcId: this.network.vpcId, vpcCidr: args.networkPlan.vpcCidr.toString(), region: args.region,
      privateSubnetIds: this.network.privateSubnetIds, privateRouteTableIds: this.network.privateRouteTableIds,
    }, child);
    this.stateStore = new StateStore(`${name}-state`, {
      cluster: args.cluster, accountId: args.accountId, deployerRoleArn: args.deployerRoleArn,
    }, child);
    this.discovery = new DiscoveryBucket(`${name}-discovery`, { bucketName: discoveryBucketName(args.accountId, args.cluster), issuerPrefix: args.clusterName }, child);
    this.dns = args.dnsZone === undefined ? undefined : new DnsZone(`${name}-dns`, {
      zoneName: args.dnsZone, ...(args.existingDnsZoneId === undefined ? {} : { existingZoneId: args.existingDnsZoneId }),
    }, child);
    new EtcdSnapshots(`${name}-etcd-snapshots`, {
      cluster: args.cluster, clusterName: args.clusterName, accountId: args.accountId, volumeNames: args.etcdVolumeNames,
      ...(args.etcdSnapshotRetainCount === undefined ? {} : { retainCount: args.etcdSnapshotRetainCount }),
    }, child);

    const pair = (placeholder: string, value: pulumi.Output<string>): pulumi.Output<[string, string]> => value.apply((v): [string, string] => [placeholder, v]);
    const entries: Array<pulumi.Output<[string, string]>> = [
      pair(CloudValues.vpcId(), this.network.vpcId),
      pair(CloudValues.stateStoreBucket(), this.stateStore.stateBucketName),
      pair(CloudValues.discoveryBucket(), this.discovery.bucketName),
      pair(CloudValues.kmsKeyArn(), this.stateStore.kmsKeyArn),
      pair(CloudValues.etcdBackupBucket(), this.stateStore.etcdBackupBucketName),
      pair(CloudValues.permissionsBoundaryArn(), pulumi.output(permissionsBoundaryArn(args.accountId))),
      pair(CloudValues.accountId(), pulumi.output(args.accountId)),
      ...Object.entries(this.network.subnetIds).map(([k, id]) => {
        const [type, zone] = k.split(':') as ['private' | 'utility', string];
        return pair(CloudValues.subnetId(type, zone), id);
      }),
      ...Object.entries(this.network.natGatewayIds).map(([zone, id]) => pair(CloudValues.natGatewayId(zone), id)),
      ...Object.entries(args.hostedZoneIds ?? {}).map(([zone, id]) => pair(CloudValues.hostedZoneId(zone), pulumi.output(id))),
      ...(this.dns === undefined || args.dnsZone === undefined ? [] : [pair(CloudValues.hostedZoneId(args.dnsZone), this.dns.zoneId)]),
    ];
    this.placeholders = [
      CloudValues.vpcId(), CloudValues.stateStoreBucket(), CloudValues.discoveryBucket(), CloudValues.kmsKeyArn(), CloudValues.etcdBackupBucket(),
      CloudValues.permissionsBoundaryArn(), CloudValues.accountId(),
      ...args.networkPlan.subnets.map((s) => CloudValues.subnetId(s.type === 'Private' ? 'private' : 'utility', s.zone)),
      ...args.networkPlan.natZones.map((z) => CloudValues.natGatewayId(z)),
      ...Object.keys(args.hostedZoneIds ?? {}).map((z) => CloudValues.hostedZoneId(z)),
      ...(args.dnsZone === undefined ? [] : [CloudValues.hostedZoneId(args.dnsZone)]),
    ].sort();
    this.cloudValues = pulumi.all(entries).apply((pairs) => Object.fromEntries(pairs));
    this.registerOutputs({ cloudValues: this.cloudValues });
  }
}
