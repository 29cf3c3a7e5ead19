import { Construct } from 'constructs';
import { urlPort } from '../../../lib/addons/monitoring/monitoring-network-policies';
import { PROPS, monitoring } from './fixture';

describe('monitoring reach errors', () => {
  test('a webhook receiver whose URL names no valid port is refused, naming the receiver', () => {
    const receivers = PROPS.alerting.receivers.map((r) => (r.kind === 'webhook' ? { ...r, url: 'https://heartbeat.example.com:99999/ping' } : r));
    expect(() => monitoring({ alerting: { ...PROPS.alerting, receivers } })).toThrow(
      'prod/addon-monitoring/monitoring/alertmanager: receivers[0].url is not an http(s) URL with a valid port (got "https://heartbeat.example.com:99999/ping"); write the URL as https://host[:port]/path',
    );
  });

  test('a receiver\'s egress block that is no CIDR is refused, naming where it was given', () => {
    const receivers = PROPS.alerting.receivers.map((r) => (r.kind === 'slack' ? { ...r, egressTo: ['203.0.113.0/33'] } : r));
    expect(() => monitoring({ alerting: { ...PROPS.alerting, receivers } })).toThrow(
      'prod/addon-monitoring/monitoring/alertmanager: receivers[1].egressTo[0]: Cidr: cidr has a prefix longer than 32 (got "203.0.113.0/33"); use a prefix length from 0 to 32',
    );
  });

  test('a cluster pod block that is no CIDR is refused', () => {
    expect(() => monitoring({ clusterNetwork: { podCidr: 'pods', vpcCidr: '10.20.0.0/16' } })).toThrow(
      "prod/addon-monitoring/monitoring: clusterNetwork.podCidr: Cidr: cidr is not an IPv4 CIDR block (got \"pods\"); write address/prefix, e.g. '10.0.0.0/16'",
    );
  });

  test('a Grafana or remote-write egress block that is no CIDR is refused where it was declared', () => {
    expect(() => monitoring({ grafana: { ...PROPS.grafana, oidc: { ...PROPS.grafana.oidc, egressTo: ['dex'] } } })).toThrow(
      "prod/addon-monitoring/monitoring/grafana: oidc.egressTo[0]: Cidr: cidr is not an IPv4 CIDR block (got \"dex\"); write address/prefix, e.g. '10.0.0.0/16'",
    );
    expect(() => monitoring({ remoteWrite: [{ url: 'https://metrics.example.com/push', egressTo: ['10.0.0.0/8', 'store'] }] })).toThrow(
      "prod/addon-monitoring/monitoring/prometheus: remoteWrite[0].egressTo[1]: Cidr: cidr is not an IPv4 CIDR block (got \"store\"); write address/prefix, e.g. '10.0.0.0/16'",
    );
  });

  // The port a way out is opened on: the URL's, or its scheme's default (WHATWG URL, as Node parses it)
  test.each([
    ['https://hooks.slack.com/services/x', 443],
    ['http://alerts.internal.example.com/hook', 80],
    ['https://metrics.example.com:8443/api/v1/push', 8443],
    ['https://metrics.example.com:443/push', 443],
    ['https://[2001:db8::1]:9443/push', 9443],
  ])('%s is reached on port %d', (url, port) => {
    expect(urlPort(new Construct(undefined as never, 'r'), 'url', url)).toBe(port);
  });

  test.each(['ftp://files.example.com/x', 'hooks.slack.com/services/x', 'https://', 'https://example.com:0/x', 'https://example.com:65536/x', 'https://exa mple.com/x', 'file:///etc/passwd'])(
    '%s is refused', (url) => {
      expect(() => urlPort(new Construct(undefined as never, 'r'), 'url', url)).toThrow(`r: url is not an http(s) URL with a valid port (got ${JSON.stringify(url)}); write the URL as https://host[:port]/path`);
    },
  );
});
