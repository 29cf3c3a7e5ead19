// The name kops gives the IAM role of a ServiceAccount (and the truncation every kops IAM name
// goes through), computed as kops computes it (kops pkg/model/iam/types.go, pkg/model/names.go and
// pkg/truncate/truncate.go). In core because the tenancy layer writes the role's ARN on the
// ServiceAccount an External Secrets store authenticates as; lib/aws re-exports it.

/** IAM's limit on a role name, which kops truncates to (kops pkg/model/iam/types.go MaxLengthIAMRoleName). */
export const MAX_IAM_ROLE_NAME = 64;

/** FNV-1a, 32 bit (Go hash/fnv New32a). */
function fnv32a(text: string): Buffer {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const out = Buffer.alloc(4);
  out.writeUInt32BE(h);
  return out;
}

/** Go's base32.HexEncoding (alphabet 0-9A-V, '=' padding) of `bytes`. */
function base32Hex(bytes: Buffer): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUV';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

/**
 * kops's truncate.TruncateString with AlwaysAddHash false and the default hash length 6: a string
 * within `maxLength` is kept; a longer one is cut to `maxLength - 7` and suffixed with '-' and the
 * first 6 characters of the lowercased base32hex FNV-1a hash of the whole string.
 */
export function kopsTruncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const hash = base32Hex(fnv32a(text)).toLowerCase().slice(0, 6);
  return `${text.slice(0, maxLength - hash.length - 1)}-${hash}`;
}

/** The role kops creates for a ServiceAccount: `<sa>.<ns>.sa.<cluster>`, a `*` namespace spelled `wildcard`, truncated to 64. */
export function kopsServiceAccountRoleName(serviceAccount: string, namespace: string, clusterName: string): string {
  return kopsTruncate(`${serviceAccount}.${namespace.replace(/\*/g, 'wildcard')}.sa.${clusterName}`, MAX_IAM_ROLE_NAME);
}
