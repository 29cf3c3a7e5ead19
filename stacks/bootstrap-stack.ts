// The bootstrap stack, run once per account by an infra engineer: Pulumi's state backend and
// secrets key, and the roles the environment stacks (and CI) run as, one per environment.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { ClusterDefinition } from '../lib';
import {
  type DeployerEnvironment, DeployerRoles, PACKAGE_PUBLISHER_ROLE_NAME, PACKAGE_READER_ROLE_NAME, PackageRegistry, StateBackend, defaultTags, secretsProviderUrl,
} from '../lib/aws';
import { type BootstrapConfig, checkCiSubjects } from './config';
import { awsProvider } from './environment-stack';

/** What the bootstrap stack exports. */
export interface BootstrapOutputs {
  readonly stateBackend: pulumi.Output<string>;
  /** The bootstrap stack's own secrets provider. */
  readonly secretsProvider: pulumi.Output<string>;
  /** Each environment's secrets provider (the `secretsprovider` of its Pulumi.<stack>.yaml), by environment. */
  readonly secretsProviders: Readonly<Record<string, pulumi.Output<string>>>;
  /** The package registry's URL and roles, when `packages` is configured. */
  readonly packages: { readonly registryUrl: string; readonly publisherRoleArn: pulumi.Output<string>; readonly readerRoleArn: pulumi.Output<string> | undefined } | undefined;
  /** Each environment's deployer role (its stacks' `deployerRoleArn`), by environment. */
  readonly deployerRoleArns: Readonly<Record<string, pulumi.Output<string>>>;
  readonly previewRoleArn: pulumi.Output<string> | undefined;
  readonly permissionsBoundaryArn: pulumi.Output<string>;
  readonly deployerBoundaryArn: pulumi.Output<string>;
}

/** The environments of `clusters`, each with its clusters and the CI subjects that deploy it. */
export function deployerEnvironments(clusters: readonly ClusterDefinition[], ciSubjects: Readonly<Record<string, readonly string[]>>): DeployerEnvironment[] {
  const environments = [...new Set(clusters.map((c) => c.environment))];
  return environments.map((environment) => ({
    environment,
    clusters: clusters.filter((c) => c.environment === environment).map((c) => ({ name: c.name, clusterName: c.kubernetes.clusterName, region: c.region })),
    ciSubjects: ciSubjects[environment] ?? [],
  }));
}

/** Builds the bootstrap stack: one deployer role per environment of the clusters listed. */
export function bootstrapStack(clusters: readonly ClusterDefinition[], config: BootstrapConfig, stack = 'bootstrap'): BootstrapOutputs {
  checkCiSubjects(stack, config.ciSubjects, [...new Set(clusters.map((c) => c.environment))]);
  const provider = awsProvider('bootstrap-aws', { accountId: config.accountId, region: config.region, tags: defaultTags({ cluster: 'all', environment: 'bootstrap', owner: config.owner }) });
  // The cluster keys' policies name AWSServiceRoleForAutoScaling (it encrypts node volumes), and a
  // key policy may only name principals that exist; a fresh account has that role only once an
  // auto-scaling group exists. So the bootstrap, which runs first, creates it (unless it exists).
  if (config.createAutoScalingServiceLinkedRole) {
    new aws.iam.ServiceLinkedRole('autoscaling', { awsServiceName: 'autoscaling.amazonaws.com', description: 'Auto Scaling for the kops clusters; named by the cluster keys' }, { provider });
  }
  const backend = new StateBackend('pulumi', { bucketName: config.stateBackendBucket }, { providers: [provider] });
  const deployers = new DeployerRoles('deployer', {
    accountId: config.accountId,
    ci: { issuerUrl: config.ciIssuerUrl, previewSubjects: config.ciPreviewSubjects },
    environments: deployerEnvironments(clusters, config.ciSubjects),
    trustedRoleArns: config.trustedRoleArns,
    // The stacks' state is under .pulumi/stacks/<project>/<stack>.json (Pulumi.yaml `name`).
    stateBackend: { bucket: config.stateBackendBucket, project: pulumi.getProject(), keyArn: backend.stateKeyArn },
    secretsKeyArn: backend.secretsKeyArn,
    ...(config.packages === undefined ? {} : { otherProtectedRoleNames: [PACKAGE_PUBLISHER_ROLE_NAME, PACKAGE_READER_ROLE_NAME] }),
  }, { providers: [provider] });
  // The package registry is account-wide, not an environment's, and its roles must exist before
  // any release or service repository runs: like the deployers, it is made here, by the
  // administrators, and no deployer may change it (no deployer creates roles outside the
  // workload boundary, nor touches these).
  const registry = config.packages === undefined ? undefined : new PackageRegistry('packages', {
    accountId: config.accountId,
    region: config.region,
    domain: config.packages.domain,
    repository: config.packages.repository,
    scope: config.packages.scope,
    oidcProviderArn: deployers.oidcProviderArn,
    issuerHost: config.ciIssuerUrl.replace(/^https:\/\//, ''),
    publisherSubject: config.packages.publisherSubject,
    readerRepositories: config.packages.readerRepositories,
  }, { providers: [provider] });
  return {
    stateBackend: backend.bucketName.apply((b) => `s3://${b}`),
    secretsProvider: backend.secretsKeyAlias.apply((a) => secretsProviderUrl(a, config.region)),
    secretsProviders: Object.fromEntries(Object.entries(deployers.secretsKeyAliases).map(([env, alias]) => [env, alias.apply((a) => secretsProviderUrl(a, config.region))])),
    packages: registry === undefined ? undefined : { registryUrl: registry.registryUrl, publisherRoleArn: registry.publisherRoleArn, readerRoleArn: registry.readerRoleArn },
    deployerRoleArns: deployers.roleArns,
    previewRoleArn: deployers.previewRoleArn,
    permissionsBoundaryArn: deployers.permissionsBoundaryArn,
    deployerBoundaryArn: deployers.deployerBoundaryArn,
  };
}
