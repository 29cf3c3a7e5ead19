import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gateDescriptor, type GateDescriptor } from '../../../lib/addons/slo/gate-descriptor';
import { runGate } from '../../../lib/addons/slo/gate';
import { Sli } from '../../../lib/addons/slo/sli';
import { defineSlo } from '../../../lib/addons/slo/slo-definition';
import { renderSloRuleFile } from '../../../lib/addons/slo/slo-rules';
import { openMetrics, startPrometheus, waitForSeries, type RunningPrometheus, type SyntheticCounter } from './prometheus-server';

// The release gate against a real Prometheus (Debian's 2.42): a week and two hours of synthetic
// request counters backfilled with `promtool tsdb create-blocks-from openmetrics`, the SLO rules
// evaluated by the server itself, and the gate asking its HTTP API.
jest.setTimeout(240_000);

const root = join(__dirname, '..', '..', '..');
const REQUESTS = 100;
const MINUTES = 7 * 24 * 60 + 120;
/** Errors per minute of each synthetic service; 99% over 7d allows 1 in 100. */
const SERVICES: Record<string, (m: number) => number> = {
  'healthy-api': () => 0.1,
  'half-api': () => 0.5,
  'spent-api': () => 1.5,
  // healthy all week, then 30% errors for the last hour
  'burning-api': (m) => (m >= MINUTES - 60 ? 30 : 0.1),
};
const slos = [...Object.keys(SERVICES), 'silent-api'].map((name) => defineSlo(`test/${name}/availability`, { name, namespace: 'shop', metricsService: name, scraped: true }, 'availability', {
  objective: 99, period: '7d', sli: Sli.httpErrors(), team: 'shop', runbook: 'https://runbooks.example.com/shop/slo',
}));

let prometheus: RunningPrometheus;
let descriptor: GateDescriptor;
let dir: string;

beforeAll(async () => {
  // GIVEN the counters of four services (and none of silent-api), ending now
  const counters: SyntheticCounter[] = Object.entries(SERVICES).flatMap(([service, errors]) => [
    { name: 'http_requests_total', labels: { namespace: 'shop', service, code: '500' }, perMinute: errors },
    { name: 'http_requests_total', labels: { namespace: 'shop', service, code: '200' }, perMinute: (m: number) => REQUESTS - errors(m) },
  ]);
  prometheus = await startPrometheus(openMetrics(counters, MINUTES, Math.floor(Date.now() / 1000)), renderSloRuleFile(slos));
  // AND the rules evaluated once: every service with data has its remaining budget recorded
  await waitForSeries(prometheus.url, 'slo:period_error_budget_remaining:ratio', 4);
  await waitForSeries(prometheus.url, 'slo:sli_error:ratio_rate1h', 4);
  descriptor = gateDescriptor('test', { url: prometheus.url }, slos);
  dir = mkdtempSync(join(tmpdir(), 'slo-gate-'));
  writeFileSync(join(dir, 'release-gate.json'), JSON.stringify(descriptor));
});

afterAll(async () => {
  await prometheus?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm run gate`'s script as CI would, and returns its exit code and output. */
function gateCommand(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'scripts', 'gate', 'gate.ts'), ...args], { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, out: `${stdout}${stderr}` });
    });
  });
}

const gate = (service: string) => runGate({ descriptor, service, env: {}, timeoutMs: 5000 });

describe('the release gate against a real Prometheus', () => {
  test('a healthy service may release, and the gate prints the budget it has left', async () => {
    const result = await gate('healthy-api');
    expect(result.exitCode).toBe(0);
    expect(result.lines[0]).toBe('RELEASE healthy-api: every SLO has error budget left and no page-level burn');
    expect(result.lines[1]).toBe('  healthy-api-availability (objective 99% over 7d, team shop): 90.0% of the 7d error budget left');
  });

  test('a service with half its budget spent may still release', async () => {
    const result = await gate('half-api');
    expect(result.exitCode).toBe(0);
    expect(result.readings[0]?.remaining).toBeCloseTo(0.5, 2);
    expect(result.lines[1]).toContain('50.0% of the 7d error budget left');
  });

  test('a service whose budget is spent gets a fix-only verdict, with the numbers', async () => {
    const result = await gate('spent-api');
    expect(result.exitCode).toBe(1);
    expect(result.lines[0]).toBe('FIX-ONLY spent-api: the error budget of spent-api-availability is spent; only fixes may ship until the budget recovers');
    expect(result.lines[1]).toBe('  spent-api-availability (objective 99% over 7d, team shop): -50.0% of the 7d error budget left, burning at ticket level');
  });

  test('a fast burn closes the gate while budget remains', async () => {
    const result = await gate('burning-api');
    expect(result.exitCode).toBe(1);
    expect(result.readings[0]?.remaining).toBeGreaterThan(0.5);
    expect(result.lines[0]).toBe('FIX-ONLY burning-api: burning-api-availability is burning its budget at page level; only fixes may ship until the budget recovers');
    expect(result.lines[1]).toMatch(/^ {2}burning-api-availability \(objective 99% over 7d, team shop\): \d+\.\d% of the 7d error budget left, burning at page level$/);
  });

  test('a service with an SLO but no series is "cannot tell", never a pass', async () => {
    const result = await gate('silent-api');
    expect(result.exitCode).toBe(2);
    expect(result.lines[0]).toBe(`UNKNOWN silent-api: cannot tell — no data for silent-api-availability at ${prometheus.url} (are its rules loaded and the service scraped?)`);
  });

  test('a service without an SLO is "cannot tell"', async () => {
    const result = await gate('unknown-api');
    expect(result.exitCode).toBe(2);
    expect(result.lines[0]).toBe('UNKNOWN unknown-api: cannot tell — cluster test declares no SLO for it (services with SLOs: burning-api, half-api, healthy-api, silent-api, spent-api)');
  });

  test('the command exits 0, 1 and 2 with the reason printed', async () => {
    const file = join(dir, 'release-gate.json');
    const release = await gateCommand(['--descriptor', file, '--service', 'healthy-api']);
    const fixOnly = await gateCommand(['--descriptor', file, '--service', 'spent-api']);
    const unknown = await gateCommand(['--descriptor', file, '--service', 'silent-api']);
    expect([release.code, fixOnly.code, unknown.code]).toEqual([0, 1, 2]);
    expect(release.out).toContain('RELEASE healthy-api');
    expect(fixOnly.out).toContain('FIX-ONLY spent-api: the error budget of spent-api-availability is spent');
    expect(unknown.out).toContain('UNKNOWN silent-api: cannot tell — no data');
  });

  test('an override releases past a closed gate and prints who and why for the audit', async () => {
    const file = join(dir, 'release-gate.json');
    const r = await gateCommand(['--descriptor', file, '--service', 'burning-api', '--override-by', 'jane@example.com', '--override-reason', 'revert of the release that causes the burn']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('FIX-ONLY burning-api');
    expect(r.out).toContain('OVERRIDE burning-api: released past a closed gate by jane@example.com: revert of the release that causes the burn');
    expect(r.out).toContain('gate-audit {"cluster":"test","service":"burning-api","verdict":"fix-only","overriddenBy":"jane@example.com","reason":"revert of the release that causes the burn"}');
  });

  test('a bearer token comes from the variable the descriptor names and is never printed', async () => {
    const withAuth: GateDescriptor = { ...descriptor, prometheus: { url: prometheus.url, auth: { kind: 'bearer', tokenEnv: 'SLO_GATE_TOKEN' } } };
    const missing = await runGate({ descriptor: withAuth, service: 'healthy-api', env: {} });
    expect(missing.exitCode).toBe(2);
    expect(missing.lines[0]).toBe('UNKNOWN healthy-api: cannot tell — the credential variable SLO_GATE_TOKEN is not set in the environment');
    // a proxy in front of Prometheus that records the headers it is sent
    const seen: IncomingHttpHeaders[] = [];
    const proxy = createServer((req, res) => {
      seen.push(req.headers);
      void fetch(`${prometheus.url}${req.url ?? '/'}`).then(async (upstream) => {
        res.writeHead(upstream.status, { 'content-type': 'application/json' });
        res.end(await upstream.text());
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
    const address = proxy.address();
    const proxyUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    const file = join(dir, 'auth-gate.json');
    writeFileSync(file, JSON.stringify({ ...withAuth, prometheus: { ...withAuth.prometheus, url: proxyUrl } }));
    const r = await gateCommand(['--descriptor', file, '--service', 'healthy-api'], { SLO_GATE_TOKEN: 's3cr3t-value' });
    await new Promise((resolve) => proxy.close(resolve));
    expect(r.code).toBe(0);
    expect(seen.length).toBe(3);
    expect(seen.map((h) => h.authorization)).toEqual(['Bearer s3cr3t-value', 'Bearer s3cr3t-value', 'Bearer s3cr3t-value']);
    expect(r.out).not.toContain('s3cr3t-value');
  });

  test('a stopped server is "cannot tell", within the timeout', async () => {
    // GIVEN the server stopped
    await prometheus.stop();
    const file = join(dir, 'release-gate.json');
    // WHEN the gate asks it
    const started = Date.now();
    const r = await gateCommand(['--descriptor', file, '--service', 'healthy-api', '--timeout-seconds', '3']);
    // THEN
    expect(r.code).toBe(2);
    expect(r.out).toContain(`UNKNOWN healthy-api: cannot tell — Prometheus at ${prometheus.url} is unreachable (ECONNREFUSED)`);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
