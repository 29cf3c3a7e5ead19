import { stringify } from 'yaml';

/** A property value as Fluent Bit reads it: every value is a string to it; booleans are written `on`/`off`. */
export type FluentBitValue = string | number | boolean;

/** One plugin instance of a pipeline: its plugin name and its properties. */
export interface FluentBitPlugin {
  /** The plugin (`tail`, `kubernetes`, `es`). */
  readonly name: string;
  /** Its properties, by the names the plugin's config map and Fluent Bit's generic properties use. */
  readonly properties: Readonly<Record<string, FluentBitValue>>;
}

/** A whole Fluent Bit configuration in its YAML format: service settings and one pipeline. */
export interface FluentBitConfig {
  /** The `service` section (flush, HTTP server, storage). */
  readonly service: Readonly<Record<string, FluentBitValue>>;
  /** Parsers defined in the file (the top-level `parsers` list), by name. @default [] */
  readonly parsers?: readonly FluentBitPlugin[];
  readonly inputs: readonly FluentBitPlugin[];
  readonly filters: readonly FluentBitPlugin[];
  readonly outputs: readonly FluentBitPlugin[];
}

function value(v: FluentBitValue): string {
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return String(v);
}

function values(record: Readonly<Record<string, FluentBitValue>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, value(v)]));
}

function plugin(p: FluentBitPlugin): Record<string, string> {
  return { name: p.name, ...values(p.properties) };
}

/**
 * Renders the configuration as Fluent Bit's YAML format reads it (src/config_format/flb_cf_yaml.c):
 * a `service` map, an optional `parsers` list, and `pipeline` with `inputs`, `filters` and `outputs` lists of maps, each with
 * its plugin `name`. Every value is written as a string, so YAML never retypes one (`on`, `5M`).
 */
export function renderFluentBitConfig(config: FluentBitConfig): string {
  return stringify({
    service: values(config.service),
    ...(config.parsers === undefined || config.parsers.length === 0 ? {} : { parsers: config.parsers.map(plugin) }),
    pipeline: {
      inputs: config.inputs.map(plugin),
      ...(config.filters.length === 0 ? {} : { filters: config.filters.map(plugin) }),
      outputs: config.outputs.map(plugin),
    },
  }, { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
}
