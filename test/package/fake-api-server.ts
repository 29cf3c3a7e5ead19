import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request kubectl sent. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string | undefined;
  readonly body: Record<string, any> | undefined;
}

/** A kind the server serves: its group, version and whether it is namespaced. */
export interface ServedKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** The resource name kube-apiserver gives a kind: lower case, plural (`NetworkPolicy` → `networkpolicies`). */
export function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  return k.endsWith('y') ? `${k.slice(0, -1)}ies` : k.endsWith('s') ? `${k}es` : `${k}s`;
}

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/** The discovery path of a group version (`api/v1`, `apis/apps/v1`). */
function openapiPath(gv: string): string {
  return gv.startsWith('/') ? `api${gv}` : `apis/${gv}`;
}

function openapiDocument(kinds: readonly ServedKind[]): unknown {
  const paths = Object.fromEntries(kinds.map((k) => {
    const prefix = k.group === '' ? `/api/${k.version}` : `/apis/${k.group}/${k.version}`;
    const path = `${prefix}${k.namespaced ? '/namespaces/{namespace}' : ''}/${pluralOf(k.kind)}/{name}`;
    return [path, { patch: { 'x-kubernetes-group-version-kind': { group: k.group, version: k.version, kind: k.kind }, parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string' } }], responses: {} } }];
  }));
  return { openapi: '3.0.0', info: { title: 'fake', version: 'v1' }, paths, components: { schemas: {} } };
}

/** A Deployment's or StatefulSet's status once every replica is updated and available (what `kubectl rollout status` waits for), a CRD's once established. */
function rolledOut(o: Record<string, any>): { status?: Record<string, unknown> } {
  // a CRD is established as soon as it is stored (what `kubectl wait --for condition=established` waits for)
  if (o.kind === 'CustomResourceDefinition') return { status: { conditions: [{ type: 'Established', status: 'True' }] } };
  if (o.kind !== 'Deployment' && o.kind !== 'StatefulSet') return {};
  const n = Number(o.spec?.replicas ?? 1);
  return { status: { observedGeneration: 1, replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n, currentReplicas: n, currentRevision: 'r1', updateRevision: 'r1' } };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Just enough of kube-apiserver for kubectl to run a server-side dry run against: legacy
 * discovery (/api, /apis and each group version's resource list) of the kinds given, the objects
 * in `existing` for reads and lists (a list filtered by one `key=value` or `key` label selector), 404 for
 * any other object, a server-side apply PATCH or a create POST answered with (and, unless a dry run,
 * stored as) the object it carried, and a DELETE
 * answered with success. Every request is recorded. It checks nothing the real API server checks
 * (schemas, RBAC, admission): it is there to see what kubectl sends.
 */
export async function startFakeApiServer(kinds: readonly ServedKind[], existing: readonly Record<string, any>[] = []): Promise<{ url: string; requests: RecordedRequest[]; close: () => Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const groups = new Map<string, ServedKind[]>();
  for (const k of kinds) groups.set(`${k.group}/${k.version}`, [...(groups.get(`${k.group}/${k.version}`) ?? []), k]);
  const resourceList = (gv: string, list: readonly ServedKind[]): unknown => ({
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv,
    resources: list.map((k) => ({ name: pluralOf(k.kind), singularName: k.kind.toLowerCase(), namespaced: k.namespaced, kind: k.kind, verbs: VERBS })),
  });
  const pathOf = (o: Record<string, any>): string => {
    const [group, version] = String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/') : ['', String(o.apiVersion)];
    const prefix = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    const ns = o.metadata?.namespace === undefined ? '' : `/namespaces/${String(o.metadata.namespace)}`;
    return `${prefix}${ns}/${pluralOf(String(o.kind))}/${String(o.metadata?.name)}`;
  };
  const objects = new Map(existing.map((o) => [pathOf(o), o]));
  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const body = raw === '' ? undefined : JSON.parse(raw) as Record<string, any>;
      requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, contentType: req.headers['content-type'], body });
      const send = (status: number, value: unknown): void => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const p = url.pathname;
      if (p === '/version') return send(200, { major: '1', minor: '32', gitVersion: 'v1.32.0' });
      // OpenAPI v3, only so far as kubectl reads it: whether each kind's PATCH takes
      // `fieldValidation` (kubectl then leaves validation to the server; this one checks nothing).
      if (p === '/openapi/v3') return send(200, { paths: Object.fromEntries([...groups.keys()].map((gv) => [openapiPath(gv), { serverRelativeURL: `/openapi/v3/${openapiPath(gv)}` }])) });
      const doc = [...groups.entries()].find(([gv]) => p === `/openapi/v3/${openapiPath(gv)}`);
      if (doc !== undefined) return send(200, openapiDocument(doc[1]));
      if (p.startsWith('/openapi/')) return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
      if (p === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
      if (p === '/apis') {
        const named = [...groups.keys()].filter((gv) => !gv.startsWith('/')).map((gv) => gv.split('/'));
        return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: named.map(([g, v]) => ({ name: g, versions: [{ groupVersion: `${g}/${v}`, version: v }], preferredVersion: { groupVersion: `${g}/${v}`, version: v } })) });
      }
      if (p === '/api/v1') return send(200, resourceList('v1', groups.get('/v1') ?? []));
      const gv = /^\/apis\/([^/]+)\/([^/]+)$/.exec(p);
      if (gv !== null) return send(200, resourceList(`${gv[1]}/${gv[2]}`, groups.get(`${gv[1]}/${gv[2]}`) ?? []));
      if (req.method === 'PATCH' && body !== undefined) {
        const applied = { ...body, metadata: { ...body.metadata, uid: '00000000-0000-0000-0000-000000000000', generation: 1 }, ...rolledOut(body) };
        if (!url.searchParams.has('dryRun')) objects.set(p, applied);
        return send(200, applied);
      }
      if (req.method === 'POST' && body !== undefined) {
        const created = { ...body, metadata: { ...body.metadata, uid: '00000000-0000-0000-0000-000000000000', generation: 1 }, ...rolledOut(body) };
        if (!url.searchParams.has('dryRun')) objects.set(`${p}/${String(body.metadata?.name)}`, created);
        return send(201, created);
      }
      // A watch: held open with no event (what was listed is what there is) until kubectl leaves.
      if (req.method === 'GET' && url.searchParams.get('watch') === 'true') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
        res.flushHeaders();
        return undefined;
      }
      if (req.method === 'DELETE') return send(200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
      if (req.method === 'GET' && objects.has(p)) return send(200, objects.get(p));
      // a list: /api/v1/<plural>, /apis/<group>/<version>/<plural>, either with /namespaces/<ns> before <plural>
      const isList = /^\/(api\/[^/]+|apis\/[^/]+\/[^/]+)(\/namespaces\/[^/]+)?\/[^/]+$/.test(p) && !/^\/api\/[^/]+\/namespaces\/[^/]+$/.test(p);
      if (req.method === 'GET' && (url.searchParams.has('labelSelector') || isList)) {
        // one `key=value` (equality) or one bare `key` (exists)
        const [key, value] = (url.searchParams.get('labelSelector') ?? '').split('=');
        const matches = (o: Record<string, any>): boolean => key === '' || (value === undefined ? o.metadata?.labels?.[key ?? ''] !== undefined : o.metadata?.labels?.[key ?? ''] === value);
        const name = /^metadata\.name=(.*)$/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
        const items = [...objects]
          .filter(([path, o]) => path.startsWith(`${p}/`) && matches(o) && (name === undefined || o.metadata?.name === name))
          .map(([, o]) => o);
        return send(200, { kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
      }
      return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${p} not found` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }) };
}

/** Runs a command without blocking the event loop (the fake API server runs in the same process). */
export function runAsync(file: string, args: readonly string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, [...args], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

/** The ApplySet id kubectl gives a parent (kubernetes/kubectl pkg/cmd/apply/applyset.go, ApplySet.ID). */
export function applysetId(name: string, ns: string, kind: string, group: string): string {
  return `applyset-${createHash('sha256').update([name, ns, kind, group].join('.')).digest('base64url')}-v1`;
}

/** The kinds of the given objects as the fake server serves them, and ConfigMap (an ApplySet's parent). */
export function servedKinds(objects: readonly Record<string, any>[]): ServedKind[] {
  const clusterScoped = new Set(['CustomResourceDefinition', 'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
  const kinds = new Map<string, ServedKind>([['/v1/ConfigMap', { group: '', version: 'v1', kind: 'ConfigMap', namespaced: true }]]);
  for (const o of objects) {
    const [group, version] = String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/') as [string, string] : ['', String(o.apiVersion)];
    kinds.set(`${group}/${version}/${String(o.kind)}`, { group, version, kind: String(o.kind), namespaced: !clusterScoped.has(String(o.kind)) });
  }
  return [...kinds.values()];
}

/** Writes a kubeconfig that points kubectl at a fake server, with no credentials. */
export function writeKubeconfig(path: string, url: string): string {
  writeFileSync(path, `apiVersion: v1\nkind: Config\nclusters: [{name: fake, cluster: {server: "${url}"}}]\nusers: [{name: fake, user: {}}]\ncontexts: [{name: fake, context: {cluster: fake, user: fake}}]\ncurrent-context: fake\n`);
  return path;
}
