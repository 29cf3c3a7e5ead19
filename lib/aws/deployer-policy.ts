import { kopsInstanceProfileNames, kopsTruncate } from './kops-iam-names';
import { type PolicyDocument, type PolicyStatement, policyDocument } from './policies';
import { PULUMI_SECRETS_KEY_ACTIONS } from './secrets-key-policy';

/** The tag kops puts on every resource it owns, valued with the cluster name (kops pkg/model/context.go CloudTags, awsup.TagClusterName). */
export const CLUSTER_TAG = 'KubernetesCluster';

/** The tag every AWS resource of an environment stack carries, valued with the cluster's short name (the provider's default tags, {@link defaultTags}). */
export const STACK_CLUSTER_TAG = 'cluster';

/** The name of the permissions boundary every cluster role carries (created by the bootstrap stack). */
export const WORKLOAD_BOUNDARY_NAME = 'platform-workload-boundary';

/** The name of the permissions boundary of the deployer roles themselves. */
export const DEPLOYER_BOUNDARY_NAME = 'platform-deployer-boundary';

/** The read-only role pull requests preview as. */
export const PREVIEW_ROLE_NAME = 'platform-preview';

/** The role an environment's stacks run as: `platform-deployer-<environment>`. */
export function deployerRoleName(environment: string): string {
  return `platform-deployer-${environment}`;
}

/** The prefix of the deployers' managed policies (`platform-deployer-prod-compute`). */
export const DEPLOYER_POLICY_PREFIX = 'platform-deployer-';

/** The ARN of the permissions boundary in `accountId`: kops's `spec.iam.permissionsBoundary`. */
export function permissionsBoundaryArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:policy/${WORKLOAD_BOUNDARY_NAME}`;
}

/** One cluster a deployer deploys, or must keep away from. */
export interface DeployerCluster {
  /** The short name (`prod`): names the stack, the buckets, the key alias and the stack's `cluster` tag. */
  readonly name: string;
  /** The DNS name (`prod.k8s.example.com`): kops's `KubernetesCluster` tag and the roles it creates. */
  readonly clusterName: string;
  /** The region it runs in. */
  readonly region: string;
}

/** Pulumi's S3 state backend, as the deployer sees it. */
export interface DeployerStateBackend {
  /** The bucket. */
  readonly bucket: string;
  /** The ARN of the KMS key that encrypts the bucket. */
  readonly keyArn: string;
  /** The Pulumi project (Pulumi.yaml `name`): the state of stack `s` is under `.pulumi/stacks/<project>/<s>.json`. */
  readonly project: string;
}

/** What one environment's deployer role may touch. */
export interface DeployerScope {
  /** The AWS account. */
  readonly accountId: string;
  /** The environment (`prod`): names the role. */
  readonly environment: string;
  /** The environment's clusters; each is deployed by the stack named after it. */
  readonly clusters: readonly DeployerCluster[];
  /** Every other environment's clusters: the deployer may never put their tags on anything. */
  readonly otherClusters: readonly DeployerCluster[];
  /** Pulumi's state backend: the deployer reads and writes only its own stacks' state. */
  readonly stateBackend: DeployerStateBackend;
  /** The ARN of this environment's Pulumi secrets key ({@link secretsKeyAlias}): the only secrets key the deployer may use. */
  readonly secretsKeyArn: string;
  /** Roles the deployer must never change, whatever their tags (every deployer role, the preview role). */
  readonly protectedRoleNames: readonly string[];
  /** Keys the deployer must never re-policy, grant on, disable, retag, re-alias or delete (the state key and every secrets key, its own included). */
  readonly protectedKeyArns: readonly string[];
}

// EC2, Auto Scaling and ELB calls that create a resource, each by the component that makes it.
// kops: upup/pkg/fi/cloudup/awstasks (securitygroup.go CreateSecurityGroup, ebsvolume.go
// CreateVolume, launchtemplate_target_api.go CreateLaunchTemplate, sshkey.go ImportKeyPair,
// instance.go RunInstances, autoscalinggroup.go CreateAutoScalingGroup, network_load_balancer.go
// CreateLoadBalancer, targetgroup.go CreateTargetGroup), each with its tags in the request
// (awsup.EC2TagSpecification, Tags:); the etcd snapshot step (kops-scripts.ts) creates snapshots.
const KOPS_EC2_CREATES = ['ec2:CreateSecurityGroup', 'ec2:CreateVolume', 'ec2:CreateLaunchTemplate', 'ec2:ImportKeyPair', 'ec2:RunInstances', 'ec2:CreateSnapshot'];
const KOPS_OTHER_CREATES = ['autoscaling:CreateAutoScalingGroup', 'elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'];
// The stack (lib/aws/network.ts, vpc-endpoints.ts, state-store.ts, etcd-snapshots.ts): every resource
// carries the provider's default tags, sent in the create call.
const STACK_EC2_CREATES = [
  'ec2:CreateVpc', 'ec2:CreateSubnet', 'ec2:CreateInternetGateway', 'ec2:CreateNatGateway', 'ec2:AllocateAddress', 'ec2:CreateRouteTable',
  'ec2:CreateVpcEndpoint', 'ec2:CreateFlowLogs', 'ec2:CreateSecurityGroup',
];
const STACK_OTHER_CREATES = ['kms:CreateKey', 'dlm:CreateLifecyclePolicy'];
/** The services whose resources the deployer changes only when they are tagged for its clusters. */
const CHANGED_BY_TAG = ['ec2:*', 'autoscaling:*', 'elasticloadbalancing:*', 'dlm:*', 'kms:*'];

const ROLE_WRITES_UNDER_BOUNDARY = ['iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePermissionsBoundary'];
const ROLE_WRITES_BY_TAG = ['iam:DeleteRole', 'iam:UpdateRole', 'iam:UpdateAssumeRolePolicy', 'iam:UntagRole', 'iam:TagRole'];

/** The name kops gives the API load balancer: `api-<cluster, dots as dashes>`, cut to 32 with a hash always added (awsup.GetResourceName32). */
function kopsApiLoadBalancerPrefix(clusterName: string): string {
  return `api-${clusterName.replaceAll('.', '-')}`.slice(0, 32 - 7);
}

/**
 * The pattern of every key of one stack's state in Pulumi's DIY (S3) backend, project mode
 * (pulumi pkg/backend/diy/store.go StackBasePath/HistoryDir/BackupDir, lock.go stackLockDir,
 * state.go stackPath with its `.gz`/`.zst`/`.bak` variants, stack_tags.go `.pulumi-tags`).
 */
export function pulumiStackStateKeys(project: string, stack: string): { objects: string[]; listPrefixes: string[] } {
  const dirs = [`.pulumi/history/${project}/${stack}/`, `.pulumi/backups/${project}/${stack}/`, `.pulumi/locks/organization/${project}/${stack}/`];
  return {
    objects: [`.pulumi/stacks/${project}/${stack}.json*`, `.pulumi/stacks/${project}/${stack}.pulumi-tags`, ...dirs.map((d) => `${d}*`)],
    listPrefixes: [`.pulumi/stacks/${project}/${stack}.json`, ...dirs],
  };
}

/** The OIDC provider kops creates for a cluster's service-account issuer: named by the discovery bucket's URL (kops util/pkg/vfs/s3fs.go GetHTTPsUrl). */
export function clusterOidcProviderArn(accountId: string, cluster: DeployerCluster): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${accountId}-${cluster.name}-oidc-discovery.s3.${cluster.region}.amazonaws.com/${cluster.clusterName}`;
}

/**
 * The statements that let one creator (kops, or the stack) create resources only with its tag for
 * this environment's clusters, and add that tag only while creating: a resource that exists and
 * carries either tag is changed only through {@link changeByTag}.
 */
function createWithTag(sid: string, key: string, values: readonly string[], otherKey: string, otherValues: readonly string[], creates: { ec2: string[]; other: string[] }, inRegions: Record<string, readonly string[]>): PolicyStatement[] {
  const untagged = { [`aws:ResourceTag/${key}`]: 'true', [`aws:ResourceTag/${otherKey}`]: 'true' };
  const tags = { StringEquals: { [`aws:RequestTag/${key}`]: [...values], ...inRegions }, StringEqualsIfExists: { [`aws:RequestTag/${otherKey}`]: [...otherValues] }, Null: untagged };
  const statements: PolicyStatement[] = [
    { Sid: `${sid}CreatesTagged`, Effect: 'Allow', Action: [...creates.ec2, ...creates.other], Resource: '*', Condition: tags },
    // Tagging in the create call is authorized as ec2:CreateTags with ec2:CreateAction (EC2 User Guide, "Grant permission to tag resources during creation").
    { Sid: `${sid}TagsOnCreate`, Effect: 'Allow', Action: 'ec2:CreateTags', Resource: '*', Condition: { ...tags, StringEquals: { ...tags.StringEquals, 'ec2:CreateAction': creates.ec2.map(apiName) } } },
  ];
  const elb = creates.other.filter((a) => a.startsWith('elasticloadbalancing:'));
  if (elb.length > 0) {
    statements.push({ Sid: `${sid}TagsLoadBalancersOnCreate`, Effect: 'Allow', Action: 'elasticloadbalancing:AddTags', Resource: '*', Condition: { ...tags, StringEquals: { ...tags.StringEquals, 'elasticloadbalancing:CreateAction': elb.map(apiName) } } });
  }
  if (creates.other.some((a) => a.startsWith('kms:') || a.startsWith('dlm:'))) {
    statements.push({ Sid: `${sid}TagsKeysAndPoliciesOnCreate`, Effect: 'Allow', Action: ['kms:TagResource', 'dlm:TagResource'], Resource: '*', Condition: tags });
  }
  return statements;
}

/** The API name of an action (`ec2:RunInstances` -> `RunInstances`): the value of `ec2:CreateAction`. */
const apiName = (action: string): string => action.slice(action.indexOf(':') + 1);

/** Anything on a resource tagged for this environment's clusters, never moving a tag to another value. */
function changeByTag(sid: string, key: string, values: readonly string[], otherKey: string, otherValues: readonly string[], inRegions: Record<string, readonly string[]>): PolicyStatement {
  return {
    Sid: `${sid}TaggedChanges`,
    Effect: 'Allow',
    Action: CHANGED_BY_TAG,
    Resource: '*',
    Condition: {
      StringEquals: { [`aws:ResourceTag/${key}`]: [...values], ...inRegions },
      StringEqualsIfExists: { [`aws:RequestTag/${key}`]: [...values], [`aws:RequestTag/${otherKey}`]: [...otherValues] },
    },
  };
}

/**
 * One environment's deployer policy: what kops and the environment stack need for that
 * environment's clusters, and nothing of any other environment.
 *
 * - EC2, Auto Scaling, ELB, DLM and KMS by tag: kops tags what it creates `KubernetesCluster=<cluster
 *   name>` (kops pkg/model/context.go CloudTags), the stack `cluster=<short name>` (its provider's
 *   default tags). A create must carry one of them for this environment (and the other, if
 *   present, too), the tag can be added only in the create call (`ec2:CreateAction`,
 *   `elasticloadbalancing:CreateAction`, or a resource that carries neither tag yet), and what
 *   exists is changed only when it carries this environment's tag — never retagged to another
 *   value. Reads without resource-level permissions (Describe*) stay broad.
 * - IAM by tag and boundary, not by name: kops names a role `<sa>.<ns>.sa.<cluster>` and cuts names
 *   over 64 characters to 57 plus a hash (kops pkg/model/iam/types.go, pkg/truncate), but creates
 *   every role with `KubernetesCluster=<cluster>` and `spec.iam.permissionsBoundary` (kops
 *   pkg/model/awsmodel/iam.go, upup/pkg/fi/cloudup/awstasks/iamrole.go). A role is created only
 *   with both, its policies change only under the boundary, and the tag can be put only on an
 *   untagged role named as kops or the stack name theirs — so the deployer cannot tag its way
 *   into a role it did not create (a role's trust is changed by tag alone). Boundaries are never
 *   removed, the deployer and preview roles never touched.
 * - S3 by name: the environment's kops state store (it holds the cluster CA), etcd backups and
 *   discovery buckets, and in Pulumi's backend only its own stacks' state.
 * - Route53: records only under the cluster names (`route53:ChangeResourceRecordSetsNormalizedRecordNames`);
 *   hosted zones are known only at deploy time, so zone ids are not scoped; zones are created but
 *   never deleted by the deployer.
 * It grants nothing on IAM users or access keys, and no `*` action.
 */
export function deployerPolicy(scope: DeployerScope): PolicyDocument {
  const parts = deployerPolicies(scope);
  return policyDocument(Object.values(parts).flatMap((p) => p.Statement));
}

/** The three parts of a deployer's policy, each small enough for one managed policy (6,144 characters). */
export interface DeployerPolicies {
  /** EC2, Auto Scaling, ELB, DLM, KMS keys, the queue, rules and flow logs. */
  readonly compute: PolicyDocument;
  /** Roles, instance profiles, OIDC providers. */
  readonly iam: PolicyDocument;
  /** Buckets, the stacks' state, key aliases, DNS, and what no deployer may ever do. */
  readonly data: PolicyDocument;
}

/**
 * {@link deployerPolicy}, in three managed policies: the whole is larger than the 10,240
 * characters AWS allows for a role's inline policies; each part stays under 6,144, the limit of
 * one managed policy (IAM User Guide, reference_iam-quotas.html).
 */
export function deployerPolicies(scope: DeployerScope): DeployerPolicies {
  const { accountId: a, clusters } = scope;
  const boundary = permissionsBoundaryArn(a);
  const names = clusters.map((c) => c.clusterName);
  const shorts = clusters.map((c) => c.name);
  const regions = [...new Set(clusters.map((c) => c.region))].sort();
  const inRegions = { 'aws:RequestedRegion': regions };
  const anyRole = `arn:aws:iam::${a}:role/*`;
  const taggedForCluster = { [`aws:ResourceTag/${CLUSTER_TAG}`]: names };
  const requestTagIfAny = { [`aws:RequestTag/${CLUSTER_TAG}`]: names };
  const profiles = clusters.flatMap((c) => kopsInstanceProfileNames({ clusterName: c.clusterName, instanceGroupRoles: ['ControlPlane', 'APIServer', 'Bastion', 'Node'] }))
    .map((n) => `arn:aws:iam::${a}:instance-profile/${n}`);
  const buckets = clusters.flatMap((c) => ['kops-state', 'etcd-backups', 'oidc-discovery'].map((kind) => `arn:aws:s3:::${a}-${c.name}-${kind}`));
  const backend = `arn:aws:s3:::${scope.stateBackend.bucket}`;
  const stackKeys = clusters.map((c) => pulumiStackStateKeys(scope.stateBackend.project, c.name));
  const compute: PolicyStatement[] = [
    {
      Sid: 'ReadsWithoutResourceLevelPermissions',
      Effect: 'Allow',
      Action: [
        'ec2:Describe*', 'autoscaling:Describe*', 'elasticloadbalancing:Describe*', 'kms:ListAliases', 'kms:ListKeys', 'logs:DescribeLogGroups',
        'events:ListRules', 'sqs:ListQueues', 'dlm:GetLifecyclePolicies',
      ],
      Resource: '*',
      Condition: { StringEquals: inRegions },
    },
    ...createWithTag('Kops', CLUSTER_TAG, names, STACK_CLUSTER_TAG, shorts, { ec2: KOPS_EC2_CREATES, other: KOPS_OTHER_CREATES }, inRegions),
    ...createWithTag('Stack', STACK_CLUSTER_TAG, shorts, CLUSTER_TAG, names, { ec2: STACK_EC2_CREATES, other: STACK_OTHER_CREATES }, inRegions),
    changeByTag('Kops', CLUSTER_TAG, names, STACK_CLUSTER_TAG, shorts, inRegions),
    changeByTag('Stack', STACK_CLUSTER_TAG, shorts, CLUSTER_TAG, names, inRegions),
    {
      // An instance is launched from an AMI (and its snapshots), which carry no tag of ours.
      Sid: 'LaunchFromImages',
      Effect: 'Allow',
      Action: 'ec2:RunInstances',
      Resource: regions.flatMap((r) => [`arn:aws:ec2:${r}::image/*`, `arn:aws:ec2:${r}::snapshot/*`]),
    },
    {
      // kops creates its listeners untagged (awstasks/networkloadbalancerlistener.go): by the load balancer's name.
      Sid: 'ClusterApiListeners',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:DeleteListener', 'elasticloadbalancing:ModifyListener'],
      Resource: clusters.map((c) => `arn:aws:elasticloadbalancing:${c.region}:${a}:listener/net/${kopsApiLoadBalancerPrefix(c.clusterName)}*`),
    },
    {
      // kops names the node-termination queue and rules after the cluster (pkg/model/names.go
      // QueueNamePrefix, pkg/model/awsmodel/nodeterminationhandler.go, awsup.GetClusterName40).
      Sid: 'ClusterQueueAndRules',
      Effect: 'Allow',
      Action: ['sqs:*', 'events:*'],
      Resource: clusters.flatMap((c) => [
        `arn:aws:sqs:${c.region}:${a}:${kopsTruncate(c.clusterName.replaceAll('.', '-'), 75)}-nth`,
        `arn:aws:events:${c.region}:${a}:rule/${kopsTruncate(c.clusterName, 40)}-*`,
      ]),
    },
    {
      Sid: 'ClusterFlowLogs',
      Effect: 'Allow',
      Action: 'logs:*',
      Resource: clusters.flatMap((c) => [`arn:aws:logs:${c.region}:${a}:log-group:/platform/${c.clusterName}/*`]),
    },
  ];
  const iam: PolicyStatement[] = [
    {
      Sid: 'ReadIam',
      Effect: 'Allow',
      Action: [
        'iam:GetRole', 'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListRoleTags', 'iam:ListInstanceProfilesForRole',
        'iam:GetInstanceProfile', 'iam:ListInstanceProfileTags', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetOpenIDConnectProvider',
        'iam:ListOpenIDConnectProviderTags', 'iam:ListRoles', 'iam:ListInstanceProfiles', 'iam:ListOpenIDConnectProviders',
      ],
      Resource: '*',
    },
    {
      Sid: 'CreateClusterRolesWithTagAndBoundary',
      Effect: 'Allow',
      Action: 'iam:CreateRole',
      Resource: anyRole,
      Condition: { StringEquals: { [`aws:RequestTag/${CLUSTER_TAG}`]: names, 'iam:PermissionsBoundary': boundary } },
    },
    {
      // CreateRole with tags is also authorized as iam:TagRole. The role does not exist yet, so it
      // carries no tag; only names kops or the stack give their roles qualify.
      Sid: 'TagClusterRolesOnCreate',
      Effect: 'Allow',
      Action: 'iam:TagRole',
      Resource: [...clusters.flatMap((c) => [`arn:aws:iam::${a}:role/*.${c.clusterName}`, `arn:aws:iam::${a}:role/platform-${c.name}-*`]), `arn:aws:iam::${a}:role/*.sa.*`],
      Condition: { StringEquals: { [`aws:RequestTag/${CLUSTER_TAG}`]: names }, Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: 'true' } },
    },
    {
      Sid: 'ChangeClusterRolesByTag', Effect: 'Allow', Action: ROLE_WRITES_BY_TAG, Resource: anyRole,
      Condition: { StringEquals: taggedForCluster, StringEqualsIfExists: requestTagIfAny },
    },
    {
      Sid: 'ChangeClusterRolePoliciesUnderTheBoundary',
      Effect: 'Allow',
      Action: ROLE_WRITES_UNDER_BOUNDARY,
      Resource: anyRole,
      Condition: { StringEquals: { ...taggedForCluster, 'iam:PermissionsBoundary': boundary } },
    },
    {
      Sid: 'PassClusterRolesToInstancesSnapshotsAndFlowLogs',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: anyRole,
      Condition: { StringEquals: { ...taggedForCluster, 'iam:PassedToService': ['ec2.amazonaws.com', 'dlm.amazonaws.com', 'vpc-flow-logs.amazonaws.com'] } },
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
      // Only this environment's service-account issuers (kops awstasks/iamoidcprovider.go: create,
      // tag, untag, thumbprint, client ids). No other issuer — a CI's, another environment's, one
      // the deployer could stand up itself — can be trusted by it.
      Sid: 'WorkloadIdentityProviders',
      Effect: 'Allow',
      Action: [
        'iam:CreateOpenIDConnectProvider', 'iam:DeleteOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider', 'iam:UntagOpenIDConnectProvider',
        'iam:UpdateOpenIDConnectProviderThumbprint', 'iam:AddClientIDToOpenIDConnectProvider', 'iam:RemoveClientIDFromOpenIDConnectProvider',
      ],
      Resource: clusters.map((c) => clusterOidcProviderArn(a, c)),
    },
    {
      Sid: 'ServiceLinkedRolesOfTheServicesKopsUses',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: '*',
      Condition: { StringEquals: { 'iam:AWSServiceName': ['autoscaling.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'spot.amazonaws.com'] } },
    },
  ];
  const data: PolicyStatement[] = [
    { Sid: 'EnvironmentBuckets', Effect: 'Allow', Action: 's3:*', Resource: buckets.flatMap((b) => [b, `${b}/*`]) },
    { Sid: 'ListBuckets', Effect: 'Allow', Action: ['s3:ListAllMyBuckets', 's3:GetBucketLocation'], Resource: '*' },
    { Sid: 'ReadBackendMeta', Effect: 'Allow', Action: 's3:GetObject', Resource: `${backend}/.pulumi/meta.yaml` },
    {
      Sid: 'OwnStacksState',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: stackKeys.flatMap((k) => k.objects.map((o) => `${backend}/${o}`)),
    },
    {
      Sid: 'ListOwnStacksState',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: backend,
      Condition: { StringLike: { 's3:prefix': stackKeys.flatMap((k) => k.listPrefixes) } },
    },
    // S3 encrypts the state with SSE-KMS: GenerateDataKey to write, Decrypt to read.
    { Sid: 'StateKey', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: scope.stateBackend.keyArn },
    { Sid: 'OwnSecretsKey', Effect: 'Allow', Action: [...PULUMI_SECRETS_KEY_ACTIONS], Resource: scope.secretsKeyArn },
    {
      Sid: 'ClusterKeyAliases',
      Effect: 'Allow',
      Action: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'],
      Resource: clusters.map((c) => `arn:aws:kms:${c.region}:${a}:alias/platform-${c.name}`),
    },
    {
      Sid: 'ClusterDnsRecords',
      Effect: 'Allow',
      Action: 'route53:ChangeResourceRecordSets',
      Resource: 'arn:aws:route53:::hostedzone/*',
      Condition: {
        'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': names.flatMap((n) => [n, `*.${n}`]) },
        Null: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': 'false' },
      },
    },
    {
      Sid: 'ClusterDnsZones',
      Effect: 'Allow',
      Action: ['route53:CreateHostedZone', 'route53:ChangeTagsForResource', 'route53:Get*', 'route53:List*'],
      Resource: '*',
    },
    { Sid: 'WhoAmI', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' },
    { Sid: 'SecretsAtDeployTime', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:*:${a}:secret:platform/*` },
    ...deployerDenials(a, scope.protectedRoleNames, scope.otherClusters),
    ...(scope.protectedKeyArns.length === 0 ? [] : [{
      Sid: 'NeverChangeTheStateOrSecretsKeys', Effect: 'Deny' as const,
      Action: ['kms:Put*', 'kms:Create*', 'kms:Disable*', 'kms:Update*', 'kms:Schedule*', 'kms:Delete*', 'kms:Tag*', 'kms:Untag*', 'kms:Replicate*', 'kms:Import*', 'kms:RetireGrant', 'kms:RevokeGrant'],
      Resource: [...scope.protectedKeyArns],
    }]),
  ];
  return { compute: policyDocument(compute), iam: policyDocument(iam), data: policyDocument(data) };
}

/** What no deployer may ever do, in its policy and again in its boundary. */
function deployerDenials(accountId: string, protectedRoleNames: readonly string[], otherClusters: readonly DeployerCluster[]): PolicyStatement[] {
  const others = otherClusters.map((c) => `kubernetes.io/cluster/${c.clusterName}`);
  return [
    { Sid: 'NeverRemoveABoundary', Effect: 'Deny', Action: 'iam:DeleteRolePermissionsBoundary', Resource: '*' },
    {
      Sid: 'NeverChangeTheDeployerRoles',
      Effect: 'Deny',
      Action: ['iam:Create*', 'iam:Delete*', 'iam:Put*', 'iam:Attach*', 'iam:Detach*', 'iam:Update*', 'iam:Tag*', 'iam:Untag*', 'iam:PassRole'],
      Resource: protectedRoleNames.map((n) => `arn:aws:iam::${accountId}:role/${n}`),
    },
    {
      Sid: 'NeverChangeTheBoundariesOrTheDeployerPolicies',
      Effect: 'Deny',
      Action: ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:TagPolicy', 'iam:UntagPolicy'],
      Resource: [WORKLOAD_BOUNDARY_NAME, DEPLOYER_BOUNDARY_NAME, `${DEPLOYER_POLICY_PREFIX}*`].map((n) => `arn:aws:iam::${accountId}:policy/${n}`),
    },
    ...(others.length === 0 ? [] : [{
      // The tag the cloud controller and kops find a cluster's resources by: never on anything of this environment's.
      Sid: 'NeverOtherClustersTags', Effect: 'Deny' as const, Action: '*', Resource: '*',
      Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': others } },
    }]),
  ];
}

/** What the deployer boundary must know: every deployer's clusters (their service-account issuers) and the roles no deployer may touch. */
export interface DeployerBoundaryScope {
  readonly accountId: string;
  /** Every cluster of every environment. */
  readonly clusters: readonly DeployerCluster[];
  /** Every deployer role and the preview role. */
  readonly protectedRoleNames: readonly string[];
}

/**
 * The permissions boundary of every deployer role: whatever its policy says, a deployer never
 * creates a role without the workload boundary, removes a boundary, changes a deployer or the
 * preview role or a boundary policy, creates an OIDC provider for anything but a cluster's
 * service-account issuer, assumes another role, or touches IAM users, groups and access keys.
 * The per-environment limits are the policy's; the boundary holds even if a policy were widened.
 */
export function deployerBoundaryPolicy(scope: DeployerBoundaryScope): PolicyDocument {
  const a = scope.accountId;
  return policyDocument([
    {
      Sid: 'EverythingButIdentitiesAndAccounts', Effect: 'Allow',
      NotAction: ['iam:*User*', 'iam:*Group*', 'iam:*AccessKey*', 'iam:*LoginProfile*', 'sts:AssumeRole', 'organizations:*', 'account:*'],
      Resource: '*',
    },
    {
      Sid: 'RolesOnlyUnderTheWorkloadBoundary', Effect: 'Deny', Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'], Resource: '*',
      Condition: { StringNotEquals: { 'iam:PermissionsBoundary': permissionsBoundaryArn(a) } },
    },
    {
      Sid: 'OidcProvidersOnlyForClusterIssuers', Effect: 'Deny', Action: 'iam:CreateOpenIDConnectProvider',
      NotResource: scope.clusters.map((c) => clusterOidcProviderArn(a, c)),
    },
    ...deployerDenials(a, scope.protectedRoleNames, []),
  ]);
}
