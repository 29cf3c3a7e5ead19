import fc from 'fast-check';
import { Duration } from '../../lib';

describe('Duration', () => {
  test.each([
    ['30s', 30_000, '30s'],
    ['90s', 90_000, '1m30s'],
    ['1h30m', 5_400_000, '1h30m'],
    ['1500ms', 1_500, '1s500ms'],
    ['2w', 1_209_600_000, '2w'],
  ])('parses %s to %d ms and prints %s', (text, ms, canonical) => {
    const d = Duration.parse(text);
    expect(d.toMilliseconds()).toBe(ms);
    expect(d.toString()).toBe(canonical);
  });

  test('seconds round up, as Kubernetes second fields need', () => {
    expect(Duration.parse('1500ms').toSeconds()).toBe(2);
  });

  test('a malformed duration is refused with the fix', () => {
    expect(() => Duration.parse('5 minutes')).toThrow(
      "Duration: value is not a duration (got \"5 minutes\"); write whole numbers with units ms, s, m, h, d or w, largest first (e.g. '30s', '1h30m')",
    );
  });

  test('printing then parsing gives the same duration', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (ms) => Duration.parse(Duration.millis(ms).toString()).toMilliseconds() === ms));
  });
});
