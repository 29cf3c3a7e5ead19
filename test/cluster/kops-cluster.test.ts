import { Testing } from 'cdk8s';
import { KopsCluster, type KopsClusterProps, WorkloadIdentity } from '../../lib';
import { baseProps, errorOf, synthKops } from './helpers';
import { kopsSchemaErrors } from './kops-schema';

const build = (props: KopsClusterProps): KopsCluster => new KopsCluster(Testing.chart(), 'kops', props);
const P = 'test/kops';
const groupNamed = (objs: Array<Record<string, any>>, name: string) => objs.find((o) => o.kind === 'InstanceGroup' && o.metadata.name === name);
const clusterSpec = (objs: Array<Record<string, any>>) => objs.find((o) => o.kind === 'Cluster')?.spec;

describe('KopsCluster errors', () => {
  test('an even number of masters is refused', () => {
    expect(errorOf(() => build({ ...baseProps(), masters: { count: 4 } }))).toBe(
      `${P}: masters.count must be 3, 5 or 7 (odd and at least 3, for an etcd quorum that survives losing a master) (got 4); use 3 masters, or 5 or 7 for larger clusters`);
  });

  test('fewer than three masters is refused', () => {
    expect(errorOf(() => build({ ...baseProps(), masters: { count: 1 } }))).toBe(
      `${P}: masters.count must be 3, 5 or 7 (odd and at least 3, for an etcd quorum that survives losing a master) (got 1); use 3 masters, or 5 or 7 for larger clusters`);
  });

  test('more masters than zones is refused without allowMultipleMastersPerZone', () => {
    expect(errorOf(() => build({ ...baseProps(), masters: { count: 5 } }))).toBe(
      `${P}: masters.count is more than the 3 zones (one master per zone) (got 5); add zones, lower the count, or set allowMultipleMastersPerZone: true`);
  });

  test('a zone outside the region is refused', () => {
    expect(errorOf(() => build({ ...baseProps(), zones: ['eu-west-1a', 'eu-west-1b', 'us-east-1c'] }))).toBe(
      `${P}: zones[2] is not a zone of region eu-west-1 (got "us-east-1c"); use zones of eu-west-1 (eu-west-1a, eu-west-1b, ...)`);
  });

  const explicit = {
    'eu-west-1a': { private: '10.0.0.0/19', utility: '10.0.96.0/22' },
    'eu-west-1b': { private: '10.0.32.0/19', utility: '10.0.100.0/22' },
    'eu-west-1c': { private: '10.0.64.0/19', utility: '10.0.104.0/22' },
  };

  test('overlapping subnets are refused', () => {
    const subnets = { ...explicit, 'eu-west-1b': { private: '10.0.16.0/20', utility: '10.0.100.0/22' } };
    expect(errorOf(() => build({ ...baseProps(), network: { vpcCidr: '10.0.0.0/16', subnets } }))).toBe(
      `${P}: network.subnets.eu-west-1b overlaps subnet eu-west-1a (10.0.0.0/19) (got "10.0.16.0/20"); give every subnet its own block`);
  });

  test('a subnet outside the VPC is refused', () => {
    const subnets = { ...explicit, 'eu-west-1c': { private: '10.0.64.0/19', utility: '10.1.0.0/22' } };
    expect(errorOf(() => build({ ...baseProps(), network: { vpcCidr: '10.0.0.0/16', subnets } }))).toBe(
      `${P}: network.subnets.utility-eu-west-1c is not inside the VPC 10.0.0.0/16 (got "10.1.0.0/22"); choose a block inside network.vpcCidr`);
  });

  test('a VPC too small for the carved subnets is refused', () => {
    expect(errorOf(() => build({ ...baseProps(), network: { vpcCidr: '10.0.0.0/20' } }))).toBe(
      `${P}: network.vpcCidr cannot hold 3 private /19 and 3 utility /22 subnets (got "10.0.0.0/20"); use a larger VPC or longer subnet prefixes (privateSubnetPrefix, utilitySubnetPrefix)`);
  });

  test('a pod range overlapping the VPC is refused', () => {
    expect(errorOf(() => build({ ...baseProps(), network: { vpcCidr: '10.0.0.0/16', podCidr: '10.0.128.0/17' } }))).toBe(
      `${P}: network.podCidr overlaps the VPC 10.0.0.0/16 (got "10.0.128.0/17"); keep in-cluster ranges outside the VPC (the defaults live in 100.64.0.0/10)`);
  });

  test('a service range overlapping the VPC is refused', () => {
    expect(errorOf(() => build({ ...baseProps(), network: { vpcCidr: '10.0.0.0/16', serviceCidr: '10.0.0.0/20' } }))).toBe(
      `${P}: network.serviceCidr overlaps the VPC 10.0.0.0/16 (got "10.0.0.0/20"); keep in-cluster ranges outside the VPC (the defaults live in 100.64.0.0/10)`);
  });

  test('pod and service ranges that overlap each other are refused', () => {
    expect(errorOf(() => build({ ...baseProps(), network: { vpcCidr: '10.0.0.0/16', serviceCidr: '100.96.0.0/13' } }))).toBe(
      `${P}: network.serviceCidr overlaps the pod range 100.96.0.0/11 (got "100.96.0.0/13"); give pods and services separate blocks`);
  });

  test('minSize above maxSize is refused', () => {
    expect(errorOf(() => build({ ...baseProps(), nodeGroups: [{ name: 'nodes', minSize: 5, maxSize: 3 }] }))).toBe(
      `${P}: nodeGroups.nodes.minSize is greater than maxSize (3) (got 5); make minSize <= maxSize`);
  });

  test.each([120, -5])('an on-demand percentage of %d is refused', (pct) => {
    const nodeGroups = [{ name: 'spot', minSize: 0, maxSize: 3, mixedInstances: { instanceTypes: ['m6i.large', 'm5.large'], onDemandAboveBasePercent: pct } }];
    expect(errorOf(() => build({ ...baseProps(), nodeGroups }))).toBe(
      `${P}: nodeGroups.spot.mixedInstances.onDemandAboveBasePercent must be a whole percentage from 0 to 100 (got ${pct}); use 0 for all spot above the base, 100 for all on-demand`);
  });

  test('an unknown instance type is refused', () => {
    expect(errorOf(() => build({ ...baseProps(), nodeGroups: [{ name: 'nodes', machineType: 'm6i.larg', minSize: 1, maxSize: 2 }] }))).toBe(
      `${P}: nodeGroups.nodes.machineType is not a known EC2 instance type (got "m6i.larg"); use a current type such as m6i.large (lib/cluster/aws.ts lists them)`);
  });

  test('an unknown instance type in a mixed group is refused', () => {
    const nodeGroups = [{ name: 'spot', minSize: 0, maxSize: 3, mixedInstances: { instanceTypes: ['m6i.large', 'x9.huge'] } }];
    expect(errorOf(() => build({ ...baseProps(), nodeGroups }))).toBe(
      `${P}: nodeGroups.spot.mixedInstances.instanceTypes[1] is not a known EC2 instance type (got "x9.huge"); use a current type such as m6i.large (lib/cluster/aws.ts lists them)`);
  });

  test('a malformed Kubernetes version is refused', () => {
    expect(errorOf(() => build({ ...baseProps(), kubernetesVersion: '1.35' }))).toBe(
      `${P}: kubernetesVersion: KubernetesVersion: version is not a Kubernetes release version (got "1.35"); write major.minor.patch, e.g. '1.35.5'`);
  });

  test('a Kubernetes version kops 1.36 does not support is refused', () => {
    expect(errorOf(() => build({ ...baseProps(), kubernetesVersion: '1.30.4' }))).toBe(
      `${P}: kubernetesVersion: KubernetesVersion: version is not supported by kops 1.36 (1.31 to 1.36) (got "1.30.4"); choose a 1.31.x to 1.36.x release`);
  });

  test('two instance groups with one name are refused', () => {
    const nodeGroups = [{ name: 'nodes', minSize: 1, maxSize: 2 }, { name: 'nodes', minSize: 1, maxSize: 2 }];
    expect(errorOf(() => build({ ...baseProps(), nodeGroups }))).toBe(
      `${P}: nodeGroups.name is the name of another instance group (got "nodes"); give every instance group its own name`);
  });

  test('a node group named like a master group is refused', () => {
    expect(errorOf(() => build({ ...baseProps(), nodeGroups: [{ name: 'master-eu-west-1a', minSize: 1, maxSize: 2 }] }))).toBe(
      `${P}: nodeGroups.name is the name of another instance group (got "master-eu-west-1a"); give every instance group its own name`);
  });

  test('masters taking workloads without reservations is refused', () => {
    expect(errorOf(() => build({ ...baseProps(), masters: { takeWorkloads: true, kubeReserved: { cpu: '200m', memory: '512Mi' } } }))).toBe(
      `${P}: masters.takeWorkloads requires masters.kubeReserved and masters.systemReserved (got true); reserve CPU and memory for the control plane, or keep workloads off the masters`);
  });

  test('flannel on a cluster that needs NetworkPolicy is refused unless accepted', () => {
    expect(errorOf(() => build({ ...baseProps(), networking: { cni: 'flannel' } }))).toBe(
      `${P}: networking.cni enforces no NetworkPolicy, which this cluster requires (networkPolicyRequired) (got "flannel"); use cni: 'calico', or set acceptUnenforcedNetworkPolicy: true`);
  });

  test('Calico without encapsulation across several zones is refused', () => {
    expect(errorOf(() => build({ ...baseProps(), networking: { cni: 'calico', mode: 'Never' } }))).toBe(
      `${P}: networking.mode cannot route pod traffic between the subnets of 3 zones on AWS (got "Never"); use 'CrossSubnet' (encapsulate only between subnets) or 'Always'`);
  });

  test('a cluster name outside its DNS zone is refused', () => {
    expect(errorOf(() => build({ ...baseProps(), dnsZone: 'example.org' }))).toBe(
      `${P}: dnsZone does not contain the cluster name test.k8s.example.com (got "example.org"); name the zone the cluster name is a subdomain of`);
  });

  test('an identity kops creates itself is refused', () => {
    const identities = [WorkloadIdentity.of({ serviceAccount: 'external-dns', namespace: 'kube-system', statements: [{ actions: ['route53:ChangeResourceRecordSets'], resources: ['arn:aws:route53:::hostedzone/*'] }] })];
    expect(errorOf(() => build({ ...baseProps(), identities }))).toBe(
      `${P}: identities is an identity kops creates for its own addon (got "kube-system/external-dns"); drop it: kops grants that addon its permissions`);
  });
});

describe('KopsCluster choices', () => {
  test('flannel is written when NetworkPolicy enforcement is explicitly given up', () => {
    const objs = synthKops({ ...baseProps(), networking: { cni: 'flannel', acceptUnenforcedNetworkPolicy: true } });
    expect(clusterSpec(objs).networking).toEqual({ flannel: { backend: 'vxlan' } });
  });

  test('Calico vxlan Always keeps the source/destination check and turns IP-in-IP off', () => {
    const objs = synthKops({ ...baseProps(), networking: { cni: 'calico', encapsulation: 'vxlan', mode: 'Always', wireguard: true, mtu: 8951 } });
    expect(clusterSpec(objs).networking.calico).toEqual({
      encapsulationMode: 'vxlan', vxlanMode: 'Always', ipipMode: 'Never', awsSrcDstCheck: 'Enable', typhaReplicas: 3, mtu: 8951, wireguardEnabled: true,
    });
  });

  test('five masters over three zones are placed round-robin when allowed', () => {
    const kops = build({ ...baseProps(), masters: { count: 5, allowMultipleMastersPerZone: true } });
    expect(kops.masterGroups.map((g) => g.name)).toEqual(['master-eu-west-1a', 'master-eu-west-1b', 'master-eu-west-1c', 'master-eu-west-1a-2', 'master-eu-west-1b-2']);
  });

  test('masters that take workloads keep reservations back and export the toleration workloads need', () => {
    const reserved = { cpu: '500m', memory: '1Gi' };
    const props = { ...baseProps(), masters: { takeWorkloads: true, kubeReserved: reserved, systemReserved: reserved } };
    const objs = synthKops(props);
    expect(clusterSpec(objs).masterKubelet).toEqual({
      anonymousAuth: false, readOnlyPort: 0, enforceNodeAllocatable: 'pods',
      kubeReserved: { cpu: '500m', memory: '1Gi', 'ephemeral-storage': '1Gi' }, systemReserved: { cpu: '500m', memory: '1Gi', 'ephemeral-storage': '1Gi' },
    });
    expect(build(props).controlPlaneToleration).toEqual({ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' });
    expect(objs.flatMap(kopsSchemaErrors)).toEqual([]);
  });

  test('an IMDS hop limit of 2 is written only where asked for', () => {
    const objs = synthKops({ ...baseProps(), nodeGroups: [{ name: 'nodes', minSize: 1, maxSize: 2, imdsHopLimit: 2 }] });
    expect(groupNamed(objs, 'nodes')?.spec.instanceMetadata).toEqual({ httpTokens: 'required', httpPutResponseHopLimit: 2 });
    expect(groupNamed(objs, 'master-eu-west-1a')?.spec.instanceMetadata).toEqual({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
  });

  test('the API balancer is internal by default and admits only the VPC', () => {
    const spec = clusterSpec(synthKops({ ...baseProps(), api: { additionalSans: ['api.internal.example.com'] } }));
    expect(spec.api.loadBalancer).toEqual({ type: 'Internal', class: 'Network', crossZoneLoadBalancing: true });
    expect(spec.kubernetesApiAccess).toEqual(['10.0.0.0/16']);
    expect(spec.additionalSans).toEqual(['api.internal.example.com']);
  });

  test('a public API balancer admits exactly the declared ranges', () => {
    const spec = clusterSpec(synthKops({ ...baseProps(), api: { loadBalancer: 'public', access: ['198.51.100.0/27', '192.0.2.16/28'] } }));
    expect(spec.api.loadBalancer).toEqual({ type: 'Public', class: 'Network', crossZoneLoadBalancing: true });
    expect(spec.kubernetesApiAccess).toEqual(['198.51.100.0/27', '192.0.2.16/28']);
  });

  test('a public API balancer with no allowed CIDRs, or open to every address, is refused', () => {
    expect(() => build({ ...baseProps(), api: { loadBalancer: 'public' } })).toThrow(
      `test/kops: api.access is empty, and a public API load balancer with no allowed CIDRs would be open to the internet (got []); list the ranges that may reach the API (the office VPN, the deploy runners' egress), or set api.loadBalancer: 'internal'`,
    );
    expect(() => build({ ...baseProps(), api: { loadBalancer: 'public', access: ['198.51.100.0/27', '0.0.0.0/0'] } })).toThrow(
      `test/kops: api.access[1] opens the API to every address (got "0.0.0.0/0"); list the ranges that may reach the API (the office VPN, the deploy runners' egress), or set api.loadBalancer: 'internal'`,
    );
  });

  test('the OIDC prefixes are defined once and name RBAC subjects', () => {
    const kops = build({ ...baseProps(), oidc: { issuerUrl: 'https://dex.example.com', clientId: 'kubernetes', groupsPrefix: 'dex:' } });
    expect(kops.oidc?.group('team-orders')).toBe('dex:team-orders');
    expect(kops.oidc?.user('jane@example.com')).toBe('oidc:jane@example.com');
  });

  test('a gossip cluster has no DNS zone and the etcd and root volumes may use the account key', () => {
    const objs = synthKops({ ...baseProps(), clusterName: 'lab.k8s.local', encryptionKey: 'aws-managed' });
    expect(clusterSpec(objs).dnsZone).toBeUndefined();
    expect(JSON.stringify(objs)).not.toContain('kmsKeyArn');
    expect(objs.flatMap(kopsSchemaErrors)).toEqual([]);
  });

  test("every kubelet's read-only port is off, on the nodes and on the masters, whether or not they take workloads", () => {
    // GIVEN a cluster whose masters keep workloads off, and one whose masters take them
    const reserved = { cpu: '200m', memory: '512Mi' };
    for (const masters of [{}, { takeWorkloads: true, kubeReserved: reserved, systemReserved: reserved }]) {
      // WHEN its kops spec is rendered
      const spec = clusterSpec(synthKops({ ...baseProps(), masters }));
      // THEN kops gets readOnlyPort 0 for the nodes' kubelet and the control plane's (v1alpha2 masterKubelet), valid against the CRD
      expect(spec.kubelet.readOnlyPort).toBe(0);
      expect(spec.masterKubelet.readOnlyPort).toBe(0);
      expect(spec.masterKubelet.anonymousAuth).toBe(false);
      expect(kopsSchemaErrors({ apiVersion: 'kops.k8s.io/v1alpha2', kind: 'Cluster', metadata: { name: 'x' }, spec })).toEqual([]);
    }
  });

  test('the NodeLocal DNS address and etcd metrics ports are exported for network policies and scraping', () => {
    const kops = build(baseProps());
    expect(kops.nodeLocalDnsAddress).toBe('169.254.20.10');
    expect(kops.etcdMetricsPorts).toEqual({ main: 8081, events: 8082 });
  });
});
