import { monitoring } from './fixture';

describe('the Alertmanager configuration', () => {
  const config = monitoring().alertmanager.config as any;

  test('routes the always-firing Watchdog first, to the external heartbeat receiver, every minute', () => {
    // A repeat_interval equal to group_interval would skip every other tick (the last send is never quite a full interval ago).
    expect(config.route.routes[0]).toEqual({
      receiver: 'heartbeat', matchers: ['alertname="Watchdog"'], group_wait: '0s', group_interval: '1m', repeat_interval: '55s',
    });
  });

  test("routes a team's alerts by its team label and by its namespaces, critical ones to its pager", () => {
    expect(config.route.routes.slice(1)).toEqual([
      { receiver: 'platform', matchers: ['team="shop"'], routes: [{ receiver: 'shop-pager', matchers: ['severity="critical"'] }] },
      { receiver: 'platform', matchers: ['namespace=~"shop|shop-jobs"'], routes: [{ receiver: 'shop-pager', matchers: ['severity="critical"'] }] },
    ]);
    expect(config.route.receiver).toBe('platform');
  });

  test('reads every receiver credential from a mounted Secret file', () => {
    expect(config.receivers).toEqual([
      { name: 'heartbeat', webhook_configs: [{ url: 'https://heartbeat.example.com/ping', send_resolved: true, http_config: { authorization: { credentials_file: '/etc/alertmanager/secrets/alerting/heartbeat-token' } } }] },
      { name: 'platform', slack_configs: [{ api_url_file: '/etc/alertmanager/secrets/alerting/slack-url', channel: '#platform', send_resolved: true, title: '{{ .CommonAnnotations.summary }}' }] },
      { name: 'shop-pager', pagerduty_configs: [{ routing_key_file: '/etc/alertmanager/secrets/shop-alerting/routing-key', send_resolved: true }] },
    ]);
  });

  test('mutes warnings and infos while the same alert is critical', () => {
    expect(config.inhibit_rules[0]).toEqual({ source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: ['cluster', 'namespace', 'alertname'] });
  });
});
