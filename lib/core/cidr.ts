import { PlatformError } from './errors';

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/** Whether `text` is a dotted-quad IPv4 address. */
export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

function ipToNumber(text: string): number {
  return text.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Anything a prop accepts where a CIDR block is meant. */
export type CidrLike = Cidr | string;

/** An IPv4 CIDR block whose address is its network address (no host bits set). */
export class Cidr {
  public static parse(text: string): Cidr {
    const fail = (rule: string, fix: string): never => {
      throw PlatformError.of({ path: 'Cidr', field: 'cidr', value: text, rule, fix });
    };
    const [address = '', prefixText, ...extra] = text.split('/');
    if (extra.length > 0 || prefixText === undefined || !/^\d{1,2}$/.test(prefixText) || !isIpv4(address)) {
      fail('is not an IPv4 CIDR block', "write address/prefix, e.g. '10.0.0.0/16'");
    }
    const prefix = Number(prefixText);
    if (prefix > 32) fail('has a prefix longer than 32', 'use a prefix length from 0 to 32');
    const network = ipToNumber(address);
    const size = 2 ** (32 - prefix);
    if (network % size !== 0) {
      fail('has host bits set', `use the network address: '${numberToIp(network - (network % size))}/${prefix}'`);
    }
    return new Cidr(network, prefix);
  }

  public static of(value: CidrLike): Cidr {
    return value instanceof Cidr ? value : Cidr.parse(value);
  }

  private constructor(
    private readonly start: number,
    /** The prefix length (`16` in `10.0.0.0/16`). */
    public readonly prefix: number,
  ) {}

  /** The network address (`10.0.0.0`). */
  public get network(): string {
    return numberToIp(this.start);
  }

  /** The number of addresses in the block. */
  public get size(): number {
    return 2 ** (32 - this.prefix);
  }

  /** Whether `other` lies wholly inside this block. */
  public contains(other: Cidr): boolean {
    return other.start >= this.start && other.start + other.size <= this.start + this.size;
  }

  /** Whether `address` (dotted quad) lies inside this block. */
  public containsAddress(address: string): boolean {
    if (!isIpv4(address)) return false;
    const n = ipToNumber(address);
    return n >= this.start && n < this.start + this.size;
  }

  /** Whether the two blocks share any address. */
  public overlaps(other: Cidr): boolean {
    return this.start < other.start + other.size && other.start < this.start + this.size;
  }

  /** The `index`-th block of prefix length `prefix` inside this one. */
  public subnet(prefix: number, index: number): Cidr {
    const count = prefix >= this.prefix && prefix <= 32 ? 2 ** (prefix - this.prefix) : 0;
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw PlatformError.of({
        path: 'Cidr', field: 'subnet', value: `${this}/${prefix}[${index}]`,
        rule: `has no block number ${index} of prefix /${prefix}`,
        fix: `choose a prefix from /${this.prefix} to /32 and an index below ${count}`,
      });
    }
    return new Cidr(this.start + index * 2 ** (32 - prefix), prefix);
  }

  public equals(other: Cidr): boolean {
    return this.start === other.start && this.prefix === other.prefix;
  }

  public toString(): string {
    return `${this.network}/${this.prefix}`;
  }

  public toJSON(): string {
    return this.toString();
  }
}
