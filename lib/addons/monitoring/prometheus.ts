import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { buildContainer } from '../../apps/container';
import { Probe } from '../../apps/probe';
import type { ResourcesProps } from '../../apps/resources';
import { Duration, ImageRef, PlatformError, Quantity, checkDnsLabel, formatProblem, parseAt, pathOf, type DurationLike, type ImageRefLike, type QuantityLike } from '../../core';
import type { PrometheusRuleFiles } from '../addon-spec';
import { addClusterRole, addPdb, addServiceAccount, checkCount, componentLabels, componentSelector, hashedConfigMap, podSecurity, toYaml } from './component';
import { MONITORING_IMAGES } from './images';
import type { EtcdMetricsPorts } from '../../core';
import { PROMETHEUS_SECRETS_DIR, renderRemoteWrite, type RemoteWriteProps } from './remote-write';
import { CLUSTER_SCRAPE_PORTS } from './scrape-jobs';
import { scrapeReach, type ScrapeReach } from './scrape-reach';
import { POD_NAME_ENV, keepRegex, renderPrometheusConfig, type MonitoringExporters, type PrometheusConfigFile, type ProbeJob } from './prometheus-config';
import type { RuleGroup } from './rule-group';
import { checkProps } from '../../core/props-check';
import { etcdMetricsScraperVolumes } from './etcd-metrics-proxy';

/** Sizing of Prometheus, per cluster. */
export interface PrometheusSizing {
  /**
   * Prometheus replicas, at least 2; each scrapes every target, Alertmanager deduplicates their
   * alerts, the long-term store their samples (by `prometheus_replica`). A change of the
   * configuration or rules rolls the pods one at a time under a disruption budget, so one
   * replica always evaluates and scrapes: no gap in the data or the alerts. @default 2
   */
  readonly replicas?: number;
  /** How long samples are kept. @default '15d' (PROMETHEUS_DEFAULT_RETENTION) */
  readonly retention?: DurationLike;
  /** The volume claim of each replica; retention by size is 90% of it. @default '50Gi' */
  readonly storage?: QuantityLike;
  /** The StorageClass of the volume claim. @default - the cluster's default class */
  readonly storageClass?: string;
  /** Requests and limits. @default { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } } */
  readonly resources?: ResourcesProps;
}

/** Props of a {@link Prometheus}. */
export interface PrometheusProps extends PrometheusSizing {
  /** The namespace it runs in. */
  readonly namespace: string;
  /** The `cluster` external label. */
  readonly cluster: string;
  /** The `environment` external label. */
  readonly environment: string;
  /** The rule groups it evaluates. */
  readonly ruleGroups: readonly RuleGroup[];
  /** Alertmanager replicas as `host:port`. */
  readonly alertmanagers: readonly string[];
  /** The blackbox exporter as `host:port` and its probe jobs. */
  readonly blackbox: { readonly address: string; readonly probes: readonly ProbeJob[] };
  /** The exporters' Services in the namespace. */
  readonly exporters: MonitoringExporters;
  /** Whether the cluster runs NodeLocal DNSCache (its pods are scraped). @default false */
  readonly nodeLocalDns?: boolean;
  /** The ports etcd's metrics are scraped at on each master: its proxies' (ETCD_PROXY_PORTS). @default - etcd is not scraped */
  readonly etcdMetricsPorts?: EtcdMetricsPorts;
  /** The image. @default MONITORING_IMAGES.prometheus */
  readonly image?: ImageRefLike;
  /** How often targets are scraped. @default '30s' */
  readonly scrapeInterval?: DurationLike;
  /** How often rules are evaluated. @default '30s' */
  readonly evaluationInterval?: DurationLike;
  /** The registry pull secret the ServiceAccount names. @default - none */
  readonly imagePullSecret?: string;
  /** Long-term stores outside the cluster to write every sample to. @default - none */
  readonly remoteWrite?: readonly RemoteWriteProps[];
  /**
   * Rule files other addons give it (the SLO addon's), each an immutable ConfigMap in the
   * namespace: mounted under `/etc/prometheus/rule-files/<configMap>/` and listed in `rule_files`.
   * @default - none
   */
  readonly ruleFileConfigMaps?: readonly PrometheusRuleFiles[];
}

/** How long Prometheus keeps samples when the sizing does not say. */
export const PROMETHEUS_DEFAULT_RETENTION = '15d';

/** The port Prometheus serves its API and UI on. */
export const PROMETHEUS_PORT = 9090;
/** The name of the component's objects and the `app.kubernetes.io/name` of its pods. */
export const PROMETHEUS_NAME = 'prometheus';
const NAME = PROMETHEUS_NAME;
const USER = 65534;
const CONFIG_DIR = '/etc/prometheus';
const RULES_DIR = '/etc/prometheus/rules';
const RULE_FILES_DIR = '/etc/prometheus/rule-files';
const RULE_FILE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]*\.ya?ml$/;

/**
 * Prometheus as a StatefulSet with a volume claim per replica, its own ServiceAccount and a
 * least-privilege ClusterRole for discovery and scraping, running as `nobody`. The configuration
 * and rule files are immutable ConfigMaps named by their content, so a change rolls the pods.
 */
export class Prometheus extends Construct {
  /** The generated `prometheus.yml`. */
  public readonly config: PrometheusConfigFile;
  /** The rule files by file name (`nodes.yaml`), each `{ groups: [group] }`. */
  public readonly ruleFiles: Readonly<Record<string, string>>;
  /** The in-cluster URL of its API (Grafana's datasource). */
  public readonly url: string;
  /** The StatefulSet. */
  public readonly statefulSet: k8s.KubeStatefulSet;
  /** The network and ports each scrape job reaches, read from the rendered jobs (its egress policy's source). */
  public readonly reach: readonly ScrapeReach[];

  public constructor(scope: Construct, id: string, props: PrometheusProps) {
    super(scope, id);
    props = checkProps(this, Prometheus, props);
    const replicas = checkCount(this, 'replicas', props.replicas ?? 2, 2);
    const retention = parseAt(this, 'retention', () => Duration.of(props.retention ?? PROMETHEUS_DEFAULT_RETENTION));
    const given = checkRuleFileConfigMaps(this, props.ruleFileConfigMaps ?? []);
    const storage = parseAt(this, 'storage', () => Quantity.of(props.storage ?? '50Gi'));
    const scrapeInterval = parseAt(this, 'scrapeInterval', () => Duration.of(props.scrapeInterval ?? '30s'));
    const evaluationInterval = parseAt(this, 'evaluationInterval', () => Duration.of(props.evaluationInterval ?? '30s'));
    const image = parseAt(this, 'image', () => ImageRef.of(props.image ?? MONITORING_IMAGES.prometheus));
    const ns = props.namespace;
    const labels = componentLabels(NAME, 'prometheus', image);
    this.url = `http://${NAME}.${ns}.svc:${PROMETHEUS_PORT}`;

    this.config = renderPrometheusConfig({
      cluster: props.cluster,
      environment: props.environment,
      namespace: ns,
      scrapeInterval,
      scrapeTimeout: scrapeInterval.compare(Duration.seconds(10)) < 0 ? scrapeInterval : Duration.seconds(10),
      evaluationInterval,
      ruleFilesDir: RULES_DIR,
      ruleFiles: given.flatMap((g) => g.files.map((f) => `${RULE_FILES_DIR}/${g.configMap}/${f}`)),
      etcdMetricsPorts: props.etcdMetricsPorts,
      alertmanagers: props.alertmanagers,
      self: `localhost:${PROMETHEUS_PORT}`,
      blackbox: props.blackbox,
      exporters: props.exporters,
      nodeLocalDns: props.nodeLocalDns ?? false,
      remoteWrite: (props.remoteWrite ?? []).map((r) => renderRemoteWrite(this, r)),
    });
    const ne = props.exporters.nodeExporter;
    this.reach = scrapeReach(this, this.config.scrape_configs, ns, [
      ...CLUSTER_SCRAPE_PORTS,
      { namespace: ne.namespace, keep: keepRegex(ne.service, ne.port), port: ne.portNumber, network: 'nodes' },
    ]);
    const remoteSecrets = [...new Set((props.remoteWrite ?? []).flatMap((r) => (r.bearerToken === undefined ? [] : [r.bearerToken.secret])))].sort();
    this.ruleFiles = Object.fromEntries(props.ruleGroups.map((g) => [`${g.name}.yaml`, toYaml({ groups: [g.toJSON()] })]));
    const configMap = hashedConfigMap(this, 'config', `${NAME}-config`, ns, labels, { 'prometheus.yml': toYaml(this.config) });
    const rulesMap = hashedConfigMap(this, 'rules', `${NAME}-rules`, ns, labels, { ...this.ruleFiles });

    addServiceAccount(this, NAME, ns, labels, props.imagePullSecret);
    addClusterRole(this, NAME, ns, labels, [
      { apiGroups: [''], resources: ['nodes', 'nodes/metrics', 'services', 'pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
      { nonResourceUrLs: ['/metrics'], verbs: ['get'] },
    ]);

    const etcd = props.etcdMetricsPorts === undefined ? { volumes: [], mounts: [] } : etcdMetricsScraperVolumes();
    const main = buildContainer(this, NAME, {
      image,
      args: [
        `--config.file=${CONFIG_DIR}/prometheus.yml`,
        '--storage.tsdb.path=/prometheus',
        `--storage.tsdb.retention.time=${retention}`,
        `--storage.tsdb.retention.size=${Math.floor((storage.toNumber() * 0.9) / 1024 ** 2)}MB`,
        `--web.listen-address=:${PROMETHEUS_PORT}`,
        '--web.console.templates=/etc/prometheus/consoles',
      ],
      ports: [{ name: 'web', port: PROMETHEUS_PORT }],
      resources: props.resources ?? { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
      readiness: Probe.http('/-/ready', { period: '10s' }),
      liveness: Probe.http('/-/healthy', { period: '30s', failureThreshold: 6 }),
      startup: Probe.http('/-/ready', { period: '15s', failureThreshold: 60 }),
    }, {
      field: 'container', defaultReadiness: undefined, defaultLiveness: undefined,
      // The replica external label (`prometheus_replica`) is this pod's name.
      env: [{ name: POD_NAME_ENV, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      mounts: [
        { name: 'config', mountPath: CONFIG_DIR + '/prometheus.yml', subPath: 'prometheus.yml', readOnly: true },
        { name: 'rules', mountPath: RULES_DIR, readOnly: true },
        { name: 'data', mountPath: '/prometheus' },
        ...given.map((g) => ({ name: g.configMap, mountPath: `${RULE_FILES_DIR}/${g.configMap}`, readOnly: true })),
        ...remoteSecrets.map((secret, i) => ({ name: `secret${i}`, mountPath: `${PROMETHEUS_SECRETS_DIR}/${secret}`, readOnly: true })),
        ...etcd.mounts,
      ],
    });

    new k8s.KubeService(this, 'service', {
      metadata: { name: NAME, namespace: ns, labels },
      spec: { clusterIp: 'None', selector: componentSelector(NAME), ports: [{ name: 'web', port: PROMETHEUS_PORT, targetPort: k8s.IntOrString.fromString('web') }] },
    });
    this.statefulSet = new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name: NAME, namespace: ns, labels },
      spec: {
        replicas,
        serviceName: NAME,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: componentSelector(NAME) },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: NAME,
            automountServiceAccountToken: true,
            securityContext: podSecurity(USER),
            terminationGracePeriodSeconds: 600,
            containers: [main.container],
            volumes: [
              ...main.volumes,
              { name: 'config', configMap: { name: configMap } },
              { name: 'rules', configMap: { name: rulesMap } },
              ...given.map((g) => ({ name: g.configMap, configMap: { name: g.configMap } })),
              ...remoteSecrets.map((secret, i) => ({ name: `secret${i}`, secret: { secretName: secret } })),
              ...etcd.volumes,
            ],
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: 'data', labels: componentSelector(NAME) },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(props.storageClass === undefined ? {} : { storageClassName: props.storageClass }),
            resources: { requests: { storage: k8s.Quantity.fromString(storage.toString()) } },
          },
        }],
      },
    });
    addPdb(this, NAME, ns, labels);
  }
}

/**
 * Checks the rule files other addons hand Prometheus: each ConfigMap once, named as a volume
 * may be (its name is the volume's), and every key a plain `.yaml` file name.
 */
function checkRuleFileConfigMaps(scope: Construct, given: readonly PrometheusRuleFiles[]): readonly PrometheusRuleFiles[] {
  const problems: string[] = [];
  given.forEach((g, i) => {
    const field = `ruleFileConfigMaps[${i}]`;
    try {
      checkDnsLabel(g.configMap, { path: pathOf(scope), field: `${field}.configMap` });
    } catch (e) {
      if (!(e instanceof PlatformError)) throw e;
      problems.push(...e.problems);
    }
    if (['config', 'rules', 'data'].includes(g.configMap) || given.findIndex((o) => o.configMap === g.configMap) !== i) {
      problems.push(formatProblem({
        path: pathOf(scope), field: `${field}.configMap`, value: g.configMap, rule: "is given twice or names one of Prometheus's own volumes (config, rules, data)",
        fix: 'hand each rule ConfigMap once, named by its content (slo-rules-<hash>)',
      }));
    }
    for (const f of g.files) {
      if (!RULE_FILE_NAME.test(f)) problems.push(formatProblem({ path: pathOf(scope), field: `${field}.files`, value: f, rule: 'is not a rule file name', fix: 'name each key of the ConfigMap <name>.yaml' }));
    }
  });
  if (problems.length > 0) throw new PlatformError(problems);
  return given;
}
