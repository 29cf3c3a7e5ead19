import { type ClusterDefinition, Platform, WorkloadIdentity } from '../lib';
import { identity } from './identity';
import { loggingFor } from './logging';
import { monitoringFor, sloFor } from './monitoring';
import { blog } from './services/blog';
import { orders } from './services/orders';
import { storefront } from './services/storefront';

/** The orders service exports reports to S3: its ServiceAccount's AWS permissions, reviewed by infra. */
const ordersExporter = WorkloadIdentity.of({
  serviceAccount: 'orders-exporter',
  namespace: 'shop',
  statements: [
    { actions: ['s3:PutObject', 's3:GetObject'], resources: ['arn:aws:s3:::example-orders-exports/*'] },
    { actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::example-orders-exports'] },
  ],
});

/** The front nodes: a small tainted group that only the edge's Envoy pods run on. */
const frontLabels = { [`${Platform.labelPrefix}/node-role`]: 'front' };
const frontTaint = { key: `${Platform.labelPrefix}/front`, value: 'true', effect: 'NoSchedule' } as const;

/** A host name in each environment that shares prod's teams (`shop.example.com`, `shop.stage.example.com`, `shop.e2e.example.com`). */
function hostsIn(name: string): string[] {
  return ['', '.stage', '.e2e'].map((env) => `${name}${env}.example.com`);
}

/** The teams that run services on prod (and, through it, stage and e2e). */
const teams: ClusterDefinition['teams'] = [
  {
    name: 'shop',
    owners: ['shop-owners'],
    members: ['shop-developers'],
    deployer: { group: 'shop-ci' },
    namespaces: [{ name: 'shop', quota: { requests: { cpu: '12', memory: '24Gi' }, limits: { cpu: '24', memory: '48Gi' } } }],
    identities: [ordersExporter],
    hosts: ['shop', 'shop-admin'].flatMap(hostsIn),
    externalAddresses: ['10.10.200.10/32'], // the orders database (an ExternalService by address)
    secretsPrefix: 'teams/shop/',
  },
  { name: 'content', owners: ['content-owners'], deployer: { group: 'content-ci' }, hosts: hostsIn('blog'), secretsPrefix: 'teams/content/' },
];

/** The production cluster: 3 zones, 3 masters, Calico CrossSubnet, on-demand base + spot, tainted front nodes. */
export const prod: ClusterDefinition = {
  name: 'prod',
  environment: 'prod',
  region: 'eu-west-1',
  kubernetes: {
    clusterName: 'prod.k8s.example.com',
    dnsZone: 'example.com', // the hosts the cluster serves live here; external-dns writes only in this zone
    kubernetesVersion: '1.35.5',
    zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    network: { vpcCidr: '10.10.0.0/16', nat: 'per-zone' },
    masters: { count: 3, machineType: 'm6i.large' },
    networking: { cni: 'calico', encapsulation: 'ipip', mode: 'CrossSubnet' },
    nodeGroups: [
      { name: 'nodes-on-demand', machineType: 'm6i.xlarge', minSize: 3, maxSize: 6 },
      {
        name: 'nodes-spot',
        mixedInstances: { instanceTypes: ['m6i.xlarge', 'm6a.xlarge', 'm5.xlarge'], onDemandBase: 0, onDemandAboveBasePercent: 0 },
        minSize: 0,
        maxSize: 12,
      },
      { name: 'front', machineType: 'c6i.large', minSize: 2, maxSize: 4, labels: frontLabels, taints: [frontTaint] },
    ],
  },
  teams,
  secrets: {}, // the External Secrets Operator: team stores, and every addon Secret from Secrets Manager
  identity,
  monitoring: monitoringFor('prod', teams, { prometheus: { replicas: 2, storage: '100Gi', retention: '30d' } }),
  logging: loggingFor('prod'),
  slo: sloFor('prod'),
  edge: { acmeEmail: 'platform@example.com', frontNodes: 'front' }, // the Envoy pods, pinned to the `front` group below
  services: [orders, storefront, blog],
};
