import { type PolicyDocument, type PolicyStatement, policyDocument } from './policies';

/** What the deployer role may touch. */
export interface DeployerScope {
  /** The AWS account. */
  readonly accountId: string;
  /** The regions the clusters run in. */
  readonly regions: readonly string[];
  /** The clusters' DNS names (`prod.k8s.example.com`): kops names its roles and instance profiles after them. */
  readonly clusterNames: readonly string[];
  /** The Pulumi state backend bucket. */
  readonly stateBackendBucket: string;
  /** The ARN of the KMS key of Pulumi's secrets provider. */
  readonly secretsKeyArn: string;
}

/**
 * The deployer role's policy: what kops and this program need, scoped to the account, the
 * regions, the clusters' names and the platform's own name prefixes. It grants nothing on IAM
 * users or access keys, and no `*` action.
 */
export function deployerPolicy(scope: DeployerScope): PolicyDocument {
  const { accountId: a } = scope;
  const inRegions = { StringEquals: { 'aws:RequestedRegion': [...scope.regions] } };
  const roles = [...scope.clusterNames.map((c) => `arn:aws:iam::${a}:role/*.${c}`), `arn:aws:iam::${a}:role/platform-*`];
  const profiles = scope.clusterNames.map((c) => `arn:aws:iam::${a}:instance-profile/*.${c}`);
  const statements: PolicyStatement[] = [
    {
      Sid: 'ComputeAndNetworkInTheClusterRegions',
      Effect: 'Allow',
      Action: ['ec2:*', 'autoscaling:*', 'elasticloadbalancing:*', 'sqs:*', 'events:*', 'dlm:*', 'logs:*'],
      Resource: '*',
      Condition: inRegions,
    },
    {
      Sid: 'ClusterRolesAndInstanceProfiles',
      Effect: 'Allow',
      Action: [
        'iam:CreateRole', 'iam:DeleteRole', 'iam:GetRole', 'iam:TagRole', 'iam:UntagRole', 'iam:UpdateRole', 'iam:UpdateAssumeRolePolicy',
        'iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies',
        'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PassRole', 'iam:ListInstanceProfilesForRole',
        'iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:GetInstanceProfile', 'iam:TagInstanceProfile',
        'iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile',
      ],
      Resource: [...roles, ...profiles],
    },
    {
      Sid: 'WorkloadIdentityProviders',
      Effect: 'Allow',
      Action: ['iam:CreateOpenIDConnectProvider', 'iam:GetOpenIDConnectProvider', 'iam:DeleteOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint'],
      Resource: `arn:aws:iam::${a}:oidc-provider/*`,
    },
    {
      Sid: 'ServiceLinkedRolesOfTheServicesKopsUses',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: '*',
      Condition: { StringEquals: { 'iam:AWSServiceName': ['autoscaling.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'spot.amazonaws.com'] } },
    },
    { Sid: 'ListIam', Effect: 'Allow', Action: ['iam:ListRoles', 'iam:ListInstanceProfiles', 'iam:ListOpenIDConnectProviders'], Resource: '*' },
    {
      Sid: 'PlatformBuckets',
      Effect: 'Allow',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${a}-*`, `arn:aws:s3:::${a}-*/*`, `arn:aws:s3:::${scope.stateBackendBucket}`, `arn:aws:s3:::${scope.stateBackendBucket}/*`],
    },
    { Sid: 'ListBuckets', Effect: 'Allow', Action: ['s3:ListAllMyBuckets', 's3:GetBucketLocation'], Resource: '*' },
    {
      Sid: 'ClusterKeys',
      Effect: 'Allow',
      Action: [
        'kms:CreateKey', 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias', 'kms:ListAliases', 'kms:DescribeKey', 'kms:EnableKeyRotation',
        'kms:GetKeyRotationStatus', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy', 'kms:TagResource', 'kms:ListResourceTags', 'kms:ScheduleKeyDeletion',
        'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:CreateGrant',
      ],
      Resource: '*',
      Condition: inRegions,
    },
    { Sid: 'PulumiSecrets', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: scope.secretsKeyArn },
    {
      Sid: 'ClusterDns',
      Effect: 'Allow',
      Action: [
        'route53:CreateHostedZone', 'route53:GetHostedZone', 'route53:DeleteHostedZone', 'route53:ListHostedZones', 'route53:ListHostedZonesByName',
        'route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:GetChange', 'route53:ChangeTagsForResource', 'route53:ListTagsForResource',
      ],
      Resource: '*',
    },
    { Sid: 'WhoAmI', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' },
    { Sid: 'SecretsAtDeployTime', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:*:${a}:secret:platform/*` },
  ];
  return policyDocument(statements);
}
