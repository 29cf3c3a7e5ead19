import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { type DeployerScope, deployerPolicy } from './deployer-policy';
import { type PolicyStatement, policyDocument } from './policies';

/** The CI system that assumes the deployer role through OIDC federation (no stored keys). */
export interface CiFederation {
  /** The CI's OIDC issuer URL (`https://token.actions.githubusercontent.com`). */
  readonly issuerUrl: string;
  /** The audience the CI's tokens carry. @default 'sts.amazonaws.com' */
  readonly audience?: string;
  /** The token subjects allowed to deploy (`repo:example/platform:environment:prod`); wildcards as in IAM StringLike. */
  readonly subjects: readonly string[];
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
  /** Longest session, in seconds. @default 3600 */
  readonly maxSessionDuration?: number;
  /** What the role may touch. */
  readonly scope: Omit<DeployerScope, 'secretsKeyArn'>;
  /** The ARN of the Pulumi secrets provider's key. */
  readonly secretsKeyArn: pulumi.Input<string>;
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

  public constructor(name: string, args: DeployerRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:aws:DeployerRole', name, {}, opts);
    const roleName = args.roleName ?? 'platform-deployer';
    const audience = args.ci.audience ?? 'sts.amazonaws.com';
    const trusted = args.trustedRoleArns ?? [];
    const host = args.ci.issuerUrl.replace(/^https:\/\//, '');
    const providerArn = args.ci.existingProviderArn === undefined
      ? new aws.iam.OpenIdConnectProvider(`${name}-ci`, { url: args.ci.issuerUrl, clientIdLists: [audience] }, { parent: this }).arn
      : pulumi.output(args.ci.existingProviderArn);
    const trust = providerArn.apply((arn) => {
      const statements: PolicyStatement[] = [{
        Sid: 'CiThroughOidc',
        Effect: 'Allow',
        Principal: { Federated: arn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [`${host}:aud`]: audience }, StringLike: { [`${host}:sub`]: [...args.ci.subjects] } },
      }];
      if (trusted.length > 0) statements.push({ Sid: 'InfraEngineers', Effect: 'Allow', Principal: { AWS: [...trusted] }, Action: 'sts:AssumeRole' });
      return JSON.stringify(policyDocument(statements));
    });
    const role = new aws.iam.Role(name, { name: roleName, assumeRolePolicy: trust, maxSessionDuration: args.maxSessionDuration ?? 3600 }, { parent: this });
    new aws.iam.RolePolicy(name, {
      role: role.id,
      policy: pulumi.output(args.secretsKeyArn).apply((secretsKeyArn) => JSON.stringify(deployerPolicy({ ...args.scope, secretsKeyArn }))),
    }, { parent: this });
    this.roleArn = role.arn;
    this.oidcProviderArn = providerArn;
    this.registerOutputs({ roleArn: this.roleArn, oidcProviderArn: this.oidcProviderArn });
  }
}
