import { deriveCluster } from '../lib';
import { loggingFor } from './logging';
import { monitoringFor, sloFor } from './monitoring';
import { prod, teamsIn } from './prod';

/** Stage mirrors prod: the same services, with stage's overrides (fewer replicas, stage hosts). */
export const stage = deriveCluster(prod, {
  name: 'stage',
  environment: 'stage',
  teams: teamsIn('stage'),
  monitoring: monitoringFor('stage', prod.teams, { prometheus: { storage: '20Gi', retention: '7d' }, alertmanager: { replicas: 2 } }),
  logging: loggingFor('stage'),
  slo: sloFor('stage'),
  kubernetes: {
    ...prod.kubernetes,
    clusterName: 'stage.k8s.example.com',
    network: { ...prod.kubernetes.network, vpcCidr: '10.20.0.0/16', nat: 'shared' },
    masters: { ...prod.kubernetes.masters, machineType: 't3.large' },
    nodeGroups: prod.kubernetes.nodeGroups.map((g) => ({ ...g, minSize: Math.min(g.minSize, 1), maxSize: Math.ceil(g.maxSize / 2) })),
  },
});
