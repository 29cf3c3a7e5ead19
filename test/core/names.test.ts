import fc from 'fast-check';
import { checkDnsLabel, formatProblem, isDnsLabel, labelValue, standardLabels } from '../../lib';
import { contentHash, stableStringify } from '../../lib/core/names';

describe('names and labels', () => {
  test('DNS-1123 labels', () => {
    expect(isDnsLabel('orders-api')).toBe(true);
    expect(isDnsLabel('Orders')).toBe(false);
    expect(isDnsLabel('-a')).toBe(false);
    expect(isDnsLabel('a'.repeat(64))).toBe(false);
  });

  test('a name that is not a label is refused with the construct path and field', () => {
    expect(() => checkDnsLabel('Orders_API', { path: 'prod/orders', field: 'id' })).toThrow(
      `prod/orders: id must be a DNS-1123 label (got "Orders_API"); use lowercase letters, digits and '-', starting and ending with a letter or digit`,
    );
  });

  test('a name longer than the room left for suffixes is refused', () => {
    expect(() => checkDnsLabel('a'.repeat(46), { path: 'p', field: 'id' }, 45)).toThrow(`p: id must be at most 45 characters (is 46) (got "${'a'.repeat(46)}"); choose a shorter name`);
  });

  test('the content hash does not depend on key order', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.string()), (data) => {
      const reversed = Object.fromEntries(Object.entries(data).reverse());
      return contentHash(data) === contentHash(reversed) && stableStringify(data) === stableStringify(reversed);
    }));
  });

  test('the content hash changes with the content', () => {
    expect(contentHash({ a: '1' })).not.toBe(contentHash({ a: '2' }));
    expect(contentHash({ a: '1' })).toMatch(/^[0-9a-f]{10}$/);
  });

  test('standard labels always say who manages the object', () => {
    expect(standardLabels({ name: 'api', component: 'web', partOf: 'shop', version: '1.0' })).toEqual({
      'app.kubernetes.io/name': 'api',
      'app.kubernetes.io/component': 'web',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/version': '1.0',
      'app.kubernetes.io/managed-by': 'platform-constructs',
    });
  });

  test('any text becomes a valid label value', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      const v = labelValue(text);
      return v.length <= 63 && (v === '' || /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(v));
    }));
  });

  test('a problem reads path, field, rule, value and fix', () => {
    expect(formatProblem({ path: 'prod/orders/api', field: 'replicas', rule: 'must be >= 2', value: 1, fix: 'raise replicas' }))
      .toBe('prod/orders/api: replicas must be >= 2 (got 1); raise replicas');
  });
});
