// `platform-constructs/aws`: the Pulumi components. Importing this module loads @pulumi/*, which
// are optional peer dependencies of the package. Only what a stack program needs is exported here;
// the kops scripts, the YAML parsing and the naming internals stay inside the package.

// The components a stack program composes.
export { ClusterFoundation, type ClusterFoundationArgs } from './cluster-foundation';
export { Network, type NetworkArgs } from './network';
export { VpcEndpoints, type VpcEndpointsArgs } from './vpc-endpoints';
export { DnsZone, type DnsZoneArgs } from './dns-zone';
export { SecureBucket, type SecureBucketArgs } from './secure-bucket';
export { StateStore, etcdBackupBucketName, stateBucketName, type StateStoreArgs } from './state-store';
export { DiscoveryBucket, discoveryBucketName, type DiscoveryBucketArgs } from './discovery-bucket';
export { EtcdSnapshots, etcdVolumeNames, type EtcdSnapshotsArgs } from './etcd-snapshots';
export { SNAPSHOT_TAG } from './kops-scripts';
export { StateBackend, type StateBackendArgs } from './state-backend';
export { DeployerRoles, type CiFederation, type DeployerEnvironment, type DeployerRolesArgs, type DeployerRolesStateBackend } from './deployer-role';
export { SecretsKey, type SecretsKeyArgs } from './secrets-key';
export { PackageRegistry, type PackageRegistryArgs } from './package-registry';
export { KopsDeployment, manifestHash, type KopsDeploymentArgs, type KopsEncryption, type KopsEtcd } from './kops-deployment';
export { ManifestChart, ManifestDeployment, type KubernetesSecretArgs, type ManifestDeploymentArgs } from './manifest-deployment';

// What the components are built from, for programs that compose their own.
export { defaultTags, type DefaultTagsProps } from './tags';
export { encryptionConfiguration, type EncryptionKey } from './encryption-config';
export { planManifests, type ManifestPlan, type PlannedChart, type PlannedObject } from './manifest-plan';

// The deployer's rights, and the names kops gives the IAM roles they must cover.
export {
  CLUSTER_TAG, DEPLOYER_BOUNDARY_NAME, DEPLOYER_POLICY_PREFIX, PREVIEW_ROLE_NAME, STACK_CLUSTER_TAG, WORKLOAD_BOUNDARY_NAME, clusterOidcProviderArn,
  deployerBoundaryPolicy, deployerPolicies, deployerPolicy, deployerRoleName, permissionsBoundaryArn, pulumiStackStateKeys,
  type DeployerBoundaryScope, type DeployerCluster, type DeployerPolicies, type DeployerScope, type DeployerStateBackend,
} from './deployer-policy';
export { ciTrustPolicy, workloadBoundaryPolicy, type TrustScope } from './trust-policies';
export { PULUMI_SECRETS_KEY_ACTIONS, secretsKeyAlias, secretsKeyPolicy, secretsProviderUrl, type SecretsKeyPolicyScope } from './secrets-key-policy';
export {
  PACKAGE_BOUNDARY_NAME, PACKAGE_PUBLISHER_ROLE_NAME, PACKAGE_READER_ROLE_NAME, codeArtifactArns, packageBoundaryPolicy, packagePublisherPolicy, packageReaderPolicy,
  packageTrustPolicy, type PackageRegistryScope, type PackageTrustScope,
} from './package-policy';
export type { PolicyDocument, PolicyStatement } from './policies';
export { kopsRoleNames, kopsServiceAccountRoleName, type KopsIamInput } from './kops-iam-names';
