import { SCRAPE_INTERVAL_ANNOTATION, SCRAPE_LABEL } from '../../apps/scrape';
import type { Duration, EtcdMetricsPorts } from '../../core';
import { JOBS } from './jobs';
import type { RemoteWriteConfig } from './remote-write';
import { apiServerJob, CONTROL_PLANE_COMPONENTS, controlPlaneJob, coreDnsJob, etcdJob, kubeletJob, nodeLocalDnsJob, setJob } from './scrape-jobs';

export { API_SERVER_CERT_NAME, SERVICE_ACCOUNT_DIR } from './scrape-jobs';

/** The Kubernetes objects a discovery block lists. */
export type KubernetesSdRole = 'node' | 'endpointslice' | 'pod' | 'service' | 'ingress';

/** A `kubernetes_sd_configs` block: in-cluster discovery (it reads the API with the pod's ServiceAccount). */
export interface KubernetesSdConfig {
  readonly role: KubernetesSdRole;
  /** Only these namespaces; all when absent. */
  readonly namespaces?: { readonly names: readonly string[] };
}

/** One relabelling step, as Prometheus writes it. */
export interface RelabelConfig {
  readonly source_labels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly target_label?: string;
  readonly replacement?: string;
  readonly action?: 'replace' | 'keep' | 'drop' | 'labelmap' | 'labeldrop' | 'labelkeep';
}

/** A static target group. */
export interface StaticConfig {
  readonly targets: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}

/** One scrape job, as Prometheus writes it. */
export interface ScrapeConfig {
  readonly job_name: string;
  readonly scheme?: 'http' | 'https';
  readonly metrics_path?: string;
  readonly params?: Readonly<Record<string, readonly string[]>>;
  readonly honor_labels?: boolean;
  readonly authorization?: { readonly credentials_file: string };
  readonly tls_config?: { readonly ca_file?: string; readonly server_name?: string; readonly insecure_skip_verify?: boolean };
  readonly kubernetes_sd_configs?: readonly KubernetesSdConfig[];
  readonly static_configs?: readonly StaticConfig[];
  readonly relabel_configs?: readonly RelabelConfig[];
  /** Relabelling of the scraped series (drops for cardinality). */
  readonly metric_relabel_configs?: readonly RelabelConfig[];
}

/** The whole `prometheus.yml`. */
export interface PrometheusConfigFile {
  readonly global: {
    readonly scrape_interval: string;
    readonly scrape_timeout: string;
    readonly evaluation_interval: string;
    readonly external_labels: Readonly<Record<string, string>>;
  };
  readonly rule_files: readonly string[];
  readonly alerting: {
    readonly alert_relabel_configs: readonly RelabelConfig[];
    readonly alertmanagers: readonly { readonly static_configs: readonly StaticConfig[] }[];
  };
  readonly remote_write?: readonly RemoteWriteConfig[];
  readonly scrape_configs: readonly ScrapeConfig[];
}

/** A blackbox probe job: one module against a list of targets. */
export interface ProbeJob {
  readonly job: string;
  readonly module: string;
  readonly targets: readonly string[];
}

/** The typed values the configuration is generated from. */
export interface PrometheusConfigInput {
  readonly cluster: string;
  readonly environment: string;
  readonly namespace: string;
  readonly scrapeInterval: Duration;
  readonly scrapeTimeout: Duration;
  readonly evaluationInterval: Duration;
  readonly ruleFilesDir: string;
  /** More rule files, by their path in the pod (other addons' ConfigMaps). */
  readonly ruleFiles: readonly string[];
  readonly etcdMetricsPorts: EtcdMetricsPorts | undefined;
  /** Alertmanager replicas as `host:port`, each sent every alert. */
  readonly alertmanagers: readonly string[];
  /** The Prometheus pods' own address as `host:port`. */
  readonly self: string;
  /** The blackbox exporter as `host:port`, and its probe jobs. */
  readonly blackbox: { readonly address: string; readonly probes: readonly ProbeJob[] };
  /** The kube-state-metrics and node-exporter Services: `{ service, port }` by name in `namespace`. */
  readonly exporters: MonitoringExporters;
  /** Whether the cluster runs NodeLocal DNSCache (its pods are scraped). */
  readonly nodeLocalDns: boolean;
  /** The long-term stores outside the cluster each replica writes to. */
  readonly remoteWrite: readonly RemoteWriteConfig[];
}

/** The external label that tells the Prometheus replicas apart (its pod name); dropped from alerts so Alertmanager sees one. */
export const REPLICA_LABEL = 'prometheus_replica';
/** The environment variable the replica label is expanded from (Prometheus 3 expands `${VAR}` in external labels). */
export const POD_NAME_ENV = 'POD_NAME';

/** The monitoring namespace's own scrape targets. */
export interface MonitoringExporters {
  /** kube-state-metrics: the objects' state on `port`, its own list and watch metrics on `telemetryPort`. */
  readonly kubeStateMetrics: ExporterService & { readonly telemetryPort: string };
  /** node-exporter: on the host network, in a namespace of its own, serving on `portNumber` of each node. */
  readonly nodeExporter: ExporterService & { readonly namespace: string; readonly portNumber: number };
  /** More components scraped on a Service port, each its own job (Grafana, the blackbox exporter). @default [] */
  readonly others: readonly (ExporterService & { readonly job: string })[];
}

/** An exporter's Service in the monitoring namespace. */
export interface ExporterService {
  readonly service: string;
  readonly port: string;
}

/** The name Prometheus's Kubernetes discovery gives a label or annotation (`a.b/c` becomes `a_b_c`). */
export function metaLabelName(kind: 'label' | 'labelpresent' | 'annotation', key: string, of: 'service' | 'node' | 'pod' = 'service'): string {
  return `__meta_kubernetes_${of}_${kind}_${key.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

/** The annotation a scraped Service sets its own interval with (written by lib/apps's scrape declaration). */

const TO_NAMESPACE_POD_SERVICE: readonly RelabelConfig[] = [
  { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
  { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
  { source_labels: ['__meta_kubernetes_service_name'], target_label: 'service' },
];

/** The keep regex of one Service port (`<service>;<port name>`). */
export function keepRegex(service: string, port: string): string {
  return `${service};${port}`;
}

function keepService(service: string, port: string): RelabelConfig {
  return { source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpointslice_port_name'], action: 'keep', regex: keepRegex(service, port) };
}

function probeJob(address: string, probe: ProbeJob): ScrapeConfig {
  return {
    job_name: probe.job,
    metrics_path: '/probe',
    params: { module: [probe.module] },
    static_configs: [{ targets: probe.targets }],
    relabel_configs: [
      { source_labels: ['__address__'], target_label: '__param_target' },
      { source_labels: ['__param_target'], target_label: 'instance' },
      { target_label: '__address__', replacement: address },
    ],
  };
}

/** Every Service carrying the apps' scrape label, in any namespace, relabelled from its `prometheus.io/*` annotations. */
export function servicesJob(): ScrapeConfig {
  const interval = metaLabelName('annotation', SCRAPE_INTERVAL_ANNOTATION);
  return {
    job_name: JOBS.services,
    kubernetes_sd_configs: [{ role: 'endpointslice' }],
    relabel_configs: [
      { source_labels: [metaLabelName('label', SCRAPE_LABEL)], action: 'keep', regex: 'true' },
      { source_labels: [metaLabelName('annotation', 'prometheus.io/path')], regex: '(.+)', target_label: '__metrics_path__' },
      { source_labels: ['__address__', metaLabelName('annotation', 'prometheus.io/port')], regex: '([^:]+)(?::\\d+)?;(\\d+)', replacement: '$1:$2', target_label: '__address__' },
      { source_labels: [interval], regex: '(.+)', target_label: '__scrape_interval__' },
      // An interval shorter than the global timeout also shortens the timeout, which may not exceed the interval.
      { source_labels: [interval], regex: '(\\d+ms|[1-9]s)', target_label: '__scrape_timeout__' },
      ...TO_NAMESPACE_POD_SERVICE,
    ],
  };
}

/** The `prometheus.yml` for one cluster, from typed values. */
export function renderPrometheusConfig(input: PrometheusConfigInput): PrometheusConfigFile {
  const inNamespace: KubernetesSdConfig = { role: 'endpointslice', namespaces: { names: [input.namespace] } };
  const { kubeStateMetrics: ksm, nodeExporter: ne } = input.exporters;
  const jobs: ScrapeConfig[] = [
    { job_name: JOBS.prometheus, static_configs: [{ targets: [input.self] }] },
    { job_name: JOBS.alertmanager, static_configs: [{ targets: input.alertmanagers }] },
    apiServerJob(),
    kubeletJob('metrics'),
    kubeletJob('cadvisor'),
    kubeletJob('probes'),
    ...CONTROL_PLANE_COMPONENTS.map(controlPlaneJob),
    {
      job_name: JOBS.nodeExporter,
      kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: [ne.namespace] } }],
      relabel_configs: [
        keepService(ne.service, ne.port),
        { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'instance' },
        { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node' },
      ],
    },
    {
      job_name: JOBS.kubeStateMetrics,
      // kube-state-metrics reports other objects' namespace and pod: keep its labels, not the target's.
      honor_labels: true,
      kubernetes_sd_configs: [inNamespace],
      relabel_configs: [keepService(ksm.service, ksm.port)],
    },
    // Its own metrics (list and watch results) on the telemetry port, under the same job as kube-prometheus has them.
    { job_name: `${JOBS.kubeStateMetrics}-telemetry`, kubernetes_sd_configs: [inNamespace], relabel_configs: [keepService(ksm.service, ksm.telemetryPort), setJob(JOBS.kubeStateMetrics)] },
    ...input.exporters.others.map((e) => ({ job_name: e.job, kubernetes_sd_configs: [inNamespace], relabel_configs: [keepService(e.service, e.port), ...TO_NAMESPACE_POD_SERVICE] })),
    coreDnsJob(),
    ...(input.nodeLocalDns ? [nodeLocalDnsJob()] : []),
    ...(input.etcdMetricsPorts === undefined ? [] : [etcdJob(JOBS.etcdMain, input.etcdMetricsPorts.main), etcdJob(JOBS.etcdEvents, input.etcdMetricsPorts.events)]),
    servicesJob(),
    ...input.blackbox.probes.map((p) => probeJob(input.blackbox.address, p)),
  ];
  return {
    global: {
      scrape_interval: input.scrapeInterval.toString(),
      scrape_timeout: input.scrapeTimeout.toString(),
      evaluation_interval: input.evaluationInterval.toString(),
      external_labels: { cluster: input.cluster, environment: input.environment, [REPLICA_LABEL]: `\${${POD_NAME_ENV}}` },
    },
    rule_files: [`${input.ruleFilesDir}/*.yaml`, ...input.ruleFiles],
    alerting: {
      // Every replica sends every alert; without its replica label they are one alert to Alertmanager.
      alert_relabel_configs: [{ action: 'labeldrop', regex: REPLICA_LABEL }],
      alertmanagers: [{ static_configs: [{ targets: input.alertmanagers }] }],
    },
    ...(input.remoteWrite.length === 0 ? {} : { remote_write: input.remoteWrite }),
    scrape_configs: jobs,
  };
}
