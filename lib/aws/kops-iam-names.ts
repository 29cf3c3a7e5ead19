// The names kops gives the IAM roles and instance profiles it creates, computed as kops computes
// them, so the deployer policy can be tested against every one (kops pkg/model/iam/types.go,
// pkg/model/names.go and pkg/truncate/truncate.go).

export { MAX_IAM_ROLE_NAME, kopsServiceAccountRoleName, kopsTruncate } from '../core/kops-role-name';
import { kopsServiceAccountRoleName, kopsTruncate, MAX_IAM_ROLE_NAME } from '../core/kops-role-name';

/** The instance-group roles kops knows, by its InstanceGroup role (`Master` is v1alpha2's spelling of ControlPlane). */
export type KopsInstanceRole = 'ControlPlane' | 'Master' | 'APIServer' | 'Bastion' | 'Node';

const ROLE_PREFIX: Readonly<Record<KopsInstanceRole, string>> = { ControlPlane: 'masters', Master: 'masters', APIServer: 'apiservers', Bastion: 'bastions', Node: 'nodes' };

/** The role and instance profile kops creates for the instance groups of one role (`nodes.<cluster>`), truncated to 64. */
export function kopsInstanceRoleName(role: KopsInstanceRole, clusterName: string): string {
  return kopsTruncate(`${ROLE_PREFIX[role]}.${clusterName}`, MAX_IAM_ROLE_NAME);
}

/**
 * The ServiceAccounts of the addons kops manages whose roles kops itself creates when
 * `useServiceAccountExternalPermissions` is on (kops pkg/model/components/addonmanifests/<addon>/iam.go,
 * each `ServiceAccount()`). kops creates the ones whose addon the cluster enables; all are listed, so
 * a policy that allows these allows whichever the cluster turns on.
 */
export const KOPS_ADDON_SERVICE_ACCOUNTS: readonly { readonly namespace: string; readonly name: string }[] = [
  'aws-cloud-controller-manager', 'ebs-csi-controller-sa', 'aws-load-balancer-controller', 'cert-manager', 'cluster-autoscaler',
  'dns-controller', 'external-dns', 'karpenter', 'aws-node-termination-handler',
].map((name) => ({ namespace: 'kube-system', name }));

/** The kops Cluster and InstanceGroup fields the role names depend on. */
export interface KopsIamInput {
  readonly clusterName: string;
  /** The roles of the cluster's instance groups (`ControlPlane`, `Node`, ...). */
  readonly instanceGroupRoles: readonly string[];
  /** spec.iam.serviceAccountExternalPermissions. */
  readonly serviceAccounts: readonly { readonly namespace: string; readonly name: string }[];
}

/** Every IAM role kops may create for a cluster, named as kops names it: instance-group roles, addon roles, workload roles. */
export function kopsRoleNames(input: KopsIamInput): string[] {
  const roles = [...new Set(input.instanceGroupRoles)].filter((r): r is KopsInstanceRole => r in ROLE_PREFIX).map((r) => kopsInstanceRoleName(r, input.clusterName));
  const accounts = [...KOPS_ADDON_SERVICE_ACCOUNTS, ...input.serviceAccounts].map((sa) => kopsServiceAccountRoleName(sa.name, sa.namespace, input.clusterName));
  return [...new Set([...roles, ...accounts])].sort();
}

/** The instance profiles kops creates: one per instance-group role, named like its role. */
export function kopsInstanceProfileNames(input: Pick<KopsIamInput, 'clusterName' | 'instanceGroupRoles'>): string[] {
  return [...new Set(input.instanceGroupRoles)].filter((r): r is KopsInstanceRole => r in ROLE_PREFIX).map((r) => kopsInstanceRoleName(r, input.clusterName)).sort();
}
