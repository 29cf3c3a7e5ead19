import fc from 'fast-check';
import { Cidr, isIpv4 } from '../../lib';

describe('Cidr', () => {
  test('reads network, prefix and size', () => {
    const c = Cidr.parse('10.20.0.0/16');
    expect(c.network).toBe('10.20.0.0');
    expect(c.prefix).toBe(16);
    expect(c.size).toBe(65536);
  });

  test('a block with host bits set is refused with the network address as the fix', () => {
    expect(() => Cidr.parse('10.0.0.1/16')).toThrow(`Cidr: cidr has host bits set (got "10.0.0.1/16"); use the network address: '10.0.0.0/16'`);
  });

  test.each(['10.0.0.0', '10.0.0.0/33', '256.0.0.0/8', '10.0.0/8', 'ten/8'])('refuses %s', (text) => {
    expect(() => Cidr.parse(text)).toThrow(/Cidr: cidr (is not an IPv4 CIDR block|has a prefix longer than 32)/);
  });

  test('containment and overlap', () => {
    const vpc = Cidr.parse('10.0.0.0/16');
    expect(vpc.contains(Cidr.parse('10.0.32.0/19'))).toBe(true);
    expect(vpc.contains(Cidr.parse('10.1.0.0/24'))).toBe(false);
    expect(vpc.overlaps(Cidr.parse('10.0.255.0/24'))).toBe(true);
    expect(vpc.overlaps(Cidr.parse('100.64.0.0/10'))).toBe(false);
    expect(vpc.containsAddress('10.0.3.4')).toBe(true);
  });

  test('asking for a subnet that does not exist is refused', () => {
    expect(() => Cidr.parse('10.0.0.0/16').subnet(17, 2)).toThrow('Cidr: subnet has no block number 2 of prefix /17 (got "10.0.0.0/16/17[2]"); choose a prefix from /16 to /32 and an index below 2');
  });

  const block = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 8, max: 28 }))
    .map(([n, prefix]) => {
      const size = 2 ** (32 - prefix);
      const start = n - (n % size);
      return Cidr.parse(`${[24, 16, 8, 0].map((s) => Math.floor(start / 2 ** s) % 256).join('.')}/${prefix}`);
    });

  test('subnets lie inside their block and distinct subnets never overlap', () => {
    fc.assert(fc.property(block, fc.integer({ min: 0, max: 4 }), fc.nat(), fc.nat(), (parent, extra, i, j) => {
      const prefix = parent.prefix + extra;
      const count = 2 ** extra;
      const a = parent.subnet(prefix, i % count);
      const b = parent.subnet(prefix, j % count);
      return parent.contains(a) && parent.contains(b) && (i % count === j % count ? a.equals(b) : !a.overlaps(b));
    }));
  });

  test('printing then parsing gives the same block', () => {
    fc.assert(fc.property(block, (c) => Cidr.parse(c.toString()).equals(c) && isIpv4(c.network)));
  });
});
