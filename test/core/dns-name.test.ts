import fc from 'fast-check';
import { DnsName } from '../../lib/core';

describe('DnsName', () => {
  test('accepts lowercase names of two or more labels and refuses the rest', () => {
    expect(['example.com', 'api.prod.example.com', 'a-1.b2.io'].every((n) => DnsName.isValid(n))).toBe(true);
    expect(['Example.com', 'example', '-a.example.com', 'a-.example.com', 'a..example.com', 'a_b.example.com', ''].some((n) => DnsName.isValid(n))).toBe(false);
  });

  test('takes a single label only where allowed, and a wildcard only where allowed', () => {
    expect([DnsName.isValid('kubernetes'), DnsName.isValid('kubernetes', { minLabels: 1 })]).toEqual([false, true]);
    expect([DnsName.isValid('*.example.com'), DnsName.isValid('*.example.com', { wildcard: true }), DnsName.isValid('*.com', { wildcard: true })]).toEqual([false, true, false]);
  });

  test('refuses a label over 63 characters and a name over 253', () => {
    expect(DnsName.isValid(`${'a'.repeat(64)}.example.com`)).toBe(false);
    expect(DnsName.isValid(`${'a'.repeat(63)}.example.com`)).toBe(true);
    expect(DnsName.isValid(Array.from({ length: 64 }, () => 'abc').join('.'))).toBe(false);
  });

  test('fails with the rule and a fix', () => {
    expect(() => DnsName.of('Api.example.com')).toThrow(
      "DnsName: name is not a lowercase DNS name with at least two labels (got \"Api.example.com\"); write lowercase labels of letters, digits and '-' joined by dots, e.g. 'api.example.com'",
    );
  });

  test('a name is within its zone and its parents, never within a sibling that shares a suffix', () => {
    expect([DnsName.of('api.example.com').isWithin('example.com'), DnsName.of('example.com').isWithin('example.com'), DnsName.of('api.badexample.com').isWithin('example.com')]).toEqual([true, true, false]);
  });

  test('every name built from valid labels is valid, and stays valid with a wildcard in front where allowed', () => {
    const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
    fc.assert(fc.property(fc.array(label, { minLength: 2, maxLength: 6 }), (labels) => {
      const name = labels.join('.');
      return DnsName.isValid(name) && DnsName.isValid(`*.${name}`, { wildcard: true }) && DnsName.of(name).toString() === name;
    }));
  });
});
