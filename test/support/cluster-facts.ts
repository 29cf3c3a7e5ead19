// A cluster as an addon sees it, for addon tests that need no cluster model.
import type { AddonContext, AddonFacts } from '../../lib/addons/addon-spec';
import { Cidr, type ClusterFacts, type OidcFacts } from '../../lib/core';

const oidc: OidcFacts = {
  issuerUrl: 'https://dex.test.example.com',
  clientId: 'kubernetes-test',
  usernameClaim: 'email',
  groupsClaim: 'groups',
  usernamePrefix: 'oidc:',
  groupsPrefix: 'oidc:',
  group: (name) => `oidc:${name}`,
  user: (name) => `oidc:${name}`,
};

/** A three-zone cluster with front nodes, OIDC, NodeLocal DNS and etcd metrics; override any fact. */
export function testClusterFacts(overrides: Partial<ClusterFacts> = {}): ClusterFacts {
  return {
    name: 'test',
    environment: 'test',
    region: 'eu-west-1',
    clusterName: 'test.k8s.example.com',
    zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    dnsZone: 'example.com',
    vpcCidr: Cidr.of('10.30.0.0/16'),
    podCidr: Cidr.of('100.96.0.0/11'),
    oidc,
    nodeLocalDnsAddress: '169.254.20.10',
    etcdMetricsPorts: { main: 8081, events: 8082 },
    nodeGroups: [
      { name: 'nodes', zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], labels: {}, taints: [] },
      {
        name: 'front', zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
        labels: { 'platform.example.com/node-role': 'front' },
        taints: [{ key: 'platform.example.com/front', value: 'true', effect: 'NoSchedule' }],
      },
    ],
    controlPlaneToleration: undefined,
    controlPlaneTaints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
    apiServerAuditLogPath: '/var/log/kube-apiserver-audit.log',
    ...overrides,
  };
}

/** An addon context around {@link testClusterFacts}. */
export function testAddonContext(addons: AddonFacts = {}, cluster: Partial<ClusterFacts> = {}): AddonContext {
  return { cluster: testClusterFacts(cluster), addons, environments: ['test', 'prod'] };
}
