import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Platform, PlatformError, type OidcFacts } from '../../core';

/** A cluster-wide grant to directory groups beyond the two built in. */
export interface ClusterGrantProps {
  /** The ClusterRole granted (`view`, or one of the platform's own). */
  readonly clusterRole: string;
  /** The directory groups that get it, by the names the directory uses. */
  readonly groups: readonly string[];
}

/** Props of {@link PlatformAccess}. */
export interface PlatformAccessProps {
  /** The directory groups whose members administer every cluster (`cluster-admin`). */
  readonly platformAdmins: readonly string[];
  /** The directory groups whose members may read everything but Secrets, in every namespace (`view`). @default [] */
  readonly auditors?: readonly string[];
  /** Further cluster-wide grants; `cluster-admin` only to platform-admin groups. @default [] */
  readonly grants?: readonly ClusterGrantProps[];
}

const GROUP = /^[A-Za-z0-9]([A-Za-z0-9 ._/@-]*[A-Za-z0-9])?$/;

/**
 * The cluster-wide part of "directory groups → RBAC": platform admins bound to `cluster-admin`,
 * auditors to `view` across namespaces, each group written once by the name the directory
 * gives it, with the API server's groups prefix (the teams' groups are bound in their own
 * namespaces by the tenancy constructs, through the same prefix).
 */
export class PlatformAccess extends Construct {
  public constructor(scope: Construct, id: string, props: PlatformAccessProps, oidc: OidcFacts) {
    super(scope, id);
    const auditors = props.auditors ?? [];
    const grants: (ClusterGrantProps & { readonly field: string })[] = [
      { clusterRole: 'cluster-admin', groups: props.platformAdmins, field: 'platformAdmins' },
      { clusterRole: 'view', groups: auditors, field: 'auditors' },
      ...(props.grants ?? []).map((g, i) => ({ ...g, field: `grants[${i}].groups` })),
    ];
    const all = grants.flatMap((g) => g.groups);
    if (all.length > 0 && oidc.groupsPrefix === '') {
      throw PlatformError.at(this, {
        field: 'cluster.oidc.groupsPrefix', value: '', rule: 'is empty while directory groups are bound, so a directory group could pose as a system group',
        fix: "set the API server's OIDC groupsPrefix (the default is 'oidc:')",
      });
    }
    if (oidc.groupsPrefix.startsWith('system:') || oidc.usernamePrefix.startsWith('system:') || oidc.usernamePrefix === '') {
      throw PlatformError.at(this, {
        field: 'cluster.oidc', value: { usernamePrefix: oidc.usernamePrefix, groupsPrefix: oidc.groupsPrefix }, rule: "has a prefix that is empty or starts with 'system:', so OIDC names could collide with Kubernetes' own",
        fix: "use prefixes such as 'oidc:'",
      });
    }
    const admins = new Set(props.platformAdmins);
    const byRole = new Map<string, Set<string>>();
    grants.forEach((g) => {
      for (const group of g.groups) {
        if (!GROUP.test(group) || group.toLowerCase().startsWith('system:')) {
          throw PlatformError.at(this, { field: g.field, value: group, rule: "is not a directory group name (or starts with 'system:')", fix: 'write the group as the directory names it (its cn)' });
        }
        if (g.clusterRole === 'cluster-admin' && !admins.has(group)) {
          throw PlatformError.at(this, {
            field: g.field, value: group, rule: 'is bound to cluster-admin without being a platform-admin group',
            fix: 'add it to platformAdmins if its members administer the platform, or grant it a narrower ClusterRole',
          });
        }
        const set = byRole.get(g.clusterRole) ?? new Set<string>();
        set.add(group);
        byRole.set(g.clusterRole, set);
      }
    });
    for (const [role, groups] of byRole) {
      new k8s.KubeClusterRoleBinding(this, role, {
        metadata: { name: `platform:${role}`, labels: { 'app.kubernetes.io/managed-by': Platform.managedBy, 'app.kubernetes.io/part-of': 'identity' } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [...groups].map((group) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: oidc.group(group) })),
      });
    }
  }
}
