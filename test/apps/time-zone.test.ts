import { App } from 'cdk8s';
import { CronTask, Environment, PlatformChart, PlatformError } from '../../lib';
import { isTimeZone } from '../../lib/apps/time-zone';

describe('isTimeZone', () => {
  test('canonical zones and the IANA aliases the canonical list leaves out are time zones', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'UTC', 'Etc/UTC', 'US/Eastern', 'Asia/Calcutta', 'Etc/GMT+1']) expect(isTimeZone(zone)).toBe(true);
  });

  test('unknown names, a zone miswritten in case and Local are not', () => {
    for (const zone of ['Mars/Olympus', 'europe/berlin', 'Local', 'GMT+1', '']) expect(isTimeZone(zone)).toBe(false);
  });
});

describe('CronTask timeZone', () => {
  const scope = () => new PlatformChart(new Environment(new App(), 'prod', { name: 'prod', environments: ['prod'] }), 'shop', { phase: 'services', namespace: 'shop' });
  const task = (timeZone: string) => new CronTask(scope(), 'report', { image: 'registry.example.com/shop/report:1.0.0', schedule: '0 1 * * *', timeZone });

  test('a zone written in the wrong case is refused with the right spelling', () => {
    expect(() => task('europe/berlin')).toThrow(new PlatformError([
      "prod/shop/report: timeZone is not a time zone of the IANA database (got \"europe/berlin\"); did you mean 'Europe/Berlin'? (time zone names are case-sensitive)",
    ]));
  });

  test('an unknown zone of a known region is refused with a zone of that region', () => {
    expect(() => task('Europe/Atlantis')).toThrow("prod/shop/report: timeZone is not a time zone of the IANA database (got \"Europe/Atlantis\"); write a zone of the IANA database, e.g. 'Europe/Amsterdam'");
  });

  test('an alias is accepted and written as given', () => {
    expect(() => task('US/Eastern')).not.toThrow();
  });
});
