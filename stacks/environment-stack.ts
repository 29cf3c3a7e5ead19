// One environment stack: AWS foundation -> kops cluster -> kubeconfig -> addons -> teams -> services,
// all from the cluster definition `npm run synth` uses.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { type ClusterDefinition, PlatformError, type SecretDeclaration, buildCluster, fillCloudValues, listCloudValues, renderAll } from '../lib';
import { ClusterFoundation, KopsDeployment, ManifestDeployment, defaultTags, encryptionConfiguration, etcdVolumeNames, manifestHash, planManifests } from '../lib/aws';
import { type EnvironmentConfig, type PlatformSecrets } from './config';
import { kubernetesSecrets } from './secrets';
import { withStackEtcdRetention } from '../clusters/stack-file';

export { withStackEtcdRetention } from '../clusters/stack-file';

/** What an environment stack exports. */
export interface EnvironmentOutputs {
  readonly cluster: string;
  readonly clusterName: string;
  readonly vpcId: pulumi.Output<string>;
  readonly subnetIds: Readonly<Record<string, pulumi.Output<string>>>;
  readonly natGatewayIds: Readonly<Record<string, pulumi.Output<string>>>;
  readonly stateStore: pulumi.Output<string>;
  readonly discoveryBucket: pulumi.Output<string>;
  readonly dnsZoneId: pulumi.Output<string> | undefined;
  readonly kopsManifestHash: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  readonly kubernetesObjects: number;
  /** The value filled in for each placeholder of the offline manifests. */
  readonly cloudValues: pulumi.Output<Readonly<Record<string, string>>>;
}

/** The explicit AWS provider of a stack: its region, the one account it may touch, and the default tags. */
export function awsProvider(name: string, props: { accountId: string; region: string; tags: Record<string, string> }): aws.Provider {
  return new aws.Provider(name, { region: props.region as aws.Region, allowedAccountIds: [props.accountId], defaultTags: { tags: props.tags } });
}

/** Builds the stack of one cluster. */
export function environmentStack(
  definition: ClusterDefinition, environments: readonly string[], config: EnvironmentConfig, secrets: (provider: aws.Provider, declared: readonly SecretDeclaration[]) => PlatformSecrets,
  encryptionKeys: () => pulumi.Output<Readonly<Record<string, string>>>,
): EnvironmentOutputs {
  const def = withStackEtcdRetention(definition, config.etcdBackupRetentionDays);
  if (config.region !== def.region) {
    throw PlatformError.of({
      path: `stack ${def.name}`, field: 'config platform:region', value: config.region, rule: `differs from the cluster definition's region ${def.region}`,
      fix: `set platform:region to ${def.region}: the definition in clusters/${def.name}.ts is the source of truth`,
    });
  }
  // The same function `npm run synth` uses: the objects, and their names, are those of dist/. The
  // kops facts come from the model it built, typed, not from searching the tree or parsing YAML.
  const built = buildCluster(def, environments);
  const files = renderAll([built.app]);
  const kopsPath = `${def.name}/kops/${built.kopsChart.node.id}.k8s.yaml`;
  const kopsFile = files.find((f) => f.path === kopsPath);
  if (kopsFile === undefined) {
    throw PlatformError.of({ path: `stack ${def.name}`, field: 'kubernetes', value: kopsPath, rule: 'was not rendered', fix: 'check that the kops chart writes to the kops/ folder' });
  }
  const kops = built.kops;
  const clusterObject = kops.cluster.toJson() as { readonly metadata: { readonly name: string }; readonly spec?: { readonly encryptionConfig?: boolean; readonly etcdClusters?: unknown } };
  const spec = clusterObject.spec ?? {};

  const provider = awsProvider(`${def.name}-aws`, { accountId: config.accountId, region: config.region, tags: defaultTags({ cluster: def.name, environment: def.environment, owner: config.owner }) });
  const withAws = { providers: [provider] };
  const foundation = new ClusterFoundation(def.name, {
    cluster: def.name,
    clusterName: kops.clusterName,
    region: def.region,
    accountId: config.accountId,
    deployerRoleArn: config.deployerRoleArn,
    networkPlan: kops.networkPlan,
    ...(kops.dnsZone === undefined ? {} : { dnsZone: kops.dnsZone }),
    ...(config.dnsZoneId === undefined ? {} : { existingDnsZoneId: config.dnsZoneId }),
    hostedZoneIds: config.hostedZoneIds,
    etcdVolumeNames: etcdVolumeNames(clusterObject),
    flowLogRetentionDays: config.flowLogRetentionDays,
    etcdSnapshotRetainCount: config.etcdSnapshotRetainCount,
  }, withAws);

  const missing = listCloudValues(files.map((f) => f.content)).filter((p) => !foundation.placeholders.includes(p));
  if (missing.length > 0) {
    throw PlatformError.of({
      path: `stack ${def.name}`, field: 'cloud values', value: missing.join(', '), rule: 'are named by the manifests but supplied by nothing in the stack',
      fix: 'set platform:hostedZoneIds for hosted zones (zone name: id), or supply the value in ClusterFoundation',
    });
  }
  // Fill the placeholders of the offline manifest with the real values (an apply on values, not resources).
  const manifest = foundation.cloudValues.apply((values) => fillCloudValues(kopsFile.content, values));
  const volumeNames = etcdVolumeNames(clusterObject);
  const encryption = spec.encryptionConfig === true ? {
    keyNames: config.encryptionKeyNames,
    config: encryptionKeys().apply((keys) => encryptionConfiguration(`stack ${def.name}`, config.encryptionKeyNames.map((name) => ({ name, secret: keys[name] ?? '' })))),
  } : undefined;
  const cluster = new KopsDeployment(`${def.name}-kops`, {
    clusterName: kops.clusterName,
    kubernetesVersion: kops.kubernetesVersion.toString(),
    manifest,
    stateStoreUrl: foundation.stateStore.stateStoreUrl,
    region: def.region,
    validateTimeout: config.validateTimeout,
    rollingUpdate: config.rollingUpdate,
    protect: config.protectCluster,
    instanceGroups: kops.instanceGroups.map((g) => g.metadata.name ?? ''),
    kopsVersion: config.kopsVersion,
    ...(encryption === undefined ? {} : { encryption }),
    etcd: { volumeNames, specHash: manifestHash(JSON.stringify(spec.etcdClusters ?? [])) },
  }, { dependsOn: [foundation] });

  const deployment = new ManifestDeployment(def.name, {
    files,
    kubeconfig: cluster.kubeconfig,
    clusterIdentifier: kops.clusterName,
    cloudValues: foundation.cloudValues,
    secrets: kubernetesSecrets(planManifests(files), secrets(provider, built.secrets), built.secrets),
  }, { dependsOn: [cluster] });

  return {
    cluster: def.name,
    clusterName: kops.clusterName,
    vpcId: foundation.network.vpcId,
    subnetIds: foundation.network.subnetIds,
    natGatewayIds: foundation.network.natGatewayIds,
    stateStore: foundation.stateStore.stateStoreUrl,
    discoveryBucket: foundation.discovery.bucketName,
    dnsZoneId: foundation.dns?.zoneId,
    kopsManifestHash: cluster.manifestHash,
    kubeconfig: cluster.kubeconfig,
    kubernetesObjects: deployment.plan.objects.length,
    cloudValues: foundation.cloudValues,
  };
}
