import type { ServiceGroup } from '../apps/service-group';
import type { TeamDefinition } from '../tenancy/team';
import type { PodTemplateKind } from '../policy/tenancy-facts';
import { PlatformError, checkDnsLabel } from '../core';
import type { AddonDefinitions } from './addons';
import type { KopsClusterProps } from '../cluster/kops/kops-cluster';

/** The Kubernetes cluster of a definition: everything of {@link KopsClusterProps} but the region, which the definition holds. */
export type KubernetesModel = Omit<KopsClusterProps, 'region'>;

/**
 * One cluster of the platform, as a typed value: where it runs and what runs on it. Each addon
 * of {@link ADDONS} adds one optional field, named by its key (`edge`, `monitoring`); an addon
 * whose field is unset does not run on the cluster.
 */
export interface ClusterDefinition extends AddonDefinitions {
  /** The cluster's short name; its output goes to `dist/<name>/` (`prod`). */
  readonly name: string;
  /** The environment its services' overrides are read for (`prod`). */
  readonly environment: string;
  /** The AWS region (`eu-west-1`). */
  readonly region: string;
  /** The Kubernetes cluster: kops masters, etcd, network, instance groups and addons. */
  readonly kubernetes: KubernetesModel;
  /** The teams, with their namespaces, access, quotas and workload identities; every service runs in a team's namespace. */
  readonly teams: readonly TeamDefinition[];
  /** The services the platform runs on this cluster, one chart per group. */
  readonly services: readonly ServiceGroup[];
  /**
   * Custom kinds whose objects carry a pod template (an operator's workloads): the policy check
   * reads each object's template at `templatePath` and checks it as a Deployment's, and team
   * namespaces may hold the kind. @default [] - only the built-in pod-bearing kinds
   */
  readonly podTemplateKinds?: readonly PodTemplateKind[];
}

/** The fields a derived cluster may change; everything else is inherited. */
export type ClusterOverrides = Partial<ClusterDefinition> & Pick<ClusterDefinition, 'name' | 'environment'>;

/** A cluster derived from another by typed overrides (stage from prod): only what differs is written. */
export function deriveCluster(base: ClusterDefinition, changes: ClusterOverrides): ClusterDefinition {
  return { ...base, ...changes };
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$/;

/** Checks the fields of a definition that need no construct tree. */
export function checkClusterDefinition(def: ClusterDefinition): void {
  const path = `cluster ${def.name}`;
  checkDnsLabel(def.name, { path, field: 'name' });
  checkDnsLabel(def.environment, { path, field: 'environment' });
  if (!REGION.test(def.region)) {
    throw PlatformError.of({ path, field: 'region', value: def.region, rule: 'is not an AWS region name', fix: "write a region such as 'eu-west-1'" });
  }
}
