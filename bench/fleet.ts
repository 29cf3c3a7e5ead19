// One fleet measured in its own process (so its peak RSS is its own): `tsx bench/fleet.ts <clusters> <services per cluster>`.
// Prints one JSON line: { objects, ours, unchecked, pairRatio, checks, floor, l1, rssMiB }, times in ms
// of CPU (process.cpuUsage, user + system: the machine is shared, and wall time counts the other
// jobs' load), best of ROUNDS, each run after a full GC when node runs with --expose-gc.
//   ours  - build the constructs, validate, render YAML (what `npm run synth` does in process)
//   unchecked - the same with the props checks off (lib/core/props-check.ts), to price them; the two
//           are timed in pairs of alternating order, so that a load change on the machine falls on both
//   pairRatio - the median over those pairs of checked / unchecked
//   checks - the wall time spent inside the props checks during the fastest checked run (timed around
//           each check), that run being `ours`
//   floor - the very same objects (taken from our output) serialized with the `yaml` package alone
//   L1    - the same objects re-created as plain cdk8s ApiObjects and synthesized
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { stringify } from 'yaml';
import { CronTask, Environment, Probe, WebService, Worker, addServiceGroup, renderAll, type ServiceGroup } from '../lib';
import { timePropsChecks, withoutPropsChecks } from '../lib/core/props-check';

/** Runs of each measurement; the best is kept. The large fleet takes minutes per round, so `BENCH_ROUNDS` may lower it. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** `clusters` clusters of `n` services, a realistic mix: 3 in 5 web services (some with ingress and config), 1 worker, 1 cron task. */
export function fleet(clusters: number, n: number): App[] {
  const names = clusters === 4 ? ['prod', 'stage', 'admin', 'e2e'] : Array.from({ length: clusters }, (_, i) => `c${i}`);
  return names.map((cluster) => {
    const app = new App({ outdir: 'dist' });
    const env = new Environment(app, cluster, { name: cluster, environments: names });
    for (let g = 0; g < n / 5; g++) {
      const group: ServiceGroup = {
        name: `app${g}`,
        namespace: `team${g % 10}`,
        define: (s) => {
          const image = `registry.example.com/team${g % 10}/app${g}:1.${g}.0`;
          for (let w = 0; w < 3; w++) {
            new WebService(s, `app${g}-web${w}`, {
              image,
              config: w === 0 ? { data: { LOG_LEVEL: 'info', INDEX: String(g) } } : { data: { MODE: `m${w}` }, as: 'env' },
              ...(w === 0 ? { ingress: { host: `app${g}.${cluster}.example.com` } } : {}),
              readiness: Probe.http('/ready'),
              overrides: { [names[0] ?? 'prod']: { replicas: 4 } },
            });
          }
          new Worker(s, `app${g}-worker`, { image, liveness: Probe.exec(['/bin/check']) });
          new CronTask(s, `app${g}-cron`, { image, schedule: '*/10 * * * *' });
        },
      };
      addServiceGroup(env, group);
    }
    return app;
  });
}

const gc = (globalThis as { gc?: () => void }).gc;

/** CPU time of `fn` in ms (user + system, every thread of the process): the machine is shared, so wall time would count other jobs' load. */
function cpu(fn: () => void): number {
  gc?.();
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function best(fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < ROUNDS; i++) min = Math.min(min, cpu(fn));
  return min;
}

/** The median of some numbers. */
function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

interface Paired { checked: number; unchecked: number; pairRatio: number; checks: number }

/**
 * Synth with the props checks and without them, one warm-up run of each first (not counted), then
 * ROUNDS pairs whose order alternates (checked first, then unchecked first), so that neither side
 * always runs on a heap or a JIT state the other left. Every checked run is also timed inside the
 * checks (the timing's own cost falls on the checked side). The ratio of the two best runs is
 * noise-bound on a loaded machine; the median of the pairs' ratios is what a load change moves least.
 */
function paired(clusters: number, n: number): Paired {
  let spent = 0;
  const checkedRun = (): number => cpu(() => { spent = timePropsChecks(() => renderAll(fleet(clusters, n))); });
  const uncheckedRun = (): number => cpu(() => withoutPropsChecks(() => renderAll(fleet(clusters, n))));
  checkedRun();
  uncheckedRun();
  const pairs: Array<{ checked: number; unchecked: number; spent: number }> = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      const checked = checkedRun();
      const within = spent;
      pairs.push({ checked, unchecked: uncheckedRun(), spent: within });
    } else {
      const unchecked = uncheckedRun();
      pairs.push({ checked: checkedRun(), unchecked, spent });
    }
  }
  const fastest = pairs.reduce((a, b) => (b.checked < a.checked ? b : a));
  return {
    checked: fastest.checked,
    unchecked: Math.min(...pairs.map((p) => p.unchecked)),
    pairRatio: median(pairs.map((p) => p.checked / p.unchecked)),
    checks: fastest.spent,
  };
}

if (require.main === module) {
  const clusters = Number(process.argv[2]);
  const n = Number(process.argv[3]);
  const { checked: ours, unchecked, pairRatio, checks } = paired(clusters, n);
  const charts = fleet(clusters, n).flatMap((app) => app.charts.map((c) => c.toJson() as Record<string, unknown>[]));
  const objects = charts.reduce((sum, c) => sum + c.length, 0);
  const floor = best(() => {
    for (const docs of charts) docs.map((d) => stringify(d)).join('---\n');
  });
  const l1 = best(() => {
    const app = new App({ outdir: 'dist' });
    charts.forEach((docs, i) => {
      const chart = new Chart(app, `c${i}`, { disableResourceNameHashes: true });
      docs.forEach((doc, j) => new ApiObject(chart, `o${j}`, doc as never));
      Yaml.stringify(...chart.toJson());
    });
  });
  console.log(JSON.stringify({ objects, ours, unchecked, pairRatio, checks, floor, l1, rssMiB: process.resourceUsage().maxRSS / 1024 }));
}
