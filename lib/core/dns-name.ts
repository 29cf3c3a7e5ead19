import { PlatformError } from './errors';

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const NAME = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

/** What a DNS name must look like where it is used. */
export interface DnsNameRules {
  /** Fewest labels: 2 for a host in a zone (`api.example.com`, `example.com`), 1 where a bare host name is allowed. @default 2 */
  readonly minLabels?: 1 | 2;
  /** Whether a leading `*.` (a wildcard certificate name) is allowed. @default false */
  readonly wildcard?: boolean;
}

/**
 * A lowercase DNS name as Kubernetes and Route53 take it (RFC 1123 labels of at most 63
 * characters, at most 253 in all), parsed once. The one definition of a DNS name in the library.
 */
export class DnsName {
  /** Whether `text` is a DNS name under `rules`. */
  public static isValid(text: string, rules: DnsNameRules = {}): boolean {
    const name = rules.wildcard === true && text.startsWith('*.') ? text.slice(2) : text;
    if (name.length < 1 || name.length > 253 || !NAME.test(name)) return false;
    const labels = name.split('.');
    return labels.length >= (rules.minLabels ?? 2) && labels.every((l) => l.length <= 63);
  }

  /** Parses a DNS name or fails naming the rule. */
  public static of(text: string, rules: DnsNameRules = {}): DnsName {
    if (!DnsName.isValid(text, rules)) {
      throw PlatformError.of({
        path: 'DnsName', field: 'name', value: text, rule: `is not a lowercase DNS name${(rules.minLabels ?? 2) === 2 ? ' with at least two labels' : ''}`,
        fix: "write lowercase labels of letters, digits and '-' joined by dots, e.g. 'api.example.com'",
      });
    }
    return new DnsName(text);
  }

  private constructor(private readonly text: string) {}

  /** Whether this name is `zone` or inside it (`a.b.example.com` is within `example.com`). */
  public isWithin(zone: string): boolean {
    return this.text === zone || this.text.endsWith(`.${zone}`);
  }

  public toString(): string {
    return this.text;
  }
}
