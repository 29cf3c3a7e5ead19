import { stringify } from 'yaml';

/** YAML as Dex reads it: no folded lines, so the content (and its hash) is stable. */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}
