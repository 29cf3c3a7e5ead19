import type { Cidr } from './cidr';

/** A node taint (`dedicated=ci:NoSchedule`). */
export interface NodeTaint {
  readonly key: string;
  /** The taint's value. @default - none (`key:Effect`) */
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** A toleration as a pod spec states it. */
export interface NodeToleration {
  readonly key: string;
  readonly operator: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** One group of worker nodes as addons see it: where it is, and what a pod needs to land on it. */
export interface NodeGroupFacts {
  /** The group's name (`nodes`, `front`). */
  readonly name: string;
  /** The zones it has nodes in. */
  readonly zones: readonly string[];
  /** The labels every node of the group carries. */
  readonly labels: Readonly<Record<string, string>>;
  /** The taints every node of the group carries. */
  readonly taints: readonly NodeTaint[];
}

/** How the API server trusts OIDC logins: the issuer, audience and the prefixes RBAC subjects carry. */
export interface OidcFacts {
  readonly issuerUrl: string;
  /** The audience (`--oidc-client-id`) the API server accepts. */
  readonly clientId: string;
  readonly usernameClaim: string;
  readonly groupsClaim: string;
  readonly usernamePrefix: string;
  readonly groupsPrefix: string;
  /** The RBAC subject name of a directory group (`oidc:team-orders`). */
  group(name: string): string;
  /** The RBAC subject name of a user (`oidc:jane@example.com`). */
  user(name: string): string;
}

/** The ports etcd's `/metrics` are served on, on the masters (etcd's own on their loopback address, or its proxies' on their address). */
export interface EtcdMetricsPorts {
  /** The main etcd cluster's metrics port. */
  readonly main: number;
  /** The events etcd cluster's metrics port. */
  readonly events: number;
}

/**
 * What addons and stacks need to know of a cluster, whatever provisions it (kops today). The
 * cluster model implements it; the composition root hands it to every addon and to the stack,
 * so nothing searches the construct tree or re-parses YAML for these facts.
 */
export interface ClusterFacts {
  /** The cluster's short name, its output folder (`prod`). */
  readonly name: string;
  /** The environment whose overrides apply (`prod`). */
  readonly environment: string;
  /** The AWS region (`eu-west-1`). */
  readonly region: string;
  /** The provisioner's name of the cluster (kops: `prod.k8s.example.com`). */
  readonly clusterName: string;
  /** The zones the cluster spans, in order. */
  readonly zones: readonly string[];
  /** The Route53 zone (a name) the cluster's records live in; undefined for a gossip cluster. */
  readonly dnsZone: string | undefined;
  /** The VPC's block: the API servers and the VPC endpoints are inside it. */
  readonly vpcCidr: Cidr;
  /** The block pods take their addresses from (kops `podCIDR`, Calico's pool). */
  readonly podCidr: Cidr;
  /** The API server's OIDC settings, when logins go through OIDC. */
  readonly oidc: OidcFacts | undefined;
  /** The address NodeLocal DNSCache answers on, when the cluster runs it. */
  readonly nodeLocalDnsAddress: string | undefined;
  /** The ports etcd serves metrics on, on each master's loopback address, when exposed. */
  readonly etcdMetricsPorts: EtcdMetricsPorts | undefined;
  /** The worker node groups. */
  readonly nodeGroups: readonly NodeGroupFacts[];
  /** The toleration a workload needs to run on the control plane, when it takes workloads. */
  readonly controlPlaneToleration: NodeToleration | undefined;
  /**
   * The taints the control-plane nodes carry whether or not they take workloads (kops:
   * `node-role.kubernetes.io/control-plane:NoSchedule`): node agents (the log shipper) tolerate
   * them to run on every master.
   */
  readonly controlPlaneTaints: readonly NodeTaint[];
  /** The file each API server writes its audit log to on its master (kops `auditLogPath`), when auditing is on. */
  readonly apiServerAuditLogPath: string | undefined;
}
