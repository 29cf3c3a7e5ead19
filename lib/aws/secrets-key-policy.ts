// The Pulumi secrets keys: one per environment, and who may use each.
import { type PolicyDocument, type PolicyStatement, policyDocument } from './policies';

/** The alias of an environment's Pulumi secrets key (`alias/pulumi-prod-secrets`); the bootstrap stack's own is `alias/pulumi-platform-secrets`. */
export function secretsKeyAlias(environment: string): string {
  return `alias/pulumi-${environment}-secrets`;
}

/** A stack's `secretsprovider` for a key alias (`awskms://alias/pulumi-prod-secrets?region=eu-west-1`). */
export function secretsProviderUrl(alias: string, region: string): string {
  return `awskms://${alias}?region=${region}`;
}

/**
 * The calls Pulumi's awskms secrets provider makes (pulumi pkg/secrets/cloud/manager.go, gocloud
 * secrets/awskms/kms.go): it makes its own 32-byte data key and wraps it with `kms:Encrypt` when a
 * stack is created or its provider changed, and unwraps it with `kms:Decrypt` on every run. No
 * GenerateDataKey, no DescribeKey.
 */
export const PULUMI_SECRETS_KEY_ACTIONS = ['kms:Encrypt', 'kms:Decrypt'] as const;

/** Who may use one secrets key. */
export interface SecretsKeyPolicyScope {
  /** The AWS account (its root administers the key through IAM, never uses it). */
  readonly accountId: string;
  /** Roles that run the stacks encrypted with it: Encrypt and Decrypt (the environment's deployer, the infra engineers who may assume it). */
  readonly users: readonly string[];
  /** Roles that only read the stacks (the preview role): Decrypt. */
  readonly readers: readonly string[];
}

/**
 * The key policy of a Pulumi secrets key. The account's administrators manage it through IAM (the
 * account root, for the management actions only, so the key can never be locked out); its
 * cryptographic use is granted here and only here, to the principals named — no `kms:CreateGrant`
 * for anyone, so nobody can hand the key to another role.
 */
export function secretsKeyPolicy(scope: SecretsKeyPolicyScope): PolicyDocument {
  const statements: PolicyStatement[] = [
    {
      Sid: 'AccountAdministersNeverUses',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${scope.accountId}:root` },
      Action: [
        'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:List*', 'kms:PutKeyPolicy', 'kms:EnableKey', 'kms:DisableKey',
        'kms:EnableKeyRotation', 'kms:DisableKeyRotation', 'kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias', 'kms:UpdateKeyDescription',
        'kms:TagResource', 'kms:UntagResource', 'kms:RevokeGrant', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion',
      ],
      Resource: '*',
    },
  ];
  if (scope.users.length > 0) statements.push({ Sid: 'StacksEncryptAndDecrypt', Effect: 'Allow', Principal: { AWS: [...scope.users] }, Action: [...PULUMI_SECRETS_KEY_ACTIONS], Resource: '*' });
  if (scope.readers.length > 0) statements.push({ Sid: 'PreviewsDecrypt', Effect: 'Allow', Principal: { AWS: [...scope.readers] }, Action: 'kms:Decrypt', Resource: '*' });
  return policyDocument(statements);
}
