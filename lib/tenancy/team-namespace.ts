import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Cidr, Platform, PlatformError, PlatformLabels, checkDnsLabel, isIpv4, parseAt, pathOf, type CidrLike } from '../core';
import { podSecurityMetadata, type PodSecurityProps } from '../policy/pod-security';
import { teamNetworkPolicies } from './network-policies';
import { renderLimitRange, renderQuota, type ContainerLimitsProps, type QuotaProps } from './quota';
import { OPERATE_RULES, deployRules, deploySubject, groupSubject, type DeployIdentity, type OidcPrefixes, type OwnerAccess } from './rbac';
import { checkProps } from '../core/props-check';
import type { PodTemplateKind } from '../policy/tenancy-facts';

/** One namespace of a team, as declared in a cluster definition. */
export interface TeamNamespaceOptions {
  /** The namespace's name (`payments`, `payments-jobs`). */
  readonly name: string;
  /** Object counts, compute and storage. @default - see QuotaProps */
  readonly quota?: QuotaProps;
  /** Container defaults and maxima. @default - see ContainerLimitsProps */
  readonly limits?: ContainerLimitsProps;
  /** The Pod Security level enforced; anything below restricted states its reason. @default { level: 'restricted' } */
  readonly podSecurity?: PodSecurityProps;
  /** External address blocks the pods may reach (a payment provider, a managed database). @default [] - none */
  readonly egressTo?: readonly CidrLike[];
  /**
   * Let every pod of the namespace reach every other. `false`: each service accepts only what it
   * declares (`allowFrom`/`allowTo`, a route, a scrape), a worker that declares nothing accepts
   * nothing. @default true
   */
  readonly allowSameNamespace?: boolean;
  /** The team's workload identities here: ServiceAccounts the platform creates, next to `default`. @default [] */
  readonly serviceAccounts?: readonly string[];
}

/** Props of a {@link TeamNamespace}: the namespace's options and what its team and cluster supply. */
export interface TeamNamespaceProps extends TeamNamespaceOptions {
  /** The owning team's name, written on the Namespace as its team label. */
  readonly team: string;
  /** Directory groups that own the team. */
  readonly owners: readonly string[];
  /** Directory groups that may read the team's namespaces. @default [] */
  readonly members?: readonly string[];
  /** What owners may do beyond reading. @default 'operate' */
  readonly ownerAccess?: OwnerAccess;
  /** The identity the team's CI deploys as. @default - no deploy binding */
  readonly deployer?: DeployIdentity;
  /** The API server's OIDC prefixes (the cluster model's `OidcSettings`). */
  readonly oidc: OidcPrefixes;
  /** The NodeLocal DNSCache address, when the cluster runs it. @default - not enabled: DNS goes to kube-dns only */
  readonly nodeLocalDnsAddress?: string;
  /** The registry pull secret every ServiceAccount names. @default Platform.imagePullSecret */
  readonly imagePullSecret?: string;
  /** The custom pod-bearing kinds the platform declares: the deploy Role may apply them. @default [] */
  readonly podTemplateKinds?: readonly PodTemplateKind[];
}

/**
 * One namespace of a team with everything that makes it a tenant: the Namespace (team label,
 * Pod Security labels), a ResourceQuota, a LimitRange, RBAC for owners, members and CI,
 * default-deny network policies with the platform's allowances, and ServiceAccounts that use
 * the registry pull secret and mount no token.
 */
export class TeamNamespace extends Construct {
  /** The namespace's name. */
  public readonly name: string;
  /** The team that owns it. */
  public readonly team: string;
  /** The Namespace object. */
  public readonly namespace: k8s.KubeNamespace;
  /** The ResourceQuota. */
  public readonly quota: k8s.KubeResourceQuota;
  /** The external blocks its pods may reach. */
  public readonly egressTo: readonly Cidr[];

  public constructor(scope: Construct, id: string, props: TeamNamespaceProps) {
    super(scope, id);
    props = checkProps(this, TeamNamespace, props);
    const members = props.members ?? [];
    const ownerAccess = props.ownerAccess ?? 'operate';
    const podSecurity = props.podSecurity ?? { level: 'restricted' };
    const egressTo = (props.egressTo ?? []).map((c, i) => parseAt(this, `egressTo[${i}]`, () => Cidr.of(c)));
    this.egressTo = egressTo;
    const serviceAccounts = props.serviceAccounts ?? [];
    const pullSecret = props.imagePullSecret ?? Platform.imagePullSecret;
    const nodeLocalDns = props.nodeLocalDnsAddress;

    this.name = checkDnsLabel(props.name, { path: pathOf(this), field: 'name' });
    this.team = props.team;
    if (nodeLocalDns !== undefined && !isIpv4(nodeLocalDns)) {
      throw PlatformError.at(this, { field: 'nodeLocalDnsAddress', value: nodeLocalDns, rule: 'is not an IPv4 address', fix: "pass the address NodeLocal DNSCache listens on (e.g. '169.254.20.10')" });
    }
    checkDnsLabel(pullSecret, { path: pathOf(this), field: 'imagePullSecret' });
    const accounts = ['default', ...serviceAccounts];
    accounts.forEach((sa, i) => {
      checkDnsLabel(sa, { path: pathOf(this), field: `serviceAccounts[${i - 1}]` });
      if (accounts.indexOf(sa) !== i) {
        throw PlatformError.at(this, { field: 'serviceAccounts', value: sa, rule: 'lists a ServiceAccount twice (default is always created)', fix: 'list each workload identity once' });
      }
    });

    const ns = this.name;
    const labels = { 'app.kubernetes.io/managed-by': Platform.managedBy, [PlatformLabels.team]: props.team };
    const meta = (name: string): k8s.ObjectMeta => ({ name, namespace: ns, labels });
    const pss = podSecurityMetadata(this, 'podSecurity', podSecurity);
    this.namespace = new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: ns,
        // The gateway-listeners label lets the team's ListenerSets attach its hosts to the platform Gateway.
        labels: { ...labels, [PlatformLabels.gatewayListeners]: 'allowed', ...pss.labels },
        annotations: { [PlatformLabels.owners]: props.owners.join(','), ...pss.annotations },
      },
    });
    this.quota = new k8s.KubeResourceQuota(this, 'quota', { metadata: meta('platform-quota'), spec: { hard: renderQuota(this, 'quota', props.quota) } });
    new k8s.KubeLimitRange(this, 'limits', { metadata: meta('platform-limits'), spec: { limits: renderLimitRange(this, 'limits', props.limits) } });

    const owners = props.owners.map((g) => groupSubject(props.oidc, g));
    const readers = [...owners, ...members.map((g) => groupSubject(props.oidc, g))];
    const clusterRole = (name: string): k8s.RoleRef => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name });
    const role = (name: string): k8s.RoleRef => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name });
    new k8s.KubeRoleBinding(this, 'view', { metadata: meta('platform-team-view'), roleRef: clusterRole('view'), subjects: readers });
    if (ownerAccess === 'edit') {
      new k8s.KubeRoleBinding(this, 'owners', { metadata: meta('platform-team-owners'), roleRef: clusterRole('edit'), subjects: owners });
    } else {
      new k8s.KubeRole(this, 'operate-role', { metadata: meta('platform-team-operate'), rules: [...OPERATE_RULES] });
      new k8s.KubeRoleBinding(this, 'owners', { metadata: meta('platform-team-owners'), roleRef: role('platform-team-operate'), subjects: owners });
    }
    if (props.deployer !== undefined) {
      new k8s.KubeRole(this, 'deploy-role', { metadata: meta('platform-team-deploy'), rules: deployRules(props.podTemplateKinds ?? []) });
      new k8s.KubeRoleBinding(this, 'deploy', { metadata: meta('platform-team-deploy'), roleRef: role('platform-team-deploy'), subjects: [deploySubject(props.oidc, props.deployer)] });
    }

    for (const policy of teamNetworkPolicies({ nodeLocalDnsAddress: nodeLocalDns, egressTo, allowSameNamespace: props.allowSameNamespace ?? true })) {
      new k8s.KubeNetworkPolicy(this, policy.name, { metadata: meta(policy.name), spec: policy.spec });
    }
    for (const sa of accounts) {
      new k8s.KubeServiceAccount(this, `sa-${sa}`, { metadata: meta(sa), imagePullSecrets: [{ name: pullSecret }], automountServiceAccountToken: false });
    }
  }
}
