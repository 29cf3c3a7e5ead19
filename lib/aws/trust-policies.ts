// Who may assume the platform's CI roles, and the boundary every role kops creates carries.
import { type PolicyDocument, type PolicyStatement, policyDocument } from './policies';

/** Who may assume a role: CI through its OIDC provider for the given token subjects, plus people's roles. */
export interface TrustScope {
  /** The ARN of the CI's OIDC provider. */
  readonly providerArn: string;
  /** The issuer's host (`token.actions.githubusercontent.com`): the prefix of the token's condition keys. */
  readonly issuerHost: string;
  /** The audience the tokens carry. */
  readonly audience: string;
  /** The token subjects allowed, exactly (`repo:example/platform:environment:prod`). */
  readonly subjects: readonly string[];
  /** Roles of people allowed to assume it (the infra team's SSO role). */
  readonly trustedRoleArns: readonly string[];
}

/**
 * The trust policy of a role CI assumes with its OIDC token. Subjects are matched exactly
 * (StringEquals, no wildcard): a job of another environment has another subject and is refused.
 */
export function ciTrustPolicy(scope: TrustScope): PolicyDocument {
  const statements: PolicyStatement[] = [{
    Sid: 'CiThroughOidc',
    Effect: 'Allow',
    Principal: { Federated: scope.providerArn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [`${scope.issuerHost}:aud`]: scope.audience, [`${scope.issuerHost}:sub`]: [...scope.subjects] } },
  }];
  if (scope.trustedRoleArns.length > 0) statements.push({ Sid: 'InfraEngineers', Effect: 'Allow', Principal: { AWS: [...scope.trustedRoleArns] }, Action: 'sts:AssumeRole' });
  return policyDocument(statements);
}

/**
 * The permissions boundary of every role kops creates (and of the stack's own service roles): the
 * most any of them can ever do, whatever policy it is given. Everything except changing IAM,
 * assuming other roles, and the organization or account settings; IAM reads, the service-linked
 * roles load balancers need, and passing roles to EC2 (Karpenter's nodes) stay possible.
 */
export function workloadBoundaryPolicy(): PolicyDocument {
  return policyDocument([
    { Sid: 'EverythingButIam', Effect: 'Allow', NotAction: ['iam:*', 'sts:AssumeRole', 'organizations:*', 'account:*'], Resource: '*' },
    { Sid: 'ReadIam', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 'iam:CreateServiceLinkedRole'], Resource: '*' },
    { Sid: 'PassRolesToInstances', Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } },
  ]);
}
