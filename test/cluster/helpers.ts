import { Testing } from 'cdk8s';
import { KopsChart, type KopsClusterProps, PlatformError } from '../../lib';

/** A small valid cluster, to change one field at a time in tests. */
export function baseProps(): KopsClusterProps {
  return {
    clusterName: 'test.k8s.example.com',
    kubernetesVersion: '1.35.5',
    region: 'eu-west-1',
    zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    network: { vpcCidr: '10.0.0.0/16' },
    nodeGroups: [{ name: 'nodes', machineType: 'm6i.large', minSize: 1, maxSize: 3 }],
  };
}

/** The kops objects synthesized for `props`, as plain JSON. */
export function synthKops(props: KopsClusterProps): Array<Record<string, any>> {
  const app = Testing.app();
  const chart = new KopsChart(app, 'cluster', props);
  return chart.toJson() as Array<Record<string, any>>;
}

/** The message of the PlatformError `fn` throws (fails the test when it throws nothing or something else). */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlatformError) return e.message;
    throw e;
  }
  throw new Error('expected a PlatformError, but nothing was thrown');
}
