import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Platform, buildServiceRepoApp, renderApp } from '@example/platform-constructs';
import { parse, parseAllDocuments } from 'yaml';
import { checkout, environments, namespace } from '../src/services';

const root = join(__dirname, '..', '..');

/** Every object of every environment, as the deploy applies them. */
function all(): Record<string, any>[] {
  return renderApp(buildServiceRepoApp({ environments, services: [checkout()] })).files.flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJSON()));
}

function objects(logLevel?: string): Record<string, any> {
  const files = renderApp(buildServiceRepoApp({ environments, services: [checkout(logLevel)] })).files;
  return Object.fromEntries(files.flatMap((f) => parseAllDocuments(f.content).map((d) => {
    const o = d.toJSON();
    return [`${f.path.split('/')[0]}:${o.kind}`, o];
  })));
}

test('the synthesized files are the ones synth wrote', () => {
  const written = readFileSync(join(root, 'dist', 'prod', 'manifests', '5-services', 'checkout.k8s.yaml'), 'utf8');
  expect(written).toContain('name: checkout');
  expect(written).toContain('replicas: 3');
});

test('image, probes and namespace are set per environment', () => {
  const o = objects();
  const prod = o['prod:Deployment'];
  const container = prod.spec.template.spec.containers[0];
  expect(prod.metadata.namespace).toBe('shop');
  expect(container.image).toBe('registry.example.com/shop/checkout:1.0.3');
  expect(container.readinessProbe.httpGet.path).toBe('/healthz');
  expect(prod.spec.replicas).toBe(3);
  expect(o['stage:Deployment'].spec.replicas).toBe(2);
});

test('a config change changes the ConfigMap name the pods read', () => {
  const before = objects('info')['prod:ConfigMap'].metadata.name;
  const after = objects('debug')['prod:ConfigMap'].metadata.name;
  expect(after).not.toBe(before);
  expect(objects('debug')['prod:Deployment'].spec.template.spec.containers[0].envFrom[0].configMapRef.name).toBe(after);
});

// What the repo may assume exists (README.md), checked where the repo can know it.

test('every object is in the namespace the deploy workflow keeps the ApplySet parent in', () => {
  const workflow = parse(readFileSync(join(root, '.github', 'workflows', 'deploy.yml'), 'utf8'));
  expect(workflow.env.NAMESPACE).toBe(namespace);
  expect([...new Set(all().map((o) => o.metadata.namespace))]).toEqual([namespace]);
});

test('every Secret a pod reads is synced by an ExternalSecret of the repo, through the store the platform gives the namespace', () => {
  const objects = all();
  const synced = objects.filter((o) => o.kind === 'ExternalSecret');
  expect(synced.map((e) => e.spec.secretStoreRef)).toEqual(environments.map(() => ({ kind: 'SecretStore', name: Platform.secretStore })));
  const keysOf = (name: string): string[] => synced.filter((e) => e.spec.target.name === name).flatMap((e) => e.spec.data.map((d: any) => d.secretKey));
  const read = objects.filter((o) => o.kind === 'Deployment').flatMap((d) => d.spec.template.spec.containers.flatMap((c: any) => (c.env ?? [])
    .filter((e: any) => e.valueFrom?.secretKeyRef !== undefined).map((e: any) => e.valueFrom.secretKeyRef)));
  expect(read.length).toBeGreaterThan(0);
  for (const ref of read) expect(keysOf(ref.name)).toContain(ref.key);
});

test('no @pulumi module is loaded', () => {
  expect(Object.keys(require.cache).filter((k) => k.includes('/node_modules/@pulumi/'))).toEqual([]);
});

test('the manifests match the reviewed snapshot', () => {
  const files = renderApp(buildServiceRepoApp({ environments, services: [checkout()] })).files;
  expect(Object.fromEntries(files.map((f) => [f.path, f.content]))).toMatchSnapshot();
});
