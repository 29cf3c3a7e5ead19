import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gateMain } from '../../../lib/addons/slo/gate-cli';
import { gateDescriptor, type GateDescriptor } from '../../../lib/addons/slo/gate-descriptor';
import { runGate } from '../../../lib/addons/slo/gate';
import { Sli } from '../../../lib/addons/slo/sli';
import { defineSlo } from '../../../lib/addons/slo/slo-definition';
import { freePort } from './prometheus-server';

const slo = defineSlo('test/orders-api/availability', { name: 'orders-api', namespace: 'shop', metricsService: 'orders-api', scraped: true }, 'availability', {
  objective: 99.9, sli: Sli.httpErrors(), team: 'shop', runbook: 'https://runbooks.example.com/shop/slo',
});

async function run(args: string[], descriptor?: string): Promise<{ code: number; lines: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'slo-gate-cli-'));
  try {
    const file = join(dir, 'gate.json');
    if (descriptor !== undefined) writeFileSync(file, descriptor);
    const lines: string[] = [];
    const code = await gateMain(args.map((a) => (a === '<file>' ? file : a)), {}, (l) => lines.push(l));
    return { code, lines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const valid = JSON.stringify(gateDescriptor('test', { url: 'http://127.0.0.1:1' }, [slo]));

describe('the gate command refuses what it cannot use, with exit 2', () => {
  test('no service', async () => {
    const r = await run(['--descriptor', '<file>'], valid);
    expect(r.code).toBe(2);
    expect(r.lines[0]).toMatch(/^UNKNOWN: cannot tell — gate: arguments needs --service; usage: platform-constructs gate/);
  });

  test('both --descriptor and --cluster', async () => {
    const r = await run(['--descriptor', '<file>', '--cluster', 'prod', '--service', 'orders-api'], valid);
    expect(r.lines[0]).toMatch(/^UNKNOWN: cannot tell — gate: arguments needs exactly one of --descriptor and --cluster;/);
  });

  test('an unknown flag', async () => {
    const r = await run(['--descriptor', '<file>', '--service', 'orders-api', '--force', 'yes'], valid);
    expect(r.lines[0]).toMatch(/^UNKNOWN: cannot tell — gate: arguments knows no flag --force;/);
  });

  test('an override without a reason', async () => {
    const r = await run(['--descriptor', '<file>', '--service', 'orders-api', '--override-by', 'jane@example.com'], valid);
    expect(r.lines[0]).toMatch(/^UNKNOWN: cannot tell — gate: arguments an override needs both --override-by and --override-reason;/);
  });

  test('an override whose reason says nothing', async () => {
    const r = await run(['--descriptor', '<file>', '--service', 'orders-api', '--override-by', 'jane', '--override-reason', 'urgent'], valid);
    expect(r.lines[0]).toMatch(/^UNKNOWN: cannot tell — gate: arguments --override-reason must say why in a sentence \(10 characters or more\);/);
  });

  test('a timeout out of bounds', async () => {
    const r = await run(['--descriptor', '<file>', '--service', 'orders-api', '--timeout-seconds', '600'], valid);
    expect(r.lines[0]).toMatch(/^UNKNOWN: cannot tell — gate: arguments --timeout-seconds must be a number of seconds from 1 to 120;/);
  });

  test('a descriptor that is not JSON', async () => {
    const r = await run(['--descriptor', '<file>', '--service', 'orders-api'], 'version: 1');
    expect(r.code).toBe(2);
    expect(r.lines[0]).toMatch(/: \(file\) is not JSON: .*; regenerate the descriptor with npm run synth \(gateDescriptor\)$/);
  });

  test('a descriptor whose credentials are values, not variable names', async () => {
    const bad = JSON.stringify({ ...JSON.parse(valid), prometheus: { url: 'https://metrics.example.com', auth: { kind: 'bearer', tokenEnv: 'eyJhbGciOi' } } });
    const r = await run(['--descriptor', '<file>', '--service', 'orders-api'], bad);
    expect(r.lines[0]).toMatch(/: prometheus.auth must name environment variables \(UPPER_CASE\) \(got "eyJhbGciOi"\);/);
  });

  test('a missing descriptor', async () => {
    const r = await run(['--cluster', 'nowhere', '--service', 'orders-api']);
    expect(r.lines).toEqual(['UNKNOWN: cannot tell — gate: descriptor cannot be read (ENOENT) (got "dist/nowhere/release-gate.json"); run npm run synth first, or pass --descriptor <file>']);
  });

  test('--prometheus overrides the descriptor URL', async () => {
    // a port nothing listens on
    const url = `http://127.0.0.1:${await freePort()}`;
    const r = await run(['--descriptor', '<file>', '--service', 'orders-api', '--prometheus', url, '--timeout-seconds', '2'], valid);
    expect(r.code).toBe(2);
    expect(r.lines[0]).toBe(`UNKNOWN orders-api: cannot tell — Prometheus at ${url} is unreachable (ECONNREFUSED)`);
  });
});

describe('the gate against an API that misbehaves', () => {
  async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; close: () => Promise<void> }> {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const a = server.address();
    return {
      url: `http://127.0.0.1:${typeof a === 'object' && a !== null ? a.port : 0}`,
      close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
    };
  }
  const descriptor = JSON.parse(valid) as GateDescriptor;

  test('a server that never answers is "cannot tell" after the timeout', async () => {
    const s = await serve(() => { /* never answers */ });
    const started = Date.now();
    const r = await runGate({ descriptor, service: 'orders-api', env: {}, prometheusUrl: s.url, timeoutMs: 1000 });
    await s.close();
    expect(r.exitCode).toBe(2);
    expect(r.lines[0]).toBe(`UNKNOWN orders-api: cannot tell — Prometheus at ${s.url} is unreachable (no answer within 1000 ms)`);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a refused login is "cannot tell", with the status', async () => {
    const s = await serve((_req, res) => { res.writeHead(401); res.end('unauthorized'); });
    const r = await runGate({ descriptor, service: 'orders-api', env: {}, prometheusUrl: s.url });
    await s.close();
    expect(r.exitCode).toBe(2);
    expect(r.lines[0]).toBe(`UNKNOWN orders-api: cannot tell — Prometheus at ${s.url} answered HTTP 401 (unauthorized)`);
  });

  test('a page that is not the query API is "cannot tell"', async () => {
    const s = await serve((_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<html>login</html>'); });
    const r = await runGate({ descriptor, service: 'orders-api', env: {}, prometheusUrl: s.url });
    await s.close();
    expect(r.lines[0]).toBe(`UNKNOWN orders-api: cannot tell — Prometheus at ${s.url} did not answer with JSON (is the URL the API's base?)`);
  });
});
