import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { CLUSTER_TAG, permissionsBoundaryArn } from './deployer-policy';
import { policyDocument } from './policies';
import { checkArgs } from './args-check';

/** Inputs of {@link EtcdSnapshots}. */
export interface EtcdSnapshotsArgs {
  /** The cluster's short name (`prod`): names the role. */
  readonly cluster: string;
  /** The cluster's DNS name: the role is tagged with it and carries the workload boundary, like every cluster role. */
  readonly clusterName: string;
  /** The AWS account (the boundary's ARN). */
  readonly accountId: string;
  /** The Name tags kops gives the etcd volumes (`a.etcd-main.prod.k8s.example.com`), from {@link etcdVolumeNames}. */
  readonly volumeNames: readonly string[];
  /** Snapshots kept per volume. @default 14 */
  readonly retainCount?: number;
  /** The daily snapshot time, UTC (`hh:mm`). @default '03:00' */
  readonly time?: string;
}

interface EtcdClusterSpec { readonly name?: string; readonly etcdMembers?: ReadonlyArray<{ readonly name?: string }> }

/** The Name tag of every etcd volume of a kops Cluster object: `<member>.etcd-<etcd cluster>.<cluster name>`. */
export function etcdVolumeNames(cluster: { readonly metadata: { readonly name: string }; readonly spec?: unknown }): string[] {
  const etcd = ((cluster.spec as { etcdClusters?: readonly EtcdClusterSpec[] } | undefined)?.etcdClusters) ?? [];
  return etcd.flatMap((e) => (e.etcdMembers ?? []).map((m) => `${m.name ?? ''}.etcd-${e.name ?? ''}.${cluster.metadata.name}`));
}

/**
 * Daily EBS snapshots of the etcd volumes, kept `retainCount` days: a Data Lifecycle Manager
 * policy per volume (DLM matches one value per tag key, and each volume has its own Name), run
 * by one service role. Take one by hand before a risky operation, too.
 */
export class EtcdSnapshots extends pulumi.ComponentResource {
  /** The lifecycle policies' IDs. */
  public readonly policyIds: readonly pulumi.Output<string>[];

  public constructor(name: string, args: EtcdSnapshotsArgs, opts?: pulumi.ComponentResourceOptions) {
    checkArgs('platform:aws:EtcdSnapshots', name, EtcdSnapshots, args);
    super('platform:aws:EtcdSnapshots', name, {}, opts);
    const retainCount = args.retainCount ?? 14;
    const time = args.time ?? '03:00';
    const role = new aws.iam.Role(`${name}-dlm`, {
      name: `platform-${args.cluster}-etcd-snapshots`,
      permissionsBoundary: permissionsBoundaryArn(args.accountId),
      tags: { [CLUSTER_TAG]: args.clusterName },
      assumeRolePolicy: JSON.stringify(policyDocument([{ Effect: 'Allow', Principal: { Service: 'dlm.amazonaws.com' }, Action: 'sts:AssumeRole' }])),
    }, { parent: this });
    new aws.iam.RolePolicyAttachment(`${name}-dlm`, { role: role.name, policyArn: 'arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole' }, { parent: this });
    this.policyIds = args.volumeNames.map((volume) => new aws.dlm.LifecyclePolicy(`${name}-${volume.split('.').slice(0, 2).join('-')}`, {
      description: `daily snapshots of ${volume}`,
      executionRoleArn: role.arn,
      state: 'ENABLED',
      policyDetails: {
        resourceTypes: ['VOLUME'],
        targetTags: { Name: volume },
        schedules: [{
          name: `daily, keep ${retainCount}`,
          createRule: { interval: 24, intervalUnit: 'HOURS', times: time },
          retainRule: { count: retainCount },
          copyTags: true,
          tagsToAdd: { 'platform.example.com/snapshot': 'etcd-daily' },
        }],
      },
    }, { parent: this }).id);
    this.registerOutputs({ policyIds: this.policyIds });
  }
}
