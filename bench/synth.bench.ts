// `npm run bench`: what synth costs, against baselines measured in the same run.
//   ours  - build the constructs, validate, render YAML (what `npm run synth` does in process)
//   floor - the very same objects (taken from our output) serialized with the `yaml` package alone
//   L1    - the same objects re-created as plain cdk8s ApiObjects and synthesized
// Also end-to-end `npm run synth` of the four real clusters against a bare require of cdk8s-plus-27.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { stringify } from 'yaml';
import { CronTask, Environment, Probe, WebService, Worker, addServiceGroup, renderAll, type ServiceGroup } from '../lib';

const CLUSTERS = ['prod', 'stage', 'admin', 'e2e'];
const ROUNDS = 3;

/** N services per cluster, a realistic mix: 3 in 5 web services (some with ingress and config), 1 worker, 1 cron task. */
function fleet(n: number): App[] {
  return CLUSTERS.map((cluster) => {
    const app = new App({ outdir: 'dist' });
    const env = new Environment(app, cluster, { name: cluster, environments: CLUSTERS });
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
              overrides: { prod: { replicas: 4 } },
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

interface Figures { ours: number; floor: number; l1: number; objects: number }

function measure(n: number): Figures {
  const ours = best(() => renderAll(fleet(n)));
  // The objects, exactly as our synth produced them, grouped by chart as in the output files.
  const charts = fleet(n).flatMap((app) => app.charts.map((c) => c.toJson() as Record<string, unknown>[]));
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
  return { ours, floor, l1, objects };
}

function endToEnd(): { synth: number; bare: number } {
  const root = join(__dirname, '..');
  const time = (args: string[]) => best(() => { execFileSync(process.execPath, args, { cwd: root, stdio: 'ignore' }); });
  return {
    synth: time(['--require', 'tsx/cjs', 'clusters/synth.ts', join(root, 'dist')]),
    bare: time(['-e', "require('cdk8s-plus-27')"]),
  };
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
const small = measure(100);
const large = measure(200);
for (const [n, f] of [[100, small], [200, large]] as const) {
  console.log(`N=${n} (${f.objects} objects): ours ${fmt(f.ours)}, floor ${fmt(f.floor)}, L1 ${fmt(f.l1)}; ours/floor ${(f.ours / f.floor).toFixed(2)}x, ours/L1 ${(f.ours / f.l1).toFixed(2)}x`);
}
console.log(`scaling 2N/N: ours ${(large.ours / small.ours).toFixed(2)}, floor ${(large.floor / small.floor).toFixed(2)}, L1 ${(large.l1 / small.l1).toFixed(2)}`);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
const e2e = endToEnd();
console.log(`end to end: npm run synth ${fmt(e2e.synth)}, bare require('cdk8s-plus-27') ${fmt(e2e.bare)}; ratio ${(e2e.synth / e2e.bare).toFixed(2)}x`);
