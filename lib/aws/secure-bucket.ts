import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { policyDocument, tlsOnlyStatement } from './policies';
import { checkArgs } from './args-check';

/** One lifecycle rule of a {@link SecureBucket}. */
export interface BucketExpiry {
  /** The rule's id (`expire-backups`). */
  readonly id: string;
  /** The key prefix it applies to. @default '' (the whole bucket) */
  readonly prefix?: string;
  /** Current objects are expired after this many days. @default - never */
  readonly expireAfterDays?: number;
  /** Replaced (noncurrent) versions are deleted after this many days. @default - never */
  readonly noncurrentVersionsAfterDays?: number;
  /** Delete markers left with no version behind them are removed (never together with expireAfterDays). @default false */
  readonly removeExpiredDeleteMarkers?: boolean;
}

/** Inputs of {@link SecureBucket}. */
export interface SecureBucketArgs {
  /** The bucket's name, globally unique. */
  readonly bucketName: pulumi.Input<string>;
  /** The customer-managed KMS key that encrypts every object (SSE-KMS, bucket key on). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Lifecycle rules. @default - none */
  readonly lifecycle?: readonly BucketExpiry[];
}

/**
 * A private bucket locked down the way state belongs: versioning on, SSE-KMS with a customer key,
 * all four public-access blocks, ACLs disabled (bucket owner enforced), and a bucket policy that
 * refuses any request without TLS.
 */
export class SecureBucket extends pulumi.ComponentResource {
  /** The bucket's name. */
  public readonly bucketName: pulumi.Output<string>;
  /** The bucket's ARN. */
  public readonly bucketArn: pulumi.Output<string>;

  public constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    checkArgs('platform:aws:SecureBucket', name, SecureBucket, args);
    super('platform:aws:SecureBucket', name, {}, opts);
    const lifecycle = args.lifecycle ?? [];
    const child = { parent: this };
    const bucket = new aws.s3.Bucket(name, { bucket: args.bucketName, forceDestroy: false }, child);
    new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(name, {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }],
    }, child);
    const block = new aws.s3.BucketPublicAccessBlock(name, {
      bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, child);
    new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, child);
    new aws.s3.BucketPolicy(name, {
      bucket: bucket.id,
      policy: bucket.arn.apply((arn) => JSON.stringify(policyDocument([tlsOnlyStatement(arn)]))),
    }, { parent: this, dependsOn: [block] });
    if (lifecycle.length > 0) {
      new aws.s3.BucketLifecycleConfiguration(name, {
        bucket: bucket.id,
        rules: lifecycle.map((r) => ({
          id: r.id,
          status: 'Enabled',
          filter: { prefix: r.prefix ?? '' },
          ...(r.expireAfterDays === undefined ? {} : { expiration: { days: r.expireAfterDays } }),
          ...(r.removeExpiredDeleteMarkers === true && r.expireAfterDays === undefined ? { expiration: { expiredObjectDeleteMarker: true } } : {}),
          ...(r.noncurrentVersionsAfterDays === undefined ? {} : { noncurrentVersionExpiration: { noncurrentDays: r.noncurrentVersionsAfterDays } }),
        })),
      }, child);
    }
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
