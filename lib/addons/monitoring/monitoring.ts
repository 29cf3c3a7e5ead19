import { ApiObject } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { Environment } from '../../core/environment';
import type { ResourcesProps } from '../../apps/resources';
import { SCRAPE_LABEL, type ScrapeDeclaration } from '../../apps/scrape';
import { Cidr, Platform, PlatformChart, PlatformError, formatProblem, parseAt, pathOf, type CidrLike } from '../../core';
import { PlatformNamespace } from '../../tenancy/platform-namespace';
import { ALERTMANAGER_NAME, Alertmanager, type AlertmanagerSizing } from './alertmanager';
import { receiverEgress, type AlertmanagerConfigProps } from './alertmanager-config';
import { BLACKBOX_EXPORTER_NAME, BlackboxExporter } from './blackbox-exporter';
import { GRAFANA_NAME, GRAFANA_PORT, Grafana, type GrafanaOidcProps } from './grafana';
import type { SecretKeyRef } from '../../apps/secrets';
import { JOBS } from './jobs';
import { KUBE_STATE_METRICS_NAME, KubeStateMetrics } from './kube-state-metrics';
import { MonitoringNetworkPolicies, urlPort } from './monitoring-network-policies';
import { NODE_EXPORTER_NAMESPACE, NodeExporter } from './node-exporter';
import { ETCD_METRICS_NAMESPACE, ETCD_PROXY_PORTS, EtcdMetricsProxy } from './etcd-metrics-proxy';
import { API_SERVER_PORT } from './scrape-jobs';
import { PLATFORM_PROBE_NAME, PlatformProbe } from './platform-probe';
import { PROMETHEUS_NAME, Prometheus, type PrometheusSizing } from './prometheus';
import type { EtcdMetricsPorts } from '../../core';
import type { RemoteWriteProps } from './remote-write';
import type { PrometheusRuleFiles } from '../addon-spec';
import { RuleGroup, type RuleGroupProps } from './rule-group';
import { defaultRuleGroups } from './rules';
import { checkProps } from '../../core/props-check';

/** Per-cluster sizing of the addon's components. */
export interface MonitoringSizing {
  /** Prometheus: replicas, retention, storage, resources. @default - see PrometheusSizing */
  readonly prometheus?: PrometheusSizing;
  /** Alertmanager: replicas and resources. @default - see AlertmanagerSizing */
  readonly alertmanager?: AlertmanagerSizing;
  /** node-exporter's resources. @default - see NodeExporterProps */
  readonly nodeExporter?: ResourcesProps;
  /** kube-state-metrics's resources. @default - see KubeStateMetricsProps */
  readonly kubeStateMetrics?: ResourcesProps;
  /** Grafana's resources. @default - see GrafanaProps */
  readonly grafana?: ResourcesProps;
}

/** Grafana's place and login. */
export interface MonitoringGrafanaProps {
  /** The host name Grafana is served on. */
  readonly host: string;
  /** OIDC login. */
  readonly oidc: GrafanaOidcProps;
  /** The built-in admin's password, from a Secret. */
  readonly adminPassword: SecretKeyRef;
}

/** The cluster's address blocks, which bound where the addon's pods may connect. */
export interface MonitoringClusterNetwork {
  /** The block pods take their addresses from (the cluster facts' `podCidr`). */
  readonly podCidr: CidrLike;
  /** The VPC's block: nodes, masters, API servers (the cluster facts' `vpcCidr`). */
  readonly vpcCidr: CidrLike;
}

/** Props of the monitoring addon. */
export interface MonitoringProps {
  /** The cluster's pod and VPC blocks: Prometheus scrapes only there, on the ports its jobs scrape. */
  readonly clusterNetwork: MonitoringClusterNetwork;
  /** The `cluster` label on every series and alert. @default - the Environment's cluster */
  readonly clusterName?: string;
  /** The `environment` label on every series and alert. @default - the Environment's name */
  readonly environment?: string;
  /**
   * The ports etcd-manager serves etcd's metrics on, on each master's loopback address (the
   * cluster model's `etcdMetricsPorts`): the addon runs an authenticating proxy per port on every
   * master (see EtcdMetricsProxy), which Prometheus scrapes. @default - etcd is not scraped and has no alerts
   */
  readonly etcdMetricsPorts?: EtcdMetricsPorts;
  /** Receivers, team routes, the heartbeat receiver and inhibition rules. */
  readonly alerting: AlertmanagerConfigProps;
  /** Grafana. */
  readonly grafana: MonitoringGrafanaProps;
  /** Per-cluster sizing. @default - each component's defaults */
  readonly sizing?: MonitoringSizing;
  /** The team that owns the platform's rules. @default 'platform' */
  readonly platformTeam?: string;
  /** Where the default rules' runbooks are: `<base>/<slug>`. @default 'https://runbooks.example.com/platform' */
  readonly runbookBaseUrl?: string;
  /** More rule groups, evaluated with the defaults. @default [] */
  readonly ruleGroups?: readonly RuleGroupProps[];
  /** The NodeLocal DNSCache address, probed as well as cluster DNS (the cluster model's `nodeLocalDnsAddress`). @default - cluster DNS only */
  readonly nodeLocalDnsAddress?: string;
  /** The registry pull secret every ServiceAccount of the addon names. @default Platform.imagePullSecret */
  readonly imagePullSecret?: string;
  /** Long-term stores outside the cluster every Prometheus replica writes to (the view from outside). @default - none */
  readonly remoteWrite?: readonly RemoteWriteProps[];
  /**
   * Rule files other addons give Prometheus (the SLO addon's, through the `prometheusRuleFiles`
   * fact): immutable ConfigMaps in the monitoring namespace, mounted and listed in `rule_files`.
   * @default - none
   */
  readonly ruleFileConfigMaps?: readonly PrometheusRuleFiles[];
}

/** A service whose metrics Prometheus should find: a WebService or a Worker. */
export interface ScrapedService extends IConstruct {
  readonly name: string;
  readonly namespace: string;
  readonly scrape: ScrapeDeclaration | undefined;
}

/** The cluster DNS Service, as the blackbox exporter probes it. */
const CLUSTER_DNS = `kube-dns.${Platform.dnsNamespace}.svc.cluster.local:53`;

/**
 * The monitoring addon of one cluster, built in its own chart (`addon-monitoring`, applied
 * before teams and services): the `monitoring` namespace (Pod Security `restricted`) with
 * Prometheus and its rules, Alertmanager, kube-state-metrics, Grafana, the blackbox exporter and
 * the platform probe; node-exporter alone in its own `privileged` namespace; and both namespaces'
 * default-deny network policies with what each component needs, Prometheus's egress derived
 * from its rendered scrape jobs.
 */
export class Monitoring extends Construct {
  /** The namespace everything runs in. */
  public readonly namespaceName: string;
  public readonly prometheus: Prometheus;
  public readonly alertmanager: Alertmanager;
  public readonly blackboxExporter: BlackboxExporter;
  public readonly grafana: Grafana;
  /** Every rule group Prometheus evaluates. */
  public readonly ruleGroups: readonly RuleGroup[];

  public constructor(scope: Construct, id: string, props: MonitoringProps) {
    const namespace = Platform.monitoringNamespace;
    super(scope, id);
    props = checkProps(this, Monitoring, props);
    const env = Environment.of(this);
    const cluster = props.clusterName ?? env.cluster;
    if (cluster === undefined) {
      throw PlatformError.at(this, { field: 'clusterName', rule: 'is not set and the Environment names no cluster', fix: 'set clusterName to the cluster this addon watches' });
    }
    const team = props.platformTeam ?? 'platform';
    const runbookBase = (props.runbookBaseUrl ?? 'https://runbooks.example.com/platform').replace(/\/$/, '');
    const sizing = props.sizing ?? {};
    const pull = props.imagePullSecret ?? Platform.imagePullSecret;
    this.namespaceName = namespace;
    const podCidr = parseAt(this, 'clusterNetwork.podCidr', () => Cidr.of(props.clusterNetwork.podCidr));
    const vpcCidr = parseAt(this, 'clusterNetwork.vpcCidr', () => Cidr.of(props.clusterNetwork.vpcCidr));

    new PlatformNamespace(this, 'namespace', { name: namespace, gatewayListeners: true /* Grafana's host */ });
    new PlatformNamespace(this, 'node-exporter-namespace', {
      name: NODE_EXPORTER_NAMESPACE,
      podSecurity: { level: 'privileged', reason: "node-exporter shares the node's network and process namespaces and reads its filesystems; it runs alone here" },
    });
    if (props.etcdMetricsPorts !== undefined) {
      new PlatformNamespace(this, 'etcd-metrics-namespace', {
        name: ETCD_METRICS_NAMESPACE,
        podSecurity: { level: 'privileged', reason: "etcd's metrics proxies share the masters' network, to listen on their addresses and reach etcd on their loopback; they run alone here" },
      });
      new EtcdMetricsProxy(this, 'etcd-metrics-proxy', {
        upstreams: props.etcdMetricsPorts, apiServer: { cidr: vpcCidr.toString(), port: API_SERVER_PORT }, scrapedBy: { namespace, name: PROMETHEUS_NAME }, imagePullSecret: pull,
      });
    }
    const nodeExporter = new NodeExporter(this, 'node-exporter', {
      namespace: NODE_EXPORTER_NAMESPACE, scrapedBy: { namespace, name: PROMETHEUS_NAME }, imagePullSecret: pull,
      ...(sizing.nodeExporter === undefined ? {} : { resources: sizing.nodeExporter }),
    });
    const ksm = new KubeStateMetrics(this, 'kube-state-metrics', { namespace, imagePullSecret: pull, ...(sizing.kubeStateMetrics === undefined ? {} : { resources: sizing.kubeStateMetrics }) });
    const probe = new PlatformProbe(this, 'platform-probe', { namespace, imagePullSecret: pull });
    this.blackboxExporter = new BlackboxExporter(this, 'blackbox-exporter', {
      namespace,
      imagePullSecret: pull,
      modules: [
        { kind: 'dns', name: 'dns_cluster', queryName: 'kubernetes.default.svc.cluster.local' },
        { kind: 'http', name: 'http_api', inCluster: true },
      ],
    });
    this.alertmanager = new Alertmanager(this, 'alertmanager', { ...props.alerting, ...sizing.alertmanager, namespace, imagePullSecret: pull });

    const ctx = {
      team,
      runbook: (slug: string) => `${runbookBase}/${slug}`,
      namespace,
      alertmanagerReplicas: sizing.alertmanager?.replicas ?? 3,
      probeCronJob: probe.name,
    };
    const groups = [...defaultRuleGroups(ctx), ...(props.ruleGroups ?? [])]
      .map((g) => etcdOptional(g, props.etcdMetricsPorts !== undefined));
    this.ruleGroups = groups.map((g, i) => new RuleGroup(this, `rules-${g.name ?? i}`, g));

    this.prometheus = new Prometheus(this, 'prometheus', {
      ...sizing.prometheus,
      namespace,
      cluster,
      environment: props.environment ?? env.name,
      ruleGroups: this.ruleGroups,
      alertmanagers: this.alertmanager.peers,
      blackbox: {
        address: this.blackboxExporter.address,
        probes: [
          { job: JOBS.probeDns, module: 'dns_cluster', targets: [CLUSTER_DNS, ...(props.nodeLocalDnsAddress === undefined ? [] : [`${props.nodeLocalDnsAddress}:53`])] },
          { job: JOBS.probeApi, module: 'http_api', targets: ['https://kubernetes.default.svc/readyz'] },
        ],
      },
      exporters: {
        kubeStateMetrics: ksm.service, nodeExporter: nodeExporter.service,
        others: [{ job: JOBS.grafana, service: GRAFANA_NAME, port: 'http' }, { job: JOBS.blackboxExporter, service: BLACKBOX_EXPORTER_NAME, port: 'http' }],
      },
      nodeLocalDns: props.nodeLocalDnsAddress !== undefined,
      ...(props.remoteWrite === undefined ? {} : { remoteWrite: props.remoteWrite }),
      ...(props.ruleFileConfigMaps === undefined ? {} : { ruleFileConfigMaps: props.ruleFileConfigMaps }),
      imagePullSecret: pull,
      ...(props.etcdMetricsPorts === undefined ? {} : { etcdMetricsPorts: ETCD_PROXY_PORTS }),
    });
    this.grafana = new Grafana(this, 'grafana', {
      namespace,
      ...props.grafana,
      prometheusUrl: this.prometheus.url,
      imagePullSecret: pull,
      ...(sizing.grafana === undefined ? {} : { resources: sizing.grafana }),
    });
    new MonitoringNetworkPolicies(this, 'network-policies', {
      namespace,
      prometheus: PROMETHEUS_NAME,
      grafana: { name: GRAFANA_NAME, port: GRAFANA_PORT },
      podCidr,
      vpcCidr,
      scrapes: this.prometheus.reach,
      apiClients: [PROMETHEUS_NAME, KUBE_STATE_METRICS_NAME, BLACKBOX_EXPORTER_NAME, PLATFORM_PROBE_NAME],
      egress: [
        ...receiverEgress(this.alertmanager, props.alerting).map((r) => ({ component: ALERTMANAGER_NAME, policy: 'monitoring-allow-alertmanager-receivers', to: r.to, port: r.port })),
        ...this.grafana.egress.map((g) => ({ component: GRAFANA_NAME, policy: 'monitoring-allow-grafana-oidc', to: g.to, port: g.port })),
        ...(props.remoteWrite ?? []).map((r, i) => ({
          component: PROMETHEUS_NAME, policy: 'monitoring-allow-prometheus-remote-write', port: urlPort(this.prometheus, `remoteWrite[${i}].url`, r.url),
          to: r.egressTo?.map((c, j) => parseAt(this.prometheus, `remoteWrite[${i}].egressTo[${j}]`, () => Cidr.of(c))),
        })),
      ],
      ...(props.nodeLocalDnsAddress === undefined ? {} : { nodeLocalDnsAddress: props.nodeLocalDnsAddress }),
    });
  }

  /**
   * Declares that Prometheus must find `service` through the scrape label. A service that
   * declares no metrics port is refused at once; at synth, its Service must carry the label and
   * annotations the discovery relabels from (reported with every other problem of the tree).
   */
  public scrape(service: ScrapedService): this {
    const declared = service.scrape;
    if (declared === undefined) {
      throw PlatformError.at(service, {
        field: 'metrics', rule: 'is not declared, so the service has no metrics port for Prometheus to scrape',
        fix: "declare metrics: { port: '<port name>' } on the service, or do not ask monitoring to scrape it",
      });
    }
    this.node.addValidation({ validate: () => scrapeProblems(service, declared) });
    return this;
  }
}

/** Drops the etcd alerts when etcd is not scraped (they would fire or stay silent for the wrong reason). */
function etcdOptional(group: RuleGroupProps, scraped: boolean): RuleGroupProps {
  if (scraped || group.alerts === undefined) return group;
  return { ...group, alerts: group.alerts.filter((a) => !a.alert.startsWith('Etcd')) };
}

function scrapeProblems(service: ScrapedService, declared: ScrapeDeclaration): string[] {
  const services = service.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'Service');
  const found = services.some((s) => {
    const meta = (s.toJson() as { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } }).metadata ?? {};
    return meta.labels?.[SCRAPE_LABEL] === 'true' && meta.annotations?.['prometheus.io/port'] === String(declared.port);
  });
  if (found) return [];
  return [formatProblem({
    path: pathOf(service), field: 'metrics', value: declared.portName,
    rule: `is declared but no Service of it carries ${SCRAPE_LABEL}=true with prometheus.io/port ${declared.port}`,
    fix: 'build the service with a WebService or Worker, which label the Service for discovery',
  })];
}

/** Adds the monitoring addon to a cluster's Environment, in the chart `addon-monitoring`. */
export function addMonitoring(scope: Environment, props: MonitoringProps): Monitoring {
  const chart = new PlatformChart(scope, 'addon-monitoring', { phase: 'addons' });
  return new Monitoring(chart, 'monitoring', props);
}
