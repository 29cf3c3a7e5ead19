import { CronTask, parseCronSchedule } from '../../lib';
import { chartIn, only } from '../support/trees';

const image = 'registry.example.com/shop/orders:2.3.1';

describe('CronTask', () => {
  test('forbids overlapping runs and sets deadlines and history limits by default', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new CronTask(chart, 'cleanup', { image, schedule: '30 3 * * *' });
    // THEN
    const cron = only(chart, 'CronJob');
    expect(cron.spec).toMatchObject({
      schedule: '30 3 * * *', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3, suspend: false,
    });
    expect(cron.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(3600);
    expect(cron.spec.jobTemplate.spec.backoffLimit).toBe(1);
    expect(cron.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('per environment the schedule can change and runs can be suspended', () => {
    const chart = chartIn('e2e');
    new CronTask(chart, 'cleanup', { image, schedule: '@daily', overrides: { e2e: { schedule: '0 * * * *', suspend: true } } });
    expect(only(chart, 'CronJob').spec).toMatchObject({ schedule: '0 * * * *', suspend: true });
  });

  test('a bad schedule is refused with the field that is wrong', () => {
    expect(() => new CronTask(chartIn(), 'cleanup', { image, schedule: '61 * * * *' })).toThrow(
      `prod/services/cleanup: schedule: CronSchedule: schedule has a bad minute field: '61' is outside 0-59 (got "61 * * * *"); write five fields, minute hour day-of-month month day-of-week (e.g. '*/15 * * * *'), or a macro such as '@daily'`,
    );
  });

  test('a zero deadline is refused', () => {
    expect(() => new CronTask(chartIn(), 'cleanup', { image, schedule: '@hourly', activeDeadline: '0s' })).toThrow(
      'prod/services/cleanup: activeDeadline must be at least 1s (got "0s"); give runs a positive deadline',
    );
  });
});

describe('parseCronSchedule', () => {
  test.each(['*/15 * * * *', '0 9-17 * * MON-FRI', '0 0 1,15 * *', '5 4 * JAN-MAR 0', '@weekly', '0 0 * * 7'])('accepts %s', (s) => {
    expect(parseCronSchedule(s)).toBe(s);
  });

  test.each([
    ['* * * *', 'has 4 fields, not 5'],
    ['* 24 * * *', "has a bad hour field: '24' is outside 0-23"],
    ['* * 0 * *', "has a bad day of month field: '0' is outside 1-31"],
    ['*/0 * * * *', "has a bad minute field: step in '*/0' must be a whole number >= 1"],
    ['* * * * 5-1', "has a bad day of week field: range '5-1' runs backwards"],
    ['@sometimes', 'has 1 fields, not 5'],
  ])('refuses %j: %s', (s, rule) => {
    expect(() => parseCronSchedule(s)).toThrow(rule);
  });
});
