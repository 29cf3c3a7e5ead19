import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { type DeployerScope, WORKLOAD_BOUNDARY_NAME, deployerPolicy, workloadBoundaryPolicy } from './deployer-policy';
import { type PolicyStatement, policyDocument } from './policies';

/** The CI system that assumes the deployer role through OIDC federation (no stored keys). */
export interface CiFederation {
  /** The CI's OIDC issuer URL (`https://token.actions.githubusercontent.com`). */
  readonly issuerUrl: string;
  /** The audience the CI's tokens carry. @default 'sts.amazonaws.com' */
  readonly audience?: string;
  /** The token subjects allowed to deploy (`repo:example/platform:environment:prod`); wildcards as in IAM StringLike. */
  readonly subjects: readonly string[];
  /** The token subjects allowed to preview (`repo:example/platform:pull_request`): they get the read-only preview role. @default - no preview role */
  readonly previewSubjects?: readonly string[];
  /** An OIDC provider for the issuer that already exists in the account. @default - one is created */
  readonly existingProviderArn?: string;
}

/** Inputs of {@link DeployerRole}. */
export interface DeployerRoleArgs {
  /** The role's name. @default 'platform-deployer' */
  readonly roleName?: string;
  /** CI's federation. */
  readonly ci: CiFederation;
  /** Roles of people allowed to assume the deployer role (the infra team's SSO role). @default - none */
  readonly trustedRoleArns?: readonly string[];
  /**
   * Longest session, in seconds: more than a rolling upgrade plus validation. CI gets it by asking
   * for it when it assumes the role straight from its OIDC token (`role-duration-seconds`); a
   * session reached by role chaining is capped at one hour whatever this says. @default 14400 (4 h)
   */
  readonly maxSessionDuration?: number;
  /** What the role may touch. */
  readonly scope: Omit<DeployerScope, 'secretsKeyArn' | 'protectedRoleNames'>;
  /** The preview role's name. @default 'platform-preview' */
  readonly previewRoleName?: string;
  /** The ARN of the Pulumi secrets provider's key. */
  readonly secretsKeyArn: pulumi.Input<string>;
}

/** The trust policy of a role CI assumes with its OIDC token, for the given subjects, plus the people's roles. */
function trustPolicy(providerArn: string, host: string, audience: string, subjects: readonly string[], trusted: readonly string[]): string {
  const statements: PolicyStatement[] = [{
    Sid: 'CiThroughOidc',
    Effect: 'Allow',
    Principal: { Federated: providerArn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [`${host}:aud`]: audience }, StringLike: { [`${host}:sub`]: [...subjects] } },
  }];
  if (trusted.length > 0) statements.push({ Sid: 'InfraEngineers', Effect: 'Allow', Principal: { AWS: [...trusted] }, Action: 'sts:AssumeRole' });
  return JSON.stringify(policyDocument(statements));
}

/**
 * The role every environment stack runs as (created once, by the bootstrap stack — no stack creates
 * the role it runs as). CI assumes it through OIDC federation with short-lived credentials; no IAM
 * user or access key exists. Its policy is {@link deployerPolicy}.
 */
export class DeployerRole extends pulumi.ComponentResource {
  /** The role's ARN: the `deployerRoleArn` of every environment stack. */
  public readonly roleArn: pulumi.Output<string>;
  /** The OIDC provider CI federates through. */
  public readonly oidcProviderArn: pulumi.Output<string>;
  /** The read-only role pull requests preview as, when preview subjects are given. */
  public readonly previewRoleArn: pulumi.Output<string> | undefined;
  /** The permissions boundary of every cluster role. */
  public readonly permissionsBoundaryArn: pulumi.Output<string>;

  public constructor(name: string, args: DeployerRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:aws:DeployerRole', name, {}, opts);
    const roleName = args.roleName ?? 'platform-deployer';
    const audience = args.ci.audience ?? 'sts.amazonaws.com';
    const trusted = args.trustedRoleArns ?? [];
    const host = args.ci.issuerUrl.replace(/^https:\/\//, '');
    const providerArn = args.ci.existingProviderArn === undefined
      ? new aws.iam.OpenIdConnectProvider(`${name}-ci`, { url: args.ci.issuerUrl, clientIdLists: [audience] }, { parent: this }).arn
      : pulumi.output(args.ci.existingProviderArn);
    const previewName = args.previewRoleName ?? 'platform-preview';
    const previewSubjects = args.ci.previewSubjects ?? [];
    const trust = providerArn.apply((arn) => trustPolicy(arn, host, audience, args.ci.subjects, trusted));
    // The boundary every cluster role carries (kops spec.iam.permissionsBoundary); the deployer may create roles only with it.
    const boundary = new aws.iam.Policy(`${name}-workload-boundary`, {
      name: WORKLOAD_BOUNDARY_NAME,
      description: 'The most any role of a platform cluster may do: no IAM changes, no role assumption',
      policy: JSON.stringify(workloadBoundaryPolicy()),
    }, { parent: this });
    const role = new aws.iam.Role(name, { name: roleName, assumeRolePolicy: trust, maxSessionDuration: args.maxSessionDuration ?? 14400 }, { parent: this });
    new aws.iam.RolePolicy(name, {
      role: role.id,
      policy: pulumi.output(args.secretsKeyArn).apply((secretsKeyArn) => JSON.stringify(deployerPolicy({
        ...args.scope, secretsKeyArn, protectedRoleNames: [roleName, ...(previewSubjects.length > 0 ? [previewName] : [])],
      }))),
    }, { parent: this, dependsOn: [boundary] });
    if (previewSubjects.length > 0) {
      // A pull request's code is untrusted: AWS read-only, the state it previews, and the secrets
      // key to decrypt the stack's config (pulumi preview needs it). Not the clusters' keys, so
      // not kops's CA in the state store, so no cluster credential.
      const preview = new aws.iam.Role(`${name}-preview`, {
        name: previewName,
        assumeRolePolicy: providerArn.apply((arn) => trustPolicy(arn, host, audience, previewSubjects, [])),
        maxSessionDuration: 3600,
      }, { parent: this });
      new aws.iam.RolePolicyAttachment(`${name}-preview`, { role: preview.name, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, { parent: this });
      new aws.iam.RolePolicy(`${name}-preview`, {
        role: preview.id,
        policy: pulumi.output(args.secretsKeyArn).apply((keyArn) => JSON.stringify(policyDocument([
          { Sid: 'ReadStackState', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${args.scope.stateBackendBucket}`, `arn:aws:s3:::${args.scope.stateBackendBucket}/*`] },
          { Sid: 'DecryptStackConfig', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: keyArn },
        ]))),
      }, { parent: this });
      this.previewRoleArn = preview.arn;
    } else {
      this.previewRoleArn = undefined;
    }
    this.permissionsBoundaryArn = boundary.arn;
    this.roleArn = role.arn;
    this.oidcProviderArn = providerArn;
    this.registerOutputs({ roleArn: this.roleArn, oidcProviderArn: this.oidcProviderArn, permissionsBoundaryArn: this.permissionsBoundaryArn });
  }
}
