import { Construct } from 'constructs';
import { Cluster, type ClusterSpec, InstanceGroup, type InstanceGroupSpec } from '../../../imports/kops.k8s.io';
import { DnsName, PlatformError, checkDnsLabel, parseAt, pathOf } from '../../core';
import { addonsSpec, type KopsAddonsProps, NODE_LOCAL_DNS_ADDRESS } from './addons';
import { type ApiServerProps, apiSpec } from './api-server';
import { isZoneOf } from '../aws';
import { CloudValues } from '../../core/cloud-values';
import { type GroupContext, type NodeGroupProps, checkInstanceType, masterGroupSpec, nodeGroupSpec } from './instance-groups';
import { type KubeletProps, kubeletSpec } from './kubelet';
import { KubernetesVersion } from '../kubernetes-version';
import { ETCD_METRICS_PORTS, type EtcdProps, type MasterGroup, type MastersProps, etcdClusters, masterGroups, masterKubeletSpec } from './masters';
import { type NetworkPlan, type NetworkPlanProps, planNetwork } from '../network-plan';
import { type NetworkingProps, networkingSpec } from './networking';
import { type CiIssuerProps, CiIssuerSettings, type OidcProps, OidcSettings } from '../oidc';
import { KOPS_MANAGED_IDENTITIES, type WorkloadIdentity } from '../../core/workload-identity';
import { checkProps } from '../../core/props-check';

/** A kops cluster on AWS in typed terms; see each field for its production default. */
export interface KopsClusterProps {
  /** The cluster's DNS name (`prod.k8s.example.com`), or `<name>.k8s.local` for gossip DNS. */
  readonly clusterName: string;
  /** The Route53 zone that holds the cluster's records. @default - the parent domain of clusterName (none for .k8s.local) */
  readonly dnsZone?: string;
  /** The Kubernetes version (`1.35.5`), one kops 1.36 supports. */
  readonly kubernetesVersion: string;
  /** The AWS region. */
  readonly region: string;
  /** The availability zones, each of `region` (`eu-west-1a`). */
  readonly zones: readonly string[];
  /** The VPC, its subnets, the in-cluster ranges and the NAT choice: the plan the stack creates. */
  readonly network: NetworkPlanProps;
  /** The masters. @default - 3 m6i.large masters, one per zone, tainted */
  readonly masters?: MastersProps;
  /** etcd. @default - main and events, backups kept 90 days, metrics exposed */
  readonly etcd?: EtcdProps;
  /** The API endpoint and API server. @default - public NLB, RBAC, encryption at rest, audit log */
  readonly api?: ApiServerProps;
  /** User logins through an OIDC provider. @default - none: only kops-issued credentials */
  readonly oidc?: OidcProps;
  /**
   * GitHub Actions as a second JWT issuer, for the deploy jobs of the repositories the teams deploy
   * from; requires `oidc`. @default - none: no CI token is accepted
   */
  readonly ciIssuer?: CiIssuerProps;
  /** The pod network. @default - Calico, IP-in-IP across subnets */
  readonly networking?: NetworkingProps;
  /** Whether NetworkPolicies must be enforced (team namespaces rely on default-deny). @default true */
  readonly networkPolicyRequired?: boolean;
  /** The worker groups. */
  readonly nodeGroups: readonly NodeGroupProps[];
  /** AWS identities of ServiceAccounts, compiled into kops's service-account external permissions. @default - none */
  readonly identities?: readonly WorkloadIdentity[];
  /** The addons kops runs. @default - all on */
  readonly addons?: KopsAddonsProps;
  /** The kubelet of every node. @default - eviction thresholds and reservations as in KubeletProps */
  readonly kubelet?: KubeletProps;
  /** Kernel parameters for every node, as `name=value` (`vm.max_map_count=262144`): kops's `spec.sysctlParameters`. @default - none */
  readonly sysctlParameters?: readonly string[];
  /** Encrypt etcd and root volumes with the platform's KMS key (a cloud value) or the account's default EBS key. @default 'platform' */
  readonly encryptionKey?: 'platform' | 'aws-managed';
}


/**
 * The kops `Cluster` and its `InstanceGroup`s for one cluster: HA masters with etcd, the network
 * plan in shared-VPC mode, Calico (or flannel), node groups, workload identity and the addons kops
 * runs. Everything is checked here, at construction; cloud-only values are placeholders
 * (`cloud-values.ts`).
 */
export class KopsCluster extends Construct {
  /** The cluster's DNS name. */
  public readonly clusterName: string;
  /** The Route53 zone the cluster's records (API, ingress hosts) live in; undefined for a gossip cluster. */
  public readonly dnsZone: string | undefined;
  /** The network plan the stack creates. */
  public readonly networkPlan: NetworkPlan;
  /** The master groups, one per etcd member. */
  public readonly masterGroups: readonly MasterGroup[];
  /** The Kubernetes version the cluster runs. */
  public readonly kubernetesVersion: KubernetesVersion;
  /** The kops Cluster object. */
  public readonly cluster: Cluster;
  /** Every InstanceGroup object, masters first. */
  public readonly instanceGroups: readonly InstanceGroup[];
  /** The OIDC settings (the user and group prefixes RBAC bindings use), when OIDC is configured. */
  public readonly oidc: OidcSettings | undefined;
  /** The address NodeLocal DNSCache answers on, when enabled (network policies must allow DNS to it). */
  public readonly nodeLocalDnsAddress: string | undefined;
  /** The ports etcd serves /metrics on, when exposed. */
  public readonly etcdMetricsPorts: typeof ETCD_METRICS_PORTS | undefined;
  /** The toleration a workload needs to run on the masters, when they take workloads. */
  public readonly controlPlaneToleration: { readonly key: string; readonly operator: 'Exists'; readonly effect: 'NoSchedule' } | undefined;

  public constructor(scope: Construct, id: string, props: KopsClusterProps) {
    super(scope, id);
    props = checkProps(this, KopsCluster, props);
    const masters = props.masters ?? {};
    const etcd = props.etcd ?? {};
    const api = props.api ?? {};
    const networking = props.networking ?? { cni: 'calico' };
    const networkPolicyRequired = props.networkPolicyRequired ?? true;
    const identities = props.identities ?? [];
    const addons = props.addons ?? {};
    const platformKey = (props.encryptionKey ?? 'platform') === 'platform';
    const gossip = props.clusterName.endsWith('.k8s.local');
    const dnsZone = gossip ? undefined : props.dnsZone ?? props.clusterName.slice(props.clusterName.indexOf('.') + 1);

    this.clusterName = this.checkNames(props.clusterName, dnsZone);
    this.dnsZone = dnsZone;
    const version = parseAt(this, 'kubernetesVersion', () => KubernetesVersion.parse(props.kubernetesVersion));
    this.kubernetesVersion = version;
    this.checkZones(props.region, props.zones);
    this.networkPlan = planNetwork(this, props.network, props.zones);
    this.masterGroups = masterGroups(this, masters, props.zones);
    const masterType = checkInstanceType(this, 'masters.machineType', masters.machineType ?? 'm6i.large');
    this.checkGroupNames(props.nodeGroups);
    this.checkIdentities(identities);
    this.oidc = this.oidcSettings(props.oidc, props.ciIssuer);
    this.nodeLocalDnsAddress = (addons.nodeLocalDns ?? true) ? NODE_LOCAL_DNS_ADDRESS : undefined;
    this.etcdMetricsPorts = etcd.exposeMetrics === false ? undefined : ETCD_METRICS_PORTS;
    this.controlPlaneToleration = masters.takeWorkloads === true ? { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' } : undefined;

    const masterKubelet = masterKubeletSpec(this, masters);
    const spec: ClusterSpec = {
      cloudProvider: 'aws',
      channel: 'stable',
      kubernetesVersion: version.toString(),
      configBase: `s3://${CloudValues.stateStoreBucket()}/${this.clusterName}`,
      // The hosted zone's ID, not its name: kops hands spec.dnsZone to external-dns verbatim as
      // --zone-id-filter, which matches zone IDs (kops template_functions.go ExternalDNSArgv).
      ...(dnsZone === undefined ? {} : { dnsZone: CloudValues.hostedZoneId(dnsZone), topology: { dns: { type: 'Public' } } }),
      networkId: CloudValues.vpcId(),
      networkCidr: this.networkPlan.vpcCidr.toString(),
      nonMasqueradeCidr: this.networkPlan.nonMasqueradeCidr.toString(),
      podCidr: this.networkPlan.podCidr.toString(),
      serviceClusterIpRange: this.networkPlan.serviceCidr.toString(),
      subnets: this.networkPlan.subnets.map((s) => ({
        name: s.name,
        zone: s.zone,
        type: s.type,
        cidr: s.cidr.toString(),
        id: CloudValues.subnetId(s.type === 'Private' ? 'private' : 'utility', s.zone),
        ...(s.natZone === undefined ? {} : { egress: CloudValues.natGatewayId(s.natZone) }),
      })),
      sshAccess: [],
      sshKeyName: '',
      networking: networkingSpec(this, networking, props.zones.length, networkPolicyRequired),
      etcdClusters: etcdClusters(this, etcd, this.masterGroups, version, platformKey),
      ...apiSpec(this, api, this.networkPlan.vpcCidr, this.oidc, version),
      kubelet: kubeletSpec(this, props.kubelet ?? {}),
      ...sysctlSpec(this, props.sysctlParameters ?? []),
      masterKubelet,
      iam: {
        legacy: false,
        allowContainerRegistry: true,
        permissionsBoundary: CloudValues.permissionsBoundaryArn(),
        useServiceAccountExternalPermissions: true,
        ...(identities.length === 0 ? {} : {
          serviceAccountExternalPermissions: [...identities]
            .sort((a, b) => a.key.localeCompare(b.key))
            .map((i) => ({ name: i.serviceAccount, namespace: i.namespace, aws: { inlinePolicy: i.toInlinePolicy() } })),
        }),
      },
      serviceAccountIssuerDiscovery: {
        discoveryStore: `s3://${CloudValues.discoveryBucket()}/${this.clusterName}`,
        enableAwsoidcProvider: true,
      },
      podIdentityWebhook: { enabled: true },
      certManager: { enabled: true, managed: true, ...(dnsZone === undefined ? {} : { hostedZoneIDs: [CloudValues.hostedZoneId(dnsZone)] }) },
      ...addonsSpec(this, addons, version),
    };
    this.cluster = new Cluster(this, 'cluster', { metadata: { name: this.clusterName }, spec });

    const ctx: GroupContext = { clusterName: this.clusterName, zones: props.zones, platformKey };
    const masterLabels = masters.takeWorkloads === true ? { 'platform.example.com/control-plane-workloads': 'true' } : {};
    const rootSize = masters.rootVolumeSize ?? 64;
    this.instanceGroups = [
      ...this.masterGroups.map((g) => this.group(g.name, masterGroupSpec(g.zone, masterType, rootSize, ctx, masterLabels))),
      ...props.nodeGroups.map((g) => this.group(g.name, nodeGroupSpec(this, g, ctx))),
    ];
  }

  private group(name: string, spec: InstanceGroupSpec): InstanceGroup {
    return new InstanceGroup(this, `ig-${name}`, { metadata: { name, labels: { 'kops.k8s.io/cluster': this.clusterName } }, spec });
  }

  private oidcSettings(oidc: OidcProps | undefined, ci: CiIssuerProps | undefined): OidcSettings | undefined {
    if (oidc === undefined) {
      if (ci !== undefined) {
        throw PlatformError.at(this, {
          field: 'ciIssuer', value: ci.repositories, rule: 'is set without oidc', fix: "set oidc as well: the CI issuer's audience and the deploy bindings' prefixes come from it",
        });
      }
      return undefined;
    }
    const ciSettings = ci === undefined ? undefined : parseAt(this, 'ciIssuer', () => CiIssuerSettings.of(ci, oidc.clientId));
    return parseAt(this, 'oidc', () => OidcSettings.of(oidc, ciSettings));
  }

  private checkNames(clusterName: string, dnsZone: string | undefined): string {
    if (!DnsName.isValid(clusterName)) {
      throw PlatformError.at(this, {
        field: 'clusterName', value: clusterName, rule: 'is not a DNS name with at least two labels',
        fix: "write a name under your DNS zone ('prod.k8s.example.com') or '<name>.k8s.local' for gossip",
      });
    }
    if (dnsZone !== undefined && !clusterName.endsWith(`.${dnsZone}`)) {
      throw PlatformError.at(this, { field: 'dnsZone', value: dnsZone, rule: `does not contain the cluster name ${clusterName}`, fix: 'name the zone the cluster name is a subdomain of' });
    }
    return clusterName;
  }

  private checkZones(region: string, zones: readonly string[]): void {
    if (zones.length === 0) {
      throw PlatformError.at(this, { field: 'zones', rule: 'must not be empty', fix: 'list at least one zone (three for HA masters)' });
    }
    for (const [i, zone] of zones.entries()) {
      if (!isZoneOf(zone, region)) {
        throw PlatformError.at(this, { field: `zones[${i}]`, value: zone, rule: `is not a zone of region ${region}`, fix: `use zones of ${region} (${region}a, ${region}b, ...)` });
      }
      if (zones.indexOf(zone) !== i) {
        throw PlatformError.at(this, { field: `zones[${i}]`, value: zone, rule: 'is listed twice', fix: 'list each zone once' });
      }
    }
  }

  private checkGroupNames(groups: readonly NodeGroupProps[]): void {
    const seen = new Set(this.masterGroups.map((g) => g.name));
    for (const g of groups) {
      checkDnsLabel(g.name, { path: pathOf(this), field: 'nodeGroups.name' });
      if (seen.has(g.name)) {
        throw PlatformError.at(this, { field: 'nodeGroups.name', value: g.name, rule: 'is the name of another instance group', fix: 'give every instance group its own name' });
      }
      seen.add(g.name);
    }
  }

  private checkIdentities(identities: readonly WorkloadIdentity[]): void {
    const seen = new Set<string>();
    for (const i of identities) {
      if (KOPS_MANAGED_IDENTITIES.includes(i.key)) {
        throw PlatformError.at(this, { field: 'identities', value: i.key, rule: 'is an identity kops creates for its own addon', fix: 'drop it: kops grants that addon its permissions' });
      }
      if (seen.has(i.key)) {
        throw PlatformError.at(this, { field: 'identities', value: i.key, rule: 'is declared twice', fix: 'merge the statements into one identity' });
      }
      seen.add(i.key);
    }
  }
}

const SYSCTL = /^[a-z][a-z0-9_]*(\.[a-z0-9_-]+)+=\S+$/;

/** kops writes each `name=value` line to /etc/sysctl.d on every node (nodeup/pkg/model/sysctls.go). */
function sysctlSpec(scope: Construct, params: readonly string[]): Pick<ClusterSpec, 'sysctlParameters'> {
  for (const [i, p] of params.entries()) {
    if (!SYSCTL.test(p)) {
      throw PlatformError.at(scope, { field: `sysctlParameters[${i}]`, value: p, rule: 'is not a kernel parameter as name=value', fix: "write it as kops does, e.g. 'vm.max_map_count=262144'" });
    }
  }
  return params.length === 0 ? {} : { sysctlParameters: [...new Set(params)].sort() };
}
