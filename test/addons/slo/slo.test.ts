import { App, Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { Environment } from '../../../lib/core/environment';
import { WebService } from '../../../lib/apps/web-service';
import { Worker } from '../../../lib/apps/worker';
import { Probe } from '../../../lib/apps/probe';
import { Duration } from '../../../lib/core';
import { checkPolicy } from '../../../lib/policy/check';
import { Sli } from '../../../lib/addons/slo/sli';
import { Slo } from '../../../lib/addons/slo/slo';
import { SLO_RULE_FILE, sloAddon, sloGateDescriptor } from '../../../lib/addons/slo/slo-addon';
import { parseGateDescriptor } from '../../../lib/addons/slo/gate-descriptor';
import { readSloDefinitions, type SloProps } from '../../../lib/addons/slo/slo-definition';
import { renderSloRuleFile } from '../../../lib/addons/slo/slo-rules';
import { testAddonContext } from '../../support/cluster-facts';
import { validateKubernetesObject } from '../../support/k8s-schema';
import { checkRules } from './promtool';

const base: SloProps = { objective: 99.9, sli: Sli.httpErrors(), team: 'shop', runbook: 'https://runbooks.example.com/shop/orders-api' };
const image = 'registry.example.com/shop/orders:2.3.1';

/** GIVEN helper: a service chart in the shop namespace with a scraped API, an unscraped one and a scraped worker. */
function services() {
  const app = new App();
  const env = new Environment(app, 'test', { name: 'test', environments: ['test', 'prod'], cluster: 'test' });
  const chart = new Chart(env, 'orders', { namespace: 'shop', disableResourceNameHashes: true });
  const api = new WebService(chart, 'orders-api', { image, ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }], metrics: { port: 'metrics' } });
  const plain = new WebService(chart, 'orders-admin', { image });
  const worker = new Worker(chart, 'orders-worker', { image, ports: [{ name: 'metrics', port: 9090 }], metrics: { port: 'metrics' }, liveness: Probe.tcp({ port: 'metrics' }) });
  return { app, env, chart, api, plain, worker };
}

/** GIVEN helper: the SLO addon built into its own chart with a Prometheus that keeps `retention`. */
function buildAddon(props: Parameters<typeof sloAddon.build>[1], retention = '45d') {
  const app = Testing.app();
  const chart = new Chart(app, 'addon-slo', { disableResourceNameHashes: true });
  sloAddon.build(chart, props, testAddonContext({ prometheus: { namespace: 'monitoring', retention: Duration.parse(retention) } }));
  return { chart, objects: Testing.synth(chart) as Array<{ kind: string; metadata: { name: string; namespace?: string }; data?: Record<string, string> }> };
}

describe('Slo on a service', () => {
  test('an HTTP SLO selects the series its scrape declaration gives the service', () => {
    const { api } = services();
    const slo = new Slo(api, 'availability', base);
    expect(slo.definition.id).toBe('orders-api-availability');
    expect(slo.definition.errorRatio).toBe('(sum(rate(http_requests_total{namespace="shop", service="orders-api", code=~"5.."}[{{.window}}])))\n/\n(sum(rate(http_requests_total{namespace="shop", service="orders-api"}[{{.window}}])))');
  });

  test("a Worker's SLO selects its headless -metrics Service", () => {
    const { worker } = services();
    const slo = new Slo(worker, 'processing', { ...base, sli: Sli.events('sum(rate(jobs_failed_total{service="orders-worker-metrics"}[{{.window}}]))', 'sum(rate(jobs_total{service="orders-worker-metrics"}[{{.window}}]))') });
    expect(slo.definition.namespace).toBe('shop');
    const latency = new Slo(worker, 'latency', { ...base, sli: Sli.httpLatency({ le: '0.5' }) });
    expect(latency.definition.errorRatio).toContain('http_request_duration_seconds_bucket{namespace="shop", service="orders-worker-metrics", le="0.5"}');
  });

  test('definitionsIn finds every SLO of a tree in order', () => {
    const { env, api, worker } = services();
    new Slo(api, 'availability', base);
    new Slo(api, 'latency', { ...base, sli: Sli.httpLatency({ le: '0.3' }) });
    new Slo(worker, 'availability', base);
    expect(Slo.definitionsIn(env).map((d) => d.id)).toEqual(['orders-api-availability', 'orders-api-latency', 'orders-worker-availability']);
  });
});

describe('Slo errors', () => {
  test('an objective of 100 or more is refused', () => {
    const { api } = services();
    expect(() => new Slo(api, 'availability', { ...base, objective: 100 })).toThrow(
      'test/orders/orders-api/availability: objective must be > 0 and < 100 (a percentage of good events) (got 100); write the objective in percent, such as 99.9; 100 leaves no error budget');
  });

  test('an objective of 0 or less is refused', () => {
    const { api } = services();
    expect(() => new Slo(api, 'availability', { ...base, objective: 0 })).toThrow('test/orders/orders-api/availability: objective must be > 0 and < 100 (a percentage of good events) (got 0)');
  });

  test('a period that is not allowed is refused', () => {
    const { api } = services();
    expect(() => new Slo(api, 'availability', { ...base, period: '14d' as '7d' })).toThrow(
      `test/orders/orders-api/availability: period must be one of "7d", "28d", "30d" (got "14d"); write one of "7d", "28d", "30d" (or leave it out: the default is '30d')`);
  });

  test('an SLI query without the window placeholder is refused', () => {
    const { api } = services();
    expect(() => new Slo(api, 'availability', { ...base, sli: Sli.raw('rate(errors_total[5m])') })).toThrow(
      'test/orders/orders-api/availability: sli.errorRatioQuery has no {{.window}} placeholder (got "rate(errors_total[5m])"); write {{.window}} where the range goes (rate(x[{{.window}}])), so each alert window gets its own rule');
  });

  test('an SLI query that does not parse is refused', () => {
    const { api } = services();
    expect(() => new Slo(api, 'availability', { ...base, sli: Sli.events('sum(rate(errors_total[{{.window}}])', 'sum(rate(requests_total[{{.window}}]))') })).toThrow(
      'test/orders/orders-api/availability: sli.errorQuery is not valid PromQL with the window put in (error at the end) (got "sum(rate(errors_total[{{.window}}])"); fix the query so it parses (try it in the Prometheus UI with [5m] in place of {{.window}})');
  });

  test('an SLO on a service that declares no metrics is refused', () => {
    const { plain } = services();
    expect(() => new Slo(plain, 'availability', base)).toThrow(
      `test/orders/orders-admin/availability: service declares no metrics, so Prometheus has no series for the SLI (got "orders-admin"); declare metrics: { port: '<port name>' } on the service, then put the SLO on it`);
  });

  test('two SLOs with one name on one service are refused', () => {
    const { api } = services();
    new Slo(api, 'availability', base);
    expect(() => new Slo(api, 'availability-2', { ...base, name: 'availability' })).toThrow(
      'test/orders/orders-api/availability-2: name is already the name of an SLO on service orders-api (test/orders/orders-api/availability) (got "availability"); give every SLO of a service its own name (availability, latency)');
  });

  test('a runbook that is not an https URL is refused', () => {
    const { api } = services();
    expect(() => new Slo(api, 'availability', { ...base, runbook: 'wiki/orders' })).toThrow(
      'test/orders/orders-api/availability: runbook is not an https URL (got "wiki/orders"); link the runbook page (https://...)');
  });

  test('a label the rules set themselves is refused', () => {
    const { api } = services();
    expect(() => new Slo(api, 'availability', { ...base, labels: { team: 'other' } })).toThrow(
      "test/orders/orders-api/availability: labels is not a label the SLO may set (got \"team\"); use letters, digits and '_', not starting with '__' or 'sloth_', and none of [namespace, team, severity, alertname, __name__]");
  });
});

describe('the SLO addon', () => {
  test('writes every SLO into one rule file in an immutable ConfigMap that promtool accepts, named as it tells Prometheus', () => {
    // GIVEN two SLOs of a service
    const { env, api } = services();
    new Slo(api, 'availability', base);
    new Slo(api, 'latency', { ...base, sli: Sli.httpLatency({ le: '0.3' }), ticket: false });
    const slos = Slo.definitionsIn(env);
    // WHEN the addon is built
    const { chart, objects } = buildAddon({ slos });
    // THEN one ConfigMap in the monitoring namespace holds both SLOs' groups
    expect(objects.map((o) => [o.kind, o.metadata.namespace])).toEqual([['ConfigMap', 'monitoring']]);
    const [configMap] = objects;
    const file = configMap?.data?.[SLO_RULE_FILE] ?? '';
    expect((parse(file) as { groups: { name: string }[] }).groups.map((g) => g.name)).toEqual([
      'sloth-slo-sli-recordings-orders-api-availability', 'sloth-slo-meta-recordings-orders-api-availability', 'sloth-slo-alerts-orders-api-availability',
      'sloth-slo-sli-recordings-orders-api-latency', 'sloth-slo-meta-recordings-orders-api-latency', 'sloth-slo-alerts-orders-api-latency',
    ]);
    expect(checkRules(file).ok).toBe(true);
    // AND the name it provides to the monitoring addon is the ConfigMap's
    expect(sloAddon.provides?.({ slos }, testAddonContext().cluster)).toEqual({ prometheusRuleFiles: [{ configMap: configMap?.metadata.name, files: [SLO_RULE_FILE] }] });
    expect(configMap?.metadata.name).toMatch(/^slo-rules-[0-9a-f]+$/);
    // AND the objects are valid Kubernetes objects that pass the platform's policy
    for (const o of objects) validateKubernetesObject(o as unknown as { apiVersion: string; kind: string });
    expect(checkPolicy(chart).violations).toEqual([]);
  });

  test('a change to an SLO renames the ConfigMap, so Prometheus rolls', () => {
    const one = services();
    const two = services();
    const a = buildAddon({ slos: [new Slo(one.api, 'availability', base).definition] }).objects[0]?.metadata.name;
    const b = buildAddon({ slos: [new Slo(two.api, 'availability', { ...base, objective: 99.5 }).definition] }).objects[0]?.metadata.name;
    expect(a).not.toBe(b);
  });

  test('with the rules run by the long-term store, Prometheus is given nothing and retention is not checked', () => {
    const { api } = services();
    const slos = [new Slo(api, 'availability', base).definition];
    expect(sloAddon.provides?.({ slos, evaluatedBy: 'long-term-store' }, testAddonContext().cluster)).toEqual({});
    expect(buildAddon({ slos, evaluatedBy: 'long-term-store' }, '15d').objects).toHaveLength(1);
  });

  test('a period longer than Prometheus keeps samples is refused, naming the SLO and the fix', () => {
    const { api } = services();
    const slos = [new Slo(api, 'availability', base).definition];
    expect(() => buildAddon({ slos }, '15d')).toThrow(
      "test/orders/orders-api/availability: period is longer than the 15d Prometheus keeps samples, so the period's ratio would read a shorter history (got \"30d\"); raise the monitoring addon's sizing.prometheus.retention to at least 30d, or set addons.slo.evaluatedBy: 'long-term-store'");
  });

  test('SLOs without a monitoring addon to evaluate them are refused', () => {
    const { api } = services();
    const slos = [new Slo(api, 'availability', base).definition];
    const chart = new Chart(Testing.app(), 'addon-slo');
    expect(() => sloAddon.build(chart, { slos }, testAddonContext())).toThrow(
      "cluster test: addons.slo needs a Prometheus to evaluate its rules, and the cluster runs no monitoring addon; add the monitoring addon, or set evaluatedBy: 'long-term-store' and load the rules into its ruler");
  });

  test('two SLOs with one id from different sources are all reported at once', () => {
    const one = services();
    const two = services();
    const a = new Slo(one.api, 'availability', base).definition;
    const b = new Slo(two.api, 'availability', base).definition;
    const c = new Slo(two.api, 'latency', { ...base, period: '30d' }).definition;
    expect(() => buildAddon({ slos: [a, b, c] }, '7d')).toThrow(/^4 problems:\n {2}- test\/orders\/orders-api\/availability: name repeats SLO orders-api-availability of service orders-api \(test\/orders\/orders-api\/availability\)/);
  });

  test("the addon's gate endpoint gives the cluster's gate descriptor; without one there is none", () => {
    const { api } = services();
    const slos = [new Slo(api, 'availability', base).definition];
    const d = sloGateDescriptor('prod', { slos, gate: { url: 'https://metrics.example.com/prometheus', auth: { kind: 'bearer', tokenEnv: 'METRICS_TOKEN' } } });
    expect(d?.prometheus).toEqual({ url: 'https://metrics.example.com/prometheus', auth: { kind: 'bearer', tokenEnv: 'METRICS_TOKEN' } });
    expect(d?.slos.map((s) => [s.id, s.queries.remaining])).toEqual([
      ['orders-api-availability', 'slo:period_error_budget_remaining:ratio{sloth_id="orders-api-availability", sloth_service="orders-api", sloth_slo="availability"}'],
    ]);
    expect(parseGateDescriptor('release-gate.json', JSON.stringify(d))).toEqual(d);
    expect(sloGateDescriptor('prod', { slos })).toBeUndefined();
  });

  test('no SLOs, no objects', () => {
    expect(buildAddon({ slos: [] }).objects).toEqual([]);
  });
});

describe('SLOs published by a service repo', () => {
  test('round-trip through JSON into the same rules', () => {
    // GIVEN a service repo's tree: an Environment without a cluster, an SLO on its API
    const app = new App();
    const env = new Environment(app, 'prod', { name: 'prod', environments: ['prod'] });
    const chart = new Chart(env, 'checkout', { namespace: 'shop' });
    const api = new WebService(chart, 'checkout', { image, ports: [{ name: 'http', port: 8080 }], metrics: { port: 'http' } });
    new Slo(api, 'availability', { ...base, period: '28d' });
    const published = JSON.stringify(Slo.definitionsIn(app));
    // WHEN the platform reads them back
    const read = readSloDefinitions('slos/checkout.json', published);
    // THEN they give the very same rule file
    expect(renderSloRuleFile(read)).toBe(renderSloRuleFile(Slo.definitionsIn(app)));
  });

  test('a published SLO with a period that is not allowed is refused', () => {
    const { api } = services();
    const def = JSON.parse(JSON.stringify([new Slo(api, 'availability', base).definition])) as Array<Record<string, unknown>>;
    const first = def[0] ?? {};
    first.period = '90d';
    expect(() => readSloDefinitions('slos/orders.json', JSON.stringify(def))).toThrow(
      `slos/orders.json: [0].period is not one of the allowed periods [7d, 28d, 30d] (got "90d"); publish the service repo's Slo.definitionsIn(app) with JSON.stringify`);
  });

  test('a published SLO whose query lost its placeholder is refused', () => {
    const { api } = services();
    const def = JSON.parse(JSON.stringify([new Slo(api, 'availability', base).definition])) as Array<Record<string, unknown>>;
    const first = def[0] ?? {};
    first.errorRatio = 'rate(errors_total[5m])';
    expect(() => readSloDefinitions('slos/orders.json', JSON.stringify(def))).toThrow('slos/orders.json[0]: sli.errorRatioQuery has no {{.window}} placeholder (got "rate(errors_total[5m])")');
  });
});
