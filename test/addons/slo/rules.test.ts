import * as fc from 'fast-check';
import { Duration } from '../../../lib/core';
import { defineSlo, type SloProps } from '../../../lib/addons/slo/slo-definition';
import { Sli } from '../../../lib/addons/slo/sli';
import { renderSloRuleFile, sloAlertNames, sloRuleGroups } from '../../../lib/addons/slo/slo-rules';
import { DEFAULT_ALERT_WINDOWS, burnRateFactor, burnTiers, windowText } from '../../../lib/addons/slo/windows';
import { checkRules, testRules, trafficSeries, type TrafficPhase } from './promtool';

const service = { name: 'orders-api', namespace: 'shop', metricsService: 'orders-api', scraped: true };
const base: SloProps = { objective: 99.9, sli: Sli.httpErrors(), team: 'shop', runbook: 'https://runbooks.example.com/shop/orders-api-slo' };
const slo = (props: Partial<SloProps> = {}) => defineSlo('test/orders-api/availability', service, 'availability', { ...base, ...props });

describe('burn-rate factors and windows', () => {
  test('30 days gives the SRE workbook factors Sloth derives: 14.4, 6, 3 and 1', () => {
    // GIVEN Sloth's default 30d catalog (internal/alert/windows/google-30d.yaml)
    // WHEN the factors are derived as internal/alert/window.go getBurnRateFactor does
    const t = burnTiers('30d');
    // THEN
    expect([t.pageQuick, t.pageSlow, t.ticketQuick, t.ticketSlow].map((x) => [x.factor, windowText(x.short), windowText(x.long)])).toEqual([
      [14.4, '5m', '1h'], [6, '30m', '6h'], [3, '2h', '1d'], [1, '6h', '3d'],
    ]);
  });

  test('28 days and 7 days get their own factors from the same formula', () => {
    // GIVEN Sloth's google-28d.yaml and examples/windows/7d.yaml
    const f = (p: '28d' | '7d') => Object.values(burnTiers(p)).map((x) => x.factor);
    // THEN 2% of 672h in 1h = 13.44 ...; 8% of 168h in 1h = 13.44, 12.5% in 6h = 3.5, 20% in 1d = 1.4, 42% in 3d = 0.98
    expect(f('28d')).toEqual([13.44, 5.6, 2.8, 0.933333333333]);
    expect(f('7d')).toEqual([13.44, 3.5, 1.4, 0.98]);
  });

  test('a factor burns exactly the tier budget share of the period over the long window', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 90 }), fc.double({ min: 0.1, max: 100, noNaN: true }), fc.integer({ min: 1, max: 72 }), (days, percent, hours) => {
      const factor = burnRateFactor(Duration.parse(`${days}d`), percent, Duration.hours(hours));
      // burning at `factor` for `hours` spends factor*hours/(days*24) of the budget
      expect(Math.abs((factor * hours) / (days * 24) - percent / 100)).toBeLessThan(1e-9);
    }));
  });

  test('a tier whose short window is not shorter than its long one is refused', () => {
    const bad = { ...DEFAULT_ALERT_WINDOWS['30d'], pageQuick: { budgetPercent: 2, short: Duration.hours(1), long: Duration.hours(1) } };
    expect(() => burnTiers('30d', bad)).toThrow('AlertWindows: pageQuick short window must be shorter than the long window (got "1h/1h"); swap or shorten the short window');
  });
});

describe('generated rules', () => {
  test.each(['7d', '28d', '30d'] as const)('the rules of a %s SLO pass promtool check rules', (period) => {
    // GIVEN an SLO of each period and each SLI kind
    const defs = [
      slo({ period }),
      defineSlo('test/orders-api/latency', service, 'latency', { ...base, period, sli: Sli.httpLatency({ le: '0.3' }) }),
      defineSlo('test/orders-api/raw', service, 'raw', { ...base, period, periodRatio: 'averaged', sli: Sli.raw('1 - avg_over_time(up{job="orders"}[{{ .window }}])') }),
    ];
    // WHEN promtool checks the file
    const result = checkRules(renderSloRuleFile(defs));
    // THEN it parses, names and types every rule as Prometheus expects
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  test('the SLI group records every alert window and the period, as Sloth does', () => {
    const [sli] = sloRuleGroups(slo());
    expect(sli?.name).toBe('sloth-slo-sli-recordings-orders-api-availability');
    expect(sli?.rules.map((r) => r.labels?.sloth_window)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d']);
    expect(sli?.rules[7]?.expr).toBe('(sum(rate(http_requests_total{namespace="shop", service="orders-api", code=~"5.."}[30d])))\n/\n(sum(rate(http_requests_total{namespace="shop", service="orders-api"}[30d])))');
  });

  test("the averaged period ratio is Sloth's optimized rule over the 5m series", () => {
    const [sli] = sloRuleGroups(slo({ periodRatio: 'averaged' }));
    const f = '{sloth_id="orders-api-availability", sloth_service="orders-api", sloth_slo="availability"}';
    expect(sli?.rules[7]?.expr).toBe(`sum_over_time(slo:sli_error:ratio_rate5m${f}[30d])\n/ ignoring (sloth_window)\ncount_over_time(slo:sli_error:ratio_rate5m${f}[30d])`);
  });

  test('switching a tier off drops its alert; both off leaves no alert group', () => {
    expect(sloRuleGroups(slo({ ticket: false }))[2]?.rules.map((r) => r.alert)).toEqual(['OrdersApiAvailabilityBurnRatePage']);
    expect(sloRuleGroups(slo({ page: false, ticket: false })).map((g) => g.name)).toEqual([
      'sloth-slo-sli-recordings-orders-api-availability', 'sloth-slo-meta-recordings-orders-api-availability',
    ]);
  });

  test('alerts carry the owning team and a severity the monitoring addon routes and inhibits on', () => {
    const alerts = sloRuleGroups(slo())[2]?.rules ?? [];
    expect(alerts.map((a) => a.labels)).toEqual([
      { sloth_severity: 'page', severity: 'critical', team: 'shop' },
      { sloth_severity: 'ticket', severity: 'warning', team: 'shop' },
    ]);
    expect(alerts[0]?.annotations?.runbook_url).toBe('https://runbooks.example.com/shop/orders-api-slo');
  });
});

/**
 * promtool test rules scenarios. Series have one sample a minute; rules and alerts are evaluated
 * every 30s and asserted at :30 instants, so no sample sits on a range boundary: promtool 2.42
 * evaluates with Prometheus 2's closed ranges, Prometheus 3 made them left-open, and a sample on
 * the boundary would count differently between the two.
 */
describe('promtool test rules scenarios for a 30d 99.9% SLO', () => {
  const def = slo();
  const rules = renderSloRuleFile([def]);
  const names = sloAlertNames(def);
  const perMinute = 600;
  const healthy = perMinute * 0.0005;
  const series = (phases: TrafficPhase[]) => {
    const s = trafficSeries(phases);
    return [
      { series: 'http_requests_total{namespace="shop", service="orders-api", code="500"}', values: s.errors },
      { series: 'http_requests_total{namespace="shop", service="orders-api", code="200"}', values: s.successes },
    ];
  };
  const alertLabels = (tier: 'page' | 'ticket') => ({
    namespace: 'shop', sloth_id: def.id, sloth_service: 'orders-api', sloth_slo: 'availability',
    sloth_severity: tier, severity: tier === 'page' ? 'critical' : 'warning', team: 'shop',
  });
  const firing = (tier: 'page' | 'ticket') => [{
    exp_labels: alertLabels(tier),
    exp_annotations: {
      title: `(${tier}) orders-api availability SLO error budget burn rate is too fast.`,
      summary: 'orders-api availability SLO error budget burn rate is over expected.',
      runbook_url: def.runbook,
    },
  }];
  const at = (eval_time: string, page: boolean, ticket: boolean) => [
    { eval_time, alertname: names.page, exp_alerts: page ? firing('page') : [] },
    { eval_time, alertname: names.ticket, exp_alerts: ticket ? firing('ticket') : [] },
  ];

  test('a healthy service fires nothing and keeps half its budget at half the allowed error rate', () => {
    const result = testRules(rules, {
      evaluation_interval: '30s',
      tests: [{
        interval: '1m',
        input_series: series([{ minutes: 600, requests: perMinute, errors: healthy }]),
        alert_rule_test: [...at('30s', false, false), ...at('5h0m30s', false, false), ...at('9h59m30s', false, false)],
        promql_expr_test: [{
          expr: `round(slo:period_error_budget_remaining:ratio{sloth_id="${def.id}"}, 0.01)`,
          eval_time: '9h59m30s',
          // Sloth's meta rules keep the period series' labels (group_left), sloth_window included
          exp_samples: [{ labels: `{namespace="shop", sloth_id="${def.id}", sloth_service="orders-api", sloth_slo="availability", sloth_window="30d"}`, value: 0.5 }],
        }],
      }],
    });
    expect(result.output).toContain('SUCCESS');
  });

  test('a fast burn pages within minutes, and when it stops the page resolves while the ticket holds, then all resolve', () => {
    // Two healthy hours first. promtool replays every 30s evaluation, and the exact period rule reads
    // the whole history each time, so a longer history costs minutes; with only two hours the 1d and 3d
    // long windows hold two hours, which is why the ticket tier fires along with the page here.
    const result = testRules(rules, {
      evaluation_interval: '30s',
      tests: [{
        interval: '1m',
        input_series: series([
          { minutes: 120, requests: perMinute, errors: healthy },
          { minutes: 30, requests: perMinute, errors: perMinute * 0.2 },
          { minutes: 420, requests: perMinute, errors: healthy },
        ]),
        alert_rule_test: [
          ...at('1h59m30s', false, false),
          // 20% errors from 2h: the 1h window passes 14.4 x 0.1% after about 4.5 minutes
          ...at('2h6m30s', true, true),
          // the burn stopped at 2h30m; the 30m short window is clean after 3h, the 2h one is not
          ...at('3h10m30s', false, true),
          // the 6h short window of the slowest ticket tier is clean after 8h30m
          ...at('8h40m30s', false, false),
        ],
      }],
    });
    expect(result.output).toContain('SUCCESS');
  });

  test('a slow burn opens a ticket and never pages', () => {
    const result = testRules(rules, {
      evaluation_interval: '30s',
      tests: [{
        interval: '1m',
        input_series: series([{ minutes: 480, requests: perMinute, errors: perMinute * 0.0025 }]),
        alert_rule_test: [...at('7h0m30s', false, true)],
      }],
    });
    expect(result.output).toContain('SUCCESS');
  });

  test('the scenarios can fail: a page expected from a healthy service is reported', () => {
    const result = testRules(rules, {
      evaluation_interval: '30s',
      tests: [{ interval: '1m', input_series: series([{ minutes: 60, requests: perMinute, errors: healthy }]), alert_rule_test: at('50m30s', true, false) }],
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain(names.page);
  });
});
