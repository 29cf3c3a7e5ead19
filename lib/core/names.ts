import { createHash } from 'node:crypto';
import { PlatformError } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The longest DNS-1123 label: what names of Services, Namespaces and most objects must fit in. */
export const DNS_LABEL_MAX = 63;

/** Whether `name` is a DNS-1123 label (lowercase alphanumerics and '-', at most 63 characters). */
export function isDnsLabel(name: string): boolean {
  return name.length <= DNS_LABEL_MAX && DNS_LABEL.test(name);
}

/**
 * Checks that `name` is a DNS-1123 label no longer than `max` (so that suffixes the library adds
 * still fit) and returns it; `where` names the construct path and field for the error.
 */
export function checkDnsLabel(name: string, where: { readonly path: string; readonly field: string }, max = DNS_LABEL_MAX): string {
  if (!DNS_LABEL.test(name)) {
    throw PlatformError.of({
      ...where, value: name, rule: 'must be a DNS-1123 label',
      fix: "use lowercase letters, digits and '-', starting and ending with a letter or digit",
    });
  }
  if (name.length > max) {
    throw PlatformError.of({ ...where, value: name, rule: `must be at most ${max} characters (is ${name.length})`, fix: 'choose a shorter name' });
  }
  return name;
}

/** JSON with object keys sorted at every level, so equal content always gives equal text. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** A short, stable content hash (10 hex digits of SHA-256 over the stable JSON of `content`). */
export function contentHash(content: unknown): string {
  return createHash('sha256').update(stableStringify(content)).digest('hex').slice(0, 10);
}
