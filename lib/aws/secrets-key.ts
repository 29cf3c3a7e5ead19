import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { secretsKeyPolicy } from './secrets-key-policy';
import { checkArgs } from './args-check';

/** Inputs of {@link SecretsKey}. */
export interface SecretsKeyArgs {
  /** The AWS account. */
  readonly accountId: string;
  /** The alias (`alias/pulumi-prod-secrets`): the stacks' `secretsprovider` names it. */
  readonly alias: string;
  /** What the key is for, in its description (`the prod environment's stacks`). */
  readonly purpose: string;
  /** Roles that run the stacks: Encrypt and Decrypt. */
  readonly users: readonly pulumi.Input<string>[];
  /** Roles that only preview them: Decrypt. @default [] */
  readonly readers?: readonly pulumi.Input<string>[];
}

/**
 * One Pulumi secrets key (the `awskms` secrets provider of some stacks), rotation on, with a key
 * policy that names exactly who may use it ({@link secretsKeyPolicy}): the account administers it
 * through IAM but only the roles named may encrypt or decrypt. The principals must exist before
 * the policy names them, so pass role ARNs that are Outputs of the roles.
 */
export class SecretsKey extends pulumi.ComponentResource {
  /** The key's ARN. */
  public readonly keyArn: pulumi.Output<string>;
  /** The alias's name (`alias/pulumi-prod-secrets`). */
  public readonly alias: pulumi.Output<string>;

  public constructor(name: string, args: SecretsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    checkArgs('platform:aws:SecretsKey', name, SecretsKey, args);
    super('platform:aws:SecretsKey', name, {}, opts);
    const policy = pulumi.all([pulumi.all([...args.users]), pulumi.all([...(args.readers ?? [])])])
      .apply(([users, readers]) => JSON.stringify(secretsKeyPolicy({ accountId: args.accountId, users, readers })));
    const key = new aws.kms.Key(name, {
      description: `Pulumi secrets provider of ${args.purpose}`, enableKeyRotation: true, deletionWindowInDays: 30, policy,
    }, { parent: this });
    const alias = new aws.kms.Alias(name, { name: args.alias, targetKeyId: key.keyId }, { parent: this });
    this.keyArn = key.arn;
    this.alias = alias.name;
    this.registerOutputs({ keyArn: this.keyArn, alias: this.alias });
  }
}
