import { Chart } from 'cdk8s';
import { WebService } from '../../../lib';
import { RuleGroup } from '../../../lib/addons';
import { PROPS, monitoring, prodEnvironment } from './fixture';

const alert = { alert: 'OrdersBacklog', expr: 'orders_queue_depth > 1000', severity: 'warning' as const, team: 'shop', summary: 'The orders queue is backing up', runbook: 'https://runbooks.example.com/orders-backlog' };

describe('monitoring errors', () => {
  test('PromQL that does not parse fails at construction', () => {
    expect(() => new RuleGroup(prodEnvironment(), 'orders', { alerts: [{ ...alert, expr: 'sum(rate(orders_total[5m])' }] })).toThrow(
      'prod/orders: alerts[OrdersBacklog].expr is not valid PromQL (error at the end) (got "sum(rate(orders_total[5m])"); fix the expression so it parses as PromQL (try it in the Prometheus UI or with promtool)',
    );
  });

  test('two alerts of one name, severity and labels in a group are refused', () => {
    expect(() => new RuleGroup(prodEnvironment(), 'orders', { alerts: [alert, { ...alert, expr: 'orders_queue_depth > 5000' }] })).toThrow(
      'prod/orders: alerts[1].alert repeats an alert of group orders with the same severity and labels (got "OrdersBacklog"); give every alert of a group its own name, or tell its tiers apart by severity or labels, or merge the two expressions',
    );
  });

  test('one name may have a warning and a critical tier, as the mixins write them', () => {
    const group = new RuleGroup(prodEnvironment(), 'orders', { alerts: [alert, { ...alert, expr: 'orders_queue_depth > 5000', severity: 'critical' }] });
    expect(group.alertNames).toEqual(['OrdersBacklog']);
    expect(group.toJSON().rules.map((r) => r.labels?.severity)).toEqual(['warning', 'critical']);
  });

  test("rule files another addon hands Prometheus must be ConfigMaps named as volumes may be, each once, with .yaml keys; all problems at once", () => {
    expect(() => monitoring({ ruleFileConfigMaps: [
      { configMap: 'slo-rules-0123456789', files: ['slos.yaml'] },
      { configMap: 'slo-rules-0123456789', files: ['slos.json'] },
      { configMap: 'SLO_rules', files: ['slos.yaml'] },
    ] })).toThrow([
      '3 problems:',
      "  - prod/addon-monitoring/monitoring/prometheus: ruleFileConfigMaps[1].configMap is given twice or names one of Prometheus's own volumes (config, rules, data) (got \"slo-rules-0123456789\"); hand each rule ConfigMap once, named by its content (slo-rules-<hash>)",
      '  - prod/addon-monitoring/monitoring/prometheus: ruleFileConfigMaps[1].files is not a rule file name (got "slos.json"); name each key of the ConfigMap <name>.yaml',
      "  - prod/addon-monitoring/monitoring/prometheus: ruleFileConfigMaps[2].configMap must be a DNS-1123 label (got \"SLO_rules\"); use lowercase letters, digits and '-', starting and ending with a letter or digit",
    ].join('\n'));
  });

  test('a for that is not a duration is refused', () => {
    expect(() => new RuleGroup(prodEnvironment(), 'orders', { alerts: [{ ...alert, for: '10 minutes' }] })).toThrow(
      "prod/orders: alerts[OrdersBacklog].for: Duration: value is not a duration (got \"10 minutes\"); write whole numbers with units ms, s, m, h, d or w, largest first (e.g. '30s', '1h30m')",
    );
  });

  test('a retention that is not a duration is refused', () => {
    expect(() => monitoring({ sizing: { prometheus: { retention: '15 days' } } })).toThrow(
      "prod/addon-monitoring/monitoring/prometheus: retention: Duration: value is not a duration (got \"15 days\"); write whole numbers with units ms, s, m, h, d or w, largest first (e.g. '30s', '1h30m')",
    );
  });

  test('a route to a receiver that does not exist is refused', () => {
    const alerting = { ...PROPS.alerting, teams: [{ team: 'shop', receiver: 'shop-slack' }] };
    expect(() => monitoring({ alerting })).toThrow(
      'prod/addon-monitoring/monitoring/alertmanager: teams[0].receiver names no receiver [heartbeat, platform, shop-pager] (got "shop-slack"); declare the receiver in receivers, or route to one that exists',
    );
  });

  test('scraping a service that declares no metrics port is refused', () => {
    const addon = monitoring();
    const chart = new Chart(Chart.of(addon).node.scope as any, 'shop', { namespace: 'shop' });
    const api = new WebService(chart, 'api', { image: 'registry.example.com/shop/api:1.0.0' });
    expect(() => addon.scrape(api)).toThrow(
      "prod/shop/api: metrics is not declared, so the service has no metrics port for Prometheus to scrape; declare metrics: { port: '<port name>' } on the service, or do not ask monitoring to scrape it",
    );
  });

  test('a service that declares metrics can be scraped, and the tree then validates', () => {
    const addon = monitoring();
    const chart = new Chart(Chart.of(addon).node.scope as any, 'shop', { namespace: 'shop' });
    const api = new WebService(chart, 'api', { image: 'registry.example.com/shop/api:1.0.0', ports: [{ name: 'http', port: 8080 }], metrics: { port: 'http' } });
    addon.scrape(api);
    expect(addon.node.validate()).toEqual([]);
  });
});
