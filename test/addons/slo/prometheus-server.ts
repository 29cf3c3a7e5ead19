// A real Prometheus (Debian's 2.42) on a free loopback port, over a TSDB backfilled with
// `promtool tsdb create-blocks-from openmetrics`, evaluating the given rule file.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** One series' samples: a counter that grows by `perMinute(minute)` each minute. */
export interface SyntheticCounter {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The increase over minute `m` (0 = the oldest minute). */
  readonly perMinute: (m: number) => number;
}

/** OpenMetrics text of the counters, one sample a minute over `minutes` minutes ending at `endSeconds`. */
export function openMetrics(counters: readonly SyntheticCounter[], minutes: number, endSeconds: number): string {
  const lines: string[] = [];
  const start = endSeconds - minutes * 60;
  // OpenMetrics wants each metric family's samples together; series of one name are one family.
  const names = [...new Set(counters.map((c) => c.name))];
  for (const name of names) {
    lines.push(`# TYPE ${name.replace(/_total$/, '')} counter`);
    for (const c of counters.filter((x) => x.name === name)) {
      const labels = Object.entries(c.labels).map(([k, v]) => `${k}="${v}"`).join(',');
      let value = 0;
      for (let m = 0; m <= minutes; m++) {
        lines.push(`${name}{${labels}} ${Number(value.toFixed(6))} ${start + m * 60}`);
        value += c.perMinute(m);
      }
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

export interface RunningPrometheus {
  readonly url: string;
  stop(): Promise<void>;
}

/** Backfills a TSDB from `metrics`, starts Prometheus over it with `rules`, and waits until it is ready. */
export async function startPrometheus(metrics: string, rules: string, evaluationInterval = '2s'): Promise<RunningPrometheus> {
  return startPrometheusWith(`global:\n  evaluation_interval: ${evaluationInterval}\nrule_files:\n  - rules.yaml\n`, { 'data.om': metrics, 'rules.yaml': rules }, (dir) => {
    execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', 'data.om', 'tsdb'], { cwd: dir, stdio: 'pipe', timeout: 120_000 });
  });
}

/**
 * Starts Prometheus with `config` (its prometheus.yml) and `files` beside it in a fresh folder,
 * after `prepare` ran there, and waits until it is ready.
 */
export async function startPrometheusWith(config: string, files: Readonly<Record<string, string>> = {}, prepare: (dir: string) => void = () => undefined): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'prometheus-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  writeFileSync(join(dir, 'prometheus.yml'), config);
  prepare(dir);
  const port = await freePort();
  const child: ChildProcess = spawn('prometheus', [
    '--config.file=prometheus.yml', '--storage.tsdb.path=tsdb', '--storage.tsdb.retention.time=60d',
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
  ], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (b: Buffer) => { log += b.toString(); });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => { timer = setTimeout(r, 10_000); })]);
    clearTimeout(timer);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`prometheus exited (${child.exitCode}): ${log}`);
    }
    try {
      const r = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return { url, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready within 60s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Polls an instant query until it returns `count` series, within `timeoutMs`. */
export async function waitForSeries(url: string, query: string, count: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = -1;
  while (Date.now() < deadline) {
    const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(2000) });
    const body = (await r.json()) as { data?: { result?: unknown[] } };
    seen = body.data?.result?.length ?? 0;
    if (seen >= count) return;
    await new Promise((res) => setTimeout(res, 500));
  }
  throw new Error(`${query} returned ${seen} series, not ${count}, within ${timeoutMs} ms`);
}
