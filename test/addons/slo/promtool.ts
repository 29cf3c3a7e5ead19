// Runs Debian's promtool (2.42) on generated rule files: `check rules` and `test rules`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface PromtoolResult {
  readonly ok: boolean;
  readonly output: string;
}

/** Runs promtool with the files written to a fresh directory; `args` name them by key. */
export function promtool(files: Readonly<Record<string, string>>, args: (dir: string) => string[]): PromtoolResult {
  const dir = mkdtempSync(join(tmpdir(), 'slo-promtool-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    try {
      const output = execFileSync('promtool', args(dir), { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
      return { ok: true, output };
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` || err.message };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `promtool check rules` on one rule file. */
export function checkRules(ruleFile: string): PromtoolResult {
  return promtool({ 'rules.yaml': ruleFile }, () => ['check', 'rules', 'rules.yaml']);
}

/** `promtool test rules` on a unit-test file that loads `rules.yaml`. */
export function testRules(ruleFile: string, tests: Record<string, unknown>): PromtoolResult {
  return promtool({ 'rules.yaml': ruleFile, 'tests.yaml': stringify({ rule_files: ['rules.yaml'], ...tests }, { lineWidth: 0 }) }, () => ['test', 'rules', 'tests.yaml']);
}

/** A phase of traffic: so many minutes at so many requests and errors per minute. */
export interface TrafficPhase {
  readonly minutes: number;
  readonly requests: number;
  readonly errors: number;
}

/**
 * Counter values, one a minute from t=0, in promtool's expanding notation
 * (`start+incrementxN`, one part per phase): the error counter and the success counter.
 */
export function trafficSeries(phases: readonly TrafficPhase[]): { errors: string; successes: string } {
  const parts = (rate: (p: TrafficPhase) => number): string => {
    let value = 0;
    const out: string[] = [];
    phases.forEach((p, i) => {
      const r = rate(p);
      // The first part starts with the sample at t=0; each later one with the next minute's sample.
      const start = i === 0 ? value : value + r;
      const n = i === 0 ? p.minutes : p.minutes - 1;
      out.push(`${round(start)}+${round(r)}x${n}`);
      value = start + r * n;
    });
    return out.join(' ');
  };
  return { errors: parts((p) => p.errors), successes: parts((p) => p.requests - p.errors) };
}

function round(x: number): string {
  return String(Number(x.toFixed(6)));
}
