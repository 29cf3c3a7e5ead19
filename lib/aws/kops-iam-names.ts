// The names kops gives the IAM roles and instance profiles it creates, computed as kops computes
// them, so the deployer policy can be tested against every one (kops pkg/model/iam/types.go,
// pkg/model/names.go and pkg/truncate/truncate.go).

/** IAM's limit on a role name, which kops truncates to (kops pkg/model/iam/types.go MaxLengthIAMRoleName). */
export const MAX_IAM_ROLE_NAME = 64;

/** FNV-1a, 32 bit (Go hash/fnv New32a). */
function fnv32a(text: string): Buffer {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const out = Buffer.alloc(4);
  out.writeUInt32BE(h);
  return out;
}

/** Go's base32.HexEncoding (alphabet 0-9A-V, '=' padding) of `bytes`. */
function base32Hex(bytes: Buffer): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUV';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

/**
 * kops's truncate.TruncateString with AlwaysAddHash false and the default hash length 6: a string
 * within `maxLength` is kept; a longer one is cut to `maxLength - 7` and suffixed with '-' and the
 * first 6 characters of the lowercased base32hex FNV-1a hash of the whole string.
 */
export function kopsTruncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const hash = base32Hex(fnv32a(text)).toLowerCase().slice(0, 6);
  return `${text.slice(0, maxLength - hash.length - 1)}-${hash}`;
}

/** The role kops creates for a ServiceAccount: `<sa>.<ns>.sa.<cluster>`, a `*` namespace spelled `wildcard`, truncated to 64. */
export function kopsServiceAccountRoleName(serviceAccount: string, namespace: string, clusterName: string): string {
  return kopsTruncate(`${serviceAccount}.${namespace.replace(/\*/g, 'wildcard')}.sa.${clusterName}`, MAX_IAM_ROLE_NAME);
}

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
