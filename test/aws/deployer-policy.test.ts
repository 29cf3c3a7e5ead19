import { clusters, environments } from '../../clusters';
import { KopsChart, buildClusterApp } from '../../lib';
import {
  CLUSTER_TAG, deployerPolicy, discoveryBucketName, kopsRoleNames, kopsServiceAccountRoleName, permissionsBoundaryArn,
  workloadBoundaryPolicy,
} from '../../lib/aws';
import { kopsInstanceProfileNames, kopsTruncate } from '../../lib/aws/kops-iam-names';
import { evaluate } from './support/iam-evaluation';

// The rules of kops encoded here, each from its source:
// - role names: `<sa>.<ns>.sa.<cluster>` (a `*` namespace spelled `wildcard`) and
//   `masters.|nodes.|bastions.|apiservers.<cluster>`, cut to 64 by truncate.TruncateString
//   (kops pkg/model/iam/types.go IAMNameForServiceAccountRole, pkg/model/names.go IAMName,
//   pkg/truncate/truncate.go; the vectors below are kops's pkg/truncate/truncate_test.go);
// - the addons whose roles kops creates: pkg/model/components/addonmanifests/<addon>/iam.go;
// - CreateRole carries the tags KubernetesCluster=<cluster> (pkg/model/context.go CloudTags,
//   CloudTagsForServiceAccount) and spec.iam.permissionsBoundary (pkg/model/awsmodel/iam.go
//   buildIAMRole, upup/pkg/fi/cloudup/awstasks/iamrole.go RenderAWS); an instance profile is
//   created untagged and tagged after (awstasks/iaminstanceprofile.go).
// AWS's rules (CreateRole with tags is also authorized as TagRole; iam:PermissionsBoundary on
// CreateRole/PutRolePolicy/AttachRolePolicy) are read from the IAM user guide, not run: no IAM here.

const ACCOUNT = '111122223333';
const BOUNDARY = permissionsBoundaryArn(ACCOUNT);
const policy = deployerPolicy({
  accountId: ACCOUNT, regions: ['eu-central-1', 'eu-west-1'], clusterNames: clusters.map((c) => c.kubernetes.clusterName),
  stateBackendBucket: 'example-platform-pulumi-state', secretsKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k`, protectedRoleNames: ['platform-deployer', 'platform-preview'],
});
const role = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

interface KopsObjects { clusterName: string; igRoles: string[]; serviceAccounts: { namespace: string; name: string }[]; boundary: unknown }
function kopsObjectsOf(name: string): KopsObjects {
  const def = clusters.find((c) => c.name === name);
  const chart = def === undefined ? undefined : buildClusterApp(def, environments).node.findAll().find((c): c is KopsChart => c instanceof KopsChart);
  if (chart === undefined) throw new Error(`no kops chart for ${name}`);
  const spec = chart.kops.cluster.toJson().spec as { iam: { permissionsBoundary?: string; serviceAccountExternalPermissions?: { name: string; namespace: string }[] } };
  return {
    clusterName: chart.kops.clusterName,
    igRoles: chart.kops.instanceGroups.map((g) => (g.toJson().spec as { role: string }).role),
    serviceAccounts: (spec.iam.serviceAccountExternalPermissions ?? []).map((p) => ({ name: p.name, namespace: p.namespace })),
    boundary: spec.iam.permissionsBoundary,
  };
}

describe('kops role names, computed as kops computes them', () => {
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

describe.each(clusters.map((c) => c.name))('the deployer policy, for every role kops will create for cluster %s', (name) => {
  const k = kopsObjectsOf(name);
  const roles = kopsRoleNames({ clusterName: k.clusterName, instanceGroupRoles: k.igRoles, serviceAccounts: k.serviceAccounts });
  const tagged = { [`aws:ResourceTag/${CLUSTER_TAG}`]: k.clusterName };

  test('the kops spec sets the permissions boundary (a cloud value the stack fills)', () => {
    expect(k.boundary).toBe('${cloud:permissionsBoundaryArn}');
    expect(roles.length).toBeGreaterThanOrEqual(11);
  });

  test.each(roles)('allows creating, changing, passing and deleting %s as kops does', (roleName) => {
    const arn = role(roleName);
    // CreateRole with kops's tags and the boundary (and the TagRole it implies)
    expect(evaluate(policy, { action: 'iam:CreateRole', resource: arn, context: { [`aws:RequestTag/${CLUSTER_TAG}`]: k.clusterName, 'iam:PermissionsBoundary': BOUNDARY } })).toBe('Allow');
    expect(evaluate(policy, { action: 'iam:TagRole', resource: arn, context: { [`aws:RequestTag/${CLUSTER_TAG}`]: k.clusterName } })).toBe('Allow');
    for (const action of ['iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy']) {
      expect(evaluate(policy, { action, resource: arn, context: { ...tagged, 'iam:PermissionsBoundary': BOUNDARY } })).toBe('Allow');
    }
    for (const action of ['iam:GetRole', 'iam:ListRolePolicies', 'iam:DeleteRole', 'iam:UpdateAssumeRolePolicy', 'iam:UntagRole']) {
      expect(evaluate(policy, { action, resource: arn, context: tagged })).toBe('Allow');
    }
    expect(evaluate(policy, { action: 'iam:PassRole', resource: arn, context: { ...tagged, 'iam:PassedToService': 'ec2.amazonaws.com' } })).toBe('Allow');
  });

  test('refuses a role without the boundary, or tagged for no cluster of the platform', () => {
    const arn = role(roles[0] ?? '');
    expect(evaluate(policy, { action: 'iam:CreateRole', resource: arn, context: { [`aws:RequestTag/${CLUSTER_TAG}`]: k.clusterName } })).toBe('ImplicitDeny');
    expect(evaluate(policy, { action: 'iam:CreateRole', resource: arn, context: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'other.example.org', 'iam:PermissionsBoundary': BOUNDARY } })).toBe('ImplicitDeny');
    expect(evaluate(policy, { action: 'iam:PutRolePolicy', resource: arn, context: tagged })).toBe('ImplicitDeny');
  });

  test.each(kopsInstanceProfileNames({ clusterName: k.clusterName, instanceGroupRoles: k.igRoles }))('allows kops\'s instance profile %s, untagged at creation', (profile) => {
    const arn = `arn:aws:iam::${ACCOUNT}:instance-profile/${profile}`;
    for (const action of ['iam:CreateInstanceProfile', 'iam:TagInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:DeleteInstanceProfile']) {
      expect(evaluate(policy, { action, resource: arn })).toBe('Allow');
    }
  });
});

describe('what the deployer can never do', () => {
  test('change its own role or the preview role, even after tagging it for a cluster', () => {
    const context = { [`aws:ResourceTag/${CLUSTER_TAG}`]: 'prod.k8s.example.com', 'iam:PermissionsBoundary': BOUNDARY };
    for (const action of ['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:DeleteRole', 'iam:PassRole']) {
      expect(evaluate(policy, { action, resource: role('platform-deployer'), context })).toBe('ExplicitDeny');
      expect(evaluate(policy, { action, resource: role('platform-preview'), context })).toBe('ExplicitDeny');
    }
  });

  test('remove a permissions boundary, change policies of a role without it, or touch IAM users and access keys', () => {
    expect(evaluate(policy, { action: 'iam:DeleteRolePermissionsBoundary', resource: role('nodes.prod.k8s.example.com') })).toBe('ExplicitDeny');
    expect(evaluate(policy, { action: 'iam:AttachRolePolicy', resource: role('someone-else'), context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } })).toBe('ImplicitDeny');
    for (const action of ['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile']) {
      expect(evaluate(policy, { action, resource: `arn:aws:iam::${ACCOUNT}:user/x` })).toBe('ImplicitDeny');
    }
    const actions = policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => (s.Action === undefined ? [] : typeof s.Action === 'string' ? [s.Action] : [...s.Action]));
    expect(actions.filter((a) => a === '*' || a === 'iam:*')).toEqual([]);
  });
});

describe('the workload boundary', () => {
  const boundary = workloadBoundaryPolicy();
  test('lets a cluster role do its work but never change IAM or assume another role', () => {
    expect(evaluate(boundary, { action: 'ec2:RunInstances', resource: '*' })).toBe('Allow');
    expect(evaluate(boundary, { action: 'route53:ChangeResourceRecordSets', resource: '*' })).toBe('Allow');
    expect(evaluate(boundary, { action: 'iam:GetServerCertificate', resource: '*' })).toBe('Allow');
    for (const action of ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:CreateUser', 'iam:CreateAccessKey', 'sts:AssumeRole', 'organizations:LeaveOrganization']) {
      expect(evaluate(boundary, { action, resource: '*' })).toBe('ImplicitDeny');
    }
    expect(evaluate(boundary, { action: 'iam:PassRole', resource: '*', context: { 'iam:PassedToService': 'lambda.amazonaws.com' } })).toBe('ImplicitDeny');
  });
});

describe('OIDC providers', () => {
  const provider = (host: string): string => `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}`;
  test.each(clusters.map((c) => [c.name, c.region, c.kubernetes.clusterName]))('the deployer may create the %s cluster\'s service-account issuer provider', (name, region, clusterName) => {
    // kops names it by the discovery bucket's URL (util/pkg/vfs/s3fs.go GetHTTPsUrl)
    const arn = provider(`${discoveryBucketName(ACCOUNT, name)}.s3.${region}.amazonaws.com/${clusterName}`);
    expect(evaluate(policy, { action: 'iam:CreateOpenIDConnectProvider', resource: arn })).toBe('Allow');
    expect(evaluate(policy, { action: 'iam:TagOpenIDConnectProvider', resource: arn })).toBe('Allow');
  });
  test('no other issuer: not a CI\'s, not one for a cluster the platform does not run, not another bucket\'s', () => {
    for (const host of [
      'token.actions.githubusercontent.com',
      `${ACCOUNT}-prod-oidc-discovery.s3.eu-west-1.amazonaws.com/evil.example.org`,
      `someone-elses-bucket.s3.eu-west-1.amazonaws.com/prod.k8s.example.com`,
      `${ACCOUNT}-prod-oidc-discovery.s3.us-east-1.amazonaws.com/prod.k8s.example.com`,
    ]) {
      expect([host, evaluate(policy, { action: 'iam:CreateOpenIDConnectProvider', resource: provider(host) })]).toEqual([host, 'ImplicitDeny']);
    }
  });
});
