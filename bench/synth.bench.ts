// `npm run bench`: what synth costs, against baselines measured in the same run (see bench/fleet.ts):
// CPU times (process.cpuUsage), best of N, since the machine is shared and wall time is noisy;
// three fleets, each in its own process so that its peak RSS is its own — 4 clusters x 100 and
// x 200 services, and a fleet an order of magnitude larger, 40 clusters x 250 services. Then
// end-to-end `npm run synth` of the real clusters against a bare require of cdk8s-plus-27.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');
const FLEETS: readonly (readonly [number, number])[] = process.argv[2] === '--small' ? [[4, 100], [4, 200]] : [[4, 100], [4, 200], [40, 250]];

interface Figures { objects: number; ours: number; unchecked: number; pairRatio: number; checks: number; floor: number; l1: number; rssMiB: number }

/** Rounds per fleet (pairs of a checked and an unchecked synth): the large fleet takes about 20 s of CPU per synth, so it runs fewer. */
const roundsFor = (clusters: number, n: number) => (clusters * n > 1000 ? 4 : 16);

function measure(clusters: number, n: number): Figures {
  const env = { ...process.env, BENCH_ROUNDS: String(roundsFor(clusters, n)) };
  const out = execFileSync(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', join(__dirname, 'fleet.ts'), String(clusters), String(n)], { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Figures;
}

function best(fn: () => void, rounds = 3): number {
  let min = Infinity;
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return min;
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
let previous: Figures | undefined;
for (const [clusters, n] of FLEETS) {
  const f = measure(clusters, n);
  const scaling = previous === undefined ? '' : `; scaling from the fleet before (x${(f.objects / previous.objects).toFixed(1)} objects): ours x${(f.ours / previous.ours).toFixed(2)}, floor x${(f.floor / previous.floor).toFixed(2)}`;
  console.log(`${clusters} clusters x ${n} services (${f.objects} objects): ours ${fmt(f.ours)}, floor ${fmt(f.floor)}, L1 ${fmt(f.l1)}; ours/floor ${(f.ours / f.floor).toFixed(2)}x, ours/L1 ${(f.ours / f.l1).toFixed(2)}x; props checks: ${fmt(f.unchecked)} without them, ratio of the best runs ${(f.ours / f.unchecked).toFixed(3)}, median of ${roundsFor(clusters, n)} alternating pairs ${f.pairRatio.toFixed(3)} (${(100 * (f.pairRatio - 1)).toFixed(1)}% over, limit 5%), time inside them ${f.checks.toFixed(1)} ms of a ${fmt(f.ours)} run (${(100 * f.checks / (f.ours - f.checks)).toFixed(2)}% over the rest); peak RSS ${f.rssMiB.toFixed(0)} MiB${scaling}`);
  previous = f;
}
const time = (args: string[]) => best(() => { execFileSync(process.execPath, args, { cwd: root, stdio: 'ignore' }); });
const synth = time(['--require', 'tsx/cjs', 'clusters/synth.ts', join(root, 'dist')]);
const bare = time(['-e', "require('cdk8s-plus-27')"]);
console.log(`end to end: npm run synth ${fmt(synth)}, bare require('cdk8s-plus-27') ${fmt(bare)}; ratio ${(synth / bare).toFixed(2)}x`);
