import { clusters, environments } from '../../clusters';
import { type ClusterDefinition, KopsChart, buildClusterApp } from '../../lib';
import {
  CLUSTER_TAG, type DeployerCluster, type DeployerScope, PREVIEW_ROLE_NAME, STACK_CLUSTER_TAG, ciTrustPolicy, defaultTags, deployerBoundaryPolicy,
  deployerPolicies, deployerPolicy, deployerRoleName, discoveryBucketName, etcdBackupBucketName, kopsRoleNames, kopsServiceAccountRoleName,
  PULUMI_SECRETS_KEY_ACTIONS, permissionsBoundaryArn, pulumiStackStateKeys, stateBucketName, workloadBoundaryPolicy,
} from '../../lib/aws';
import { kopsInstanceProfileNames, kopsTruncate } from '../../lib/aws/kops-iam-names';
import { type IamRequest, evaluate, evaluateWithBoundary } from './support/iam-evaluation';

// The rules of kops encoded here, each from its source (kops at the commit fetched for this work):
// - role names: `<sa>.<ns>.sa.<cluster>` (a `*` namespace spelled `wildcard`) and
//   `masters.|nodes.|bastions.|apiservers.<cluster>`, cut to 64 by truncate.TruncateString
//   (pkg/model/iam/types.go IAMNameForServiceAccountRole, pkg/model/names.go IAMName,
//   pkg/truncate/truncate.go; the vectors below are kops's pkg/truncate/truncate_test.go);
// - the addons whose roles kops creates: pkg/model/components/addonmanifests/<addon>/iam.go;
// - tags: every resource kops owns carries Name, KubernetesCluster=<cluster> and
//   kubernetes.io/cluster/<cluster>=owned; a shared one (the stack's VPC and subnets) only
//   kubernetes.io/cluster/<cluster>=shared (pkg/model/context.go CloudTags);
// - the calls and the tags they carry, per task in upup/pkg/fi/cloudup/awstasks: securitygroup.go
//   and securitygrouprule.go (CreateSecurityGroup with TagSpecifications, Authorize/Revoke),
//   ebsvolume.go (CreateVolume with TagSpecifications, ModifyVolume), launchtemplate_target_api.go
//   (CreateLaunchTemplate tagging the template, instances, volumes and ENIs, CreateLaunchTemplateVersion,
//   ModifyLaunchTemplate, DeleteLaunchTemplate), sshkey.go (ImportKeyPair), autoscalinggroup.go
//   (CreateAutoScalingGroup with Tags, UpdateAutoScalingGroup, CreateOrUpdateTags, DeleteTags,
//   Attach/DetachLoadBalancerTargetGroups, Suspend/ResumeProcesses, EnableMetricsCollection),
//   autoscalinglifecyclehook.go (Put/DeleteLifecycleHook), network_load_balancer.go (CreateLoadBalancer
//   with Tags, SetSubnets, SetSecurityGroups, DeleteLoadBalancer), networkloadbalancerlistener.go
//   (Create/DeleteListener, untagged), targetgroup.go (CreateTargetGroup with Tags, Modify*),
//   sqs.go and eventbridgerule.go/eventbridgetarget.go (CreateQueue, PutRule, PutTargets; names from
//   pkg/model/names.go QueueNamePrefix, awsup.GetClusterName40), subnet.go (tags a shared subnet
//   with AddAWSTags), iamrole.go/iamrolepolicy.go/iaminstanceprofile*.go, iamoidcprovider.go
//   (Create, Tag, Untag, UpdateThumbprint, Add/RemoveClientID), dnsname.go (ChangeResourceRecordSets
//   for api.<cluster>); the API load balancer is named by awsup.GetResourceName32 ("api").
// AWS's rules (tag-on-create authorized as ec2:CreateTags with ec2:CreateAction and as
// elasticloadbalancing:AddTags with elasticloadbalancing:CreateAction; CreateRole with tags also
// as iam:TagRole; aws:ResourceTag absent on a resource being created; the condition keys of the
// Route53 and IAM actions) are read from the AWS service authorization reference and user
// guides, not run: there is no AWS here. The evaluator's own rules are in support/iam-evaluation.ts.

const ACCOUNT = '111122223333';
const BOUNDARY = permissionsBoundaryArn(ACCOUNT);
const KEY = (id: string, region = 'eu-west-1'): string => `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`;
const STATE = 'example-platform-pulumi-state';
const ENVIRONMENTS = [...new Set(clusters.map((c) => c.environment))];
const PROTECTED = [...ENVIRONMENTS.map(deployerRoleName), PREVIEW_ROLE_NAME];
const deployerCluster = (c: ClusterDefinition): DeployerCluster => ({ name: c.name, clusterName: c.kubernetes.clusterName, region: c.region });

function scopeOf(environment: string): DeployerScope {
  return {
    accountId: ACCOUNT, environment,
    clusters: clusters.filter((c) => c.environment === environment).map(deployerCluster),
    otherClusters: clusters.filter((c) => c.environment !== environment).map(deployerCluster),
    stateBackend: { bucket: STATE, project: 'platform', keyArn: KEY('state') }, secretsKeyArn: KEY(`${environment}-secrets`), protectedRoleNames: PROTECTED,
    protectedKeyArns: [KEY('state'), KEY('bootstrap-secrets'), ...ENVIRONMENTS.map((e) => KEY(`${e}-secrets`))],
  };
}
const policies = new Map(ENVIRONMENTS.map((e) => [e, deployerPolicy(scopeOf(e))]));
const boundary = deployerBoundaryPolicy({ accountId: ACCOUNT, clusters: clusters.map(deployerCluster), protectedRoleNames: PROTECTED });
/** The decision for the environment's deployer: its policy and its boundary. */
function decide(environment: string, req: IamRequest): string {
  const policy = policies.get(environment);
  if (policy === undefined) throw new Error(`no deployer for ${environment}`);
  return evaluateWithBoundary(policy, boundary, req);
}
const role = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

interface KopsObjects { clusterName: string; igRoles: string[]; serviceAccounts: { namespace: string; name: string }[]; boundary: unknown }
const kopsObjects = new Map<string, KopsObjects>();
function kopsObjectsOf(name: string): KopsObjects {
  const known = kopsObjects.get(name);
  if (known !== undefined) return known;
  const def = clusters.find((c) => c.name === name);
  const chart = def === undefined ? undefined : buildClusterApp(def, environments).node.findAll().find((c): c is KopsChart => c instanceof KopsChart);
  if (chart === undefined) throw new Error(`no kops chart for ${name}`);
  const spec = chart.kops.cluster.toJson().spec as { iam: { permissionsBoundary?: string; serviceAccountExternalPermissions?: { name: string; namespace: string }[] } };
  const objects = {
    clusterName: chart.kops.clusterName,
    igRoles: chart.kops.instanceGroups.map((g) => (g.toJson().spec as { role: string }).role),
    serviceAccounts: (spec.iam.serviceAccountExternalPermissions ?? []).map((p) => ({ name: p.name, namespace: p.namespace })),
    boundary: spec.iam.permissionsBoundary,
  };
  kopsObjects.set(name, objects);
  return objects;
}

/** One request the deploy of a cluster makes: where it comes from, and whether it is account-wide by design (a read with no resource-level permissions). */
interface Call { readonly source: string; readonly req: IamRequest; readonly shared?: true }

/** Everything kops does for cluster `c` (the awstasks files named above), with the tags it sends. */
function kopsCalls(c: ClusterDefinition): Call[] {
  const cn = c.kubernetes.clusterName;
  const r = c.region;
  const ec2 = (type: string, id = '*'): string => `arn:aws:ec2:${r}:${ACCOUNT}:${type}/${id}`;
  const owned = { Name: 'x', [CLUSTER_TAG]: cn, [`kubernetes.io/cluster/${cn}`]: 'owned' };
  const requestTags = { 'aws:RequestedRegion': r, [`aws:RequestTag/${CLUSTER_TAG}`]: cn, 'aws:TagKeys': Object.keys(owned) };
  const kopsTagged = { 'aws:RequestedRegion': r, [`aws:ResourceTag/${CLUSTER_TAG}`]: cn };
  const stackTagged = { 'aws:RequestedRegion': r, [`aws:ResourceTag/${STACK_CLUSTER_TAG}`]: c.name };
  const create = (source: string, action: string, resource: string): Call[] => [
    { source, req: { action, resource, context: requestTags } },
    { source: `${source} (tags in the create call)`, req: { action: 'ec2:CreateTags', resource, context: { ...requestTags, 'ec2:CreateAction': action.split(':')[1] ?? action } } },
  ];
  const onTagged = (source: string, actions: string[], resource: string, context: Record<string, string | readonly string[]> = kopsTagged): Call[] =>
    actions.map((action) => ({ source, req: { action, resource, context } }));
  const asg = `arn:aws:autoscaling:${r}:${ACCOUNT}:autoScalingGroup:0b4d7c1e-0000-4000-8000-000000000000:autoScalingGroupName/nodes.${cn}`;
  const lbName = `${`api-${cn.replaceAll('.', '-')}`.slice(0, 25)}-a1b2c3`;
  const lb = `arn:aws:elasticloadbalancing:${r}:${ACCOUNT}:loadbalancer/net/${lbName}/50dc6c495c0c9188`;
  const tg = `arn:aws:elasticloadbalancing:${r}:${ACCOUNT}:targetgroup/tcp-${c.name}-a1b2c3/50dc6c495c0c9188`;
  const key = KEY(`${c.name}-key`, r);
  const keyContext = { 'aws:RequestedRegion': r, [`aws:ResourceTag/${STACK_CLUSTER_TAG}`]: c.name };
  const queue = `arn:aws:sqs:${r}:${ACCOUNT}:${kopsTruncate(cn.replaceAll('.', '-'), 75)}-nth`;
  const rule = `arn:aws:events:${r}:${ACCOUNT}:rule/${kopsTruncate(cn, 40)}-ASGLifecycle`;
  const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/${discoveryBucketName(ACCOUNT, c.name)}.s3.${r}.amazonaws.com/${cn}`;
  const stateStore = `arn:aws:s3:::${stateBucketName(ACCOUNT, c.name)}`;
  return [
    { source: 'describe calls of every task (Find)', req: { action: 'ec2:DescribeInstances', resource: '*', context: { 'aws:RequestedRegion': r } }, shared: true },
    { source: 'autoscalinggroup.go Find', req: { action: 'autoscaling:DescribeAutoScalingGroups', resource: '*', context: { 'aws:RequestedRegion': r } }, shared: true },
    { source: 'network_load_balancer.go Find', req: { action: 'elasticloadbalancing:DescribeLoadBalancers', resource: '*', context: { 'aws:RequestedRegion': r } }, shared: true },
    ...create('securitygroup.go', 'ec2:CreateSecurityGroup', ec2('security-group')),
    { source: 'securitygroup.go (the stack\'s VPC it goes in)', req: { action: 'ec2:CreateSecurityGroup', resource: ec2('vpc', 'vpc-1'), context: { ...stackTagged, ...requestTags } } },
    ...onTagged('securitygrouprule.go', ['ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress', 'ec2:DeleteSecurityGroup'], ec2('security-group', 'sg-1')),
    ...create('ebsvolume.go', 'ec2:CreateVolume', ec2('volume')),
    ...onTagged('ebsvolume.go', ['ec2:ModifyVolume', 'ec2:DeleteTags', 'ec2:DeleteVolume'], ec2('volume', 'vol-1')),
    { source: 'ebsvolume.go (tags changed)', req: { action: 'ec2:CreateTags', resource: ec2('volume', 'vol-1'), context: { ...kopsTagged, ...requestTags } } },
    ...create('launchtemplate_target_api.go', 'ec2:CreateLaunchTemplate', ec2('launch-template')),
    ...onTagged('launchtemplate_target_api.go', ['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate', 'ec2:DeleteLaunchTemplate'], ec2('launch-template', 'lt-1')),
    ...create('sshkey.go', 'ec2:ImportKeyPair', ec2('key-pair')),
    { source: 'autoscalinggroup.go CreateAutoScalingGroup', req: { action: 'autoscaling:CreateAutoScalingGroup', resource: asg, context: requestTags } },
    ...onTagged('autoscalinggroup.go', [
      'autoscaling:UpdateAutoScalingGroup', 'autoscaling:DeleteTags', 'autoscaling:AttachLoadBalancerTargetGroups', 'autoscaling:DetachLoadBalancerTargetGroups',
      'autoscaling:SuspendProcesses', 'autoscaling:ResumeProcesses', 'autoscaling:EnableMetricsCollection', 'autoscaling:PutLifecycleHook', 'autoscaling:DeleteLifecycleHook',
      'autoscaling:TerminateInstanceInAutoScalingGroup', 'autoscaling:DeleteAutoScalingGroup',
    ], asg),
    { source: 'autoscalinggroup.go CreateOrUpdateTags', req: { action: 'autoscaling:CreateOrUpdateTags', resource: asg, context: { ...kopsTagged, ...requestTags } } },
    // launching from the launch template: the template, the AMI, the stack's subnet, kops's security group, and the new instance, volume and ENI with the template's tags
    ...onTagged('launch from the template', ['ec2:RunInstances'], ec2('launch-template', 'lt-1'), { ...kopsTagged, ...requestTags }),
    { source: 'launch from the template (AMI)', req: { action: 'ec2:RunInstances', resource: `arn:aws:ec2:${r}::image/ami-1`, context: requestTags }, shared: true },
    ...onTagged('launch from the template (subnet)', ['ec2:RunInstances'], ec2('subnet', 'subnet-1'), { ...stackTagged, ...requestTags }),
    ...onTagged('launch from the template (security group)', ['ec2:RunInstances'], ec2('security-group', 'sg-1'), { ...kopsTagged, ...requestTags }),
    ...['instance', 'volume', 'network-interface'].flatMap((t) => create(`launch from the template (new ${t})`, 'ec2:RunInstances', ec2(t))),
    { source: 'launch from the template (instance profile role)', req: { action: 'iam:PassRole', resource: role(`nodes.${cn}`), context: { [`aws:ResourceTag/${CLUSTER_TAG}`]: cn, 'iam:PassedToService': 'ec2.amazonaws.com' } } },
    ...onTagged('rolling update', ['ec2:TerminateInstances'], ec2('instance', 'i-1')),
    { source: 'network_load_balancer.go CreateLoadBalancer', req: { action: 'elasticloadbalancing:CreateLoadBalancer', resource: lb, context: requestTags } },
    { source: 'network_load_balancer.go (tags in the create call)', req: { action: 'elasticloadbalancing:AddTags', resource: lb, context: { ...requestTags, 'elasticloadbalancing:CreateAction': 'CreateLoadBalancer' } } },
    ...onTagged('network_load_balancer.go', ['elasticloadbalancing:SetSubnets', 'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteLoadBalancer'], lb),
    { source: 'networkloadbalancerlistener.go DeleteListener (untagged)', req: { action: 'elasticloadbalancing:DeleteListener', resource: `arn:aws:elasticloadbalancing:${r}:${ACCOUNT}:listener/net/${lbName}/50dc6c495c0c9188/f2f7dc8efc522ab2`, context: { 'aws:RequestedRegion': r } } },
    { source: 'targetgroup.go CreateTargetGroup', req: { action: 'elasticloadbalancing:CreateTargetGroup', resource: tg, context: requestTags } },
    { source: 'targetgroup.go (tags in the create call)', req: { action: 'elasticloadbalancing:AddTags', resource: tg, context: { ...requestTags, 'elasticloadbalancing:CreateAction': 'CreateTargetGroup' } } },
    ...onTagged('targetgroup.go', ['elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup'], tg),
    ...['sqs:CreateQueue', 'sqs:SetQueueAttributes', 'sqs:TagQueue', 'sqs:GetQueueAttributes', 'sqs:DeleteQueue'].map((action) => ({ source: 'sqs.go', req: { action, resource: queue, context: requestTags } })),
    ...['events:PutRule', 'events:PutTargets', 'events:TagResource', 'events:DescribeRule', 'events:DeleteRule'].map((action) => ({ source: 'eventbridgerule.go, eventbridgetarget.go', req: { action, resource: rule, context: requestTags } })),
    ...onTagged('subnet.go (a shared subnet\'s tags)', ['ec2:CreateTags'], ec2('subnet', 'subnet-1'), { ...stackTagged, 'aws:TagKeys': [`kubernetes.io/cluster/${cn}`] }),
    ...['iam:CreateOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider', 'iam:UntagOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint', 'iam:AddClientIDToOpenIDConnectProvider', 'iam:RemoveClientIDFromOpenIDConnectProvider', 'iam:DeleteOpenIDConnectProvider']
      .map((action) => ({ source: 'iamoidcprovider.go', req: { action, resource: provider } })),
    { source: 'dnsname.go (api record)', req: { action: 'route53:ChangeResourceRecordSets', resource: 'arn:aws:route53:::hostedzone/Z0123456789EXAMPLECOM', context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [`api.${cn}`, `api.internal.${cn}`] } } },
    { source: 'dnszone.go Find', req: { action: 'route53:ListHostedZonesByName', resource: '*' }, shared: true },
    ...['s3:GetObject', 's3:PutObject', 's3:DeleteObject'].map((action) => ({ source: 'the state store (vfs s3fs.go): the cluster spec and the CA', req: { action, resource: `${stateStore}/${cn}/pki/private/kubernetes-ca/keyset.yaml` } })),
    { source: 'the state store: list', req: { action: 's3:ListBucket', resource: stateStore } },
    { source: 'the discovery bucket: the issuer documents', req: { action: 's3:PutObject', resource: `arn:aws:s3:::${discoveryBucketName(ACCOUNT, c.name)}/${cn}/openid/v1/jwks` } },
    { source: 'the etcd-backup bucket (kops spec)', req: { action: 's3:ListBucket', resource: `arn:aws:s3:::${etcdBackupBucketName(ACCOUNT, c.name)}` } },
    ...['kms:GenerateDataKey', 'kms:Decrypt', 'kms:CreateGrant', 'kms:DescribeKey'].map((action) => ({ source: 'the cluster key, through S3 and EBS', req: { action, resource: key, context: keyContext } })),
    ...kopsSnapshotCalls(c),
  ];
}

/** The etcd snapshot step (lib/aws/kops-scripts.ts): a snapshot of every etcd volume, with kops's cluster tag. */
function kopsSnapshotCalls(c: ClusterDefinition): Call[] {
  const r = c.region;
  const requestTags = { 'aws:RequestedRegion': r, [`aws:RequestTag/${CLUSTER_TAG}`]: c.kubernetes.clusterName, 'aws:TagKeys': [CLUSTER_TAG, 'Name', 'platform.example.com/snapshot', 'platform.example.com/reason'] };
  return [
    { source: 'kops-scripts.ts etcd-snapshot (new snapshot)', req: { action: 'ec2:CreateSnapshot', resource: `arn:aws:ec2:${r}::snapshot/*`, context: requestTags } },
    { source: 'kops-scripts.ts etcd-snapshot (tags in the call)', req: { action: 'ec2:CreateTags', resource: `arn:aws:ec2:${r}::snapshot/*`, context: { ...requestTags, 'ec2:CreateAction': 'CreateSnapshot' } } },
    { source: 'kops-scripts.ts etcd-snapshot (the etcd volume)', req: { action: 'ec2:CreateSnapshot', resource: `arn:aws:ec2:${r}:${ACCOUNT}:volume/vol-1`, context: { ...requestTags, [`aws:ResourceTag/${CLUSTER_TAG}`]: c.kubernetes.clusterName } } },
  ];
}

/** Everything the environment stack does for cluster `c` (lib/aws: network, endpoints, state store, buckets, snapshots) and Pulumi with its state. */
function stackCalls(c: ClusterDefinition): Call[] {
  const r = c.region;
  const ec2 = (type: string, id = '*'): string => `arn:aws:ec2:${r}:${ACCOUNT}:${type}/${id}`;
  const tags = defaultTags({ cluster: c.name, environment: c.environment, owner: 'platform-team' });
  const requestTags = { 'aws:RequestedRegion': r, ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])), 'aws:TagKeys': [...Object.keys(tags), 'Name', `kubernetes.io/cluster/${c.kubernetes.clusterName}`] };
  const tagged = { 'aws:RequestedRegion': r, [`aws:ResourceTag/${STACK_CLUSTER_TAG}`]: c.name };
  const create = (source: string, action: string, resource: string): Call[] => [
    { source, req: { action, resource, context: requestTags } },
    { source: `${source} (tags in the create call)`, req: { action: 'ec2:CreateTags', resource, context: { ...requestTags, 'ec2:CreateAction': action.split(':')[1] ?? action } } },
  ];
  const onTagged = (source: string, actions: string[], resource: string): Call[] => actions.map((action) => ({ source, req: { action, resource, context: { ...tagged, ...requestTags } } }));
  const key = KEY(`${c.name}-key`, r);
  const cn = c.kubernetes.clusterName;
  const iamRole = (name: string): Call[] => [
    { source: `${name}: CreateRole with the boundary and the cluster tag`, req: { action: 'iam:CreateRole', resource: role(name), context: { [`aws:RequestTag/${CLUSTER_TAG}`]: cn, 'iam:PermissionsBoundary': BOUNDARY } } },
    { source: `${name}: its tags`, req: { action: 'iam:TagRole', resource: role(name), context: { [`aws:RequestTag/${CLUSTER_TAG}`]: cn } } },
    { source: `${name}: its policy`, req: { action: 'iam:PutRolePolicy', resource: role(name), context: { [`aws:ResourceTag/${CLUSTER_TAG}`]: cn, 'iam:PermissionsBoundary': BOUNDARY } } },
    { source: `${name}: an AWS managed policy`, req: { action: 'iam:AttachRolePolicy', resource: role(name), context: { [`aws:ResourceTag/${CLUSTER_TAG}`]: cn, 'iam:PermissionsBoundary': BOUNDARY, 'iam:PolicyARN': 'arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole' } } },
    { source: `${name}: delete`, req: { action: 'iam:DeleteRole', resource: role(name), context: { [`aws:ResourceTag/${CLUSTER_TAG}`]: cn } } },
  ];
  const state = `arn:aws:s3:::${STATE}`;
  const stackObjects = [`.pulumi/stacks/platform/${c.name}.json`, `.pulumi/stacks/platform/${c.name}.json.bak`, `.pulumi/stacks/platform/${c.name}.json.gz`, `.pulumi/history/platform/${c.name}/${c.name}-1700000000000000000.history.json`, `.pulumi/backups/platform/${c.name}/${c.name}.1700000000000000000.json`, `.pulumi/locks/organization/platform/${c.name}/0f6c1a2b.json`];
  return [
    ...create('network.ts Vpc', 'ec2:CreateVpc', ec2('vpc')),
    ...create('network.ts Subnet', 'ec2:CreateSubnet', ec2('subnet')),
    ...onTagged('network.ts Subnet (in the VPC)', ['ec2:CreateSubnet', 'ec2:ModifySubnetAttribute'], ec2('vpc', 'vpc-1')),
    ...create('network.ts InternetGateway', 'ec2:CreateInternetGateway', ec2('internet-gateway')),
    ...onTagged('network.ts InternetGateway', ['ec2:AttachInternetGateway', 'ec2:DetachInternetGateway', 'ec2:DeleteInternetGateway'], ec2('internet-gateway', 'igw-1')),
    ...create('network.ts Eip', 'ec2:AllocateAddress', ec2('elastic-ip')),
    ...create('network.ts NatGateway', 'ec2:CreateNatGateway', ec2('natgateway')),
    ...onTagged('network.ts NatGateway (its subnet and address)', ['ec2:CreateNatGateway'], ec2('subnet', 'subnet-1')),
    ...create('network.ts RouteTable', 'ec2:CreateRouteTable', ec2('route-table')),
    ...onTagged('network.ts Route, RouteTableAssociation', ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:DeleteRouteTable'], ec2('route-table', 'rtb-1')),
    ...create('vpc-endpoints.ts VpcEndpoint', 'ec2:CreateVpcEndpoint', ec2('vpc-endpoint')),
    ...onTagged('vpc-endpoints.ts VpcEndpoint', ['ec2:ModifyVpcEndpoint', 'ec2:DeleteVpcEndpoints'], ec2('vpc-endpoint', 'vpce-1')),
    ...create('vpc-endpoints.ts SecurityGroup', 'ec2:CreateSecurityGroup', ec2('security-group')),
    ...create('network.ts FlowLog', 'ec2:CreateFlowLogs', ec2('vpc-flow-log')),
    { source: 'network.ts FlowLog (its role)', req: { action: 'iam:PassRole', resource: role(`platform-${c.name}-flow-logs`), context: { [`aws:ResourceTag/${CLUSTER_TAG}`]: cn, 'iam:PassedToService': 'vpc-flow-logs.amazonaws.com' } } },
    ...['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:TagResource', 'logs:DeleteLogGroup'].map((action) => ({ source: 'network.ts LogGroup', req: { action, resource: `arn:aws:logs:${r}:${ACCOUNT}:log-group:/platform/${cn}/vpc-flow-logs`, context: requestTags } })),
    ...iamRole(`platform-${c.name}-flow-logs`),
    ...iamRole(`platform-${c.name}-etcd-snapshots`),
    { source: 'etcd-snapshots.ts LifecyclePolicy', req: { action: 'dlm:CreateLifecyclePolicy', resource: `arn:aws:dlm:${r}:${ACCOUNT}:policy/*`, context: requestTags } },
    { source: 'etcd-snapshots.ts LifecyclePolicy (its tags)', req: { action: 'dlm:TagResource', resource: `arn:aws:dlm:${r}:${ACCOUNT}:policy/*`, context: requestTags } },
    ...['dlm:GetLifecyclePolicy', 'dlm:UpdateLifecyclePolicy', 'dlm:DeleteLifecyclePolicy'].map((action) => ({ source: 'etcd-snapshots.ts LifecyclePolicy', req: { action, resource: `arn:aws:dlm:${r}:${ACCOUNT}:policy/policy-1`, context: { ...tagged, ...requestTags } } })),
    { source: 'etcd-snapshots.ts LifecyclePolicy (its role)', req: { action: 'iam:PassRole', resource: role(`platform-${c.name}-etcd-snapshots`), context: { [`aws:ResourceTag/${CLUSTER_TAG}`]: cn, 'iam:PassedToService': 'dlm.amazonaws.com' } } },
    { source: 'state-store.ts Key', req: { action: 'kms:CreateKey', resource: '*', context: requestTags } },
    { source: 'state-store.ts Key (its tags)', req: { action: 'kms:TagResource', resource: KEY('new', r), context: requestTags } },
    ...['kms:EnableKeyRotation', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags', 'kms:ScheduleKeyDeletion', 'kms:CreateAlias', 'kms:GenerateDataKey'].map((action) => ({ source: 'state-store.ts Key', req: { action, resource: key, context: { ...tagged, ...requestTags } } })),
    { source: 'state-store.ts Alias', req: { action: 'kms:CreateAlias', resource: `arn:aws:kms:${r}:${ACCOUNT}:alias/platform-${c.name}` } },
    ...[stateBucketName(ACCOUNT, c.name), etcdBackupBucketName(ACCOUNT, c.name), discoveryBucketName(ACCOUNT, c.name)].flatMap((b) =>
      ['s3:CreateBucket', 's3:PutBucketVersioning', 's3:PutEncryptionConfiguration', 's3:PutBucketPublicAccessBlock', 's3:PutBucketOwnershipControls', 's3:PutBucketPolicy', 's3:PutLifecycleConfiguration', 's3:GetBucketPolicy']
        .map((action) => ({ source: 'secure-bucket.ts, discovery-bucket.ts', req: { action, resource: `arn:aws:s3:::${b}` } }))),
    { source: 'Pulumi: who am I', req: { action: 'sts:GetCallerIdentity', resource: '*' }, shared: true },
    { source: 'Pulumi DIY backend meta.go', req: { action: 's3:GetObject', resource: `${state}/.pulumi/meta.yaml` }, shared: true },
    ...stackObjects.flatMap((o) => ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'].map((action) => ({ source: 'Pulumi DIY backend state.go, lock.go', req: { action, resource: `${state}/${o}` } }))),
    ...pulumiStackStateKeys('platform', c.name).listPrefixes.map((prefix) => ({ source: 'Pulumi DIY backend: list', req: { action: 's3:ListBucket', resource: state, context: { 's3:prefix': prefix } } })),
    ...['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => ({ source: 'the state bucket\'s key', req: { action, resource: KEY('state') }, shared: true as const })),
    // Pulumi's awskms secrets provider (pulumi pkg/secrets/cloud/manager.go, gocloud secrets/awskms/kms.go): Encrypt wraps a new data key, Decrypt unwraps it; with the environment's own key only
    ...PULUMI_SECRETS_KEY_ACTIONS.map((action) => ({ source: 'the secrets provider, with its environment\'s key', req: { action, resource: KEY(`${c.environment}-secrets`), context: { 'aws:ResourceTag/cluster': 'all' } } })),
  ];
}

const everyCall = (c: ClusterDefinition): Call[] => [...kopsCalls(c), ...stackCalls(c)];
const show = (call: Call, decision: string): string => `${decision} ${call.req.action} ${call.req.resource} (${call.source})`;

describe('kops\'s role names, computed as kops computes them', () => {
  test.each([
    ['foo', 64, 'foo'],
    ['this_string_is_33_characters_long', 64, 'this_string_is_33_characters_long'],
    ['this_string_is_longer_it_is_46_characters_long', 32, 'this_string_is_longer_it_-ha2gug'],
    ['this_string_is_even_longer_due_to_extreme_verbosity_it_is_in_fact_84_characters_long', 64, 'this_string_is_even_longer_due_to_extreme_verbosity_it_is-7mc0g6'],
  ])('truncates %s to %i as kops pkg/truncate does', (input, max, expected) => {
    expect(kopsTruncate(input, max)).toBe(expected);
  });

  test('a ServiceAccount role is <sa>.<ns>.sa.<cluster>, with a * namespace spelled wildcard', () => {
    expect(kopsServiceAccountRoleName('dns-controller', 'kube-system', 'prod.k8s.example.com')).toBe('dns-controller.kube-system.sa.prod.k8s.example.com');
    expect(kopsServiceAccountRoleName('app', '*', 'e2e.k8s.example.com')).toBe('app.wildcard.sa.e2e.k8s.example.com');
  });

  test('on stage and admin, kops-managed role names exceed 64 and no longer end in the cluster name', () => {
    const cut = (name: string) => {
      const k = kopsObjectsOf(name);
      return kopsRoleNames({ clusterName: k.clusterName, instanceGroupRoles: k.igRoles, serviceAccounts: k.serviceAccounts }).filter((n) => !n.endsWith(`.${k.clusterName}`));
    };
    expect(cut('stage')).toEqual([
      'aws-cloud-controller-manager.kube-system.sa.stage.k8s.exa-vdkqdg',
      'aws-load-balancer-controller.kube-system.sa.stage.k8s.exa-rr6k0a',
      'aws-node-termination-handler.kube-system.sa.stage.k8s.exa-qersg2',
    ]);
    expect(cut('admin')).toHaveLength(3);
    expect(cut('prod')).toEqual([]);
    for (const n of [...cut('stage'), ...cut('admin')]) expect(n).toHaveLength(64);
  });
});

describe('one deployer per environment', () => {
  test('every environment of the clusters has its own role, and the stack tag is the key of the stacks\' default tags', () => {
    expect(ENVIRONMENTS.map(deployerRoleName)).toEqual(['platform-deployer-prod', 'platform-deployer-stage', 'platform-deployer-admin', 'platform-deployer-e2e']);
    expect(defaultTags({ cluster: 'prod', environment: 'prod', owner: 'o' })[STACK_CLUSTER_TAG]).toBe('prod');
  });

  test.each(ENVIRONMENTS)('the %s policy fits in three managed policies (6,144 characters each, whitespace not counted)', (env) => {
    const parts = deployerPolicies(scopeOf(env));
    for (const part of Object.values(parts)) expect(JSON.stringify(part).length).toBeLessThanOrEqual(6144);
    expect(Object.values(parts).flatMap((p) => p.Statement)).toEqual(policies.get(env)?.Statement);
    expect(JSON.stringify(boundary).length).toBeLessThanOrEqual(6144);
  });

  test.each(ENVIRONMENTS)('the %s policy names no bucket, key or role by an account-wide pattern', (env) => {
    const resources = (policies.get(env)?.Statement ?? []).flatMap((s) => (s.Resource === undefined ? [] : typeof s.Resource === 'string' ? [s.Resource] : [...s.Resource]));
    expect(resources.filter((r) => r.includes(`:::${ACCOUNT}-*`) || r === 'arn:aws:s3:::*')).toEqual([]);
  });
});

describe.each(clusters.map((c) => [c.name, c] as const))('the %s deployer allows everything kops and the stack do for its cluster', (_name, c) => {
  test('every call, tagging included, is allowed by its policy and its boundary', () => {
    const refused = everyCall(c).map((call) => [call, decide(c.environment, call.req)] as const).filter(([, d]) => d !== 'Allow').map(([call, d]) => show(call, d));
    expect(refused).toEqual([]);
  });

  test.each(ENVIRONMENTS.filter((e) => e !== c.environment))('the %s deployer is refused every one of them that is not account-wide', (other) => {
    const allowed = everyCall(c).filter((call) => call.shared !== true).map((call) => [call, decide(other, call.req)] as const).filter(([, d]) => d === 'Allow').map(([call, d]) => show(call, d));
    expect(allowed).toEqual([]);
  });
});

describe.each(clusters.map((c) => c.name))('IAM for every role kops will create for cluster %s', (name) => {
  const k = kopsObjectsOf(name);
  const env = clusters.find((c) => c.name === name)?.environment ?? '';
  const roles = kopsRoleNames({ clusterName: k.clusterName, instanceGroupRoles: k.igRoles, serviceAccounts: k.serviceAccounts });
  const tagged = { [`aws:ResourceTag/${CLUSTER_TAG}`]: k.clusterName };
  const others = ENVIRONMENTS.filter((e) => e !== env);

  test('the kops spec sets the permissions boundary (a cloud value the stack fills)', () => {
    expect(k.boundary).toBe('${cloud:permissionsBoundaryArn}');
    expect(roles.length).toBeGreaterThanOrEqual(11);
  });

  test.each(roles)('allows creating, tagging, changing, passing and deleting %s as kops does, to its own environment only', (roleName) => {
    const arn = role(roleName);
    const calls: IamRequest[] = [
      { action: 'iam:CreateRole', resource: arn, context: { [`aws:RequestTag/${CLUSTER_TAG}`]: k.clusterName, 'iam:PermissionsBoundary': BOUNDARY } },
      { action: 'iam:TagRole', resource: arn, context: { [`aws:RequestTag/${CLUSTER_TAG}`]: k.clusterName } },
      ...['iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy'].map((action) => ({ action, resource: arn, context: { ...tagged, 'iam:PermissionsBoundary': BOUNDARY } })),
      ...['iam:GetRole', 'iam:ListRolePolicies', 'iam:DeleteRole', 'iam:UpdateAssumeRolePolicy', 'iam:UntagRole'].map((action) => ({ action, resource: arn, context: tagged })),
      { action: 'iam:PassRole', resource: arn, context: { ...tagged, 'iam:PassedToService': 'ec2.amazonaws.com' } },
    ];
    expect(calls.map((req) => [req.action, decide(env, req)])).toEqual(calls.map((req) => [req.action, 'Allow']));
    // another environment's deployer may only read it
    for (const o of others) {
      expect(calls.filter((req) => req.action !== 'iam:GetRole' && req.action !== 'iam:ListRolePolicies').map((req) => [req.action, decide(o, req)]).filter(([, d]) => d === 'Allow')).toEqual([]);
    }
  });

  test('refuses a role without the boundary, with another boundary, or tagged for another cluster', () => {
    const arn = role(roles[0] ?? '');
    expect(decide(env, { action: 'iam:CreateRole', resource: arn, context: { [`aws:RequestTag/${CLUSTER_TAG}`]: k.clusterName } })).toBe('ExplicitDeny');
    expect(decide(env, { action: 'iam:CreateRole', resource: arn, context: { [`aws:RequestTag/${CLUSTER_TAG}`]: k.clusterName, 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/other` } })).toBe('ExplicitDeny');
    expect(decide(env, { action: 'iam:CreateRole', resource: arn, context: { 'iam:PermissionsBoundary': BOUNDARY } })).toBe('ImplicitDeny');
    expect(decide(env, { action: 'iam:CreateRole', resource: arn, context: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'other.example.org', 'iam:PermissionsBoundary': BOUNDARY } })).toBe('ImplicitDeny');
    expect(decide(env, { action: 'iam:PutRolePolicy', resource: arn, context: tagged })).toBe('ImplicitDeny');
  });

  test.each(kopsInstanceProfileNames({ clusterName: k.clusterName, instanceGroupRoles: k.igRoles }))('allows kops\'s instance profile %s, untagged at creation, to its own environment only', (profile) => {
    const arn = `arn:aws:iam::${ACCOUNT}:instance-profile/${profile}`;
    for (const action of ['iam:CreateInstanceProfile', 'iam:TagInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:DeleteInstanceProfile']) {
      expect(decide(env, { action, resource: arn })).toBe('Allow');
      for (const o of others) expect(decide(o, { action, resource: arn })).toBe('ImplicitDeny');
    }
  });
});

describe('what a deployer can never do', () => {
  const prod = clusters.find((c) => c.name === 'prod');
  const prodName = prod?.kubernetes.clusterName ?? '';
  const prodTagged = { 'aws:RequestedRegion': 'eu-west-1', [`aws:ResourceTag/${CLUSTER_TAG}`]: prodName };

  test('change its own role, another environment\'s deployer role, or the preview role, even tagged for a cluster and under the boundary', () => {
    const context = { [`aws:ResourceTag/${CLUSTER_TAG}`]: prodName, 'iam:PermissionsBoundary': BOUNDARY, [`aws:RequestTag/${CLUSTER_TAG}`]: prodName };
    for (const env of ENVIRONMENTS) {
      for (const target of PROTECTED) {
        for (const action of ['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:DeleteRole', 'iam:PassRole', 'iam:TagRole', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary']) {
          expect([env, target, action, decide(env, { action, resource: role(target), context })]).toEqual([env, target, action, 'ExplicitDeny']);
        }
      }
    }
  });

  test('change its own managed policies or either boundary', () => {
    for (const name of ['platform-deployer-prod-iam', 'platform-deployer-prod-compute', 'platform-deployer-boundary', 'platform-workload-boundary']) {
      for (const action of ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicy']) {
        expect(decide('prod', { action, resource: `arn:aws:iam::${ACCOUNT}:policy/${name}` })).toBe('ExplicitDeny');
      }
    }
  });

  test('remove a permissions boundary, change policies of a role without it, or touch IAM users, groups and access keys', () => {
    expect(decide('prod', { action: 'iam:DeleteRolePermissionsBoundary', resource: role(`nodes.${prodName}`), context: { [`aws:ResourceTag/${CLUSTER_TAG}`]: prodName } })).toBe('ExplicitDeny');
    expect(decide('prod', { action: 'iam:AttachRolePolicy', resource: role('someone-else'), context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } })).toBe('ImplicitDeny');
    for (const action of ['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:AddUserToGroup']) {
      expect(decide('prod', { action, resource: `arn:aws:iam::${ACCOUNT}:user/x` })).toBe('ImplicitDeny');
    }
    for (const policy of policies.values()) {
      const actions = policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => (s.Action === undefined ? [] : typeof s.Action === 'string' ? [s.Action] : [...s.Action]));
      expect(actions.filter((a) => a === '*' || a === 'iam:*' || /^iam:.*(User|AccessKey|LoginProfile|Group)/.test(a))).toEqual([]);
    }
  });

  test('tag its way into a role it did not create: an untagged account role, or a role of another environment', () => {
    for (const target of ['OrganizationAccountAccessRole', 'AWSReservedSSO_PlatformAdmin_0123456789abcdef', 'ci-runner']) {
      expect(decide('stage', { action: 'iam:TagRole', resource: role(target), context: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'stage.k8s.example.com' } })).toBe('ImplicitDeny');
      expect(decide('stage', { action: 'iam:UpdateAssumeRolePolicy', resource: role(target) })).toBe('ImplicitDeny');
    }
    // a prod role carries prod's tag: stage may not overwrite it, nor prod move its own roles to stage
    const prodRole = role(`dns-controller.kube-system.sa.${prodName}`);
    expect(decide('stage', { action: 'iam:TagRole', resource: prodRole, context: { ...prodTagged, [`aws:RequestTag/${CLUSTER_TAG}`]: 'stage.k8s.example.com' } })).toBe('ImplicitDeny');
    expect(decide('prod', { action: 'iam:TagRole', resource: prodRole, context: { ...prodTagged, [`aws:RequestTag/${CLUSTER_TAG}`]: 'stage.k8s.example.com' } })).toBe('ImplicitDeny');
  });

  test('pass a role to any service but EC2, DLM and flow logs', () => {
    for (const service of ['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com', 'cloudformation.amazonaws.com']) {
      expect(decide('prod', { action: 'iam:PassRole', resource: role(`nodes.${prodName}`), context: { [`aws:ResourceTag/${CLUSTER_TAG}`]: prodName, 'iam:PassedToService': service } })).toBe('ImplicitDeny');
    }
  });

  test('read another environment\'s kops state (the cluster CA), decrypt with its key, or read its stack state', () => {
    const stage = clusters.find((c) => c.name === 'stage');
    expect(stage).toBeDefined();
    for (const [env, target] of [['stage', 'prod'], ['e2e', 'prod'], ['prod', 'stage'], ['admin', 'prod']] as const) {
      expect(decide(env, { action: 's3:GetObject', resource: `arn:aws:s3:::${stateBucketName(ACCOUNT, target)}/${target}.k8s.example.com/pki/private/kubernetes-ca/keyset.yaml` })).toBe('ImplicitDeny');
      expect(decide(env, { action: 'kms:Decrypt', resource: KEY(`${target}-key`), context: { 'aws:RequestedRegion': 'eu-west-1', [`aws:ResourceTag/${STACK_CLUSTER_TAG}`]: target } })).toBe('ImplicitDeny');
      expect(decide(env, { action: 's3:GetObject', resource: `arn:aws:s3:::${STATE}/.pulumi/stacks/platform/${target}.json` })).toBe('ImplicitDeny');
      expect(decide(env, { action: 's3:ListBucket', resource: `arn:aws:s3:::${STATE}`, context: { 's3:prefix': `.pulumi/stacks/platform/${target}.json` } })).toBe('ImplicitDeny');
      expect(decide(env, { action: 's3:ListBucket', resource: `arn:aws:s3:::${STATE}`, context: { 's3:prefix': '.pulumi/stacks/platform/' } })).toBe('ImplicitDeny');
      expect(decide(env, { action: 's3:GetObject', resource: `arn:aws:s3:::${STATE}/.pulumi/stacks/platform/bootstrap.json` })).toBe('ImplicitDeny');
    }
  });

  test('touch another environment\'s instances, or take one over by retagging it', () => {
    const instance = `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-prod`;
    for (const action of ['ec2:TerminateInstances', 'ec2:ModifyInstanceAttribute', 'ec2:StopInstances']) {
      expect(decide('stage', { action, resource: instance, context: prodTagged })).toBe('ImplicitDeny');
    }
    const retag = { ...prodTagged, [`aws:RequestTag/${CLUSTER_TAG}`]: 'stage.k8s.example.com', 'aws:TagKeys': [CLUSTER_TAG] };
    expect(decide('stage', { action: 'ec2:CreateTags', resource: instance, context: retag })).toBe('ImplicitDeny');
    // outside a create call, even an untagged resource cannot be given the tag
    expect(decide('stage', { action: 'ec2:CreateTags', resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-untagged`, context: { 'aws:RequestedRegion': 'eu-west-1', [`aws:RequestTag/${CLUSTER_TAG}`]: 'stage.k8s.example.com' } })).toBe('ImplicitDeny');
    // nor can prod hand its own instance to stage
    expect(decide('prod', { action: 'ec2:CreateTags', resource: instance, context: retag })).toBe('ImplicitDeny');
    // a prod auto-scaling group, security group, load balancer
    expect(decide('stage', { action: 'autoscaling:CreateOrUpdateTags', resource: `arn:aws:autoscaling:eu-west-1:${ACCOUNT}:autoScalingGroup:x:autoScalingGroupName/nodes.${prodName}`, context: retag })).toBe('ImplicitDeny');
    expect(decide('stage', { action: 'ec2:AuthorizeSecurityGroupIngress', resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-prod`, context: prodTagged })).toBe('ImplicitDeny');
    expect(decide('stage', { action: 'elasticloadbalancing:AddTags', resource: `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:loadbalancer/net/api-prod-k8s-example-com-a1b2c3/1`, context: { ...retag, 'elasticloadbalancing:CreateAction': 'CreateLoadBalancer' } })).toBe('ImplicitDeny');
  });

  test('create anything untagged, in another environment\'s VPC, in another region, or carrying another cluster\'s tags', () => {
    const stageTags = { 'aws:RequestedRegion': 'eu-west-1', [`aws:RequestTag/${CLUSTER_TAG}`]: 'stage.k8s.example.com', 'aws:TagKeys': [CLUSTER_TAG, 'Name'] };
    expect(decide('stage', { action: 'ec2:RunInstances', resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/*`, context: { 'aws:RequestedRegion': 'eu-west-1' } })).toBe('ImplicitDeny');
    expect(decide('stage', { action: 'ec2:CreateSecurityGroup', resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc/vpc-prod`, context: { ...stageTags, [`aws:ResourceTag/${STACK_CLUSTER_TAG}`]: 'prod' } })).toBe('ImplicitDeny');
    expect(decide('stage', { action: 'ec2:CreateVolume', resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/*`, context: { ...stageTags, 'aws:RequestedRegion': 'us-east-1' } })).toBe('ImplicitDeny');
    expect(decide('stage', { action: 'ec2:CreateVolume', resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:volume/*`, context: { ...stageTags, [`aws:RequestTag/${STACK_CLUSTER_TAG}`]: 'prod' } })).toBe('ImplicitDeny');
    // the tag the cloud controller finds a cluster's load balancers and instances by
    expect(decide('stage', { action: 'ec2:CreateSecurityGroup', resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/*`, context: { ...stageTags, 'aws:TagKeys': [CLUSTER_TAG, `kubernetes.io/cluster/${prodName}`] } })).toBe('ExplicitDeny');
    expect(decide('stage', { action: 'kms:CreateKey', resource: '*', context: { 'aws:RequestedRegion': 'eu-west-1', [`aws:RequestTag/${STACK_CLUSTER_TAG}`]: 'prod' } })).toBe('ImplicitDeny');
  });

  test('write DNS records outside its cluster\'s names, or delete a hosted zone', () => {
    const zone = 'arn:aws:route53:::hostedzone/Z0123456789EXAMPLECOM';
    for (const names of [['example.com'], ['shop.example.com'], [`api.${prodName}`], ['api.stage.k8s.example.com', `api.${prodName}`]]) {
      expect([names, decide('stage', { action: 'route53:ChangeResourceRecordSets', resource: zone, context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': names } })]).toEqual([names, 'ImplicitDeny']);
    }
    expect(decide('stage', { action: 'route53:ChangeResourceRecordSets', resource: zone })).toBe('ImplicitDeny');
    expect(decide('prod', { action: 'route53:DeleteHostedZone', resource: zone })).toBe('ImplicitDeny');
  });
});

describe('the deployer boundary, whatever a deployer\'s policy says', () => {
  const anything = (req: IamRequest) => evaluate(boundary, req);
  test('lets a deployer do kops\'s and the stack\'s work', () => {
    for (const action of ['ec2:RunInstances', 'iam:PassRole', 'iam:TagRole', 's3:PutObject', 'route53:ChangeResourceRecordSets', 'kms:Decrypt']) {
      expect([action, anything({ action, resource: '*' })]).toEqual([action, 'Allow']);
    }
    expect(anything({ action: 'iam:CreateRole', resource: role('nodes.prod.k8s.example.com'), context: { 'iam:PermissionsBoundary': BOUNDARY } })).toBe('Allow');
  });
  test('refuses roles without the workload boundary, users and keys, assuming roles, and OIDC providers for any other issuer', () => {
    expect(anything({ action: 'iam:CreateRole', resource: role('x') })).toBe('ExplicitDeny');
    expect(anything({ action: 'iam:PutRolePermissionsBoundary', resource: role('x'), context: { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/wide` } })).toBe('ExplicitDeny');
    for (const action of ['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:AddUserToGroup', 'sts:AssumeRole', 'organizations:LeaveOrganization']) {
      expect([action, anything({ action, resource: '*' })]).toEqual([action, 'ImplicitDeny']);
    }
    const provider = (host: string): string => `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}`;
    expect(anything({ action: 'iam:CreateOpenIDConnectProvider', resource: provider('token.actions.githubusercontent.com') })).toBe('ExplicitDeny');
    expect(anything({ action: 'iam:CreateOpenIDConnectProvider', resource: provider(`${ACCOUNT}-prod-oidc-discovery.s3.eu-west-1.amazonaws.com/prod.k8s.example.com`) })).toBe('Allow');
  });
});

describe('OIDC providers', () => {
  const provider = (host: string): string => `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}`;
  test.each(clusters.map((c) => [c.name, c.environment, c.region, c.kubernetes.clusterName]))('only the %s deployer may create its cluster\'s service-account issuer provider', (name, env, region, clusterName) => {
    const arn = provider(`${discoveryBucketName(ACCOUNT, name)}.s3.${region}.amazonaws.com/${clusterName}`);
    expect(decide(env, { action: 'iam:CreateOpenIDConnectProvider', resource: arn })).toBe('Allow');
    for (const other of ENVIRONMENTS.filter((e) => e !== env)) expect(decide(other, { action: 'iam:CreateOpenIDConnectProvider', resource: arn })).toBe('ImplicitDeny');
  });
  test('no other issuer: not a CI\'s, not one for a cluster the platform does not run, not another bucket\'s or region\'s', () => {
    for (const host of [
      'token.actions.githubusercontent.com',
      `${ACCOUNT}-prod-oidc-discovery.s3.eu-west-1.amazonaws.com/evil.example.org`,
      'someone-elses-bucket.s3.eu-west-1.amazonaws.com/prod.k8s.example.com',
      `${ACCOUNT}-prod-oidc-discovery.s3.us-east-1.amazonaws.com/prod.k8s.example.com`,
    ]) {
      for (const env of ENVIRONMENTS) expect([host, env, decide(env, { action: 'iam:CreateOpenIDConnectProvider', resource: provider(host) })]).toEqual([host, env, expect.stringMatching(/Deny$/)]);
    }
  });
});

describe('who may assume a deployer role (its trust policy)', () => {
  const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
  const sso = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_0123456789abcdef`;
  const trustOf = (env: string) => ciTrustPolicy({
    providerArn, issuerHost: 'token.actions.githubusercontent.com', audience: 'sts.amazonaws.com', subjects: [`repo:example/platform:environment:${env}`], trustedRoleArns: [sso],
  });
  const withToken = (sub: string, aud = 'sts.amazonaws.com'): IamRequest => ({
    action: 'sts:AssumeRoleWithWebIdentity', resource: role('platform-deployer-prod'), principal: { Federated: providerArn },
    context: { 'token.actions.githubusercontent.com:sub': sub, 'token.actions.githubusercontent.com:aud': aud },
  });

  test.each(ENVIRONMENTS)('the %s role trusts its own environment\'s jobs, and no other environment\'s, no pull request, no other repository', (env) => {
    expect(evaluate(trustOf(env), withToken(`repo:example/platform:environment:${env}`))).toBe('Allow');
    for (const sub of [...ENVIRONMENTS.filter((e) => e !== env).map((e) => `repo:example/platform:environment:${e}`), 'repo:example/platform:pull_request', 'repo:example/platform:ref:refs/heads/main', `repo:evil/platform:environment:${env}`]) {
      expect([sub, evaluate(trustOf(env), withToken(sub))]).toEqual([sub, 'ImplicitDeny']);
    }
    expect(evaluate(trustOf(env), withToken(`repo:example/platform:environment:${env}`, 'other-audience'))).toBe('ImplicitDeny');
  });

  test('prod\'s role is not assumable with the stage subject, nor by another identity provider, nor by any role but the infra engineers\'', () => {
    expect(evaluate(trustOf('prod'), withToken('repo:example/platform:environment:stage'))).toBe('ImplicitDeny');
    expect(evaluate(trustOf('prod'), { ...withToken('repo:example/platform:environment:prod'), principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/evil.example.org` } })).toBe('ImplicitDeny');
    expect(evaluate(trustOf('prod'), { action: 'sts:AssumeRole', resource: role('platform-deployer-prod'), principal: { AWS: sso } })).toBe('Allow');
    expect(evaluate(trustOf('prod'), { action: 'sts:AssumeRole', resource: role('platform-deployer-prod'), principal: { AWS: role('platform-deployer-stage') } })).toBe('ImplicitDeny');
    expect(evaluate(trustOf('prod'), { action: 'sts:AssumeRoleWithWebIdentity', resource: role('platform-deployer-prod'), principal: { AWS: sso } })).toBe('ImplicitDeny');
  });
});

describe('the workload boundary', () => {
  const workload = workloadBoundaryPolicy();
  test('lets a cluster role do its work but never change IAM or assume another role', () => {
    expect(evaluate(workload, { action: 'ec2:RunInstances', resource: '*' })).toBe('Allow');
    expect(evaluate(workload, { action: 'route53:ChangeResourceRecordSets', resource: '*' })).toBe('Allow');
    expect(evaluate(workload, { action: 'iam:GetServerCertificate', resource: '*' })).toBe('Allow');
    for (const action of ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:CreateUser', 'iam:CreateAccessKey', 'sts:AssumeRole', 'organizations:LeaveOrganization']) {
      expect(evaluate(workload, { action, resource: '*' })).toBe('ImplicitDeny');
    }
    expect(evaluate(workload, { action: 'iam:PassRole', resource: '*', context: { 'iam:PassedToService': 'lambda.amazonaws.com' } })).toBe('ImplicitDeny');
  });
});
