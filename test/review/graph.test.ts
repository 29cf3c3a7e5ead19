import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthServiceRepo } from '../../lib';
import { GRAPH_USAGE, clusterGraph, graphDot, graphMain, readClusterOutput, renderSvg, type ManifestObject } from '../../lib/synth/review';
import { matches, selectorText } from '../../lib/synth/review/label-selector';
import { graphRepo } from './fixtures/graph-repo';

/** Written beside the synthesized chart: what a service repo's constructs do not write, in the shapes the graph must read. */
const EXTRA = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: orders-api-allow-scrape
  namespace: shop
spec:
  podSelector:
    matchExpressions:
      - key: app.kubernetes.io/name
        operator: In
        values: [orders-api, billing]
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: monitoring
      ports:
        - port: 9090
          protocol: TCP
  egress:
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
            except: [10.0.0.0/8]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: same-namespace-and-dns
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - podSelector: {}
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - port: 53
          protocol: UDP
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: legacy
  namespace: shop
spec:
  rules:
    - host: legacy.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: storefront
                port:
                  number: 3000
`;

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { print: (t: string) => out.push(t), error: (t: string) => err.push(t) } };
}

/** Graphviz writes a `-` in an SVG title as `&#45;`. */
function titles(svg: string): string[] {
  return [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => (m[1] ?? '').replace(/&#45;/g, '-').replace(/&gt;/g, '>'));
}

describe('cluster graph', () => {
  let dist: string;
  let objects: readonly ManifestObject[];
  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), 'review-graph-'));
    const log = console.log;
    console.log = () => undefined;
    try {
      synthServiceRepo(graphRepo, dist);
    } finally {
      console.log = log;
    }
    writeFileSync(join(dist, 'prod/manifests/5-services/extra.k8s.yaml'), EXTRA);
    const problems: string[] = [];
    objects = readClusterOutput(join(dist, 'prod'), 'prod', problems).objects;
    expect(problems).toEqual([]);
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  test('routes lead to Services, Services to the workloads they select, inside their chart', () => {
    const g = clusterGraph('prod', objects);
    const edge = (from: string, to: string) => g.edges.filter((e) => e.from === from && e.to === to).map((e) => e.kind);
    expect(edge('Gateway/envoy-gateway-system/platform', 'ListenerSet/shop/shop-example-com')).toEqual(['route']);
    expect(edge('ListenerSet/shop/shop-example-com', 'HTTPRoute/shop/storefront')).toEqual(['route']);
    expect(edge('HTTPRoute/shop/storefront', 'Service/shop/storefront')).toEqual(['route']);
    expect(edge('Ingress/shop/legacy', 'Service/shop/storefront')).toEqual(['route']);
    expect(edge('Service/shop/storefront', 'Deployment/shop/storefront')).toEqual(['selects']);
    expect(edge('Service/shop/orders-api', 'Deployment/shop/orders-api')).toEqual(['selects']);
    // The ExternalService selects no pods.
    expect(g.edges.filter((e) => e.from === 'Service/shop/orders-db')).toEqual([]);
    const node = (id: string) => g.nodes.find((n) => n.id === id);
    expect(node('Deployment/shop/storefront')).toEqual({ id: 'Deployment/shop/storefront', kind: 'workload', label: 'Deployment\nshop/storefront', chart: 'shop', external: false });
    expect(node('HTTPRoute/shop/storefront')?.label).toBe('HTTPRoute\nshop/storefront\nshop.example.com');
    // The platform's Gateway is referred to, not written, by a service repo.
    expect(node('Gateway/envoy-gateway-system/platform')).toEqual({ id: 'Gateway/envoy-gateway-system/platform', kind: 'gateway', label: 'Gateway\nenvoy-gateway-system/platform', external: true });
  });

  test('network allows: pod to pod both ways, to an address block, from a namespace', () => {
    const g = clusterGraph('prod', objects);
    const allows = g.edges.filter((e) => e.kind === 'ingress' || e.kind === 'egress').map((e) => `${e.from} -${e.kind}(${e.label})-> ${e.to} [${e.policies.join(', ')}]`);
    expect(allows).toEqual([
      'Deployment/shop/orders-api -egress(all ports)-> cidr/0.0.0.0/0 except 10.0.0.0/8 [shop/orders-api-allow-scrape]',
      'Deployment/shop/orders-api -egress(TCP 5432)-> cidr/10.20.30.40/32 [shop/orders-api-to-orders-db]',
      'Deployment/shop/storefront -egress(TCP 8080)-> Deployment/shop/orders-api [shop/storefront-to-orders-api]',
      'Deployment/shop/storefront -ingress(TCP 8080)-> Deployment/shop/orders-api [shop/orders-api-from-storefront]',
      'namespace/monitoring -ingress(TCP 9090)-> Deployment/shop/orders-api [shop/orders-api-allow-scrape]',
      // A policy for every pod of the namespace is drawn from and to the namespace; pods the output does not write, by their selector.
      'namespace/shop -ingress(all ports)-> namespace/shop [shop/same-namespace-and-dns]',
      'namespace/shop -egress(UDP 53)-> pods/kube-system/k8s-app=kube-dns [shop/same-namespace-and-dns]',
    ]);
    expect(g.nodes.find((n) => n.id === 'pods/kube-system/k8s-app=kube-dns')?.label).toBe('pods in kube-system\nk8s-app=kube-dns');
  });

  test('the DOT text holds a subgraph per chart, every node and every edge, and is the same whatever the input order', () => {
    const dot = graphDot(clusterGraph('prod', objects));
    expect(dot).toContain('  subgraph "cluster_0" {\n    label="chart extra";\n    style=rounded;\n    color="#9aa0a6";\n    "Ingress/shop/legacy" [label="Ingress\\nshop/legacy\\nlegacy.example.com" shape=hexagon');
    expect(dot).toContain('  subgraph "cluster_1" {\n    label="chart shop";');
    expect(dot).toContain('    "Deployment/shop/orders-api" [label="Deployment\\nshop/orders-api" shape=box');
    expect(dot).toContain('  "cidr/10.20.30.40/32" [label="10.20.30.40/32" shape=note];');
    expect(dot).toContain('  "namespace/monitoring" [label="all pods in\\nnamespace monitoring" shape=folder');
    expect(dot).toContain('  "Deployment/shop/storefront" -> "Deployment/shop/orders-api" [color="#e37400" fontcolor="#e37400" style=dashed label="egress: TCP 8080" tooltip="allowed by shop/storefront-to-orders-api"];');
    expect(dot).toContain('  "HTTPRoute/shop/storefront" -> "Service/shop/storefront" [color="#188038"];');
    expect(graphDot(clusterGraph('prod', [...objects].reverse()))).toBe(dot);
  });

  test('the real dot lays it out as SVG whose node titles are the node ids', () => {
    const svg = renderSvg(graphDot(clusterGraph('prod', objects)));
    expect(svg).toMatch(/^<\?xml[^]*<svg /);
    expect(titles(svg)).toEqual(expect.arrayContaining([
      'prod', 'cluster_0', 'Deployment/shop/orders-api', 'Deployment/shop/storefront', 'Service/shop/storefront', 'HTTPRoute/shop/storefront',
      'cidr/10.20.30.40/32', 'namespace/monitoring', 'Deployment/shop/storefront->Deployment/shop/orders-api',
    ]));
  });

  test('a missing dot names the Debian package to install', () => {
    expect(() => renderSvg('digraph { a }', '/no/such/dot')).toThrow('graph: dot is not installed (Graphviz lays the graph out) (got "/no/such/dot"); install Graphviz: apt-get install graphviz (Debian package graphviz), or brew install graphviz; or write the DOT text with --format dot');
  });

  test('the command writes dist/<cluster>/graph.svg by default, or the DOT text to --out', () => {
    const { err, io } = capture();
    expect(graphMain(['--cluster', 'prod', '--dist', dist], io)).toBe(0);
    expect(err).toEqual([`graph: wrote ${join(dist, 'prod/graph.svg')}`]);
    expect(titles(readFileSync(join(dist, 'prod/graph.svg'), 'utf8'))).toContain('Service/shop/orders-api');
    const out = join(dist, 'other/prod.dot');
    expect(graphMain(['--dir', join(dist, 'prod'), '--out', out, '--format', 'dot'], capture().io)).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(graphDot(clusterGraph('prod', objects)));
  });

  test('a cluster with no output, and every other mistake, is reported at once and nothing is written', () => {
    const { err, io } = capture();
    expect(graphMain(['--cluster', 'stage', '--dist', dist, '--format', 'png'], io)).toBe(1);
    expect(err).toEqual([[
      'graph failed: 2 problems:',
      '  - graph: --format must be svg or dot (got "png"); pass --format svg (the default) or --format dot',
      `  - graph: --cluster has no synthesized output (no ${join(dist, 'stage/manifests')}/); ${dist}/ holds prod (got "stage"); run the synth first (npm run synth), or pass --dist <the folder it wrote>`,
    ].join('\n')]);
    expect(existsSync(join(dist, 'stage'))).toBe(false);
  });

  test('--cluster and --dir together, or neither, is refused with the usage', () => {
    const { err, io } = capture();
    expect(graphMain([], io)).toBe(1);
    expect(err).toEqual([`graph failed: 1 problem:\n  - graph: arguments needs exactly one of --cluster and --dir; ${GRAPH_USAGE}`]);
  });
});

describe('label selectors (upstream k8s.io/apimachinery pkg/labels/selector.go)', () => {
  test('matchLabels and matchExpressions are ANDed; NotIn and DoesNotExist match an absent key', () => {
    const labels = { app: 'web', tier: 'front' };
    expect(matches({}, labels)).toBe(true);
    expect(matches({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, labels)).toBe(true);
    expect(matches({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, labels)).toBe(false);
    expect(matches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels)).toBe(true);
    expect(matches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels)).toBe(false);
    expect(matches({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels)).toBe(true);
    expect(matches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(matches({ matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, labels)).toBe(false);
  });

  test('a selector prints as kubectl writes one', () => {
    expect(selectorText({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'c', operator: 'NotIn', values: ['y', 'x'] }, { key: 'd', operator: 'DoesNotExist' }] })).toBe('!d, a=1, b=2, c notin (x,y)');
    expect(selectorText({})).toBe('all');
  });
});
