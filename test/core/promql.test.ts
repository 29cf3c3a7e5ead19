import { promqlErrorAt, promqlErrorPlace } from '../../lib/core';

describe('the PromQL parse check', () => {
  test('finds no error in valid expressions', () => {
    expect(promqlErrorAt('histogram_quantile(0.99, sum by (le) (rate(a_bucket[5m]))) > 1')).toBeUndefined();
    expect(promqlErrorAt('up{job="a"} == 0 and on (x) (b > 1)')).toBeUndefined();
    expect(promqlErrorAt('max(slo:sli_error:ratio_rate5m{sloth_id="a"} > (14.4 * 0.001)) without (sloth_window)')).toBeUndefined();
  });

  test('finds errors anywhere in an expression, and an empty one fails at 0', () => {
    const unclosed = 'up{job="a" == 0';
    expect(promqlErrorAt(unclosed)).toBeDefined();
    expect(promqlErrorAt('sum(rate(x[5m])')).toBe('sum(rate(x[5m])'.length);
    expect(promqlErrorAt('')).toBe(0);
    expect(promqlErrorAt('   ')).toBe(0);
  });

  test('says where the error is in words', () => {
    expect(promqlErrorPlace('sum(rate(x[5m])', 15)).toBe('at the end');
    expect(promqlErrorPlace('up{job="a" == 0', 11)).toBe('at character 12');
  });
});
