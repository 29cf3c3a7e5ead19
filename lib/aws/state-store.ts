import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { policyDocument } from './policies';
import { SecureBucket } from './secure-bucket';
import { checkArgs } from './args-check';

/** Inputs of {@link StateStore}. */
export interface StateStoreArgs {
  /** The cluster's short name (`prod`); bucket and key names are derived from it. */
  readonly cluster: string;
  /** The AWS account the buckets live in; it makes their names globally unique. */
  readonly accountId: string;
  /** The role the stacks run as; it administers the key. */
  readonly deployerRoleArn: string;
  /** Days replaced versions of kops state are kept. @default 90 */
  readonly stateNoncurrentVersionDays?: number;
}

/** The name of the kops state bucket of `cluster` in `accountId` (known offline). */
export function stateBucketName(accountId: string, cluster: string): string {
  return `${accountId}-${cluster}-kops-state`;
}

/** The name of the etcd-backup bucket of `cluster` in `accountId` (known offline). */
export function etcdBackupBucketName(accountId: string, cluster: string): string {
  return `${accountId}-${cluster}-etcd-backups`;
}

/**
 * The cluster's customer-managed KMS key (rotation on; it also encrypts etcd and root volumes),
 * the kops state bucket and the etcd-backup bucket, both {@link SecureBucket}s. No rule of the
 * etcd-backup bucket ever expires a current object: etcd-manager keeps its control files there
 * (`etcd-cluster-spec`, `etcd-cluster-created`) next to the backups, and once those expire it
 * takes the cluster for new and stops backing up (kopeio/etcd-manager#299). Retention is
 * etcd-manager's own (`backupRetentionDays`); the bucket only removes what it deleted or replaced,
 * a day later.
 */
export class StateStore extends pulumi.ComponentResource {
  /** The KMS key's ARN. */
  public readonly kmsKeyArn: pulumi.Output<string>;
  /** The kops state bucket's name. */
  public readonly stateBucketName: pulumi.Output<string>;
  /** `s3://<state bucket>`, kops's KOPS_STATE_STORE. */
  public readonly stateStoreUrl: pulumi.Output<string>;
  /** The etcd-backup bucket's name. */
  public readonly etcdBackupBucketName: pulumi.Output<string>;

  public constructor(name: string, args: StateStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    checkArgs('platform:aws:StateStore', name, StateStore, args);
    super('platform:aws:StateStore', name, {}, opts);
    const noncurrentDays = args.stateNoncurrentVersionDays ?? 90;
    const root = `arn:aws:iam::${args.accountId}:root`;
    const autoscaling = `arn:aws:iam::${args.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    const key = new aws.kms.Key(`${name}-key`, {
      description: `${args.cluster}: kops state, etcd and node volumes`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(policyDocument([
        { Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' },
        { Sid: 'DeployerAdministers', Effect: 'Allow', Principal: { AWS: args.deployerRoleArn }, Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:CreateGrant'], Resource: '*' },
        {
          Sid: 'AutoScalingEncryptsNodeVolumes', Effect: 'Allow', Principal: { AWS: autoscaling },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:CreateGrant'], Resource: '*',
        },
      ])),
    }, { parent: this });
    new aws.kms.Alias(`${name}-key`, { name: `alias/platform-${args.cluster}`, targetKeyId: key.keyId }, { parent: this });
    const state = new SecureBucket(`${name}-kops-state`, {
      bucketName: stateBucketName(args.accountId, args.cluster),
      kmsKeyArn: key.arn,
      lifecycle: [{ id: 'expire-replaced-state', noncurrentVersionsAfterDays: noncurrentDays }],
    }, { parent: this });
    const backups = new SecureBucket(`${name}-etcd-backups`, {
      bucketName: etcdBackupBucketName(args.accountId, args.cluster),
      kmsKeyArn: key.arn,
      lifecycle: [{ id: 'remove-deleted-etcd-backups', noncurrentVersionsAfterDays: 1, removeExpiredDeleteMarkers: true }],
    }, { parent: this });
    this.kmsKeyArn = key.arn;
    this.stateBucketName = state.bucketName;
    this.stateStoreUrl = pulumi.interpolate`s3://${state.bucketName}`;
    this.etcdBackupBucketName = backups.bucketName;
    this.registerOutputs({ kmsKeyArn: this.kmsKeyArn, stateBucketName: this.stateBucketName, etcdBackupBucketName: this.etcdBackupBucketName });
  }
}
