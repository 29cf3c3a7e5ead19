import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import Ajv from 'ajv';
import { applyLayout, type RenderedFile } from '../../lib';
import { validateKubernetesObject } from '../support/k8s-schema';
import { replaceFolder } from '../../lib/synth/write';
import { type RecordedRequest, applysetId, pluralOf, runAsync, servedKinds, startFakeApiServer, writeKubeconfig } from '../package/fake-api-server';

// The generated dist/<environment>/apply.sh, run with the real kubectl against a fake API server
// that records what kubectl sends (test/package/fake-api-server.ts: it checks nothing the real
// server checks). kubectl's ApplySet rules are read from kubernetes/kubectl
// pkg/cmd/apply/applyset.go: the parent carries applyset.kubernetes.io/id, every member
// applyset.kubernetes.io/part-of with that id, and prune deletes the members of an earlier apply
// that this one does not hold.

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!hasKubectl) console.warn('kubectl is not installed: the checks that run the generated apply.sh are skipped');
const withKubectl = hasKubectl ? test : test.skip;

const docs = (...objects: object[]): string => objects.map((o) => stringify(o)).join('---\n');
const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' } };
const monitoring = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } };
const shop = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
const operator = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'operator', namespace: 'monitoring' }, spec: { replicas: 1 } };
const checkout = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'checkout', namespace: 'shop' }, spec: { replicas: 2 } };
const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'checkout', namespace: 'shop' } };
const cluster: RenderedFile[] = [
  { path: 'prod/kops/cluster.yaml', content: 'kind: Cluster\n', phase: 'addons' },
  { path: 'prod/manifests/widgets.k8s.yaml', content: docs(crd), phase: 'crds' },
  { path: 'prod/manifests/monitoring.k8s.yaml', content: docs(monitoring, operator), phase: 'addons' },
  { path: 'prod/manifests/shop.k8s.yaml', content: docs(shop, checkout, service), phase: 'services' },
];
const members = [monitoring, shop, operator, checkout, service];
const PARENT = '/apis/platform.example.com/v1/applysets/platform-constructs';
const ID = applysetId('platform-constructs', '', 'ApplySet', 'platform.example.com');
const PARENT_KIND = { group: 'platform.example.com', version: 'v1', kind: 'ApplySet', namespaced: false };

const work = mkdtempSync(join(tmpdir(), 'apply-script-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const out = join(work, 'dist');
replaceFolder(out, applyLayout(cluster));
const parentObject = parse(readFileSync(join(out, 'prod', 'applyset', 'parent.yaml'), 'utf8')) as Record<string, any>;
const parentCrd = parse(readFileSync(join(out, 'prod', 'applyset', 'crd.yaml'), 'utf8')) as Record<string, any>;

async function withServer(existing: Record<string, any>[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string; requests: RecordedRequest[] }> {
  // the parent's CRD is there already: a dry run stores nothing, and kubectl checks the parent's type before applying
  const server = await startFakeApiServer([...servedKinds([crd, ...members]), PARENT_KIND], [parentCrd, ...existing]);
  try {
    const kubeconfig = writeKubeconfig(join(work, `${Object.keys(env).join('-') || 'real'}-${existing.length}.kubeconfig`), server.url);
    const result = await runAsync('bash', [join(out, 'prod', 'apply.sh')], { KUBECONFIG: kubeconfig, HOME: work, ...env });
    return { ...result, requests: server.requests };
  } finally {
    await server.close();
  }
}

const pathOf = (o: Record<string, any>): string => {
  const prefix = o.apiVersion === 'v1' ? '/api/v1' : `/apis/${String(o.apiVersion)}`;
  return `${prefix}${o.metadata.namespace === undefined ? '' : `/namespaces/${String(o.metadata.namespace)}`}/${pluralOf(String(o.kind))}/${String(o.metadata.name)}`;
};

describe("a cluster's apply.sh", () => {
  test('its parent carries the id kubectl computes for it, and its CRD is a valid CRD whose schema admits the parent', () => {
    expect(parentObject.metadata.labels['applyset.kubernetes.io/id']).toBe(ID);
    expect(() => validateKubernetesObject(parentCrd as { apiVersion: string; kind: string })).not.toThrow();
    expect(parentCrd.metadata.labels['applyset.kubernetes.io/is-parent-type']).toBe('true');
    expect(parentCrd.spec.scope).toBe('Cluster');
    const version = parentCrd.spec.versions[0];
    const validate = new Ajv({ strict: false }).compile(version.schema.openAPIV3Schema);
    expect(`${String(parentCrd.spec.group)}/${String(version.name)}`).toBe(parentObject.apiVersion);
    expect(parentCrd.spec.names.kind).toBe(parentObject.kind);
    expect(validate(parentObject)).toBe(true);
  });

  withKubectl('applies the CRDs alone and outside the set, then every other folder in one apply whose members carry the set\'s label', async () => {
    const result = await withServer([parentObject], { DRY_RUN: 'server' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const writes = result.requests.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PATCH ${pathOf(parentCrd)}`,
      `PATCH ${pathOf(crd)}`,
      `PATCH ${PARENT}`,
      // in folder order, each folder in kustomize's order (a Service before its Deployment)
      ...[monitoring, shop, operator, service, checkout].map((o) => `PATCH ${pathOf(o)}`),
      `PATCH ${PARENT}`,
    ]);
    for (const w of writes) {
      expect(w.contentType).toBe('application/apply-patch+yaml');
      expect(w.query.get('dryRun')).toBe('All');
    }
    expect(writes[1]?.body?.metadata.labels?.['applyset.kubernetes.io/part-of']).toBeUndefined();
    // kubectl checked that the parent's type is one a CRD marks as a parent type
    expect(result.requests.some((r) => r.path === '/apis/apiextensions.k8s.io/v1/customresourcedefinitions' && r.query.get('labelSelector') === 'applyset.kubernetes.io/is-parent-type')).toBe(true);
    for (const m of writes.slice(3, -1)) {
      expect(m.query.get('fieldManager')).toBe('platform-constructs');
      expect(m.body?.metadata.labels['applyset.kubernetes.io/part-of']).toBe(ID);
    }
    const parent = writes[writes.length - 1];
    expect(parent?.body?.metadata.labels).toEqual({ 'applyset.kubernetes.io/id': ID });
    expect(parent?.body?.metadata.annotations['applyset.kubernetes.io/contains-group-kinds'].split(',')).toEqual(['Deployment.apps', 'Namespace', 'Service']);
  });

  withKubectl('prunes a member an earlier run applied that the output no longer holds, and nothing else', async () => {
    const dropped = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'legacy', namespace: 'shop', labels: { 'applyset.kubernetes.io/part-of': ID } } };
    const foreign = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'not-ours', namespace: 'shop', labels: {} } };
    const parent = { ...parentObject, metadata: { ...parentObject.metadata, annotations: { ...parentObject.metadata.annotations, 'applyset.kubernetes.io/contains-group-kinds': 'Deployment.apps', 'applyset.kubernetes.io/additional-namespaces': 'shop' } } };
    const result = await withServer([parent, dropped, foreign], { DRY_RUN: 'server' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('deployment.apps/legacy pruned (server dry run)');
    expect(result.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(['/apis/apps/v1/namespaces/shop/deployments/legacy']);
  });

  withKubectl('a dry run before the first real one prunes nothing and says so', async () => {
    const result = await withServer([], { DRY_RUN: 'server' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('the ApplySet parent does not exist yet (a first run): this dry run prunes nothing');
    expect(result.requests.some((r) => r.path === PARENT && r.method !== 'GET')).toBe(false);
  });

  withKubectl('a first real run creates the parent, then waits for the CRDs and the rollout of every Deployment', async () => {
    const result = await withServer([], {});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const created = result.requests.findIndex((r) => r.method === 'POST' && r.path === '/apis/platform.example.com/v1/applysets');
    expect(created).toBeGreaterThan(-1);
    expect(result.requests.findIndex((r) => r.method === 'PATCH' && r.path === pathOf(checkout))).toBeGreaterThan(created);
    // the CRDs were waited for by name, after they were applied
    expect(result.stdout).toContain('customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met');
    expect(result.stdout).toContain('deployment "operator" successfully rolled out');
    expect(result.stdout).toContain('deployment "checkout" successfully rolled out');
  });
});

describe("a service repo's apply.sh", () => {
  test('names its own parent: run without one it says how and changes nothing', async () => {
    const repoOut = join(work, 'repo');
    replaceFolder(repoOut, applyLayout([{ path: 'stage/manifests/shop.k8s.yaml', content: docs(checkout, service), phase: 'services' }]));
    const result = await runAsync('bash', [join(repoOut, 'stage', 'apply.sh')], { KUBECONFIG: join(work, 'none'), PATH: '/usr/bin:/bin' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('usage: apply.sh <applyset parent ConfigMap> <its namespace>');
  });

  test('passes shellcheck', () => {
    const repoOut = join(work, 'repo-check');
    replaceFolder(repoOut, applyLayout([{ path: 'stage/manifests/shop.k8s.yaml', content: docs(checkout, service), phase: 'services' }]));
    const check = spawnSync('shellcheck', [join(repoOut, 'stage', 'apply.sh'), join(out, 'prod', 'apply.sh')], { encoding: 'utf8' });
    expect(check.stdout).toBe('');
    expect(check.status).toBe(0);
  });
});
