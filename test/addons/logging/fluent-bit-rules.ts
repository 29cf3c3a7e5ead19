// How Fluent Bit 5.1.1 (fluent/fluent-bit tag v5.1.1, commit 6315162a8d) reads a YAML
// configuration, encoded from its source because Fluent Bit is not packaged in Debian and cannot
// run here. Each table names the file it was read from; nothing here was run against Fluent Bit.
import { parse } from 'yaml';

type Kind = 'STR' | 'BOOL' | 'INT' | 'SIZE' | 'TIME' | 'CLIST' | 'DOUBLE';

/**
 * src/config_format/flb_cf_yaml.c: the top-level sections the parser accepts (STATE_SECTION:
 * env, parsers, multiline_parsers, stream_processor, plugins, upstream_servers, pipeline,
 * service — once only —, customs, includes) and the three lists `pipeline` takes
 * (STATE_PIPELINE: inputs, filters, outputs); any other key is an error.
 */
export const TOP_LEVEL_SECTIONS = ['env', 'parsers', 'multiline_parsers', 'stream_processor', 'plugins', 'upstream_servers', 'pipeline', 'service', 'customs', 'includes'];
export const PIPELINE_SECTIONS = ['inputs', 'filters', 'outputs'];

/**
 * src/flb_config.c `service_configs[]` with the key strings of include/fluent-bit/flb_config.h
 * (FLB_CONF_STR_*, FLB_CONF_STORAGE_*): the service keys this project writes, matched
 * case-insensitively (flb_config_set_property uses strcasecmp).
 */
export const SERVICE_KEYS: Readonly<Record<string, Kind>> = {
  flush: 'DOUBLE', grace: 'INT', log_level: 'STR', http_server: 'BOOL', http_listen: 'STR', http_port: 'STR',
  health_check: 'BOOL', hc_errors_count: 'INT', hc_retry_failure_count: 'INT', hc_period: 'INT',
  'storage.path': 'STR', 'storage.sync': 'STR', 'storage.checksum': 'BOOL', 'storage.metrics': 'BOOL',
  'storage.backlog.mem_limit': 'SIZE', 'storage.max_chunks_up': 'INT', 'scheduler.cap': 'INT', 'scheduler.base': 'INT',
};

/** src/flb_input.c, flb_input_set_property: the properties every input takes. */
export const INPUT_GENERIC = [
  'tag', 'log_level', 'log_suppress_interval', 'routable', 'alias', 'mem_buf_limit', 'listen', 'host', 'port', 'ipv6',
  'tls', 'tls.verify', 'tls.verify_client_cert', 'tls.verify_hostname', 'tls.debug', 'tls.vhost', 'tls.ca_path', 'tls.ca_file',
  'tls.crt_file', 'tls.key_file', 'tls.key_passwd', 'tls.min_version', 'tls.max_version', 'tls.ciphers', 'storage.type', 'threaded',
  'thread.ring_buffer.capacity', 'thread.ring_buffer.window', 'storage.pause_on_chunks_overlimit',
];
/** src/flb_filter.c, flb_filter_set_property: the properties every filter takes. */
export const FILTER_GENERIC = ['match', 'match_regex', 'alias', 'log_level', 'log_suppress_interval'];
/** src/flb_output.c, flb_output_set_property: the properties every output takes. */
export const OUTPUT_GENERIC = [
  'match', 'match_regex', 'alias', 'log_level', 'log_suppress_interval', 'host', 'port', 'ipv6', 'retry_limit',
  'tls', 'tls.verify', 'tls.verify_hostname', 'tls.debug', 'tls.vhost', 'tls.ca_path', 'tls.ca_file', 'tls.crt_file',
  'tls.key_file', 'tls.key_passwd', 'tls.min_version', 'tls.max_version', 'tls.ciphers', 'storage.total_limit_size', 'workers',
];
/** Types of the generic properties this project writes (the same files). */
const GENERIC_KINDS: Readonly<Record<string, Kind>> = {
  tls: 'BOOL', 'tls.verify': 'BOOL', 'tls.verify_hostname': 'BOOL', port: 'INT', 'storage.total_limit_size': 'SIZE', 'db.locking': 'BOOL', workers: 'INT',
};

/** The plugins' own config maps (`struct flb_config_map config_map[]` at the end of each file). */
export const PLUGIN_KEYS: Readonly<Record<'input' | 'filter' | 'output', Readonly<Record<string, Readonly<Record<string, Kind>>>>>> = {
  input: {
    // plugins/in_tail/tail.c
    tail: {
      path: 'CLIST', exclude_path: 'CLIST', key: 'STR', read_from_head: 'BOOL', refresh_interval: 'STR', rotate_wait: 'TIME',
      docker_mode: 'BOOL', path_key: 'STR', offset_key: 'STR', ignore_older: 'TIME', buffer_chunk_size: 'SIZE', buffer_max_size: 'SIZE',
      skip_long_lines: 'BOOL', skip_empty_lines: 'BOOL', truncate_long_lines: 'BOOL', parser: 'STR', tag_regex: 'STR', db: 'STR',
      'db.sync': 'STR', 'db.locking': 'BOOL', 'db.journal_mode': 'STR', multiline: 'BOOL', 'multiline.parser': 'CLIST',
    },
    // plugins/in_kubernetes_events/kubernetes_events.c
    kubernetes_events: {
      kube_url: 'STR', interval_sec: 'INT', interval_nsec: 'INT', kube_watch_timeout: 'TIME', 'tls.debug': 'INT', 'tls.verify': 'BOOL',
      'tls.vhost': 'STR', kube_ca_file: 'STR', kube_ca_path: 'STR', kube_token_file: 'STR', kube_token_ttl: 'TIME',
      kube_request_limit: 'INT', kube_retention_time: 'TIME', kube_namespace: 'STR', db: 'STR', 'db.sync': 'STR', 'db.locking': 'BOOL',
      'db.journal_mode': 'STR',
    },
  },
  filter: {
    // plugins/filter_kubernetes/kubernetes.c
    kubernetes: {
      buffer_size: 'SIZE', 'tls.debug': 'INT', 'tls.verify': 'BOOL', merge_log: 'BOOL', merge_parser: 'STR', merge_log_key: 'STR',
      merge_log_trim: 'BOOL', keep_log: 'BOOL', kube_url: 'STR', kube_ca_file: 'STR', kube_ca_path: 'STR', kube_tag_prefix: 'STR',
      kube_token_file: 'STR', labels: 'BOOL', annotations: 'BOOL', owner_references: 'BOOL', namespace_labels: 'BOOL',
      namespace_annotations: 'BOOL', 'k8s-logging.parser': 'BOOL', 'k8s-logging.exclude': 'BOOL', use_kubelet: 'BOOL',
      kubelet_host: 'STR', kubelet_port: 'INT', kube_meta_cache_ttl: 'TIME',
    },
    // plugins/filter_lua/lua.c
    lua: { script: 'STR', code: 'STR', call: 'STR', type_int_key: 'STR', type_array_key: 'STR', protected_mode: 'BOOL', time_as_table: 'BOOL', enable_flb_null: 'BOOL' },
  },
  output: {
    // plugins/out_es/es.c
    es: {
      index: 'STR', type: 'STR', suppress_type_name: 'BOOL', http_user: 'STR', http_passwd: 'STR', http_api_key: 'STR', compress: 'STR',
      logstash_format: 'BOOL', logstash_prefix: 'STR', logstash_prefix_separator: 'STR', logstash_prefix_key: 'STR',
      logstash_dateformat: 'STR', time_key: 'STR', include_tag_key: 'BOOL', tag_key: 'STR', buffer_size: 'SIZE', path: 'STR',
      pipeline: 'STR', generate_id: 'BOOL', write_operation: 'STR', id_key: 'STR', replace_dots: 'BOOL', trace_output: 'BOOL',
      trace_error: 'BOOL',
    },
  },
};

/** src/flb_parser.c, flb_parser_load_parser_definitions (get_parser_key calls): the keys of a parser definition. */
export const PARSER_KEYS = ['name', 'format', 'regex', 'skip_empty_values', 'time_format', 'time_key', 'time_keep', 'time_strict', 'time_system_timezone', 'time_offset', 'time_zone', 'logfmt_no_bare_keys', 'types'];
/** src/flb_parser.c: the formats a parser may have. */
export const PARSER_FORMATS = ['regex', 'json', 'ltsv', 'logfmt'];

/** src/flb_utils.c, flb_utils_bool: the spellings of a boolean. */
const BOOL = /^(true|on|yes|false|off|no)$/i;
/** src/flb_utils.c, flb_utils_size_to_bytes: a number with an optional K, M or G, optionally followed by B (or `false`). */
const SIZE = /^(\d+(\.\d+)?([KMG]B?)?|false)$/i;
/** src/flb_utils.c, flb_utils_time_to_seconds: a number with an optional s, m, h or d. */
const TIME = /^\d+(\.\d+)?[smhd]?$/i;
const INT = /^-?\d+$/;
const DOUBLE = /^-?\d+(\.\d+)?$/;
/** src/flb_output.c: retry_limit is a number, `no_limits`/`false`/`off` (no limit) or `no_retries`. */
const RETRY_LIMIT = /^(\d+|no_limits|false|off|no_retries)$/i;

function checkKind(where: string, key: string, value: string, kind: Kind | undefined): string[] {
  const ok = kind === undefined || kind === 'STR' || kind === 'CLIST' ? true
    : kind === 'BOOL' ? BOOL.test(value)
      : kind === 'SIZE' ? SIZE.test(value)
        : kind === 'TIME' ? TIME.test(value)
          : kind === 'INT' ? INT.test(value) : DOUBLE.test(value);
  return ok ? [] : [`${where}: ${key}=${JSON.stringify(value)} is not a ${kind}`];
}

function checkPlugin(kind: 'input' | 'filter' | 'output', entry: unknown, index: number): string[] {
  const where = `pipeline.${kind}s[${index}]`;
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return [`${where}: must be a map`];
  const props = entry as Record<string, unknown>;
  const name = props.name;
  if (typeof name !== 'string') return [`${where}: has no plugin name`];
  const own = PLUGIN_KEYS[kind][name];
  if (own === undefined) return [`${where}: plugin ${name} is not in the tables`];
  const generic = kind === 'input' ? INPUT_GENERIC : kind === 'filter' ? FILTER_GENERIC : OUTPUT_GENERIC;
  const errors: string[] = [];
  // plugins/filter_lua/lua_config.c, flb_lua_config_create: code or a script, and `call`, are required.
  if (kind === 'filter' && name === 'lua') {
    if (props.code === undefined && props.script === undefined) errors.push(`${where}: lua needs code or script`);
    if (props.call === undefined) errors.push(`${where}: lua needs call`);
  }
  for (const [key, value] of Object.entries(props)) {
    if (key === 'name') continue;
    if (typeof value !== 'string') { errors.push(`${where}: ${key} must be written as a string`); continue; }
    const k = key.toLowerCase();
    if (!(k in own) && !generic.includes(k)) { errors.push(`${where}: ${name} has no property ${key}`); continue; }
    if (k === 'retry_limit' && !RETRY_LIMIT.test(value)) errors.push(`${where}: retry_limit=${value} is not a retry limit`);
    errors.push(...checkKind(where, key, value, own[k] ?? GENERIC_KINDS[k]));
  }
  return errors;
}

/** Every rule above a rendered configuration breaks, one line each; empty when Fluent Bit 5.1.1 would read it. */
export function fluentBitConfigErrors(text: string): string[] {
  const doc = parse(text) as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of Object.keys(doc)) if (!TOP_LEVEL_SECTIONS.includes(key)) errors.push(`top level: unknown section ${key}`);
  for (const [key, value] of Object.entries((doc.service ?? {}) as Record<string, unknown>)) {
    const k = key.toLowerCase();
    if (!(k in SERVICE_KEYS)) { errors.push(`service: unknown key ${key}`); continue; }
    errors.push(...checkKind('service', key, String(value), SERVICE_KEYS[k]));
  }
  const pipeline = (doc.pipeline ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(pipeline)) if (!PIPELINE_SECTIONS.includes(key)) errors.push(`pipeline: unknown section ${key}`);
  for (const kind of ['input', 'filter', 'output'] as const) {
    const list = pipeline[`${kind}s`];
    if (list === undefined) continue;
    if (!Array.isArray(list)) { errors.push(`pipeline.${kind}s: must be a list`); continue; }
    list.forEach((entry, i) => errors.push(...checkPlugin(kind, entry, i)));
  }
  for (const [i, parser] of ((doc.parsers ?? []) as Record<string, unknown>[]).entries()) {
    for (const key of Object.keys(parser)) if (!PARSER_KEYS.includes(key)) errors.push(`parsers[${i}]: unknown key ${key}`);
    if (!PARSER_FORMATS.includes(String(parser.format))) errors.push(`parsers[${i}]: unknown format ${String(parser.format)}`);
  }
  return errors;
}
