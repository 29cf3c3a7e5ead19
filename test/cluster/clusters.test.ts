import type { App } from 'cdk8s';
import { CLOUD_VALUE_PATTERN, KopsChart, buildClusterApp, listCloudValues, renderApp } from '../../lib';
import { clusters, environments } from '../../clusters';
import { kopsSchemaErrors } from './kops-schema';

type Obj = Record<string, any>;

const apps = new Map<string, App>(clusters.map((c) => [c.name, buildClusterApp(c, environments)]));

function kopsObjects(name: string): Obj[] {
  const app = apps.get(name);
  if (app === undefined) throw new Error(`no cluster ${name}`);
  const chart = app.charts.find((c): c is KopsChart => c instanceof KopsChart);
  if (chart === undefined) throw new Error(`cluster ${name} has no kops chart`);
  return chart.toJson() as Obj[];
}

const clusterOf = (name: string): Obj => kopsObjects(name).find((o) => o.kind === 'Cluster') ?? {};
const groupsOf = (name: string): Obj[] => kopsObjects(name).filter((o) => o.kind === 'InstanceGroup');
const group = (name: string, ig: string): Obj => groupsOf(name).find((o) => o.metadata.name === ig) ?? {};

describe('the four clusters', () => {
  test.each(clusters.map((c) => c.name))('every kops object of %s is valid against the kops CRD schema', (name) => {
    // GIVEN the cluster's kops objects
    const objects = kopsObjects(name);
    // WHEN each is validated against its CRD
    const errors = objects.flatMap(kopsSchemaErrors);
    // THEN there are no violations, and there is one Cluster and at least one group
    expect(errors).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Cluster')).toHaveLength(1);
    expect(groupsOf(name).length).toBeGreaterThan(3);
  });

  test.each(clusters.map((c) => c.name))('%s has one master group per zone, role Master, exactly one instance each', (name) => {
    // GIVEN the cluster's zones and master groups
    const zones = clusters.find((c) => c.name === name)?.kubernetes.zones ?? [];
    const masters = groupsOf(name).filter((g) => g.spec.role === 'Master');
    // THEN there is one per zone, named after it, min = max = 1
    expect(masters.map((m) => m.metadata.name)).toEqual(zones.map((z) => `master-${z}`));
    expect(masters.map((m) => m.spec.subnets)).toEqual(zones.map((z) => [z]));
    for (const m of masters) expect([m.spec.minSize, m.spec.maxSize]).toEqual([1, 1]);
  });

  test.each(clusters.map((c) => c.name))('the etcd members of %s are exactly its master groups, in main and events', (name) => {
    // GIVEN the master groups and the etcd clusters
    const masters = groupsOf(name).filter((g) => g.spec.role === 'Master').map((g) => g.metadata.name);
    const etcd = clusterOf(name).spec.etcdClusters as Obj[];
    // THEN main and events each have one encrypted member per master group, backed up to the etcd-backup bucket
    expect(etcd.map((e) => e.name)).toEqual(['main', 'events']);
    for (const e of etcd) {
      expect(e.etcdMembers.map((m: Obj) => m.instanceGroup)).toEqual(masters);
      expect(e.etcdMembers.every((m: Obj) => m.encryptedVolume === true)).toBe(true);
      expect(e.manager.backupRetentionDays).toBe(90);
      expect(e.backups.backupStore).toBe(`s3://\${cloud:etcdBackupBucket}/backups/etcd/${e.name}`);
    }
  });

  test('prod runs Calico with IP-in-IP across subnets and the source/destination check off', () => {
    // GIVEN prod's networking
    const calico = clusterOf('prod').spec.networking.calico;
    // THEN it encapsulates only between subnets, which needs the EC2 check disabled
    expect(calico).toMatchObject({ encapsulationMode: 'ipip', ipipMode: 'CrossSubnet', vxlanMode: 'Never', awsSrcDstCheck: 'Disable', typhaReplicas: 3 });
  });

  test.each(clusters.map((c) => c.name))('every instance group of %s requires IMDSv2 with hop limit 1 and an encrypted gp3 root volume', (name) => {
    for (const g of groupsOf(name)) {
      expect(g.spec.instanceMetadata).toEqual({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
      expect([g.spec.rootVolumeType, g.spec.rootVolumeEncryption]).toEqual(['gp3', true]);
    }
  });

  test('the tainted front group of prod carries the autoscaler node-template tags for its label and taint', () => {
    // GIVEN prod's front group
    const front = group('prod', 'front');
    // THEN the autoscaler can build a template node from the tags, even at zero nodes
    expect(front.spec.taints).toEqual(['platform.example.com/front=true:NoSchedule']);
    expect(front.spec.cloudLabels).toEqual({
      'k8s.io/cluster-autoscaler/enabled': 'true',
      'k8s.io/cluster-autoscaler/prod.k8s.example.com': 'owned',
      'k8s.io/cluster-autoscaler/node-template/label/platform.example.com/node-role': 'front',
      'k8s.io/cluster-autoscaler/node-template/taint/platform.example.com/front': 'true:NoSchedule',
    });
  });

  test('prod has an on-demand base group and a spot group of several types', () => {
    expect(group('prod', 'nodes-on-demand').spec.mixedInstancesPolicy).toBeUndefined();
    expect(group('prod', 'nodes-spot').spec).toMatchObject({
      minSize: 0,
      capacityRebalance: true,
      mixedInstancesPolicy: { instances: ['m6i.xlarge', 'm6a.xlarge', 'm5.xlarge'], onDemandBase: 0, onDemandAboveBase: 0, spotAllocationStrategy: 'price-capacity-optimized' },
    });
  });

  test('admin runs CI on its own tainted group and is the largest cluster', () => {
    // GIVEN the node capacity of every cluster
    const capacity = (name: string): number => groupsOf(name).filter((g) => g.spec.role === 'Node').reduce((n, g) => n + g.spec.maxSize, 0);
    // THEN admin's CI group is tainted for CI and admin can grow the most
    expect(group('admin', 'ci-runners').spec.taints).toEqual(['platform.example.com/dedicated=ci:NoSchedule']);
    expect(Math.max(...clusters.map((c) => capacity(c.name)))).toBe(capacity('admin'));
  });

  test('stage is prod, smaller: the same groups with lower maximums and a shared NAT', () => {
    const names = (c: string): string[] => groupsOf(c).map((g) => g.metadata.name);
    expect(names('stage')).toEqual(names('prod'));
    for (const g of groupsOf('stage').filter((x) => x.spec.role === 'Node')) {
      expect(g.spec.maxSize).toBeLessThan(group('prod', g.metadata.name).spec.maxSize);
    }
    const egress = new Set((clusterOf('stage').spec.subnets as Obj[]).filter((s) => s.type === 'Private').map((s) => s.egress));
    expect([...egress]).toEqual(['${cloud:natGatewayId:eu-west-1a}']);
  });

  test('e2e rehearses the next Kubernetes minor in its own region', () => {
    expect(clusterOf('e2e').spec.kubernetesVersion).toBe('1.36.0');
    expect(clusterOf('prod').spec.kubernetesVersion).toBe('1.35.5');
    expect(clusterOf('e2e').spec.clusterAutoscaler.image).toBe('registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.0');
    expect((clusterOf('e2e').spec.subnets as Obj[]).map((s) => s.zone)).toContain('eu-central-1a');
  });

  test('prod declares the orders exporter identity, and each secret store\'s, as an inline policy, with the webhook, cert-manager and the OIDC provider on', () => {
    const spec = clusterOf('prod').spec;
    expect(spec.iam.useServiceAccountExternalPermissions).toBe(true);
    // the store of each team namespace with a secretsPrefix, and of each addon namespace holding a declared Secret
    expect(spec.iam.serviceAccountExternalPermissions.map((p: Obj) => `${p.namespace}/${p.name}`)).toEqual([
      'content/platform-secrets', 'identity/platform-secrets', 'logging-agent/platform-secrets', 'logging/platform-secrets',
      'monitoring/platform-secrets', 'shop/orders-exporter', 'shop/platform-secrets',
    ]);
    const exporter = spec.iam.serviceAccountExternalPermissions.find((p: Obj) => p.name === 'orders-exporter');
    expect(JSON.parse(exporter.aws.inlinePolicy)[0]).toEqual({
      Action: ['s3:PutObject', 's3:GetObject'], Effect: 'Allow', Resource: ['arn:aws:s3:::example-orders-exports/*'],
    });
    expect(spec.serviceAccountIssuerDiscovery).toEqual({ discoveryStore: 's3://${cloud:discoveryBucket}/prod.k8s.example.com', enableAWSOIDCProvider: true });
    expect([spec.podIdentityWebhook.enabled, spec.certManager.enabled, spec.externalDns.provider]).toEqual([true, true, 'external-dns']);
    // No Ingress exists any more: external-dns drops its ingress source (kops template_functions.go ExternalDNSArgv)
    expect(spec.externalDns.watchIngress).toBe(false);
  });

  test('the cloud-only values of prod are exactly the documented placeholders', () => {
    // GIVEN every placeholder in prod's kops objects
    const found = listCloudValues(kopsObjects('prod'));
    // THEN they are the network IDs, buckets, key, hosted zone and account (the secret stores' role ARNs) the stack supplies, and nothing else looks like one
    expect(found).toEqual([
      '${cloud:accountId}', '${cloud:discoveryBucket}', '${cloud:etcdBackupBucket}', '${cloud:hostedZoneId:example-com}', '${cloud:kmsKeyArn}',
      '${cloud:natGatewayId:eu-west-1a}', '${cloud:natGatewayId:eu-west-1b}', '${cloud:natGatewayId:eu-west-1c}',
      '${cloud:permissionsBoundaryArn}', '${cloud:stateStoreBucket}',
      '${cloud:subnetId:private:eu-west-1a}', '${cloud:subnetId:private:eu-west-1b}', '${cloud:subnetId:private:eu-west-1c}',
      '${cloud:subnetId:utility:eu-west-1a}', '${cloud:subnetId:utility:eu-west-1b}', '${cloud:subnetId:utility:eu-west-1c}',
      '${cloud:vpcId}',
    ]);
    expect(JSON.stringify(kopsObjects('prod')).replace(CLOUD_VALUE_PATTERN, '')).not.toContain('${');
  });

  test('the kops objects render to dist/<cluster>/kops/ and the same input renders the same bytes', () => {
    // GIVEN prod rendered twice from fresh apps
    const render = () => renderApp(buildClusterApp(clusters[0] ?? ({} as never), environments));
    const [a, b] = [render(), render()];
    // THEN the kops file is in kops/ and identical
    const kops = a.files.find((f) => f.path === 'prod/kops/cluster.k8s.yaml');
    expect(a.problems).toEqual([]);
    expect(kops?.content).toContain('kind: InstanceGroup');
    expect(b.files).toEqual(a.files);
    expect(clusters.flatMap((c) => kopsObjects(c.name)).filter((o) => o.metadata.namespace !== undefined)).toEqual([]);
  });
});
