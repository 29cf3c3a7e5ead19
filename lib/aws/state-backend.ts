import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { SecureBucket } from './secure-bucket';
import { checkArgs } from './args-check';

/** Inputs of {@link StateBackend}. */
export interface StateBackendArgs {
  /** The state bucket's name (`pulumi login s3://<name>`). */
  readonly bucketName: string;
  /** Days replaced versions of stack state are kept. @default 365 */
  readonly noncurrentVersionDays?: number;
}

/**
 * Pulumi's own state backend: a {@link SecureBucket} for stack state and the KMS key of the
 * secrets provider (`--secrets-provider awskms://alias/pulumi-platform-secrets`), rotation on.
 */
export class StateBackend extends pulumi.ComponentResource {
  /** The state bucket's name. */
  public readonly bucketName: pulumi.Output<string>;
  /** The ARN of the key that encrypts the state bucket. */
  public readonly stateKeyArn: pulumi.Output<string>;
  /** The secrets key's ARN. */
  public readonly secretsKeyArn: pulumi.Output<string>;
  /** The secrets key's alias. */
  public readonly secretsKeyAlias: pulumi.Output<string>;

  public constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
    checkArgs('platform:aws:StateBackend', name, StateBackend, args);
    super('platform:aws:StateBackend', name, {}, opts);
    const stateKey = new aws.kms.Key(`${name}-state`, { description: 'Pulumi state backend', enableKeyRotation: true, deletionWindowInDays: 30 }, { parent: this });
    const secretsKey = new aws.kms.Key(`${name}-secrets`, { description: 'Pulumi secrets provider', enableKeyRotation: true, deletionWindowInDays: 30 }, { parent: this });
    const alias = new aws.kms.Alias(`${name}-secrets`, { name: 'alias/pulumi-platform-secrets', targetKeyId: secretsKey.keyId }, { parent: this });
    const bucket = new SecureBucket(`${name}-state`, {
      bucketName: args.bucketName,
      kmsKeyArn: stateKey.arn,
      lifecycle: [{ id: 'expire-replaced-state', noncurrentVersionsAfterDays: args.noncurrentVersionDays ?? 365 }],
    }, { parent: this });
    this.bucketName = bucket.bucketName;
    this.stateKeyArn = stateKey.arn;
    this.secretsKeyArn = secretsKey.arn;
    this.secretsKeyAlias = alias.name;
    this.registerOutputs({ bucketName: this.bucketName, stateKeyArn: this.stateKeyArn, secretsKeyArn: this.secretsKeyArn, secretsKeyAlias: this.secretsKeyAlias });
  }
}
