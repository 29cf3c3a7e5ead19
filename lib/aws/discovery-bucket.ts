import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { discoveryBucketPolicy } from './policies';
import { checkArgs } from './args-check';

/** Inputs of {@link DiscoveryBucket}. */
export interface DiscoveryBucketArgs {
  /** The bucket's name, globally unique. */
  readonly bucketName: string;
  /** The key prefix kops publishes the issuer under: the cluster's DNS name. */
  readonly issuerPrefix: string;
}

/** The name of the discovery bucket of `cluster` in `accountId` (known offline). */
export function discoveryBucketName(accountId: string, cluster: string): string {
  return `${accountId}-${cluster}-oidc-discovery`;
}

/**
 * The bucket kops publishes the service-account issuer's discovery documents to. AWS fetches them
 * anonymously, so — unlike the state store — exactly those two objects are publicly readable
 * through the bucket policy; ACLs stay disabled and blocked, nothing else is public, TLS only.
 * Objects are encrypted with S3-managed keys: an anonymous reader could not use a KMS key.
 */
export class DiscoveryBucket extends pulumi.ComponentResource {
  /** The bucket's name. */
  public readonly bucketName: pulumi.Output<string>;
  /** The bucket's ARN. */
  public readonly bucketArn: pulumi.Output<string>;

  public constructor(name: string, args: DiscoveryBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    checkArgs('platform:aws:DiscoveryBucket', name, DiscoveryBucket, args);
    super('platform:aws:DiscoveryBucket', name, {}, opts);
    const child = { parent: this };
    const bucket = new aws.s3.Bucket(name, { bucket: args.bucketName, forceDestroy: false }, child);
    new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(name, {
      bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    }, child);
    const block = new aws.s3.BucketPublicAccessBlock(name, {
      bucket: bucket.id, blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false,
    }, child);
    new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, child);
    new aws.s3.BucketPolicy(name, {
      bucket: bucket.id,
      policy: bucket.arn.apply((arn) => JSON.stringify(discoveryBucketPolicy(arn, args.issuerPrefix))),
    }, { parent: this, dependsOn: [block] });
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
