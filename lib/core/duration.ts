import { PlatformError } from './errors';

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1],
];
const UNIT_MS = new Map(UNITS);
const PATTERN = /^(?:\d+(?:ms|s|m|h|d|w))+$/;
const PART = /(\d+)(ms|s|m|h|d|w)/g;

/** Anything a prop accepts where a duration is meant: a `Duration` or text such as `'30s'` or `'1h30m'`. */
export type DurationLike = Duration | string;

/** A length of time, held in whole milliseconds; reads and writes the Prometheus/Go style `1h30m`. */
export class Duration {
  public static parse(text: string): Duration {
    if (!PATTERN.test(text)) {
      throw PlatformError.of({
        path: 'Duration', field: 'value', value: text, rule: 'is not a duration',
        fix: "write whole numbers with units ms, s, m, h, d or w, largest first (e.g. '30s', '1h30m')",
      });
    }
    let ms = 0;
    for (const [, amount, unit] of text.matchAll(PART)) ms += Number(amount) * (UNIT_MS.get(unit ?? '') ?? 0);
    return new Duration(ms);
  }

  public static of(value: DurationLike): Duration {
    return value instanceof Duration ? value : Duration.parse(value);
  }

  public static millis(n: number): Duration {
    if (!Number.isInteger(n) || n < 0) {
      throw PlatformError.of({ path: 'Duration', field: 'milliseconds', value: n, rule: 'must be a whole number >= 0', fix: 'pass a non-negative integer' });
    }
    return new Duration(n);
  }

  public static seconds(n: number): Duration {
    return Duration.millis(n * 1000);
  }

  public static minutes(n: number): Duration {
    return Duration.millis(n * 60_000);
  }

  public static hours(n: number): Duration {
    return Duration.millis(n * 3_600_000);
  }

  private constructor(private readonly ms: number) {}

  public toMilliseconds(): number {
    return this.ms;
  }

  /** Whole seconds, rounded up: what Kubernetes fields such as `terminationGracePeriodSeconds` take. */
  public toSeconds(): number {
    return Math.ceil(this.ms / 1000);
  }

  public plus(other: Duration): Duration {
    return new Duration(this.ms + other.ms);
  }

  public compare(other: Duration): -1 | 0 | 1 {
    return this.ms < other.ms ? -1 : this.ms > other.ms ? 1 : 0;
  }

  /** The canonical text, largest unit first: `1h30m`, `90s` is `1m30s`, zero is `0s`. */
  public toString(): string {
    if (this.ms === 0) return '0s';
    let rest = this.ms;
    let out = '';
    for (const [unit, size] of UNITS) {
      const n = Math.floor(rest / size);
      if (n > 0) {
        out += `${n}${unit}`;
        rest -= n * size;
      }
    }
    return out;
  }

  public toJSON(): string {
    return this.toString();
  }
}
