import { deriveCluster } from '../lib';
import { loggingFor } from './logging';
import { monitoringFor } from './monitoring';
import { prod, teamsIn } from './prod';

/**
 * The cluster that rehearses upgrades and tests the platform itself: prod's services at their
 * smallest, one Kubernetes minor ahead of prod.
 */
export const e2e = deriveCluster(prod, {
  name: 'e2e',
  environment: 'e2e',
  teams: teamsIn('e2e'),
  monitoring: monitoringFor('e2e', prod.teams, { prometheus: { storage: '20Gi', retention: '7d' }, alertmanager: { replicas: 2 } }),
  logging: loggingFor('e2e'),
  // The SLOs' rules run here too, but no release gate asks: the edge's certificates come from the
  // ACME staging server, which a CI job does not trust.
  slo: {},
  region: 'eu-central-1',
  edge: { acmeEmail: 'platform@example.com', platformIssuer: 'staging' }, // no front group: certificates from the ACME staging server
  kubernetes: {
    ...prod.kubernetes,
    clusterName: 'e2e.k8s.example.com',
    kubernetesVersion: '1.36.0',
    zones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
    network: { vpcCidr: '10.40.0.0/16', nat: 'shared' },
    masters: { count: 3, machineType: 't3.medium' },
    nodeGroups: [
      { name: 'nodes', machineType: 't3.large', minSize: 1, maxSize: 3 },
      {
        name: 'nodes-spot',
        mixedInstances: { instanceTypes: ['t3.large', 'm6i.large', 'm5.large'] },
        minSize: 0,
        maxSize: 3,
      },
    ],
  },
});
