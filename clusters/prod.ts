import { type ClusterDefinition, Platform, WorkloadIdentity } from '../lib';
import { API_ACCESS } from './api-access';
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

/** The environments that share prod's teams and services. */
export type SharedEnvironment = 'prod' | 'stage' | 'e2e';

/** The first two octets of each shared environment's VPC (prod 10.10.0.0/16, stage 10.20.0.0/16, e2e 10.40.0.0/16): each has its own databases. */
const VPC_PREFIX: Readonly<Record<SharedEnvironment, string>> = { prod: '10.10', stage: '10.20', e2e: '10.40' };

/** The teams that run services on prod, stage and e2e: the same teams, each environment's own database addresses. */
export function teamsIn(environment: SharedEnvironment): ClusterDefinition['teams'] {
  const vpc = VPC_PREFIX[environment];
  return [
    {
      name: 'shop',
      owners: ['shop-owners'],
      members: ['shop-developers'],
      deployer: { githubRepository: 'example/shop-services' }, // verify/service-repo's pipeline
      namespaces: [{ name: 'shop', quota: { requests: { cpu: '12', memory: '24Gi' }, limits: { cpu: '24', memory: '48Gi' } } }],
      identities: [ordersExporter],
      hosts: ['shop', 'shop-admin'].flatMap(hostsIn),
      externalAddresses: [`${vpc}.200.10/32`], // the orders database (an ExternalService by address)
      secretsPrefix: 'teams/shop/',
    },
    {
      name: 'content',
      owners: ['content-owners'],
      deployer: { githubRepository: 'example/content-services' },
      hosts: hostsIn('blog'),
      externalNames: ['blog-db.content.internal.example.com'], // the blog's managed database, by name
      externalAddresses: [`${vpc}.210.0/24`], // the subnet that name resolves into
      secretsPrefix: 'teams/content/',
    },
  ];
}

const teams = teamsIn('prod');

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
    api: { loadBalancer: 'public', access: API_ACCESS },
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
