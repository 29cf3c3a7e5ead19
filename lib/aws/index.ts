// `platform-constructs/aws`: the Pulumi components. Importing this module loads @pulumi/*, which
// are optional peer dependencies of the package.
export * from './tags';
export * from './policies';
export * from './deployer-policy';
export * from './kops-scripts';
export * from './encryption-config';
export * from './kops-iam-names';
export * from './manifest-plan';
export * from './secure-bucket';
export * from './state-store';
export * from './discovery-bucket';
export * from './network';
export * from './vpc-endpoints';
export * from './dns-zone';
export * from './etcd-snapshots';
export * from './deployer-role';
export * from './state-backend';
export * from './kops-deployment';
export * from './kubernetes-objects';
export * from './manifest-deployment';
export * from './cluster-foundation';
