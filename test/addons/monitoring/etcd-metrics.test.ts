import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { JOBS } from '../../../lib/addons';
import type { ScrapeConfig } from '../../../lib/addons/monitoring/prometheus-config';
import { ETCD_METRICS_AUDIENCE, buildCluster } from '../../../lib';
import { clusters, environments } from '../../../clusters';
import { monitoring, objects } from './fixture';
import { startPrometheusWith, type RunningPrometheus } from '../slo/prometheus-server';

// etcd's metrics: etcd-manager serves them on each master's loopback address only, and a
// kube-rbac-proxy per etcd cluster on every master serves them over TLS to Prometheus alone.
// kube-rbac-proxy's flags are read from brancz/kube-rbac-proxy cmd/kube-rbac-proxy/app/options/options.go
// (not run here: no API server for its TokenReview and SubjectAccessReview); cert-manager's CA
// issuer writing the issuing CA into each Secret's ca.crt is read from its documentation; kops
// running cert-manager with --cluster-resource-namespace=kube-system from
// upup/models/cloudup/resources/addons/certmanager.io/k8s-1.16.yaml.template. Prometheus's side
// runs for real below: the rendered job, against a TLS server with certificates made by openssl.

const addon = monitoring();
const byName = objects(addon);
const all = Object.values(byName) as Record<string, any>[];
const proxy = byName['DaemonSet/etcd-metrics-proxy'];
const job = (name: string): ScrapeConfig => {
  const found = addon.prometheus.config.scrape_configs.find((j) => j.job_name === name);
  if (found === undefined) throw new Error(`no job ${name}`);
  return found;
};

describe('etcd metrics on the masters', () => {
  test("etcd-manager serves them on each master's loopback address only", () => {
    const prod = clusters.find((c) => c.name === 'prod');
    if (prod === undefined) throw new Error('no prod cluster');
    const kops = buildCluster(prod, environments).kops.cluster.toJson() as Record<string, any>;
    const env = kops.spec.etcdClusters.map((c: any) => [c.name, c.manager.env]);
    expect(env).toEqual([
      ['main', [{ name: 'ETCD_LISTEN_METRICS_URLS', value: 'http://127.0.0.1:8081' }, { name: 'ETCD_METRICS', value: 'basic' }]],
      ['events', [{ name: 'ETCD_LISTEN_METRICS_URLS', value: 'http://127.0.0.1:8082' }, { name: 'ETCD_METRICS', value: 'basic' }]],
    ]);
  });

  test("a proxy per etcd cluster on every master listens on the master's address only, over TLS 1.3, passing on /metrics for the audience's tokens", () => {
    const spec = proxy.spec.template.spec;
    expect(spec.hostNetwork).toBe(true);
    expect(spec.nodeSelector).toEqual({ 'node-role.kubernetes.io/control-plane': '' });
    expect(spec.tolerations).toEqual([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(spec.containers.map((c: any) => [c.name, c.args])).toEqual(['main', 'events'].map((cluster, i) => [`proxy-${cluster}`, [
      `--secure-listen-address=$(NODE_IP):${9081 + i}`,
      `--upstream=http://127.0.0.1:${8081 + i}/`,
      '--allow-paths=/metrics',
      `--auth-token-audiences=${ETCD_METRICS_AUDIENCE}`,
      '--tls-cert-file=/etc/etcd-metrics-proxy/tls/tls.crt',
      '--tls-private-key-file=/etc/etcd-metrics-proxy/tls/tls.key',
      '--tls-min-version=VersionTLS13',
    ]]));
    for (const c of spec.containers) {
      expect(c.env).toEqual([{ name: 'NODE_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } }]);
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    }
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(spec.volumes).toEqual([{ name: 'tls', secret: { secretName: 'etcd-metrics-proxy-tls', defaultMode: 0o440 } }]);
  });

  test('the proxies may only review tokens and access, and admit only Prometheus on their ports', () => {
    expect(byName['ClusterRole/monitoring:etcd-metrics-proxy'].rules).toEqual([
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    ]);
    expect(byName['NetworkPolicy/etcd-metrics-proxy-allow-scrapes'].spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
      ports: [{ protocol: 'TCP', port: 9081 }, { protocol: 'TCP', port: 9082 }],
    }]);
  });

  test("a private CA issues the proxies' certificate for the name Prometheus verifies, and Prometheus's, which carries the CA to its namespace", () => {
    const certificates = all.filter((o) => o.kind === 'Certificate' && o.metadata.name !== 'grafana-tls');
    const issuers = all.filter((o) => o.kind === 'ClusterIssuer');
    expect(issuers.map((i) => [i.metadata.name, i.spec])).toEqual([
      ['platform-etcd-metrics-root', { selfSigned: {} }],
      ['platform-etcd-metrics-ca', { ca: { secretName: 'platform-etcd-metrics-ca' } }],
    ]);
    const bySecret = Object.fromEntries(certificates.map((c) => [c.spec.secretName, c]));
    expect(bySecret['platform-etcd-metrics-ca'].metadata.namespace).toBe('kube-system');
    expect(bySecret['platform-etcd-metrics-ca'].spec).toMatchObject({ isCA: true, issuerRef: { name: 'platform-etcd-metrics-root', kind: 'ClusterIssuer' }, privateKey: { rotationPolicy: 'Never' } });
    expect(bySecret['etcd-metrics-proxy-tls'].metadata.namespace).toBe('platform-etcd-metrics');
    expect(bySecret['etcd-metrics-proxy-tls'].spec).toMatchObject({ dnsNames: ['etcd-metrics.platform-etcd-metrics.svc'], usages: ['digital signature', 'server auth'], issuerRef: { name: 'platform-etcd-metrics-ca', kind: 'ClusterIssuer' } });
    expect(bySecret['etcd-metrics-trust'].metadata.namespace).toBe('monitoring');
    expect(bySecret['etcd-metrics-trust'].spec).toMatchObject({ usages: ['digital signature', 'client auth'], issuerRef: { name: 'platform-etcd-metrics-ca', kind: 'ClusterIssuer' } });
  });

  test("Prometheus mounts the audience's token and the CA where its etcd jobs read them, and nothing else of the trust Secret", () => {
    const spec = byName['StatefulSet/prometheus'].spec.template.spec;
    expect(spec.volumes).toEqual(expect.arrayContaining([
      { name: 'etcd-metrics-token', projected: { sources: [{ serviceAccountToken: { audience: ETCD_METRICS_AUDIENCE, expirationSeconds: 3600, path: 'token' } }] } },
      { name: 'etcd-metrics-ca', secret: { secretName: 'etcd-metrics-trust', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    ]));
    const mounts: { name: string; mountPath: string }[] = spec.containers[0].volumeMounts;
    const mountOf = (file: string) => mounts.find((m) => file.startsWith(`${m.mountPath}/`))?.name;
    for (const name of [JOBS.etcdMain, JOBS.etcdEvents]) {
      const j = job(name);
      expect(mountOf(String(j.authorization?.credentials_file))).toBe('etcd-metrics-token');
      expect(mountOf(String(j.tls_config?.ca_file))).toBe('etcd-metrics-ca');
    }
  });
});

// Prometheus (Debian's) scrapes a TLS server standing in for a proxy, with the rendered etcd-main
// job: its scheme, token file and TLS settings as rendered, the files at the paths it names moved
// beside the config, and discovery replaced by the server's address (no Kubernetes here).
describe('the rendered etcd job, run by a real Prometheus', () => {
  const hasTools = ['prometheus', 'openssl'].every((t) => spawnSync(t, ['--version'], { encoding: 'utf8' }).error === undefined);
  if (!hasTools) console.warn('prometheus or openssl is not installed: the etcd scrape is not run');
  const withTools = hasTools ? test : test.skip;
  const dir = mkdtempSync(join(tmpdir(), 'etcd-scrape-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const TOKEN = 'audience-token-for-the-test';

  const openssl = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  };
  /** A CA, and a serving certificate it signs for `name`. */
  function certificates(prefix: string, name: string): { ca: string; key: string; cert: string } {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl(['req', '-x509', ...ec, '-days', '1', '-subj', `/CN=${prefix} CA`, '-keyout', `${prefix}-ca.key`, '-out', `${prefix}-ca.crt`]);
    openssl(['req', ...ec, '-subj', '/CN=proxy', '-keyout', `${prefix}.key`, '-out', `${prefix}.csr`]);
    writeFileSync(join(dir, `${prefix}.ext`), `subjectAltName=DNS:${name}\nextendedKeyUsage=serverAuth\n`);
    openssl(['x509', '-req', '-in', `${prefix}.csr`, '-CA', `${prefix}-ca.crt`, '-CAkey', `${prefix}-ca.key`, '-CAcreateserial', '-days', '1', '-extfile', `${prefix}.ext`, '-out', `${prefix}.crt`]);
    return { ca: readFileSync(join(dir, `${prefix}-ca.crt`), 'utf8'), key: readFileSync(join(dir, `${prefix}.key`), 'utf8'), cert: readFileSync(join(dir, `${prefix}.crt`), 'utf8') };
  }

  async function scrape(served: { key: string; cert: string }, trusted: string): Promise<{ up: number; authorizations: string[] }> {
    const authorizations: string[] = [];
    const server: Server = createServer({ key: served.key, cert: served.cert }, (req, res) => {
      authorizations.push(req.headers.authorization ?? '');
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end('etcd_server_has_leader 1\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const rendered = job(JOBS.etcdMain);
    const { kubernetes_sd_configs: _sd, relabel_configs: _relabel, ...kept } = rendered;
    const config = {
      global: { scrape_interval: '1s', scrape_timeout: '1s' },
      scrape_configs: [{
        ...kept,
        authorization: { credentials_file: 'token' },
        tls_config: { ...rendered.tls_config, ca_file: 'ca.crt' },
        static_configs: [{ targets: [`127.0.0.1:${(server.address() as AddressInfo).port}`] }],
      }],
    };
    let prometheus: RunningPrometheus | undefined;
    try {
      prometheus = await startPrometheusWith(stringify(config), { token: TOKEN, 'ca.crt': trusted });
      // Wait for a few scrapes, then read the last result.
      let up = -1;
      for (let i = 0; i < 40 && up !== 1; i++) {
        await new Promise((r) => setTimeout(r, 250));
        const r = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(`up{job="${JOBS.etcdMain}"}`)}`);
        const value = ((await r.json()) as { data: { result: { value: [number, string] }[] } }).data.result[0]?.value[1];
        if (value !== undefined) up = Number(value);
      }
      return { up, authorizations };
    } finally {
      await prometheus?.stop();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  withTools('verifies the proxy by the CA and the certificate name, and only then sends the token', async () => {
    // GIVEN a proxy certificate for the name the job verifies, from the CA Prometheus trusts
    const good = certificates('good', 'etcd-metrics.platform-etcd-metrics.svc');
    // WHEN Prometheus scrapes it
    const result = await scrape(good, good.ca);
    // THEN the scrape succeeds, with the audience token
    expect(result.up).toBe(1);
    expect([...new Set(result.authorizations)]).toEqual([`Bearer ${TOKEN}`]);
  }, 60_000);

  withTools('refuses a server whose certificate names another host, or comes from another CA, and sends it no token', async () => {
    const other = certificates('other-name', 'etcd.example.com');
    const good = certificates('trusted', 'etcd-metrics.platform-etcd-metrics.svc');
    const stranger = certificates('stranger', 'etcd-metrics.platform-etcd-metrics.svc');
    for (const [served, trusted] of [[other, other.ca], [stranger, good.ca]] as const) {
      const result = await scrape(served, trusted);
      expect(result.up).toBe(0);
      expect(result.authorizations).toEqual([]);
    }
  }, 90_000);
});
