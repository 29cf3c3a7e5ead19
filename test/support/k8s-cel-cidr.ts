// The Kubernetes CEL functions the tenant admission policies use, encoded from
// k8s.io/apiserver pkg/cel/library/cidr.go and ip.go (Kubernetes' CEL environment has them in
// admission since 1.31). @bufbuild/cel has no opaque types, so a CIDR value is the string
// `cidr:<prefix>` and an IP the string `ip:<address>`; the expressions the policies write
// (`cidr(s).ip()`, `cidr(c).containsIP(ip)`, `cidr(s).prefixLength()`) evaluate as they do in the
// API server. IPv4 prefixes only: the clusters' networks are IPv4.
// - cidr(<string>): netip.ParsePrefix, and an IPv4-mapped IPv6 address is an error; a prefix with
//   host bits set parses (parseCIDR masks nothing);
// - <CIDR>.ip(): the prefix's address as written; <CIDR>.prefixLength(): its bits;
// - <CIDR>.containsIP(<IP>): netip.Prefix.Contains (Go net/netip/netip.go): the first `bits` bits
//   of the address equal the prefix's (host bits of either are ignored); an IPv6 address is in no
//   IPv4 prefix. With a string (cidrContainsIPString), the string is parsed as ip.go's
//   stringToIP does: netip.ParseAddr, refusing a zone and an IPv4-mapped IPv6 address.
// containsCIDR is not used: cidr.go compares `Masked()` with `netip.PrefixFrom(addr, bits)`, which
// does not mask, so its answer for a block inside another depends on how the inner one is written.
import { isIPv6 } from 'node:net';
import { celFunc, celMethod, CelScalar, type CelFunc } from '@bufbuild/cel';

interface Prefix { readonly address: number; readonly bits: number; readonly text: string }

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  // netip.ParseAddr refuses leading zeros ("IPv4 field has octet with leading zero").
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function parsePrefix(text: string): Prefix {
  const [addr, bits, ...rest] = text.split('/');
  const address = addr === undefined ? undefined : ipv4(addr);
  if (rest.length > 0 || address === undefined || bits === undefined || !/^(0|[1-9]\d?)$/.test(bits) || Number(bits) > 32) {
    throw new Error(`network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(text)})`);
  }
  return { address, bits: Number(bits), text };
}

const untag = (tag: string, v: string): string => {
  if (!v.startsWith(`${tag}:`)) throw new Error(`no such overload: ${v} is not a ${tag}`);
  return v.slice(tag.length + 1);
};

/** The first `bits` bits of an IPv4 address. */
const masked = (address: number, bits: number): number => (bits === 0 ? 0 : Math.floor(address / 2 ** (32 - bits)));

export const K8S_CIDR_FUNCTIONS: CelFunc[] = [
  celFunc('cidr', [CelScalar.STRING], CelScalar.STRING, (s) => `cidr:${parsePrefix(s).text}`),
  celMethod('ip', CelScalar.STRING, [], CelScalar.STRING, function ip(this: string) {
    return `ip:${untag('cidr', this).split('/')[0] ?? ''}`;
  }),
  celMethod('prefixLength', CelScalar.STRING, [], CelScalar.INT, function prefixLength(this: string) {
    return BigInt(parsePrefix(untag('cidr', this)).bits);
  }),
  celMethod('containsIP', CelScalar.STRING, [CelScalar.STRING], CelScalar.BOOL, function containsIP(this: string, other: string) {
    const prefix = parsePrefix(untag('cidr', this));
    const text = other.startsWith('ip:') ? other.slice(3) : other;
    if (isIPv6(text) && !text.includes('%') && !/^::ffff:/i.test(text)) return false;
    const address = ipv4(text);
    if (address === undefined) throw new Error(`IP Address ${JSON.stringify(text)} parse error during conversion from string`);
    return masked(address, prefix.bits) === masked(prefix.address, prefix.bits);
  }),
];
