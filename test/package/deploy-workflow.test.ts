import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { type RenderedFile, type ServiceGroup, applyLayout, buildCluster, synthServiceRepo } from '../../lib';
import { replaceFolder } from '../../lib/synth/write';
import type { AuthenticationConfiguration } from '../../lib/cluster/kops/authentication';
import { clusters, environments as clusterEnvironments } from '../../clusters';
import { authenticate } from '../cluster/jwt-authenticator';
import { DEPLOY_RULES } from '../../lib/tenancy/rbac';
import { type RecordedRequest, applysetId, pluralOf, runAsync as run, servedKinds, startFakeApiServer, writeKubeconfig } from './fake-api-server';

// The example service repo imports the package by its name; here that name is the library itself.
// It is loaded with require: the type-check of this repo does not resolve the package's name.
jest.mock('@example/platform-constructs', () => jest.requireActual('../../lib'), { virtual: true });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const example = require('../../verify/service-repo/src/services') as { checkout: () => ServiceGroup; environments: string[]; namespace: string };
const { checkout, environments, namespace } = example;

// The service repo's deploy pipeline (verify/service-repo/.github/workflows/deploy.yml) and the
// scripts it runs (verify/service-repo/deploy/). GitHub's rules it relies on are read from its
// documentation (a job gets an OIDC token only with `id-token: write`; ACTIONS_ID_TOKEN_REQUEST_URL
// and _TOKEN are then in its steps' environment; `environment: prod` with required reviewers waits
// for an approval). kubectl's ApplySet rules are read from kubernetes/kubectl
// pkg/cmd/apply/applyset.go and checked here against the real kubectl where it is installed:
// the parent is a Secret or ConfigMap (or a CRD labelled applyset.kubernetes.io/is-parent-type),
// it carries the label applyset.kubernetes.io/id = "applyset-" + base64url(sha256(
// "<name>.<namespace>.<kind>.<group>")) + "-v1" and the annotations applyset.kubernetes.io/tooling
// and contains-group-kinds; every member carries applyset.kubernetes.io/part-of = that id; the
// parent's namespace is taken from -n only (pkg/cmd/apply/apply.go).

const ROOT = join(__dirname, '..', '..');
const REPO = join(ROOT, 'verify', 'service-repo');
const SCRIPTS = join(REPO, 'deploy');
interface Step { readonly name?: string; readonly uses?: string; readonly run?: string; readonly with?: Record<string, unknown> }
interface Job {
  readonly if?: string; readonly needs?: string | string[]; readonly environment?: string; readonly env?: Record<string, string>;
  readonly permissions?: Record<string, string>; readonly concurrency?: Record<string, unknown>; readonly steps: Step[];
}
const text = readFileSync(join(REPO, '.github', 'workflows', 'deploy.yml'), 'utf8');
const workflow = parse(text) as { on: Record<string, unknown>; permissions: Record<string, string>; env: Record<string, string>; jobs: Record<string, Job> };
const repoPackage = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string };

const jobOf = (name: string): Job => {
  const job = workflow.jobs[name];
  if (job === undefined) throw new Error(`deploy.yml has no job ${name}`);
  return job;
};
const runs = (job: Job): string[] => job.steps.map((s) => s.run ?? '').filter((r) => r !== '');

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!hasKubectl) console.warn('kubectl is not installed: the checks that run kubectl are skipped (CI runs them where kubectl is installed)');
const withKubectl = hasKubectl ? test : test.skip;

const work = mkdtempSync(join(tmpdir(), 'deploy-workflow-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The example's output, synthesized by the library as `npm run synth` writes it. */
function synthesized(): string {
  const out = join(work, 'dist');
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    synthServiceRepo({ environments, services: [checkout()] }, out);
  } finally {
    log.mockRestore();
  }
  return out;
}
const dist = synthesized();

/** The objects of one environment's output, in the order of its folders and files. */
function objectsOf(env: string): Record<string, any>[] {
  const manifests = join(dist, env, 'manifests');
  return readdirSync(manifests).sort().flatMap((step) => readdirSync(join(manifests, step)).filter((f) => f !== 'kustomization.yaml').sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(manifests, step, f), 'utf8')).map((d) => d.toJSON() as Record<string, any>)));
}

describe('the service repo deploy pipeline', () => {
  const test_ = jobOf('test');
  const deploys = Object.entries(workflow.jobs).filter(([name]) => name.startsWith('deploy-'));

  test('runs on pull requests and on pushes to main, with read-only repository access by default', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.on.push).toEqual({ branches: ['main'] });
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  test('installs with a CodeArtifact token of the job, builds, synthesizes, tests, and keeps the tested output', () => {
    const creds = test_.steps.findIndex((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@') === true);
    const token = test_.steps.findIndex((s) => (s.run ?? '').includes('aws codeartifact get-authorization-token'));
    const install = test_.steps.findIndex((s) => s.run === 'npm ci --no-audit --no-fund');
    expect(creds).toBeGreaterThan(-1);
    expect(token).toBeGreaterThan(creds);
    expect(install).toBeGreaterThan(token);
    expect(test_.steps[token]?.run).toContain('echo "::add-mask::$token"');
    expect(runs(test_).slice(-4)).toEqual(['npm ci --no-audit --no-fund', 'npm run build', 'npm run synth', 'npm test -- --ci']);
    const upload = test_.steps.at(-1);
    expect(upload?.uses).toMatch(/^actions\/upload-artifact@/);
    expect(upload?.with).toMatchObject({ name: 'dist', path: 'dist/', 'if-no-files-found': 'error' });
  });

  test('deploys each environment the repo synthesizes, stage first, prod after it behind its environment', () => {
    expect(deploys.map(([name]) => name)).toEqual(environments.map((e) => `deploy-${e}`));
    const stage = jobOf('deploy-stage');
    const prod = jobOf('deploy-prod');
    expect(stage.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect([stage.needs].flat()).toEqual(['test']);
    expect([prod.needs].flat()).toEqual(['deploy-stage']);
    for (const [name, job] of deploys) {
      const env = name.slice('deploy-'.length);
      expect(job.environment).toBe(env);
      expect(job.env?.CLUSTER).toBe(env);
      expect(job.permissions).toEqual({ 'contents': 'read', 'id-token': 'write' });
      expect(job.concurrency).toEqual({ group: `deploy-${env}`, 'cancel-in-progress': false });
    }
  });

  test('each deploy applies the tested artifact with a kubeconfig made from its own OIDC token, in this order', () => {
    for (const [, job] of deploys) {
      expect(job.steps.map((s) => s.uses?.replace(/@.*/, '') ?? s.name)).toEqual([
        'actions/checkout', 'actions/download-artifact', 'kubectl, pinned, checked against its published checksum',
        'Credentials from this job\'s OIDC token', 'Apply, prune, wait for rollouts',
      ]);
      expect(job.steps[1]?.with).toEqual({ name: 'dist', path: 'dist/' });
      expect(job.steps[2]?.run).toContain('sha256sum -c -');
      expect(job.steps[3]?.run).toContain('deploy/kubeconfig.sh "${DESCRIPTORS}/${CLUSTER}.json" "$RUNNER_TEMP/kubeconfig"');
      // the script the synth wrote beside the tested output, run by bash: an artifact keeps no file modes
      expect(job.steps[4]?.run).toBe('bash "dist/${CLUSTER}/apply.sh" "$APPLYSET" "$NAMESPACE"');
    }
    expect(workflow.env.KUBECTL_VERSION).toMatch(/^v1\.\d+\.\d+$/);
    // no stored credential of any kind
    expect(text).not.toMatch(/secrets\.|KUBECONFIG_DATA|aws-access-key-id|aws-secret-access-key|--token=/);
  });

  test('the ApplySet parent is a ConfigMap named after the repo, in the namespace its services run in', () => {
    expect(workflow.env.APPLYSET).toBe(`applyset-${repoPackage.name}`);
    expect(workflow.env.NAMESPACE).toBe(namespace);
    for (const env of environments) expect([...new Set(objectsOf(env).map((o) => o.metadata.namespace))]).toEqual([namespace]);
    for (const env of environments) {
      const script = readFileSync(join(dist, env, 'apply.sh'), 'utf8');
      expect(script).toContain('parent=${1:?$usage}\nnamespace=${2:?$usage}\n');
      expect(script).toContain('prune=(--prune --applyset="configmaps/$parent" -n "$namespace")');
      expect(script).toContain('KUBECTL_APPLYSET=true kubectl apply --server-side --field-manager="$manager" "${dry[@]}" "${prune[@]}" -f "$stream"');
    }
  });

  test("the team's deploy Role may write the parent and list, apply and delete every kind the repo applies, and no Secret", () => {
    const allows = (group: string, resource: string, verbs: readonly string[]): boolean => DEPLOY_RULES.some((r) => (r.apiGroups ?? []).includes(group) && (r.resources ?? []).includes(resource) && verbs.every((v) => (r.verbs ?? []).includes(v)));
    // kubectl reads the parent, applies it (a PATCH that creates it the first time) and lists the members of each kind to prune them
    expect(allows('', 'configmaps', ['get', 'create', 'patch'])).toBe(true);
    expect(DEPLOY_RULES.some((r) => (r.resources ?? []).includes('secrets'))).toBe(false);
    for (const env of environments) {
      for (const o of objectsOf(env)) {
        const group = String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] ?? '' : '';
        expect({ kind: o.kind, allowed: allows(group, pluralOf(String(o.kind)), ['get', 'list', 'create', 'patch', 'delete']) }).toEqual({ kind: o.kind, allowed: true });
      }
    }
  });

  test('the scripts pass shellcheck', () => {
    for (const script of [join(dist, 'prod', 'apply.sh'), join(SCRIPTS, 'kubeconfig.sh'), join(SCRIPTS, 'ci-token.sh')]) {
      const result = spawnSync('shellcheck', ['--severity=style', script], { encoding: 'utf8' });
      expect(result.error).toBeUndefined();
      expect({ script, out: result.stdout }).toEqual({ script, out: '' });
    }
  });
});

describe('the deploy scripts, run with kubectl', () => {
  withKubectl('kubectl kustomize reads every folder of the output, in the order of the folders', async () => {
    for (const env of environments) {
      const manifests = join(dist, env, 'manifests');
      const steps = readdirSync(manifests).sort();
      expect(steps).toEqual(['5-services']);
      const built = await Promise.all(steps.map((s) => run('kubectl', ['kustomize', join(manifests, s)], {})));
      for (const b of built) expect(b.stderr).toBe('');
      const objects = built.flatMap((b) => parseAllDocuments(b.stdout).map((d) => d.toJSON() as Record<string, any>));
      const key = (o: Record<string, any>): string => `${String(o.kind)}/${String(o.metadata.name)}`;
      expect(objects.map(key).sort()).toEqual(objectsOf(env).map(key).sort());
    }
  });

  withKubectl('a first deploy creates the parent, labels every object as a member, and applies them server-side as the repo', async () => {
    // GIVEN an API server where nothing exists yet, and the objects in the order kustomize gives them
    const objects = parseAllDocuments((await run('kubectl', ['kustomize', join(dist, 'prod', 'manifests', '5-services')], {})).stdout).map((d) => d.toJSON() as Record<string, any>);
    const server = await startFakeApiServer(servedKinds(objects));
    try {
      const kubeconfig = writeKubeconfig(join(work, 'first.kubeconfig'), server.url);
      // WHEN the script applies prod's output as a server-side dry run
      const result = await run('bash', [join(dist, 'prod', 'apply.sh'), 'applyset-shop-services', 'shop'], { KUBECONFIG: kubeconfig, DRY_RUN: 'server', HOME: work });
      // THEN kubectl read the parent, applied it, each object, and the parent again
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const id = applysetId('applyset-shop-services', 'shop', 'ConfigMap', '');
      const writes = server.requests.filter((r) => r.method !== 'GET');
      const parentPath = '/api/v1/namespaces/shop/configmaps/applyset-shop-services';
      expect(server.requests.find((r) => r.path === parentPath)?.method).toBe('GET');
      expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
        `PATCH ${parentPath}`,
        ...objects.map((o) => `PATCH ${o.apiVersion === 'v1' ? '/api/v1' : `/apis/${String(o.apiVersion)}`}/namespaces/shop/${pluralOf(String(o.kind))}/${String(o.metadata.name)}`),
        `PATCH ${parentPath}`,
      ]);
      for (const w of writes) {
        expect(w.contentType).toBe('application/apply-patch+yaml');
        expect(w.query.get('dryRun')).toBe('All');
      }
      const parent = writes[writes.length - 1] as RecordedRequest;
      expect(parent.query.get('fieldManager')).toBe('kubectl-applyset');
      expect(parent.body?.metadata.labels).toEqual({ 'applyset.kubernetes.io/id': id });
      expect(parent.body?.metadata.annotations['applyset.kubernetes.io/tooling']).toMatch(/^kubectl\/v1\.\d+/);
      expect(parent.body?.metadata.annotations['applyset.kubernetes.io/contains-group-kinds'].split(',')).toEqual(
        [...new Set(objects.map((o) => (String(o.apiVersion).includes('/') ? `${String(o.kind)}.${String(o.apiVersion).split('/')[0]}` : String(o.kind))))].sort(),
      );
      for (const member of writes.slice(1, -1)) {
        expect(member.query.get('fieldManager')).toBe('platform-constructs');
        expect(member.body?.metadata.labels['applyset.kubernetes.io/part-of']).toBe(id);
      }
    } finally {
      await server.close();
    }
  });

  withKubectl('a later deploy prunes the members the repo no longer declares, and nothing outside the set', async () => {
    // GIVEN the parent of an earlier deploy, a Deployment it applied that the repo dropped since, and one it never applied
    const objects = objectsOf('prod');
    const id = applysetId('applyset-shop-services', 'shop', 'ConfigMap', '');
    const dropped = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'checkout-legacy', namespace: 'shop', labels: { 'applyset.kubernetes.io/part-of': id } } };
    const foreign = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'someone-else', namespace: 'shop', labels: {} } };
    const parent = {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'applyset-shop-services', namespace: 'shop', labels: { 'applyset.kubernetes.io/id': id }, annotations: { 'applyset.kubernetes.io/tooling': 'kubectl/v1.32.4', 'applyset.kubernetes.io/contains-group-kinds': 'Deployment.apps' } },
    };
    const server = await startFakeApiServer(servedKinds(objects), [parent, dropped, foreign]);
    try {
      const kubeconfig = writeKubeconfig(join(work, 'prune.kubeconfig'), server.url);
      // WHEN the script applies prod's output as a server-side dry run
      const result = await run('bash', [join(dist, 'prod', 'apply.sh'), 'applyset-shop-services', 'shop'], { KUBECONFIG: kubeconfig, DRY_RUN: 'server', HOME: work });
      // THEN the dropped Deployment alone is deleted (dry run), found by its membership label
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('deployment.apps/checkout-legacy pruned (server dry run)');
      const deletes = server.requests.filter((r) => r.method === 'DELETE');
      expect(deletes.map((r) => ({ path: r.path, dryRun: r.body?.dryRun }))).toEqual([{ path: '/apis/apps/v1/namespaces/shop/deployments/checkout-legacy', dryRun: ['All'] }]);
      expect(server.requests.some((r) => r.method === 'GET' && r.query.get('labelSelector') === `applyset.kubernetes.io/part-of=${id}`)).toBe(true);
    } finally {
      await server.close();
    }
  });

  withKubectl('a real deploy waits for the rollout of every Deployment it applied', async () => {
    // GIVEN an API server whose Deployments roll out at once
    const objects = objectsOf('stage');
    const server = await startFakeApiServer(servedKinds(objects));
    try {
      const kubeconfig = writeKubeconfig(join(work, 'rollout.kubeconfig'), server.url);
      // WHEN the script applies stage's output for real
      const result = await run('bash', [join(dist, 'stage', 'apply.sh'), 'applyset-shop-services', 'shop'], { KUBECONFIG: kubeconfig, HOME: work });
      // THEN it waited for the Deployment, after applying it
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('deployment "checkout" successfully rolled out');
      const patched = server.requests.findIndex((r) => r.method === 'PATCH' && r.path === '/apis/apps/v1/namespaces/shop/deployments/checkout');
      const watched = server.requests.findIndex((r) => r.method === 'GET' && r.path === '/apis/apps/v1/namespaces/shop/deployments' && r.query.get('fieldSelector') === 'metadata.name=checkout');
      expect(patched).toBeGreaterThan(-1);
      expect(watched).toBeGreaterThan(patched);
    } finally {
      await server.close();
    }
  });

  // A service repo's output with a CRD folder, as the library lays it out: the repo has none (its
  // Role could not write one), so the layout is made from prod's files and one CRD.
  const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' } };
  function withCrds(): string {
    const out = join(work, 'with-crds');
    const services = join(dist, 'prod', 'manifests', '5-services');
    const files: RenderedFile[] = [
      { path: 'prod/manifests/widgets.k8s.yaml', content: stringify(crd), phase: 'crds' },
      ...readdirSync(services).filter((f) => f !== 'kustomization.yaml').map((f) => ({ path: `prod/manifests/${f}`, content: readFileSync(join(services, f), 'utf8'), phase: 'services' as const })),
    ];
    replaceFolder(out, applyLayout(files));
    return join(out, 'prod', 'apply.sh');
  }

  withKubectl('a CRD folder is applied first, on its own, outside the ApplySet', async () => {
    // GIVEN an output with a CRD folder before the services
    const script = withCrds();
    const server = await startFakeApiServer(servedKinds([crd, ...objectsOf('prod')]));
    try {
      const kubeconfig = writeKubeconfig(join(work, 'crds.kubeconfig'), server.url);
      // WHEN it is applied
      const result = await run('bash', [script, 'applyset-shop-services', 'shop'], { KUBECONFIG: kubeconfig, DRY_RUN: 'server', HOME: work });
      // THEN the CRD is the first write, without the membership label
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const writes = server.requests.filter((r) => r.method === 'PATCH');
      expect(writes[0]?.path).toBe('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com');
      expect(writes[0]?.body?.metadata.labels).toBeUndefined();
      expect(writes[1]?.path).toBe('/api/v1/namespaces/shop/configmaps/applyset-shop-services');
    } finally {
      await server.close();
    }
  });

  withKubectl('on a real run the CRDs are waited for until established before anything else is applied', async () => {
    // GIVEN the same output with a CRD folder, and a server that establishes a CRD once stored
    const script = withCrds();
    const server = await startFakeApiServer(servedKinds([crd, ...objectsOf('prod')]));
    try {
      const kubeconfig = writeKubeconfig(join(work, 'crds-real.kubeconfig'), server.url);
      // WHEN it is applied for real
      const result = await run('bash', [script, 'applyset-shop-services', 'shop'], { KUBECONFIG: kubeconfig, HOME: work });
      // THEN kubectl waited for the CRD (kubectl wait takes no -k), and applied the rest after it
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met');
      const waited = server.requests.findIndex((r) => r.method === 'GET' && r.path.startsWith('/apis/apiextensions.k8s.io/v1/customresourcedefinitions') && r.query.get('fieldSelector') === 'metadata.name=widgets.example.com');
      const parent = server.requests.findIndex((r) => r.method === 'PATCH' && r.path === '/api/v1/namespaces/shop/configmaps/applyset-shop-services');
      expect(waited).toBeGreaterThan(-1);
      expect(parent).toBeGreaterThan(waited);
    } finally {
      await server.close();
    }
  });

  withKubectl('an output emptied after the synth is refused before anything is applied, rather than prune the whole set', async () => {
    // GIVEN prod's output whose services folder lost its objects since the synth
    const emptied = join(work, 'emptied');
    rmSync(emptied, { recursive: true, force: true });
    cpSync(join(dist, 'prod'), emptied, { recursive: true });
    const services = join(emptied, 'manifests', '5-services');
    for (const f of readdirSync(services)) rmSync(join(services, f));
    writeFileSync(join(services, 'kustomization.yaml'), 'resources: []\n');
    const server = await startFakeApiServer(servedKinds(objectsOf('prod')));
    try {
      const kubeconfig = writeKubeconfig(join(work, 'emptied.kubeconfig'), server.url);
      // WHEN its apply.sh runs
      const result = await run('bash', [join(emptied, 'apply.sh'), 'applyset-shop-services', 'shop'], { KUBECONFIG: kubeconfig, HOME: work });
      // THEN it refuses, and nothing was written (kubectl kustomize asks the server's version only)
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`apply: ${emptied}/manifests holds no objects; refusing to prune the whole ApplySet\n`);
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /version']);
    } finally {
      await server.close();
    }
  });
});

describe('cluster credentials from the job\'s OIDC token', () => {
  const ca = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');

  withKubectl('kubeconfig.sh writes the descriptor\'s server and CA and an exec credential for its audience, no token', async () => {
    // GIVEN the descriptor the platform publishes for a cluster
    const descriptor = join(work, 'prod.json');
    writeFileSync(descriptor, JSON.stringify({ cluster: 'prod', server: 'https://api.prod.k8s.example.com', certificateAuthorityData: ca, oidc: { issuerUrl: 'https://dex.example.com', clientId: 'kubernetes-prod' } }));
    const kubeconfig = join(work, 'ci.kubeconfig');
    // WHEN the deploy step writes the kubeconfig
    const result = await run('bash', [join(SCRIPTS, 'kubeconfig.sh'), descriptor, kubeconfig], { HOME: work });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // THEN kubectl reads it back as a cluster, a context and an exec user
    const view = JSON.parse((await run('kubectl', ['config', 'view', '--raw', '-o', 'json'], { KUBECONFIG: kubeconfig })).stdout) as Record<string, any>;
    expect(view['current-context']).toBe('prod');
    expect(view.clusters).toEqual([{ name: 'prod', cluster: { server: 'https://api.prod.k8s.example.com', 'certificate-authority-data': ca } }]);
    expect(view.users).toEqual([{
      name: 'ci-prod',
      user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: join(SCRIPTS, 'ci-token.sh'), args: ['kubernetes-prod'], env: null, interactiveMode: 'Never', provideClusterInfo: false } },
    }]);
  });

  withKubectl('kubeconfig.sh refuses a descriptor whose server is not https', async () => {
    const descriptor = join(work, 'plain.json');
    writeFileSync(descriptor, JSON.stringify({ cluster: 'prod', server: 'http://api.prod.k8s.example.com', oidc: { issuerUrl: 'https://dex.example.com', clientId: 'kubernetes-prod' } }));
    const result = await run('bash', [join(SCRIPTS, 'kubeconfig.sh'), descriptor, join(work, 'plain.kubeconfig')], { HOME: work });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("kubeconfig: the descriptor's server 'http://api.prod.k8s.example.com' is not https\n");
  });

  test('ci-token.sh asks GitHub for a token of the cluster\'s audience and hands it to kubectl as an ExecCredential', async () => {
    // GIVEN GitHub's token endpoint, as a job with id-token: write sees it
    const seen: { url: string; auth: string | undefined }[] = [];
    const endpoint = createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ value: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.c2ln' }));
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/token?api-version=2.0`;
      // WHEN kubectl runs the plugin
      const result = await run('bash', [join(SCRIPTS, 'ci-token.sh'), 'kubernetes-prod'], { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' });
      // THEN it asked for the cluster's audience with the job's request token, and printed the credential
      expect(result.stderr).toBe('');
      expect(seen).toEqual([{ url: '/token?api-version=2.0&audience=kubernetes-prod', auth: 'bearer request-token' }]);
      expect(JSON.parse(result.stdout)).toEqual({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.c2ln' } });
    } finally {
      await new Promise((resolve) => endpoint.close(resolve));
    }
  });

  test('ci-token.sh says what the job lacks when it has no OIDC token', async () => {
    const result = await run('bash', [join(SCRIPTS, 'ci-token.sh'), 'kubernetes-prod'], { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("ci-token: no GitHub OIDC token available: give the job 'permissions: id-token: write'\n");
  });
});

// The whole authentication path, with the real kubectl: kubeconfig.sh's exec credential asks a
// stand-in of GitHub's token endpoint (as a job of the given environment sees it) for a token of
// the cluster's audience, and a stand-in API server over TLS authenticates it by prod's generated
// AuthenticationConfiguration (k8s.io/apiserver plugin/pkg/authenticator/token/oidc, emulated in
// test/cluster/jwt-authenticator.ts; the signature is not checked) and answers `kubectl auth
// whoami` (a SelfSubjectReview) with the user it made of the token, or 401.
describe("the deploy job's token, authenticated by the cluster's configuration", () => {
  const prodDefinition = clusters.find((c) => c.name === 'prod');
  if (prodDefinition === undefined) throw new Error('no prod cluster');
  const prod = buildCluster(prodDefinition, clusterEnvironments);
  const asset = ((prod.kops.cluster.toJson() as Record<string, any>).spec.fileAssets as Record<string, any>[]).find((f) => f.name === 'authentication-config');
  const config = parse(String(asset?.content)) as AuthenticationConfiguration;
  const audience = prod.facts.oidc?.clientId ?? '';
  const objects = prod.app.charts.flatMap((c) => c.toJson() as Record<string, any>[]);
  const binding = objects.find((o) => o.kind === 'RoleBinding' && o.metadata.name === 'platform-team-deploy' && o.metadata.namespace === namespace);

  /** A TLS key and certificate for 127.0.0.1, made here (nothing secret is kept). */
  function selfSigned(): { key: string; cert: string } {
    const dir = mkdtempSync(join(work, 'tls-'));
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(made.stderr);
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  }

  async function whoami(environment: string): Promise<{ code: number; stdout: string; stderr: string; audiences: string[] }> {
    const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    const audiences: string[] = [];
    const github = createServer((req, res) => {
      const aud = new URL(req.url ?? '/', 'http://github').searchParams.get('audience') ?? '';
      audiences.push(aud);
      const claims = {
        iss: 'https://token.actions.githubusercontent.com', aud, sub: `repo:example/${repoPackage.name}:environment:${environment}`,
        repository: `example/${repoPackage.name}`, repository_owner: 'example', environment, ref: 'refs/heads/main',
      };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ value: `${b64({ alg: 'RS256' })}.${b64(claims)}.c2ln` }));
    });
    const tls = selfSigned();
    const api = createHttpsServer(tls, (req, res) => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8') || '{}') as Record<string, unknown>;
      const user = authenticate(config, claims);
      if ('refused' in user) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
        return;
      }
      res.writeHead(req.url?.startsWith('/apis/authentication.k8s.io/v1/selfsubjectreviews') === true ? 201 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: {}, status: { userInfo: { username: user.username, groups: [...user.groups, 'system:authenticated'] } } }));
    });
    await new Promise<void>((resolve) => github.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    try {
      const descriptor = join(work, `descriptor-${environment}.json`);
      writeFileSync(descriptor, JSON.stringify({
        cluster: 'prod', server: `https://127.0.0.1:${(api.address() as AddressInfo).port}`, certificateAuthorityData: Buffer.from(tls.cert).toString('base64'),
        oidc: { issuerUrl: 'https://dex.example.com', clientId: audience },
      }));
      const kubeconfig = join(work, `whoami-${environment}.kubeconfig`);
      const made = await run('bash', [join(SCRIPTS, 'kubeconfig.sh'), descriptor, kubeconfig], { HOME: work });
      if (made.code !== 0) throw new Error(made.stderr);
      const env = { KUBECONFIG: kubeconfig, HOME: work, ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${(github.address() as AddressInfo).port}/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' };
      return { ...(await run('kubectl', ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], env)), audiences };
    } finally {
      await new Promise((resolve) => github.close(resolve));
      await new Promise((resolve) => api.close(resolve));
    }
  }

  withKubectl("prod's deploy job is the user the team's deploy RoleBinding names, with a token asked for prod's audience", async () => {
    // GIVEN the shop team's RoleBinding in prod
    expect(binding?.subjects).toEqual([{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `github:repo:example/${repoPackage.name}:environment:prod` }]);
    // WHEN the repo's prod job runs kubectl with the kubeconfig its deploy step writes
    const result = await whoami('prod');
    // THEN the API server authenticated it as exactly that subject, from a token of prod's audience only
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(binding?.subjects[0].name);
    expect([...new Set(result.audiences)]).toEqual(['kubernetes-prod']);
  });

  withKubectl("the stage job's token is refused by prod: 401, and kubectl says so", async () => {
    const result = await whoami('stage');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Unauthorized');
  });
});
