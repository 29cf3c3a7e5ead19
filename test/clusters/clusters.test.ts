import { join } from 'node:path';
import { Cidr, addressesInOtherClusters, checkClusters } from '../../lib';
import { clusters, environments } from '../../clusters';
import { definitionAsDeployed } from '../../clusters/stack-file';
import { parseAllDocuments } from 'yaml';
import { validateKubernetesObject } from '../support/k8s-schema';
import { createHash } from 'node:crypto';
import { certManagerSchemaErrors } from '../addons/edge/cert-manager-schema';
import { gatewaySchemaErrors, isGatewayObject } from '../addons/edge/gateway-schema';
import { customResourceErrors } from '../addons/logging/eck-schema';
import { externalSecretsErrors, isExternalSecretsKind } from '../addons/external-secrets/eso-schema';

// Built, checked and rendered once for the whole file, as `npm run synth` does: with each stack's settings.
const fleet = checkClusters(clusters.map((c) => definitionAsDeployed(c, join(__dirname, '..', '..'))), environments);
const rendered = fleet.built.map((b) => ({ cluster: b.facts.name, files: fleet.files.filter((f) => f.path.startsWith(`${b.facts.name}/`)) }));
// The CRD charts (addon-<key>-crds: the edge's 3.7 MB and ECK's) hold upstream's CRD files unchanged: test/addons/edge and logging
// validates them and compares them with schemas/, so here they are left out of the per-object
// checks, and the snapshot records their digest.
const isCrdChart = (path: string) => /\/manifests\/addon-[a-z-]+-crds\.k8s\.yaml$/.test(path);
const manifests = rendered.flatMap((r) => r.files.filter((f) => f.path.includes('/manifests/') && !isCrdChart(f.path)).flatMap((f) =>
  parseAllDocuments(f.content).map((d) => ({ cluster: r.cluster, file: f.path, object: d.toJSON() as any }))));

describe('the four clusters', () => {
  test('every cluster synthesizes, each into its own folder', () => {
    expect(rendered.map((r) => r.cluster)).toEqual(['prod', 'stage', 'admin', 'e2e']);
    for (const r of rendered) {
      expect(r.files.length).toBeGreaterThan(0);
      expect(r.files.every((f) => f.path.startsWith(`${r.cluster}/`))).toBe(true);
    }
  });

  test('every object is valid against its schema: the Kubernetes OpenAPI schema, or the imported cert-manager, Gateway API, Envoy Gateway, ECK and External Secrets CRDs', () => {
    expect(manifests.length).toBeGreaterThan(20);
    for (const m of manifests) {
      if (m.object.apiVersion.startsWith('cert-manager.io/')) expect(certManagerSchemaErrors(m.object)).toEqual([]);
      else if (isExternalSecretsKind(m.object)) expect(externalSecretsErrors(m.object)).toEqual([]);
      else if (['Elasticsearch', 'Kibana', 'SecurityPolicy'].includes(m.object.kind)) expect(customResourceErrors(m.object)).toEqual([]);
      else if (isGatewayObject(m.object)) expect(gatewaySchemaErrors(m.object)).toEqual([]);
      else expect(() => validateKubernetesObject(m.object)).not.toThrow();
    }
    expect(manifests.some((m) => m.object.kind === 'ClusterIssuer')).toBe(true);
    expect(manifests.some((m) => m.object.kind === 'EnvoyProxy')).toBe(true);
    expect(manifests.filter((m) => m.object.kind === 'Elasticsearch')).toHaveLength(4);
    expect(manifests.filter((m) => m.object.kind === 'SecretStore').length).toBeGreaterThan(8);
    for (const r of rendered) expect(r.files.filter((f) => isCrdChart(f.path)).map((f) => f.path.split('/').at(-1))).toEqual(['addon-secrets-crds.k8s.yaml', 'addon-edge-crds.k8s.yaml', 'addon-logging-crds.k8s.yaml']);
  });

  test('every service pod runs non-root on a read-only root filesystem, with requests and limits on every container', () => {
    // Addons (under addon-*) may need a writable root: each says why in its module README.
    const services = manifests.filter((m) => !m.file.includes('/manifests/addon-'));
    const pods = services.map((m) => m.object).flatMap((o) =>
      ['Deployment', 'StatefulSet', 'Job'].includes(o.kind) ? [o.spec.template.spec] : o.kind === 'CronJob' ? [o.spec.jobTemplate.spec.template.spec] : []);
    expect(pods.length).toBeGreaterThan(10);
    for (const pod of pods) {
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
        expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
        expect(c.image).not.toMatch(/:latest$/);
      }
    }
  });

  test("the fleet passes every check, those no single tree can make too: no cluster points at an address in another's VPC", () => {
    expect(fleet.sections.flatMap((s) => s.problems)).toEqual([]);
    // and the check sees each cluster's own database: stage's is inside stage's VPC, and would be refused in prod's
    const stage = fleet.built.find((b) => b.facts.name === 'stage');
    if (stage === undefined) throw new Error('stage not built');
    expect(stage.facts.vpcCidr.toString()).toBe('10.20.0.0/16');
    expect(addressesInOtherClusters(stage.app, 'stage', [{ name: 'other', vpcCidr: Cidr.of('10.20.0.0/16') }])).toEqual(expect.arrayContaining([
      'stage/orders/orders-db: address of EndpointSlice shop/orders-db is inside cluster other\'s VPC 10.20.0.0/16, not reachable from cluster stage (got "10.20.200.10"); give cluster stage its own address (an ExternalService or team egress override for its environment)',
    ]));
  });

  test('no Secret object is written', () => {
    expect(manifests.filter((m) => m.object.kind === 'Secret')).toEqual([]);
  });

  test('stage mirrors prod with its own overrides', () => {
    const replicas = (cluster: string, prefix: string) => manifests
      .filter((m) => m.cluster === cluster && m.object.kind === 'Deployment' && m.object.metadata.name.startsWith(prefix))
      .map((m) => m.object.spec.replicas);
    expect(replicas('prod', 'storefront-m')).toEqual([2, 2, 2]);
    expect(replicas('stage', 'storefront-m')).toEqual([1, 1, 1]);
    expect(replicas('prod', 'orders-worker')).toEqual([3]);
    expect(replicas('e2e', 'orders-worker')).toEqual([1]);
    const host = (cluster: string) => manifests.find((m) => m.cluster === cluster && m.object.kind === 'HTTPRoute' && m.object.metadata.name === 'storefront')?.object.spec.hostnames[0];
    expect(host('prod')).toBe('shop.example.com');
    expect(host('stage')).toBe('shop.stage.example.com');
  });

  test.each(clusters.map((c) => c.name))('%s manifests match the reviewed snapshot', (name) => {
    const files = rendered.find((r) => r.cluster === name)?.files ?? [];
    const digest = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')} (upstream CRDs, see test/addons/edge and test/addons/logging)`;
    expect(Object.fromEntries(files.map((f) => [f.path, isCrdChart(f.path) ? digest(f.content) : f.content]))).toMatchSnapshot();
  });
});
