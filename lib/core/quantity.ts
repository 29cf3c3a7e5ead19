import { PlatformError } from './errors';

const BINARY: ReadonlyArray<readonly [string, bigint]> = [
  ['Ei', 1024n ** 6n], ['Pi', 1024n ** 5n], ['Ti', 1024n ** 4n], ['Gi', 1024n ** 3n], ['Mi', 1024n ** 2n], ['Ki', 1024n],
];
const DECIMAL: ReadonlyArray<readonly [string, bigint]> = [
  ['E', 10n ** 18n], ['P', 10n ** 15n], ['T', 10n ** 12n], ['G', 10n ** 9n], ['M', 10n ** 6n], ['k', 10n ** 3n],
];
const SUFFIX = new Map<string, bigint>([...BINARY, ...DECIMAL]);
const PATTERN = /^(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)|[eE]([+-]?\d{1,2}))?$/;

/** Anything a prop accepts where a quantity is meant: a parsed `Quantity`, a string (`'250m'`, `'1Gi'`) or a number. */
export type QuantityLike = Quantity | string | number;

/**
 * A Kubernetes resource quantity (CPU or memory), held exactly as an integer number of
 * milli-units, the precision Kubernetes itself keeps (finer values round up, as the API server does).
 */
export class Quantity {
  /** Parses the Kubernetes quantity syntax: `250m`, `0.5`, `128Mi`, `1G`, `1e3`. */
  public static parse(text: string): Quantity {
    const match = PATTERN.exec(text);
    if (!match) {
      throw PlatformError.of({
        path: 'Quantity', field: 'value', value: text, rule: 'is not a Kubernetes quantity',
        fix: "write a non-negative number with an optional suffix: m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei (e.g. '250m', '512Mi')",
      });
    }
    const [, mantissa = '', suffix, exponent] = match;
    const [whole = '', fraction = ''] = mantissa.split('.');
    const digits = BigInt(`${whole}${fraction}` || '0');
    let numerator = digits * 1000n;
    let denominator = 10n ** BigInt(fraction.length);
    if (suffix === 'm') denominator *= 1000n;
    else if (suffix !== undefined) numerator *= SUFFIX.get(suffix) ?? 1n;
    if (exponent !== undefined) {
      const e = BigInt(exponent);
      if (e >= 0n) numerator *= 10n ** e;
      else denominator *= 10n ** -e;
    }
    return new Quantity((numerator + denominator - 1n) / denominator);
  }

  /** Accepts a `Quantity`, a quantity string or a plain number of whole units. */
  public static of(value: QuantityLike): Quantity {
    if (value instanceof Quantity) return value;
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || value < 0) {
        throw PlatformError.of({ path: 'Quantity', field: 'value', value, rule: 'must be a finite number >= 0', fix: 'pass a non-negative number or a quantity string' });
      }
      return Quantity.parse(String(value));
    }
    return Quantity.parse(value);
  }

  /** A quantity of `n` milli-units (`Quantity.milli(250)` is 250m of CPU). */
  public static milli(n: bigint | number): Quantity {
    const value = BigInt(n);
    if (value < 0n) {
      throw PlatformError.of({ path: 'Quantity', field: 'milli', value: String(n), rule: 'must be >= 0', fix: 'pass a non-negative number of milli-units' });
    }
    return new Quantity(value);
  }

  /** The zero quantity. */
  public static readonly ZERO = new Quantity(0n);

  private constructor(private readonly millis: bigint) {}

  /** The exact value in milli-units. */
  public toMilli(): bigint {
    return this.millis;
  }

  /** The value in whole units as a JavaScript number (bytes for memory, cores for CPU). */
  public toNumber(): number {
    return Number(this.millis) / 1000;
  }

  public plus(other: Quantity): Quantity {
    return new Quantity(this.millis + other.millis);
  }

  /** The difference; refuses a negative result, since no Kubernetes quantity is negative. */
  public minus(other: Quantity): Quantity {
    if (other.millis > this.millis) {
      throw PlatformError.of({ path: 'Quantity', field: 'minus', value: `${this} - ${other}`, rule: 'would be negative', fix: 'subtract a smaller quantity' });
    }
    return new Quantity(this.millis - other.millis);
  }

  /** The quantity multiplied by a whole, non-negative factor (replicas, say). */
  public times(factor: number): Quantity {
    if (!Number.isInteger(factor) || factor < 0) {
      throw PlatformError.of({ path: 'Quantity', field: 'times', value: factor, rule: 'must be a whole number >= 0', fix: 'multiply by a replica count or another integer' });
    }
    return new Quantity(this.millis * BigInt(factor));
  }

  /** -1, 0 or 1 as this quantity is smaller than, equal to or larger than `other`. */
  public compare(other: Quantity): -1 | 0 | 1 {
    return this.millis < other.millis ? -1 : this.millis > other.millis ? 1 : 0;
  }

  public equals(other: Quantity): boolean {
    return this.millis === other.millis;
  }

  public lessThan(other: Quantity): boolean {
    return this.millis < other.millis;
  }

  public greaterThan(other: Quantity): boolean {
    return this.millis > other.millis;
  }

  /** The canonical text: milli-units when fractional, else the largest exact binary suffix, then decimal suffix, then plain. */
  public toString(): string {
    if (this.millis % 1000n !== 0n) return `${this.millis}m`;
    const units = this.millis / 1000n;
    if (units === 0n) return '0';
    for (const [suffix, factor] of [...BINARY, ...DECIMAL]) {
      if (units % factor === 0n) return `${units / factor}${suffix}`;
    }
    return units.toString();
  }

  public toJSON(): string {
    return this.toString();
  }
}
