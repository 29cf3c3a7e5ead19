import { type ClusterDefinition, Platform, WorkloadIdentity } from '../lib';
import { API_ACCESS } from './api-access';
import { identity } from './identity';
import { loggingFor } from './logging';
import { monitoringFor } from './monitoring';
import { ciRunner } from './services/ci-runner';

/** CI runners push images and read build caches: their ServiceAccount's AWS permissions. */
const ciRunnerIdentity = WorkloadIdentity.of({
  serviceAccount: 'ci-runner',
  namespace: 'ci',
  statements: [
    {
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'],
      resources: ['arn:aws:ecr:eu-west-1:111122223333:repository/*'],
    },
    { actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
    { actions: ['s3:GetObject', 's3:PutObject'], resources: ['arn:aws:s3:::example-ci-cache/*'] },
  ],
});

/** The team that runs CI on the admin cluster. */
const teams: ClusterDefinition['teams'] = [
  {
    name: 'ci',
    owners: ['platform-engineers'],
    members: ['engineering'],
    deployer: { githubRepository: 'example/ci-runners' },
    identities: [ciRunnerIdentity],
    hosts: ['ci.example.com'],
    secretsPrefix: 'teams/ci/',
  },
];

/** The admin cluster, the largest: CI runners on their own tainted spot group, plus shared services. */
export const admin: ClusterDefinition = {
  name: 'admin',
  environment: 'admin',
  region: 'eu-west-1',
  kubernetes: {
    clusterName: 'admin.k8s.example.com',
    dnsZone: 'example.com',
    kubernetesVersion: '1.35.5',
    zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    network: { vpcCidr: '10.30.0.0/16', nat: 'per-zone' },
    api: { loadBalancer: 'public', access: API_ACCESS },
    masters: { count: 3, machineType: 'm6i.xlarge' },
    networking: { cni: 'calico', mode: 'CrossSubnet' },
    nodeGroups: [
      { name: 'shared-services', machineType: 'm6i.2xlarge', minSize: 3, maxSize: 9 },
      {
        name: 'ci-runners',
        mixedInstances: {
          instanceTypes: ['c6i.2xlarge', 'c7i.2xlarge', 'm6i.2xlarge'],
          onDemandBase: 1,
          onDemandAboveBasePercent: 10,
          spotAllocationStrategy: 'price-capacity-optimized',
        },
        minSize: 1,
        maxSize: 30,
        rootVolumeSize: 200,
        labels: { [`${Platform.labelPrefix}/node-role`]: 'ci' },
        taints: [{ key: `${Platform.labelPrefix}/dedicated`, value: 'ci', effect: 'NoSchedule' }],
      },
    ],
  },
  teams,
  secrets: {}, // the External Secrets Operator: team stores, and every addon Secret from Secrets Manager
  identity,
  monitoring: monitoringFor('admin', teams, { prometheus: { storage: '50Gi', retention: '15d' } }),
  logging: loggingFor('admin'),
  edge: { acmeEmail: 'platform@example.com', loadBalancer: { scheme: 'internal' } },
  services: [ciRunner],
};
