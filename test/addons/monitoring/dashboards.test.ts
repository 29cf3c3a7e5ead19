import { Chart } from 'cdk8s';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DEFAULT_DASHBOARDS, vectorSelectors, type VectorSelectorRef } from '../../../lib/addons';
import { monitoring } from './fixture';
import { METRIC_INVENTORY, SAME_AS, SYNTHETIC } from './metric-inventory';

const addon = monitoring({ nodeLocalDnsAddress: '169.254.20.10' });
const recorded = new Set(addon.ruleGroups.flatMap((g) => g.toJSON().rules.flatMap((r) => (r.record === undefined ? [] : [r.record]))));
/** The job and metrics_path labels each scrape job gives its series (a `job` relabel overrides the job name). */
const produced = addon.prometheus.config.scrape_configs.map((j) => ({
  job: j.relabel_configs?.find((r) => r.target_label === 'job')?.replacement ?? j.job_name,
  path: j.metrics_path ?? '/metrics',
}));

/** Every query of a dashboard, with where it is: panel queries and the selectors inside `label_values(...)` variables. */
function queries(): { where: string; expr: string }[] {
  return DEFAULT_DASHBOARDS.flatMap((d) => [
    ...d.panels.flatMap((p) => p.queries.map((q) => ({ where: `${d.uid} / ${p.title}`, expr: q.expr }))),
    ...d.variables.map((v) => ({ where: `${d.uid} / $${v.name}`, expr: /^label_values\((.*),\s*[a-z_]+\)$/.exec(v.query)?.[1] ?? `invalid variable query ${v.query}` })),
  ]);
}

/** Why a selector reads nothing the scrape config and rules produce, or undefined when it is fine. */
function problem(sel: VectorSelectorRef): string | undefined {
  if (sel.metric === undefined) return 'has no metric name';
  const job = sel.matchers.find((m) => m.label === 'job');
  const path = sel.matchers.find((m) => m.label === 'metrics_path')?.value;
  const jobs = job === undefined ? [] : job.op === '=~' ? job.value.split('|') : job.op === '=' ? [job.value] : ['(negative job matcher)'];
  for (const j of jobs) {
    if (!produced.some((p) => p.job === j && (path === undefined || p.path === path))) return `selects job ${j}${path === undefined ? '' : ` path ${path}`}, which no scrape job produces`;
  }
  if (recorded.has(sel.metric) || SYNTHETIC.includes(sel.metric)) return undefined;
  if (jobs.length === 0) return `reads exporter metric ${sel.metric} without a job selector`;
  for (const j of jobs) {
    const key = SAME_AS[j] ?? (j === 'kubelet' ? `kubelet${path ?? '/metrics'}` : j);
    if (!(METRIC_INVENTORY[key]?.metrics ?? []).includes(sel.metric)) return `reads ${sel.metric}, which is not recorded by our rules nor in the ${key} inventory`;
  }
  return undefined;
}

describe('the dashboards', () => {
  test('are at least 15, each naming the kube-prometheus dashboard whose questions it answers, none a one-panel board', () => {
    expect(DEFAULT_DASHBOARDS.length).toBeGreaterThanOrEqual(15);
    expect(new Set(DEFAULT_DASHBOARDS.map((d) => d.uid)).size).toBe(DEFAULT_DASHBOARDS.length);
    for (const d of DEFAULT_DASHBOARDS) {
      expect(d.counterpart).not.toBe('');
      expect(d.panels.length).toBeGreaterThanOrEqual(2);
    }
  });

  test('are all provisioned in Grafana', () => {
    const maps = Chart.of(addon).toJson().filter((o: any) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('grafana-dashboards'));
    const files = Object.keys(Object.assign({}, ...maps.map((m: any) => m.data))).sort();
    expect(files).toEqual(DEFAULT_DASHBOARDS.map((d) => `${d.uid}.json`).sort());
  });

  test('read only series our rules record or a scrape job produces, with job and path labels the scrape config gives', () => {
    const problems = queries().flatMap(({ where, expr }) => vectorSelectors(expr).flatMap((sel) => {
      const p = problem(sel);
      return p === undefined ? [] : [`${where}: ${sel.metric ?? '?'} ${p}`];
    }));
    expect(problems).toEqual([]);
  });

  test('the checks above refuse a metric no exporter has, a job nothing scrapes and a kubelet path that is not scraped', () => {
    expect(problem(vectorSelectors('node_made_up_total{job="node-exporter"}')[0] as VectorSelectorRef)).toMatch(/not recorded by our rules nor in the node-exporter inventory/);
    expect(problem(vectorSelectors('up{job="cadvisor"}')[0] as VectorSelectorRef)).toMatch(/selects job cadvisor, which no scrape job produces/);
    expect(problem(vectorSelectors('container_cpu_cfs_periods_total{job="kubelet",metrics_path="/metrics/resource"}')[0] as VectorSelectorRef)).toMatch(/no scrape job produces/);
    expect(problem(vectorSelectors('kube_pod_info')[0] as VectorSelectorRef)).toMatch(/without a job selector/);
  });

  test("finds a service's pods through its scrape targets, not a name prefix the pods may not have", () => {
    const service = DEFAULT_DASHBOARDS.find((d) => d.uid === 'platform-service');
    const exprs = service?.panels.flatMap((p) => p.queries.map((q) => q.expr)) ?? [];
    expect(exprs.some((e) => e.includes('$service-'))).toBe(false);
    expect(exprs.filter((e) => e.includes('node_namespace_pod_container')).every((e) => e.includes('up{job="kubernetes-services",namespace="$namespace",service="$service"}'))).toBe(true);
  });
});

/** A free loopback port. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe("node-exporter's inventory", () => {
  let exporter: ChildProcess | undefined;
  afterAll(() => exporter?.kill());

  test('is what a real node-exporter (Debian prometheus-node-exporter) exposes', async () => {
    const port = await freePort();
    exporter = spawn('prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    let text = '';
    for (let i = 0; i < 50 && text === ''; i += 1) {
      await new Promise((r) => setTimeout(r, 200));
      text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text()).catch(() => '');
    }
    const exposed = new Set(text.split('\n').filter((l) => !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0]));
    expect(METRIC_INVENTORY['node-exporter']?.metrics.filter((m) => !exposed.has(m))).toEqual([]);
  }, 20000);
});
