import fc from 'fast-check';
import { Quantity } from '../../lib';

describe('Quantity', () => {
  test.each([
    ['250m', 250n, '250m'],
    ['0.5', 500n, '500m'],
    ['2', 2000n, '2'],
    ['128Mi', 128n * 1024n * 1024n * 1000n, '128Mi'],
    ['1G', 1_000_000_000_000n, '1G'],
    ['1e3', 1_000_000n, '1k'],
    ['1.5Gi', 1536n * 1024n * 1024n * 1000n, '1536Mi'],
    ['0.0001', 1n, '1m'],
  ])('parses %s to %d milli-units and prints it as %s', (text, milli, canonical) => {
    // WHEN
    const q = Quantity.parse(text);
    // THEN
    expect(q.toMilli()).toBe(milli);
    expect(q.toString()).toBe(canonical);
  });

  test('a malformed quantity is refused with the rule and the fix', () => {
    expect(() => Quantity.parse('12 cores')).toThrow(
      'Quantity: value is not a Kubernetes quantity (got "12 cores"); write a non-negative number with an optional suffix: m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei (e.g. \'250m\', \'512Mi\')',
    );
  });

  test('negative quantities are refused', () => {
    expect(() => Quantity.parse('-1')).toThrow('is not a Kubernetes quantity');
    expect(() => Quantity.of(-1)).toThrow('Quantity: value must be a finite number >= 0 (got -1)');
  });

  test('subtraction that would go below zero is refused', () => {
    expect(() => Quantity.parse('1').minus(Quantity.parse('2'))).toThrow('Quantity: minus would be negative (got "1 - 2"); subtract a smaller quantity');
  });

  test('multiplication takes whole factors only', () => {
    expect(Quantity.parse('250m').times(4).toString()).toBe('1');
    expect(() => Quantity.parse('1').times(1.5)).toThrow('Quantity: times must be a whole number >= 0 (got 1.5)');
  });

  const quantity = fc.bigInt({ min: 0n, max: 10n ** 21n }).map((n) => Quantity.milli(n));

  test('printing then parsing gives the same quantity', () => {
    fc.assert(fc.property(quantity, (q) => Quantity.parse(q.toString()).equals(q)));
  });

  test('addition is commutative and associative, and subtraction undoes it', () => {
    fc.assert(fc.property(quantity, quantity, quantity, (a, b, c) =>
      a.plus(b).equals(b.plus(a)) && a.plus(b).plus(c).equals(a.plus(b.plus(c))) && a.plus(b).minus(b).equals(a)));
  });

  test('comparison agrees with the milli-unit values', () => {
    fc.assert(fc.property(quantity, quantity, (a, b) => {
      const expected = a.toMilli() < b.toMilli() ? -1 : a.toMilli() > b.toMilli() ? 1 : 0;
      return a.compare(b) === expected && a.lessThan(b) === (expected === -1) && a.greaterThan(b) === (expected === 1);
    }));
  });

  test('any decimal number with a suffix parses to at least its exact value, rounded up to a milli-unit', () => {
    const suffixes = ['', 'm', 'k', 'M', 'Ki', 'Mi', 'Gi'] as const;
    const factor: Record<string, number> = { '': 1, m: 0.001, k: 1e3, M: 1e6, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };
    fc.assert(fc.property(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 999 }), fc.constantFrom(...suffixes), (whole, frac, suffix) => {
      const text = `${whole}.${String(frac).padStart(3, '0')}${suffix}`;
      const exactMilli = (whole + frac / 1000) * (factor[suffix] ?? 1) * 1000;
      const parsed = Number(Quantity.parse(text).toMilli());
      return parsed >= exactMilli - 1e-6 * exactMilli - 1e-9 && parsed < exactMilli + 1 + 1e-6 * exactMilli;
    }));
  });
});
