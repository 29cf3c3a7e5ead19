// One fleet measured in its own process (so its peak RSS is its own): `tsx bench/fleet.ts <clusters> <services per cluster>`.
// Prints one JSON line: { objects, ours, unchecked, checks, checkedRun, floor, l1, rssMiB }, times in ms, best of ROUNDS.
//   ours  - build the constructs, validate, render YAML (what `npm run synth` does in process)
//   unchecked - the same with the props checks off (lib/core/props-check.ts), to price them; the two
//           are timed in alternation, so that a load change on the machine falls on both
//   checks - the time spent inside the props checks during one such run (timed around each check:
//           on a loaded machine the more stable price, as a share of `ours` measured alongside it)
//   floor - the very same objects (taken from our output) serialized with the `yaml` package alone
//   L1    - the same objects re-created as plain cdk8s ApiObjects and synthesized
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { stringify } from 'yaml';
import { CronTask, Environment, Probe, WebService, Worker, addServiceGroup, renderAll, type ServiceGroup } from '../lib';
import { timePropsChecks, withoutPropsChecks } from '../lib/core/props-check';

const ROUNDS = 3;

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

function best(fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return min;
}

/** The best time of each of two runs, timed in alternation (ROUNDS + 2 times each). */
function alternating(a: () => void, b: () => void): [number, number] {
  let bestA = Infinity;
  let bestB = Infinity;
  for (let i = 0; i < ROUNDS + 2; i++) {
    for (const [fn, set] of [[a, (t: number) => { bestA = Math.min(bestA, t); }], [b, (t: number) => { bestB = Math.min(bestB, t); }]] as const) {
      const start = process.hrtime.bigint();
      fn();
      set(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return [bestA, bestB];
}

if (require.main === module) {
  const clusters = Number(process.argv[2]);
  const n = Number(process.argv[3]);
  const [ours, unchecked] = alternating(() => renderAll(fleet(clusters, n)), () => withoutPropsChecks(() => renderAll(fleet(clusters, n))));
  let checks = Infinity;
  let checkedRun = Infinity;
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    const spent = timePropsChecks(() => renderAll(fleet(clusters, n)));
    const total = Number(process.hrtime.bigint() - start) / 1e6;
    if (total < checkedRun) [checkedRun, checks] = [total, spent];
  }
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
  console.log(JSON.stringify({ objects, ours, unchecked, checks, checkedRun, floor, l1, rssMiB: process.resourceUsage().maxRSS / 1024 }));
}
