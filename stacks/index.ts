// The Pulumi program: the stack's name picks the cluster definition, whose manifests are applied.
import * as pulumi from '@pulumi/pulumi';
import { clusters, environments } from '../clusters';
import { PlatformError, buildClusterApp } from '../lib';
import { ClusterManifests } from '../lib/aws';

const stack = pulumi.getStack();
const cluster = clusters.find((c) => c.name === stack);
if (cluster === undefined) {
  throw PlatformError.of({
    path: `stack ${stack}`, field: 'name', value: stack,
    rule: `names no cluster definition [${clusters.map((c) => c.name).join(', ')}]`,
    fix: 'select a stack named after a cluster in clusters/ (pulumi stack select prod)',
  });
}

export const manifests = new ClusterManifests(cluster.name, { app: buildClusterApp(cluster, environments) });
export const clusterName = cluster.name;
