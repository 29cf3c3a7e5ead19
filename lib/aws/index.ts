// `platform-constructs/aws`: the Pulumi components. Importing this module loads @pulumi/*, which
// are optional peer dependencies of the package.
export * from './cluster-manifests';
