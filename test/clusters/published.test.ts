import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildCluster, parseDescriptor, parseGateDescriptor, renderAll, synthesize, type PlatformCluster } from '../../lib';
import { clusters, environments, prod } from '../../clusters';

// The files synth writes besides the manifests, from the clusters' own definitions.
const built = new Map<string, PlatformCluster>(clusters.map((c) => [c.name, buildCluster(c, environments)]));
const publishedOf = (cluster: string) => built.get(cluster)?.published ?? [];
const root = join(__dirname, '..', '..');

describe('what each cluster publishes', () => {
  test("every cluster publishes its login descriptor: the API server and the cluster's own audience", () => {
    for (const c of clusters) {
      const file = publishedOf(c.name).find((f) => f.path === `${c.name}/cluster-descriptor.json`);
      expect(parseDescriptor(JSON.parse(file?.content ?? 'null'), c.name)).toEqual({
        cluster: c.name, server: `https://api.${c.kubernetes.clusterName}`, oidc: { issuerUrl: 'https://dex.example.com', clientId: `kubernetes-${c.name}` },
      });
    }
  });

  test("prod and stage publish their release gate: orders-api's SLOs over 30 days in prod, a week where Prometheus keeps a week, asked through the cluster's Grafana", () => {
    const gate = (cluster: string) => {
      const file = publishedOf(cluster).find((f) => f.path === `${cluster}/release-gate.json`);
      return file === undefined ? undefined : parseGateDescriptor(file.path, file.content);
    };
    expect(gate('prod')?.slos.map((s) => [s.id, s.objective, s.period, s.team])).toEqual([['orders-api-availability', 99.9, '30d', 'shop'], ['orders-api-latency', 99, '30d', 'shop']]);
    expect(gate('prod')?.prometheus).toEqual({ url: 'https://grafana.example.com/api/datasources/proxy/uid/prometheus', auth: { kind: 'bearer', tokenEnv: 'GRAFANA_GATE_TOKEN' } });
    expect(gate('stage')?.slos.map((s) => s.period)).toEqual(['7d', '7d']);
    expect(gate('stage')?.prometheus.url).toBe('https://grafana.stage.example.com/api/datasources/proxy/uid/prometheus');
    // e2e evaluates the SLOs but names no gate (its certificates are the ACME staging server's); admin has no SLOs
    expect(gate('e2e')).toBeUndefined();
    expect(gate('admin')).toBeUndefined();
  });

  test('what is published is the same at every build', () => {
    expect(buildCluster(prod, environments).published).toEqual(publishedOf('prod'));
  });
});

describe("the SLO alerts reach the owning team through the cluster's own Alertmanager routes (amtool)", () => {
  test.each(['prod', 'stage'])('%s', (cluster) => {
    // GIVEN the cluster's rendered Alertmanager configuration and the SLO alerts' rules
    const files = renderAll([built.get(cluster)?.app ?? notBuilt()]);
    const docs = files.filter((f) => f.path.endsWith('addon-monitoring.k8s.yaml') || f.path.endsWith('addon-slo.k8s.yaml'))
      .flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJSON() as { kind: string; data?: Record<string, string> }));
    const am = docs.find((d) => d.kind === 'ConfigMap' && d.data?.['alertmanager.yml'] !== undefined)?.data?.['alertmanager.yml'] ?? '';
    const rules = parseAllDocuments(docs.find((d) => d.data?.['slos.yaml'] !== undefined)?.data?.['slos.yaml'] ?? '')[0]?.toJSON() as {
      groups: { rules: { alert?: string; labels?: Record<string, string> }[] }[];
    };
    const alerts = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined);
    const dir = mkdtempSync(join(tmpdir(), 'slo-routes-'));
    try {
      writeFileSync(join(dir, 'alertmanager.yml'), am);
      // WHEN amtool routes each alert with the labels Prometheus gives it (the rule's, the series' and the external ones)
      const receivers = alerts.map((a) => {
        const labels = { alertname: a.alert ?? '', cluster, namespace: 'shop', sloth_service: 'orders-api', ...a.labels };
        return execFileSync('amtool', ['config', 'routes', 'test', '--config.file', join(dir, 'alertmanager.yml'), ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
      });
      // THEN every one goes to the shop team's receiver
      expect(alerts.map((a) => a.alert)).toEqual(['OrdersApiAvailabilityBurnRatePage', 'OrdersApiAvailabilityBurnRateTicket', 'OrdersApiLatencyBurnRateTicket']);
      expect(receivers).toEqual(['shop-alerts', 'shop-alerts', 'shop-alerts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('`npm run gate -- --cluster prod` reads the descriptor synth wrote', () => {
  const TOKEN = 'glsa_test_token_not_a_secret';
  /** A Prometheus API behind a bearer token that answers every budget query with `remaining` and every burn query with no series. */
  async function api(remaining: number): Promise<{ url: string; close: () => Promise<void> }> {
    const server = createServer((req, res) => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401);
        res.end('unauthorized');
        return;
      }
      const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
      const result = query.startsWith('slo:period_error_budget_remaining:ratio') ? [{ metric: {}, value: [0, String(remaining)] }] : [];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const a = server.address();
    return { url: `http://127.0.0.1:${typeof a === 'object' && a !== null ? a.port : 0}`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
  }

  /** Runs scripts/gate/gate.ts (what `npm run gate` runs) in `cwd`, with the token in the variable the descriptor names. */
  function gate(cwd: string, args: string[]): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
      const env = { ...process.env, GRAFANA_GATE_TOKEN: TOKEN };
      execFile(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'scripts', 'gate', 'gate.ts'), ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, out: `${stdout}${stderr}` });
      });
    });
  }

  test("it releases orders-api while both SLOs have budget, and refuses a service with no SLO", async () => {
    // GIVEN prod synthesized into a fresh folder's dist/ and an API with 80% of every budget left
    const cwd = mkdtempSync(join(tmpdir(), 'slo-gate-repo-'));
    const p = built.get('prod') ?? notBuilt();
    synthesize([p.app], join(cwd, 'dist'), p.published);
    const server = await api(0.8);
    try {
      // WHEN the gate is asked for orders-api and for a service without SLOs
      const release = await gate(cwd, ['--cluster', 'prod', '--service', 'orders-api', '--prometheus', server.url]);
      const none = await gate(cwd, ['--cluster', 'prod', '--service', 'blog', '--prometheus', server.url]);
      // THEN
      expect(release.out.split('\n').filter((l) => l !== '')).toEqual([
        'RELEASE orders-api: every SLO has error budget left and no page-level burn',
        '  orders-api-availability (objective 99.9% over 30d, team shop): 80.0% of the 30d error budget left',
        '  orders-api-latency (objective 99% over 30d, team shop): 80.0% of the 30d error budget left',
      ]);
      expect(release.code).toBe(0);
      expect(release.out).not.toContain(TOKEN);
      expect(none.code).toBe(2);
      expect(none.out.trim()).toBe('UNKNOWN blog: cannot tell — cluster prod declares no SLO for it (services with SLOs: orders-api)');
    } finally {
      await server.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);

  test('a spent budget closes the gate for fixes only', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'slo-gate-repo-'));
    const p = built.get('prod') ?? notBuilt();
    synthesize([p.app], join(cwd, 'dist'), p.published);
    const server = await api(-0.1);
    try {
      const r = await gate(cwd, ['--cluster', 'prod', '--service', 'orders-api', '--prometheus', server.url]);
      expect(r.code).toBe(1);
      expect(r.out.split('\n')[0]).toBe('FIX-ONLY orders-api: the error budget of orders-api-availability is spent; the error budget of orders-api-latency is spent; only fixes may ship until the budget recovers');
    } finally {
      await server.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);
});

function notBuilt(): never {
  throw new Error('the cluster was not built');
}
