import { Platform } from '../core';

/** What every AWS resource of a stack is tagged with (the provider's default tags). */
export interface DefaultTagsProps {
  /** The cluster's short name (`prod`). */
  readonly cluster: string;
  /** The environment (`prod`). */
  readonly environment: string;
  /** The team that owns the stack (`platform-team`). */
  readonly owner: string;
}

/** The default tags of a stack's AWS provider: cluster, environment, owner and managed-by. */
export function defaultTags(props: DefaultTagsProps): Record<string, string> {
  return { cluster: props.cluster, environment: props.environment, owner: props.owner, 'managed-by': `pulumi/${Platform.managedBy}` };
}

/** The tag kops and the AWS cloud provider read to find the resources of a cluster they share but do not own. */
export function sharedClusterTag(clusterName: string): Record<string, string> {
  return { [`kubernetes.io/cluster/${clusterName}`]: 'shared' };
}

/**
 * The tags of one subnet: shared with the cluster, its kops subnet type, and the role load
 * balancers look for (`elb` on utility subnets, `internal-elb` on private ones).
 */
export function subnetTags(clusterName: string, type: 'Private' | 'Utility', name: string): Record<string, string> {
  return {
    Name: `${name}.${clusterName}`,
    ...sharedClusterTag(clusterName),
    SubnetType: type,
    ...(type === 'Utility' ? { 'kubernetes.io/role/elb': '1' } : { 'kubernetes.io/role/internal-elb': '1' }),
  };
}
