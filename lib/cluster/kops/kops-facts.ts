import type { ClusterFacts } from '../../core';
import { AUDIT_LOG_PATH } from './api-server';
import type { NodeGroupProps } from './instance-groups';
import type { KopsCluster } from './kops-cluster';

/** What the definition knows of a kops cluster beyond the model: its short name and environment. */
export interface KopsFactsInput {
  readonly name: string;
  readonly environment: string;
  readonly region: string;
  readonly zones: readonly string[];
  readonly nodeGroups: readonly NodeGroupProps[];
}

/** The facts addons and stacks read of a kops cluster, from the model it was built into. */
export function kopsClusterFacts(input: KopsFactsInput, kops: KopsCluster): ClusterFacts {
  return {
    name: input.name,
    environment: input.environment,
    region: input.region,
    clusterName: kops.clusterName,
    zones: input.zones,
    dnsZone: kops.dnsZone,
    vpcCidr: kops.networkPlan.vpcCidr,
    podCidr: kops.networkPlan.podCidr,
    oidc: kops.oidc,
    nodeLocalDnsAddress: kops.nodeLocalDnsAddress,
    etcdMetricsPorts: kops.etcdMetricsPorts,
    nodeGroups: input.nodeGroups.map((g) => ({ name: g.name, zones: g.zones ?? input.zones, labels: g.labels ?? {}, taints: g.taints ?? [] })),
    controlPlaneToleration: kops.controlPlaneToleration,
    // kops 1.36 registers every master with this taint (nodeup/pkg/model/kubelet.go), whether or not it takes workloads.
    controlPlaneTaints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
    apiServerAuditLogPath: AUDIT_LOG_PATH,
  };
}
