import type { FluentBitConfig, FluentBitPlugin, FluentBitValue } from './fluent-bit-config';
import type { LossBudget } from './loss-budget';

/** Where Fluent Bit writes: the Elasticsearch HTTP Service, verified against ECK's CA, as a user of its own. */
export interface ElasticsearchTarget {
  /** The Service's DNS name (`logging-es-http.logging.svc`). */
  readonly host: string;
  readonly port: number;
  /** The CA file ECK's HTTP certificate is verified against, as mounted in the pod. */
  readonly caFile: string;
  /** The user Fluent Bit writes as. */
  readonly user: string;
  /** The environment variable the user's password is read from (`${VAR}` is expanded by Fluent Bit). */
  readonly passwordEnv: string;
}

/** The port Fluent Bit's HTTP server (metrics, health) listens on. */
export const FLUENT_BIT_HTTP_PORT = 2020;

/** Index name prefixes: Fluent Bit writes `<prefix>-YYYY.MM.DD`. */
export const INDEX_PREFIXES = { containers: 'logs', events: 'events', audit: 'audit' } as const;

/** The stream a pipeline ships, and so its index. */
export type LogStream = keyof typeof INDEX_PREFIXES;

/** What both pipelines share: the service section with filesystem buffering under `statePath`. */
function service(statePath: string): Record<string, FluentBitValue> {
  return {
    flush: 1,
    log_level: 'info',
    http_server: true,
    http_listen: '0.0.0.0',
    http_port: FLUENT_BIT_HTTP_PORT,
    health_check: true,
    'storage.path': `${statePath}/buffer`,
    'storage.sync': 'normal',
    'storage.checksum': true,
    'storage.metrics': true,
    'storage.backlog.mem_limit': '16M',
    // At most 32 chunks (about 2 MB each) in memory at once, well inside the agent's memory limit; the rest wait on disk.
    'storage.max_chunks_up': 32,
    // Back off at most a minute between retries, so a recovered Elasticsearch is caught up quickly.
    'scheduler.cap': 60,
  };
}

/** The Elasticsearch output of one stream: TLS verified, retries without limit, the stream's disk limit. */
function elasticsearchOutput(match: string, stream: LogStream, target: ElasticsearchTarget, budget: LossBudget): FluentBitPlugin {
  return {
    name: 'es',
    properties: {
      match,
      alias: `es-${stream}`,
      host: target.host,
      port: target.port,
      tls: true,
      'tls.verify': true,
      // Off by default in Fluent Bit (src/flb_output.c, flb_output_new: tls_verify_hostname = FLB_FALSE); ECK's certificate names the Service.
      'tls.verify_hostname': true,
      'tls.ca_file': target.caFile,
      http_user: target.user,
      http_passwd: `\${${target.passwordEnv}}`,
      logstash_format: true,
      logstash_prefix: INDEX_PREFIXES[stream],
      suppress_type_name: true,
      replace_dots: true,
      // A retried bulk request re-sends the same documents; a content-derived _id makes the retry idempotent.
      generate_id: true,
      trace_error: true,
      retry_limit: 'no_limits',
      'storage.total_limit_size': budget.totalLimitSize,
    },
  };
}

/**
 * How container logs are indexed: `daily`, one `logs-YYYY.MM.DD` index a day; `per-namespace`,
 * `logs-<namespace>-YYYY.MM.DD`, so a namespace's logs can be searched, sized and deleted alone
 * (more, smaller indices: more shards for the cluster to hold).
 */
export type ContainerIndexMode = 'daily' | 'per-namespace';

/** The record key the per-namespace index is written to, and the Lua function that writes it. */
const INDEX_KEY = 'es_index';
const INDEX_FUNCTION = 'platform_index';
/** Sets `es_index` to `logs-<namespace>` on records the Kubernetes filter gave a namespace; others keep the daily index (code 0: unchanged). */
const INDEX_LUA = [
  `function ${INDEX_FUNCTION}(tag, timestamp, record)`,
  '  local k = record["kubernetes"]',
  '  if k == nil or k["namespace_name"] == nil then return 0, timestamp, record end',
  `  record["${INDEX_KEY}"] = "${INDEX_PREFIXES.containers}-" .. k["namespace_name"]`,
  '  return 2, timestamp, record',
  'end',
].join('\n');

/** What the node agent ships. */
export interface NodePipelineProps {
  /** How container logs are indexed. */
  readonly containerIndex: ContainerIndexMode;
  readonly target: ElasticsearchTarget;
  /** The host folder the buffer and the position databases live in. */
  readonly statePath: string;
  readonly containers: LossBudget;
  /** The API server's audit log on the masters and its budget; absent when the cluster writes none. */
  readonly audit: { readonly path: string; readonly budget: LossBudget } | undefined;
}

/**
 * The node agent: every container's log through the CRI multiline parser and the Kubernetes
 * filter, and (on masters, where the file exists) the API server's audit log, each to its own
 * index, each buffered on the host's disk with its position kept in a database there.
 */
export function nodePipeline(props: NodePipelineProps): FluentBitConfig {
  const { target, statePath, audit } = props;
  const inputs: FluentBitPlugin[] = [{
    name: 'tail',
    properties: {
      alias: 'containers',
      tag: 'kube.*',
      path: '/var/log/containers/*.log',
      'multiline.parser': 'cri',
      db: `${statePath}/containers.db`,
      'db.locking': true,
      'storage.type': 'filesystem',
      skip_long_lines: true,
      refresh_interval: 10,
      rotate_wait: 30,
    },
  }];
  const containers = elasticsearchOutput('kube.*', 'containers', target, props.containers);
  const perNamespace = props.containerIndex === 'per-namespace';
  const outputs: FluentBitPlugin[] = [perNamespace
    // The es output takes the index prefix from this record key when present (plugins/out_es/es.c, ra_prefix_key), else logstash_prefix.
    ? { ...containers, properties: { ...containers.properties, logstash_prefix_key: `$${INDEX_KEY}` } }
    : containers];
  if (audit !== undefined) {
    inputs.push({
      name: 'tail',
      properties: {
        alias: 'audit',
        tag: 'audit',
        path: audit.path,
        parser: 'k8s-audit',
        db: `${statePath}/audit.db`,
        'db.locking': true,
        'storage.type': 'filesystem',
        buffer_max_size: '1M',
        skip_long_lines: true,
        refresh_interval: 10,
        rotate_wait: 30,
      },
    });
    outputs.push(elasticsearchOutput('audit', 'audit', target, audit.budget));
  }
  return {
    service: service(statePath),
    ...(audit === undefined ? {} : {
      parsers: [{
        name: 'k8s-audit',
        properties: { format: 'json', time_key: 'requestReceivedTimestamp', time_format: '%Y-%m-%dT%H:%M:%S.%LZ', time_keep: true },
      }],
    }),
    inputs,
    filters: [{
      name: 'kubernetes',
      properties: {
        match: 'kube.*',
        kube_tag_prefix: 'kube.var.log.containers.',
        merge_log: true,
        keep_log: false,
        labels: true,
        annotations: false,
        'k8s-logging.parser': false,
        'k8s-logging.exclude': false,
        buffer_size: '1M',
      },
    }, ...(perNamespace ? [{ name: 'lua', properties: { match: 'kube.*', call: INDEX_FUNCTION, code: INDEX_LUA } }] : [])],
    outputs,
  };
}

/** What the event shipper ships. */
export interface EventPipelineProps {
  readonly target: ElasticsearchTarget;
  /** The folder (on the shipper's volume) the buffer and the position database live in. */
  readonly statePath: string;
  readonly events: LossBudget;
}

/** The event shipper: every Kubernetes event, once, from the API server's watch, its position kept in a database. */
export function eventPipeline(props: EventPipelineProps): FluentBitConfig {
  return {
    service: service(props.statePath),
    inputs: [{
      name: 'kubernetes_events',
      properties: {
        alias: 'events',
        tag: 'k8s_events',
        db: `${props.statePath}/events.db`,
        'db.locking': true,
        kube_retention_time: '1h',
        'storage.type': 'filesystem',
      },
    }],
    filters: [],
    outputs: [elasticsearchOutput('k8s_events', 'events', props.target, props.events)],
  };
}
