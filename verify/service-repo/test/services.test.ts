import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildServiceRepoApp, renderApp } from '@example/platform-constructs';
import { parseAllDocuments } from 'yaml';
import { checkout, environments } from '../src/services';

function objects(logLevel?: string): Record<string, any> {
  const files = renderApp(buildServiceRepoApp({ environments, services: [checkout(logLevel)] })).files;
  return Object.fromEntries(files.flatMap((f) => parseAllDocuments(f.content).map((d) => {
    const o = d.toJSON();
    return [`${f.path.split('/')[0]}:${o.kind}`, o];
  })));
}

test('the synthesized files are the ones synth wrote', () => {
  const written = readFileSync(join(__dirname, '..', '..', 'dist', 'prod', 'manifests', '5-services', 'checkout.k8s.yaml'), 'utf8');
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

test('no @pulumi module is loaded', () => {
  expect(Object.keys(require.cache).filter((k) => k.includes('/node_modules/@pulumi/'))).toEqual([]);
});

test('the manifests match the reviewed snapshot', () => {
  const files = renderApp(buildServiceRepoApp({ environments, services: [checkout()] })).files;
  expect(Object.fromEntries(files.map((f) => [f.path, f.content]))).toMatchSnapshot();
});
