// `npm run bench:plan`: what the offline plan costs. Runs `npm run plan -- --stack <s>` end to end
// (a fresh process: tsx, loading @pulumi/*, synth, the mocked program) for each stack, best of 3,
// and reports the in-process planning time the CLI prints alongside.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const STACKS = ['prod', 'stage', 'admin', 'e2e', 'bootstrap'];
const ROUNDS = 3;
const LIMIT_SECONDS = 10;

function once(stack: string): { wall: number; inProcess: number; resources: number } {
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'stacks/plan-cli.ts', '--stack', stack], { cwd: ROOT, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const inProcess = Number(/planned in ([\d.]+) s/.exec(out)?.[1] ?? NaN);
  const resources = Number(/: (\d+) resources/.exec(out)?.[1] ?? NaN);
  return { wall, inProcess, resources };
}

const rows = STACKS.map((stack) => {
  const runs = Array.from({ length: ROUNDS }, () => once(stack));
  const best = runs.reduce((a, b) => (b.wall < a.wall ? b : a));
  return { stack, ...best };
});
console.log('| stack | resources | wall (best of 3) | of which planning in process |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.stack} | ${r.resources} | ${r.wall.toFixed(2)} s | ${r.inProcess.toFixed(2)} s |`);
const prod = rows.find((r) => r.stack === 'prod');
if (prod !== undefined && prod.wall > LIMIT_SECONDS) {
  console.error(`prod plan took ${prod.wall.toFixed(2)} s, over the ${LIMIT_SECONDS} s budget`);
  process.exitCode = 1;
}
