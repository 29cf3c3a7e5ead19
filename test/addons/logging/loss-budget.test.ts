import { App, Chart } from 'cdk8s';
import fc from 'fast-check';
import { lossBudget } from '../../../lib/addons/logging';

const scope = new Chart(new App({ outdir: 'dist' }), 'c');

describe('lossBudget', () => {
  test('is rate × outage in Fluent Bit\'s decimal megabytes: 200 kB/s for 15 minutes is 180M', () => {
    expect(lossBudget(scope, 'b', {}, '200k')).toEqual({ bytesPerSecond: 200_000, outageSeconds: 900, limitMegabytes: 180, totalLimitSize: '180M' });
    expect(lossBudget(scope, 'b', { ingestRate: '1Mi', outage: '1h' }, '200k').totalLimitSize).toBe('3775M');
  });

  test('always holds at least the stated outage at the stated rate, and less than a megabyte more', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 24 * 60 }), (rate, minutes) => {
      const b = lossBudget(scope, 'b', { ingestRate: rate, outage: `${minutes}m` }, '200k');
      const bytes = b.limitMegabytes * 1_000_000;
      return bytes >= rate * minutes * 60 && bytes - rate * minutes * 60 < 1_000_000;
    }));
  });
});
