import { kopsInstanceProfileNames } from './kops-iam-names';
import { type PolicyDocument, type PolicyStatement, policyDocument } from './policies';

/** The tag kops puts on every IAM role it creates, valued with the cluster name (kops pkg/model/context.go CloudTags, awsup.TagClusterName). */
export const CLUSTER_TAG = 'KubernetesCluster';

/** The name of the permissions boundary every cluster role carries (created by the bootstrap stack). */
export const WORKLOAD_BOUNDARY_NAME = 'platform-workload-boundary';

/** The ARN of the permissions boundary in `accountId`: kops's `spec.iam.permissionsBoundary`. */
export function permissionsBoundaryArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:policy/${WORKLOAD_BOUNDARY_NAME}`;
}

/** What the deployer role may touch. */
export interface DeployerScope {
  /** The AWS account. */
  readonly accountId: string;
  /** The regions the clusters run in. */
  readonly regions: readonly string[];
  /**
   * The clusters' DNS names (`prod.k8s.example.com`): the roles the deployer may create and change
   * are those tagged `KubernetesCluster=<one of them>` carrying the boundary. A per-environment
   * deployer is this policy with one cluster.
   */
  readonly clusterNames: readonly string[];
  /** The Pulumi state backend bucket. */
  readonly stateBackendBucket: string;
  /** The ARN of the KMS key of Pulumi's secrets provider. */
  readonly secretsKeyArn: string;
  /** Roles the deployer must never change, whatever their tags (itself, the preview role). */
  readonly protectedRoleNames: readonly string[];
}

const ROLE_WRITES_UNDER_BOUNDARY = ['iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePermissionsBoundary'];
const ROLE_WRITES_BY_TAG = ['iam:DeleteRole', 'iam:UpdateRole', 'iam:UpdateAssumeRolePolicy', 'iam:UntagRole', 'iam:TagRole'];

/**
 * The deployer role's policy: what kops and this program need, scoped to the account, the regions
 * and the clusters. IAM rights go by tag and permissions boundary, not by name: kops names a role
 * `<sa>.<ns>.sa.<cluster>` and cuts names over 64 characters to 57 plus a hash (kops
 * pkg/model/iam/types.go, pkg/truncate), so a name no longer ends in the cluster name; but kops
 * creates every role with `KubernetesCluster=<cluster>` and `spec.iam.permissionsBoundary`
 * (kops pkg/model/awsmodel/iam.go, upup/pkg/fi/cloudup/awstasks/iamrole.go). So the deployer may
 * create a role only with that tag and the boundary, change policies only of roles with that
 * boundary (`iam:PermissionsBoundary`), never remove a boundary, and never touch the protected roles.
 * Whatever a role is given, the boundary caps it: no role the deployer creates can change IAM.
 * It grants nothing on IAM users or access keys, and no `*` action.
 */
export function deployerPolicy(scope: DeployerScope): PolicyDocument {
  const { accountId: a } = scope;
  const boundary = permissionsBoundaryArn(a);
  const clusters = [...scope.clusterNames];
  const inRegions = { StringEquals: { 'aws:RequestedRegion': [...scope.regions] } };
  const anyRole = `arn:aws:iam::${a}:role/*`;
  const taggedForCluster = { StringEquals: { [`aws:ResourceTag/${CLUSTER_TAG}`]: clusters } };
  const profiles = clusters.flatMap((c) => kopsInstanceProfileNames({ clusterName: c, instanceGroupRoles: ['ControlPlane', 'APIServer', 'Bastion', 'Node'] }))
    .map((n) => `arn:aws:iam::${a}:instance-profile/${n}`);
  const statements: PolicyStatement[] = [
    {
      Sid: 'ComputeAndNetworkInTheClusterRegions',
      Effect: 'Allow',
      Action: ['ec2:*', 'autoscaling:*', 'elasticloadbalancing:*', 'sqs:*', 'events:*', 'dlm:*', 'logs:*'],
      Resource: '*',
      Condition: inRegions,
    },
    {
      Sid: 'ReadIam',
      Effect: 'Allow',
      Action: [
        'iam:GetRole', 'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListRoleTags', 'iam:ListInstanceProfilesForRole',
        'iam:GetInstanceProfile', 'iam:ListInstanceProfileTags', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetOpenIDConnectProvider',
        'iam:ListRoles', 'iam:ListInstanceProfiles', 'iam:ListOpenIDConnectProviders',
      ],
      Resource: '*',
    },
    {
      Sid: 'CreateClusterRolesWithTagAndBoundary',
      Effect: 'Allow',
      Action: 'iam:CreateRole',
      Resource: anyRole,
      Condition: { StringEquals: { [`aws:RequestTag/${CLUSTER_TAG}`]: clusters, 'iam:PermissionsBoundary': boundary } },
    },
    {
      // CreateRole with tags is also authorized as iam:TagRole on the request's tags.
      Sid: 'TagClusterRolesOnCreate',
      Effect: 'Allow',
      Action: 'iam:TagRole',
      Resource: anyRole,
      Condition: { StringEquals: { [`aws:RequestTag/${CLUSTER_TAG}`]: clusters } },
    },
    { Sid: 'ChangeClusterRolesByTag', Effect: 'Allow', Action: ROLE_WRITES_BY_TAG, Resource: anyRole, Condition: taggedForCluster },
    {
      Sid: 'ChangeClusterRolePoliciesUnderTheBoundary',
      Effect: 'Allow',
      Action: ROLE_WRITES_UNDER_BOUNDARY,
      Resource: anyRole,
      Condition: { StringEquals: { [`aws:ResourceTag/${CLUSTER_TAG}`]: clusters, 'iam:PermissionsBoundary': boundary } },
    },
    {
      Sid: 'PassClusterRolesToInstancesAndSnapshots',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: anyRole,
      Condition: { StringEquals: { [`aws:ResourceTag/${CLUSTER_TAG}`]: clusters, 'iam:PassedToService': ['ec2.amazonaws.com', 'dlm.amazonaws.com'] } },
    },
    {
      // kops creates an instance profile untagged and tags it after (awstasks/iaminstanceprofile.go): by name.
      Sid: 'ClusterInstanceProfiles',
      Effect: 'Allow',
      Action: [
        'iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:TagInstanceProfile', 'iam:UntagInstanceProfile',
        'iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile',
      ],
      Resource: profiles,
    },
    {
      Sid: 'NeverRemoveABoundary',
      Effect: 'Deny',
      Action: 'iam:DeleteRolePermissionsBoundary',
      Resource: '*',
    },
    {
      Sid: 'NeverChangeTheDeployerRoles',
      Effect: 'Deny',
      Action: ['iam:Create*', 'iam:Delete*', 'iam:Put*', 'iam:Attach*', 'iam:Detach*', 'iam:Update*', 'iam:Tag*', 'iam:Untag*', 'iam:PassRole'],
      Resource: scope.protectedRoleNames.map((n) => `arn:aws:iam::${a}:role/${n}`),
    },
    {
      // Only the clusters' own service-account issuers: kops publishes each under its cluster name
      // in a discovery bucket and names the provider by the bucket's URL,
      // https://<bucket>.s3.<region>.amazonaws.com/<key> (kops util/pkg/vfs/s3fs.go GetHTTPsUrl).
      // No other issuer (a CI's, one the deployer could stand up itself) can be trusted by it.
      Sid: 'WorkloadIdentityProviders',
      Effect: 'Allow',
      Action: ['iam:CreateOpenIDConnectProvider', 'iam:DeleteOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint'],
      Resource: clusters.flatMap((c) => scope.regions.map((r) => `arn:aws:iam::${a}:oidc-provider/${a}-*-oidc-discovery.s3.${r}.amazonaws.com/${c}`)),
    },
    {
      Sid: 'ServiceLinkedRolesOfTheServicesKopsUses',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: '*',
      Condition: { StringEquals: { 'iam:AWSServiceName': ['autoscaling.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'spot.amazonaws.com'] } },
    },
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
