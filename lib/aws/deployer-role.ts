import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  DEPLOYER_BOUNDARY_NAME, type DeployerCluster, PREVIEW_ROLE_NAME, WORKLOAD_BOUNDARY_NAME, deployerBoundaryPolicy, deployerPolicies, deployerRoleName,
} from './deployer-policy';
import { secretsKeyAlias } from './secrets-key-policy';
import { ciTrustPolicy, workloadBoundaryPolicy } from './trust-policies';
import { SecretsKey } from './secrets-key';
import { policyDocument } from './policies';
import { checkArgs } from './args-check';

/** The CI system that assumes the deployer roles through OIDC federation (no stored keys). */
export interface CiFederation {
  /** The CI's OIDC issuer URL (`https://token.actions.githubusercontent.com`). */
  readonly issuerUrl: string;
  /** The audience the CI's tokens carry. @default 'sts.amazonaws.com' */
  readonly audience?: string;
  /** The token subjects allowed to preview (`repo:example/platform:pull_request`), exactly: they get the read-only preview role. @default - no preview role */
  readonly previewSubjects?: readonly string[];
  /** An OIDC provider for the issuer that already exists in the account. @default - one is created */
  readonly existingProviderArn?: string;
}

/** One environment's deployer: its clusters and the CI jobs that may deploy them. */
export interface DeployerEnvironment {
  /** The environment (`prod`): the role is `platform-deployer-<environment>`. */
  readonly environment: string;
  /** The environment's clusters. */
  readonly clusters: readonly DeployerCluster[];
  /** The token subjects of the environment's deploy jobs (`repo:example/platform:environment:prod`), matched exactly. */
  readonly ciSubjects: readonly string[];
}

/** Pulumi's state backend, as {@link DeployerRoles} needs it. */
export interface DeployerRolesStateBackend {
  /** The bucket. */
  readonly bucket: string;
  /** The Pulumi project (Pulumi.yaml `name`). */
  readonly project: string;
  /** The ARN of the key that encrypts the bucket. */
  readonly keyArn: pulumi.Input<string>;
}

/** Inputs of {@link DeployerRoles}. */
export interface DeployerRolesArgs {
  /** The AWS account. */
  readonly accountId: string;
  /** CI's federation. */
  readonly ci: CiFederation;
  /** One deployer role per environment. */
  readonly environments: readonly DeployerEnvironment[];
  /** Roles of people allowed to assume every deployer role (the infra team's SSO role). @default - none */
  readonly trustedRoleArns?: readonly string[];
  /**
   * Longest session, in seconds: more than a rolling upgrade plus validation. CI gets it by asking
   * for it when it assumes the role straight from its OIDC token (`role-duration-seconds`); a
   * session reached by role chaining is capped at one hour whatever this says. @default 14400 (4 h)
   */
  readonly maxSessionDuration?: number;
  /** Pulumi's state backend. */
  readonly stateBackend: DeployerRolesStateBackend;
  /**
   * The ARN of the bootstrap stack's own secrets key. No deployer may use it; the preview role may
   * decrypt with it (it previews the bootstrap stack too). Each environment gets its own key
   * ({@link DeployerRoles.secretsKeyArns}).
   */
  readonly secretsKeyArn: pulumi.Input<string>;
  /** Roles made elsewhere that no deployer may ever change, besides the deployers and the preview role (the package publisher and reader). @default [] */
  readonly otherProtectedRoleNames?: readonly string[];
}

/**
 * The roles the environment stacks run as, one per environment (created once, by the bootstrap
 * stack — no stack creates the role it runs as). `platform-deployer-<env>` trusts only that
 * environment's CI jobs (and the infra engineers' role) and may touch only that environment
 * ({@link deployerPolicies}, three managed policies `platform-deployer-<env>-compute|iam|data`); each carries the deployer boundary ({@link deployerBoundaryPolicy}).
 * CI assumes its role through OIDC federation with short-lived credentials; no IAM user or access
 * key exists. Also the workload boundary every cluster role carries, and the read-only preview role.
 */
export class DeployerRoles extends pulumi.ComponentResource {
  /** Each environment's deployer role ARN (the `deployerRoleArn` of its stacks), by environment. */
  public readonly roleArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** The OIDC provider CI federates through. */
  public readonly oidcProviderArn: pulumi.Output<string>;
  /** The read-only role pull requests preview as, when preview subjects are given. */
  public readonly previewRoleArn: pulumi.Output<string> | undefined;
  /** The permissions boundary of every cluster role. */
  public readonly permissionsBoundaryArn: pulumi.Output<string>;
  /** The permissions boundary of the deployer roles. */
  public readonly deployerBoundaryArn: pulumi.Output<string>;
  /** Each environment's Pulumi secrets key (alias {@link secretsKeyAlias}), by environment. */
  public readonly secretsKeyArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** Each environment's secrets key alias (`alias/pulumi-prod-secrets`), by environment. */
  public readonly secretsKeyAliases: Readonly<Record<string, pulumi.Output<string>>>;

  public constructor(name: string, args: DeployerRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    checkArgs('platform:aws:DeployerRoles', name, DeployerRoles, args);
    super('platform:aws:DeployerRoles', name, {}, opts);
    const audience = args.ci.audience ?? 'sts.amazonaws.com';
    const trusted = args.trustedRoleArns ?? [];
    const maxSessionDuration = args.maxSessionDuration ?? 14400;
    const previewSubjects = args.ci.previewSubjects ?? [];
    const issuerHost = args.ci.issuerUrl.replace(/^https:\/\//, '');
    const a = args.accountId;
    const providerArn = args.ci.existingProviderArn === undefined
      ? new aws.iam.OpenIdConnectProvider(`${name}-ci`, { url: args.ci.issuerUrl, clientIdLists: [audience] }, { parent: this }).arn
      : pulumi.output(args.ci.existingProviderArn);
    const protectedRoleNames = [
      ...args.environments.map((e) => deployerRoleName(e.environment)), ...(previewSubjects.length > 0 ? [PREVIEW_ROLE_NAME] : []), ...(args.otherProtectedRoleNames ?? []),
    ];
    const everyCluster = args.environments.flatMap((e) => e.clusters);

    // The boundary every cluster role carries (kops spec.iam.permissionsBoundary); a deployer may create roles only with it.
    const workloadBoundary = new aws.iam.Policy(`${name}-workload-boundary`, {
      name: WORKLOAD_BOUNDARY_NAME,
      description: 'The most any role of a platform cluster may do: no IAM changes, no role assumption',
      policy: JSON.stringify(workloadBoundaryPolicy()),
    }, { parent: this });
    const deployerBoundary = new aws.iam.Policy(`${name}-boundary`, {
      name: DEPLOYER_BOUNDARY_NAME,
      description: 'The most a platform deployer may do: roles only under the workload boundary, no change to any deployer role or boundary',
      policy: JSON.stringify(deployerBoundaryPolicy({ accountId: a, clusters: everyCluster, protectedRoleNames })),
    }, { parent: this });

    // A pull request's code is untrusted: AWS read-only, the state it previews, and Decrypt with
    // the secrets keys to read the stacks' config (pulumi preview needs it). Not the clusters'
    // keys, so not kops's CA in the state store, so no cluster credential. Created before the
    // secrets keys, whose policies name it.
    const preview = previewSubjects.length === 0 ? undefined : new aws.iam.Role(`${name}-preview`, {
      name: PREVIEW_ROLE_NAME,
      assumeRolePolicy: providerArn.apply((arn) => JSON.stringify(ciTrustPolicy({ providerArn: arn, issuerHost, audience, subjects: previewSubjects, trustedRoleArns: [] }))),
      maxSessionDuration: 3600,
    }, { parent: this });

    const roleArns: Record<string, pulumi.Output<string>> = {};
    const keyArns: Record<string, pulumi.Output<string>> = {};
    const keyAliases: Record<string, pulumi.Output<string>> = {};
    const roles = args.environments.map((env) => {
      const roleName = deployerRoleName(env.environment);
      const role = new aws.iam.Role(`${name}-${env.environment}`, {
        name: roleName,
        description: `Deploys the ${env.environment} environment's stacks (${env.clusters.map((c) => c.name).join(', ')})`,
        assumeRolePolicy: providerArn.apply((arn) => JSON.stringify(ciTrustPolicy({ providerArn: arn, issuerHost, audience, subjects: env.ciSubjects, trustedRoleArns: trusted }))),
        permissionsBoundary: deployerBoundary.arn,
        maxSessionDuration,
      }, { parent: this });
      // The environment's own secrets key: its deployer (and the infra engineers, who may assume
      // that deployer anyway) encrypts and decrypts, the preview role only decrypts, nobody else.
      const key = new SecretsKey(`${name}-${env.environment}-secrets`, {
        accountId: a,
        alias: secretsKeyAlias(env.environment),
        purpose: `the ${env.environment} environment's stacks`,
        users: [role.arn, ...trusted],
        readers: preview === undefined ? [] : [preview.arn],
      }, { parent: this });
      roleArns[env.environment] = role.arn;
      keyArns[env.environment] = key.keyArn;
      keyAliases[env.environment] = key.alias;
      return { env, role, key };
    });
    const protectedKeyArns = pulumi.all([args.stateBackend.keyArn, args.secretsKeyArn, ...roles.map((r) => r.key.keyArn)]);

    for (const { env, role, key } of roles) {
      const roleName = deployerRoleName(env.environment);
      const policies = pulumi.all([args.stateBackend.keyArn, key.keyArn, protectedKeyArns]).apply(([keyArn, secretsKeyArn, keys]) => deployerPolicies({
        accountId: a,
        environment: env.environment,
        clusters: env.clusters,
        otherClusters: everyCluster.filter((c) => !env.clusters.includes(c)),
        stateBackend: { bucket: args.stateBackend.bucket, project: args.stateBackend.project, keyArn },
        secretsKeyArn,
        protectedRoleNames,
        protectedKeyArns: keys,
      }));
      for (const part of ['compute', 'iam', 'data'] as const) {
        const policy = new aws.iam.Policy(`${name}-${env.environment}-${part}`, {
          name: `${roleName}-${part}`,
          description: `What the ${env.environment} deployer may do: ${part}`,
          policy: policies.apply((p) => JSON.stringify(p[part])),
        }, { parent: this, dependsOn: [workloadBoundary] });
        new aws.iam.RolePolicyAttachment(`${name}-${env.environment}-${part}`, { role: role.name, policyArn: policy.arn }, { parent: this });
      }
    }

    if (preview !== undefined) {
      new aws.iam.RolePolicyAttachment(`${name}-preview`, { role: preview.name, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, { parent: this });
      const bucket = `arn:aws:s3:::${args.stateBackend.bucket}`;
      new aws.iam.RolePolicy(`${name}-preview`, {
        role: preview.id,
        policy: pulumi.all([args.stateBackend.keyArn, pulumi.all([args.secretsKeyArn, ...roles.map((r) => r.key.keyArn)])]).apply(([stateKeyArn, secretsKeyArns]) => JSON.stringify(policyDocument([
          { Sid: 'ReadStackState', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [bucket, `${bucket}/*`] },
          { Sid: 'DecryptStackState', Effect: 'Allow', Action: 'kms:Decrypt', Resource: stateKeyArn },
          // pulumi preview unwraps each stack's data key (kms:Decrypt) and never makes a new one.
          { Sid: 'DecryptStackConfig', Effect: 'Allow', Action: 'kms:Decrypt', Resource: secretsKeyArns },
        ]))),
      }, { parent: this });
      this.previewRoleArn = preview.arn;
    } else {
      this.previewRoleArn = undefined;
    }
    this.permissionsBoundaryArn = workloadBoundary.arn;
    this.deployerBoundaryArn = deployerBoundary.arn;
    this.roleArns = roleArns;
    this.secretsKeyArns = keyArns;
    this.secretsKeyAliases = keyAliases;
    this.oidcProviderArn = providerArn;
    this.registerOutputs({
      roleArns: this.roleArns, oidcProviderArn: this.oidcProviderArn, permissionsBoundaryArn: this.permissionsBoundaryArn, deployerBoundaryArn: this.deployerBoundaryArn,
      secretsKeyArns: this.secretsKeyArns, secretsKeyAliases: this.secretsKeyAliases,
    });
  }
}
