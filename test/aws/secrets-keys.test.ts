import { clusters } from '../../clusters';
import {
  type DeployerCluster, PREVIEW_ROLE_NAME, PULUMI_SECRETS_KEY_ACTIONS, deployerBoundaryPolicy, deployerPolicy, deployerRoleName, secretsKeyAlias, secretsKeyPolicy,
} from '../../lib/aws';
import { type IamRequest, evaluate, evaluateWithBoundary } from './support/iam-evaluation';

// One Pulumi secrets key per environment, tested by evaluating the deployers' policies (with their
// boundary) and the keys' policies on the calls Pulumi's awskms secrets provider makes. Those calls
// are read from its source, not run (there is no AWS here): pulumi pkg/secrets/cloud/manager.go
// (generateNewDataKey: a local random data key wrapped with keeper.Encrypt; newCloudSecretsManager:
// keeper.Decrypt on every run) and gocloud secrets/awskms/kms.go (keeper.Encrypt -> kms:Encrypt
// with the key id, keeper.Decrypt -> kms:Decrypt, the key taken from the ciphertext). KMS's rule
// that a key policy must grant a principal before any IAM policy counts, and that the account root
// in a key policy delegates to IAM (AWS KMS Developer Guide, key-policy-default.html), is why a
// use is allowed below only when both the key policy and the role's policies allow it.

const ACCOUNT = '111122223333';
const ENVIRONMENTS = [...new Set(clusters.map((c) => c.environment))];
const KEY = (id: string): string => `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${id}`;
const keyOf = (env: string): string => KEY(`${env}-secrets`);
const ROLE = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const SSO = `${ROLE('aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_0123456789abcdef')}`;
const PROTECTED = [...ENVIRONMENTS.map(deployerRoleName), PREVIEW_ROLE_NAME];
const PROTECTED_KEYS = [KEY('state'), KEY('bootstrap-secrets'), ...ENVIRONMENTS.map(keyOf)];
const cluster = (c: (typeof clusters)[number]): DeployerCluster => ({ name: c.name, clusterName: c.kubernetes.clusterName, region: c.region });

const boundary = deployerBoundaryPolicy({ accountId: ACCOUNT, clusters: clusters.map(cluster), protectedRoleNames: PROTECTED });
const policyOf = (env: string) => deployerPolicy({
  accountId: ACCOUNT, environment: env,
  clusters: clusters.filter((c) => c.environment === env).map(cluster), otherClusters: clusters.filter((c) => c.environment !== env).map(cluster),
  stateBackend: { bucket: 'example-platform-pulumi-state', project: 'platform', keyArn: KEY('state') }, secretsKeyArn: keyOf(env), protectedRoleNames: PROTECTED,
  protectedKeyArns: PROTECTED_KEYS,
});
const keyPolicyOf = (env: string) => secretsKeyPolicy({ accountId: ACCOUNT, users: [ROLE(deployerRoleName(env)), SSO], readers: [ROLE(PREVIEW_ROLE_NAME)] });
/** The secrets keys carry the bootstrap stack's default tags (cluster=all), no environment's. */
const onKey = (env: string, action: string): IamRequest => ({ action, resource: keyOf(env), context: { 'aws:ResourceTag/cluster': 'all' } });

/** A deployer's use of a key: its key policy must name it, and its own policy and boundary must allow it. */
function deployerUses(deployer: string, keyEnv: string, action: string): string {
  const req = onKey(keyEnv, action);
  const byKey = evaluate(keyPolicyOf(keyEnv), { ...req, principal: { AWS: ROLE(deployerRoleName(deployer)) } });
  const byRole = evaluateWithBoundary(policyOf(deployer), boundary, req);
  return byKey === 'Allow' && byRole === 'Allow' ? 'Allow' : `key ${byKey}, role ${byRole}`;
}

describe('a Pulumi secrets key per environment', () => {
  test('the secrets provider needs Encrypt and Decrypt only: it makes its own data key, so no GenerateDataKey', () => {
    expect([...PULUMI_SECRETS_KEY_ACTIONS]).toEqual(['kms:Encrypt', 'kms:Decrypt']);
    expect(ENVIRONMENTS.map(secretsKeyAlias)).toEqual(['alias/pulumi-prod-secrets', 'alias/pulumi-stage-secrets', 'alias/pulumi-admin-secrets', 'alias/pulumi-e2e-secrets']);
  });

  test.each(ENVIRONMENTS)('the %s deployer encrypts and decrypts with its own key, by its key policy and by its own policy', (env) => {
    for (const action of PULUMI_SECRETS_KEY_ACTIONS) expect([action, deployerUses(env, env, action)]).toEqual([action, 'Allow']);
  });

  test.each(ENVIRONMENTS)('the %s deployer is refused every other environment\'s key, by that key\'s policy and by its own', (env) => {
    for (const other of ENVIRONMENTS.filter((e) => e !== env)) {
      for (const action of [...PULUMI_SECRETS_KEY_ACTIONS, 'kms:GenerateDataKey', 'kms:ReEncryptFrom']) {
        expect([other, action, deployerUses(env, other, action)]).toEqual([other, action, 'key ImplicitDeny, role ImplicitDeny']);
      }
    }
    // nor the bootstrap stack's own key
    expect(evaluateWithBoundary(policyOf(env), boundary, { action: 'kms:Decrypt', resource: KEY('bootstrap-secrets'), context: { 'aws:ResourceTag/cluster': 'all' } })).toBe('ImplicitDeny');
  });

  test.each(ENVIRONMENTS)('the %s deployer can never re-policy, grant on, disable, retag, re-alias or delete any secrets key, its own included', (env) => {
    for (const keyEnv of ENVIRONMENTS) {
      for (const action of ['kms:PutKeyPolicy', 'kms:CreateGrant', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:TagResource', 'kms:UntagResource', 'kms:UpdateAlias', 'kms:CreateAlias']) {
        // even were the key tagged for its own cluster, the deny holds
        expect([keyEnv, action, evaluateWithBoundary(policyOf(env), boundary, { action, resource: keyOf(keyEnv), context: { 'aws:ResourceTag/cluster': env, 'aws:RequestedRegion': 'eu-west-1' } })])
          .toEqual([keyEnv, action, 'ExplicitDeny']);
      }
    }
  });

  test.each(ENVIRONMENTS)('the preview role may only decrypt with the %s key; the infra engineers use it as its deployer does', (env) => {
    const preview = { AWS: ROLE(PREVIEW_ROLE_NAME) };
    expect(evaluate(keyPolicyOf(env), { ...onKey(env, 'kms:Decrypt'), principal: preview })).toBe('Allow');
    for (const action of ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:CreateGrant', 'kms:PutKeyPolicy']) expect([action, evaluate(keyPolicyOf(env), { ...onKey(env, action), principal: preview })]).toEqual([action, 'ImplicitDeny']);
    for (const action of PULUMI_SECRETS_KEY_ACTIONS) expect(evaluate(keyPolicyOf(env), { ...onKey(env, action), principal: { AWS: SSO } })).toBe('Allow');
  });

  test('the account administers a key through IAM but its policy grants no use to the account, and no grants to anyone', () => {
    const root = { AWS: `arn:aws:iam::${ACCOUNT}:root` };
    const policy = keyPolicyOf('prod');
    for (const action of ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:EnableKeyRotation', 'kms:DescribeKey']) expect([action, evaluate(policy, { ...onKey('prod', action), principal: root })]).toEqual([action, 'Allow']);
    for (const action of ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncryptFrom', 'kms:GenerateDataKey', 'kms:CreateGrant']) expect([action, evaluate(policy, { ...onKey('prod', action), principal: root })]).toEqual([action, 'ImplicitDeny']);
    for (const who of [ROLE('platform-deployer-prod'), SSO, ROLE(PREVIEW_ROLE_NAME)]) expect(evaluate(policy, { ...onKey('prod', 'kms:CreateGrant'), principal: { AWS: who } })).toBe('ImplicitDeny');
  });
});
