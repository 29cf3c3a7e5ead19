import { type ApiObject, Chart } from 'cdk8s';
import { formatProblem, pathOf } from '../../core';
import { arr, isObject, obj, str, type JsonObject } from '../../policy/manifest';

/** The Gateway the checks are about. */
export interface GatewayIdentity {
  readonly name: string;
  readonly namespace: string;
}

/** One synthesized object with where it was declared. */
interface Rendered {
  readonly json: JsonObject;
  /** The construct path messages name: the construct that owns the object. */
  readonly path: string;
  readonly namespace: string;
  readonly name: string;
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

function rendered(objects: readonly ApiObject[], kind: string, group: string): Rendered[] {
  return objects.filter((o) => o.kind === kind && o.apiVersion.startsWith(`${group}/`)).map((o) => {
    const json = o.toJson() as JsonObject;
    const meta = obj(json, 'metadata');
    return { json, path: pathOf(o.node.scope ?? o), namespace: str(meta, 'namespace') ?? Chart.of(o).namespace ?? '', name: str(meta, 'name') ?? '' };
  });
}

/** Whether `host` (or, for `*.a.b`, its parent) is `zone` or a name under it. */
export function isInZone(host: string, zone: string): boolean {
  const name = host.startsWith('*.') ? host.slice(2) : host;
  return name === zone || name.endsWith(`.${zone}`);
}

/** Whether a Gateway API listener hostname matches a route host (exactly, or by a wildcard: `*.a.b` matches names under `a.b`). */
export function listenerMatches(listenerHost: string | undefined, host: string): boolean {
  if (listenerHost === undefined) return true;
  if (listenerHost === host) return true;
  return listenerHost.startsWith('*.') && host.endsWith(listenerHost.slice(1));
}

/** Whether a certificate for `dnsName` covers `host` (exactly, or by a one-label wildcard). */
export function certificateCovers(dnsName: string, host: string): boolean {
  if (dnsName === host) return true;
  return dnsName.startsWith('*.') && host.slice(host.indexOf('.') + 1) === dnsName.slice(2);
}

/** One listener of a ListenerSet attached to the Gateway. */
export interface AttachedListener {
  readonly listenerSet: string;
  readonly namespace: string;
  readonly path: string;
  readonly index: number;
  readonly name: string;
  readonly hostname: string | undefined;
  readonly protocol: string;
  readonly secrets: readonly string[];
}

/** The listeners of the tree's ListenerSets whose parent is the Gateway, in tree order. */
export function attachedListeners(objects: readonly ApiObject[], gateway: GatewayIdentity): AttachedListener[] {
  return rendered(objects, 'ListenerSet', GATEWAY_GROUP).flatMap((ls) => {
    const spec = obj(ls.json, 'spec');
    const parent = obj(spec, 'parentRef');
    if (str(parent, 'name') !== gateway.name || (str(parent, 'namespace') ?? ls.namespace) !== gateway.namespace) return [];
    return arr(spec, 'listeners').filter(isObject).map((l, index) => ({
      listenerSet: ls.name, namespace: ls.namespace, path: ls.path, index,
      name: str(l, 'name') ?? '', hostname: str(l, 'hostname'), protocol: str(l, 'protocol') ?? '',
      secrets: arr(obj(l, 'tls'), 'certificateRefs').filter(isObject).filter((r) => (str(r, 'kind') ?? 'Secret') === 'Secret' && (str(r, 'namespace') ?? ls.namespace) === ls.namespace)
        .map((r) => str(r, 'name') ?? ''),
    }));
  });
}

/** The host names the Gateway's Envoy Service publishes: every hostname of an attached listener. */
export function publishedHosts(objects: readonly ApiObject[], gateway: GatewayIdentity): string[] {
  return attachedListeners(objects, gateway).flatMap((l) => (l.hostname === undefined ? [] : [l.hostname]));
}

interface AttachedRoute {
  readonly route: Rendered;
  readonly hosts: readonly string[];
  /** The ListenerSets (in the route's namespace) and sections it names. */
  readonly parents: readonly { readonly listenerSet: string; readonly section: string | undefined }[];
}

/**
 * HTTPRoutes attached to the Gateway: through a ListenerSet of their namespace (the GatewayRoute
 * shape), or to the Gateway itself, whose own listener is plain HTTP (so a host routed that way has
 * no HTTPS listener).
 */
function attachedRoutes(objects: readonly ApiObject[], gateway?: GatewayIdentity): AttachedRoute[] {
  return rendered(objects, 'HTTPRoute', GATEWAY_GROUP).flatMap((route) => {
    const spec = obj(route.json, 'spec');
    const refs = arr(spec, 'parentRefs').filter(isObject);
    const parents = refs
      .filter((p) => str(p, 'kind') === 'ListenerSet' && (str(p, 'namespace') ?? route.namespace) === route.namespace)
      .map((p) => ({ listenerSet: str(p, 'name') ?? '', section: str(p, 'sectionName') }));
    const direct = gateway !== undefined && refs.some((p) => (str(p, 'kind') ?? 'Gateway') === 'Gateway' && str(p, 'name') === gateway.name
      && (str(p, 'namespace') ?? route.namespace) === gateway.namespace);
    if (parents.length === 0 && !direct) return [];
    return [{ route, parents, hosts: arr(spec, 'hostnames').filter((h): h is string => typeof h === 'string') }];
  });
}

/**
 * Every host a route or listener of the Gateway names is in the cluster's DNS zone: kops's
 * external-dns writes records only there (`--zone-id-filter`), and DNS-01 is solved only there.
 */
export function hostsOutsideZone(objects: readonly ApiObject[], gateway: GatewayIdentity, zone: string): string[] {
  const fix = `use a host under ${zone} (external-dns writes records only in that zone), or serve it from the cluster whose zone holds it`;
  const problems: string[] = [];
  for (const l of attachedListeners(objects, gateway)) {
    if (l.hostname === undefined || isInZone(l.hostname, zone)) continue;
    problems.push(formatProblem({ path: l.path, field: `spec.listeners[${l.index}].hostname`, value: l.hostname, rule: `is outside the cluster's DNS zone ${zone}`, fix }));
  }
  for (const r of attachedRoutes(objects, gateway)) {
    r.hosts.forEach((host, i) => {
      if (isInZone(host, zone)) return;
      problems.push(formatProblem({ path: r.route.path, field: `spec.hostnames[${i}]`, value: host, rule: `is outside the cluster's DNS zone ${zone}`, fix }));
    });
  }
  return problems;
}

/**
 * Every host of a route attached to the Gateway has an HTTPS listener: a ListenerSet of the
 * route's namespace, attached to the Gateway, with a listener whose hostname matches it.
 * Otherwise the Gateway never routes the host (the route stays unaccepted).
 */
export function routeHostsWithoutListener(objects: readonly ApiObject[], gateway: GatewayIdentity): string[] {
  const listeners = attachedListeners(objects, gateway);
  const problems: string[] = [];
  for (const r of attachedRoutes(objects, gateway)) {
    r.hosts.forEach((host, i) => {
      const served = listeners.some((l) => l.namespace === r.route.namespace && l.protocol === 'HTTPS' && listenerMatches(l.hostname, host)
        && r.parents.some((p) => p.listenerSet === l.listenerSet && (p.section === undefined || p.section === l.name)));
      if (served) return;
      problems.push(formatProblem({
        path: r.route.path, field: `spec.hostnames[${i}]`, value: host,
        rule: `has no HTTPS listener on Gateway ${gateway.namespace}/${gateway.name} among the ListenerSets the route names in namespace ${r.route.namespace}`,
        fix: 'expose the service through GatewayRoute (WebService ingress), which declares the listener, or add a ListenerSet listener for the host',
      }));
    });
  }
  return problems;
}

/**
 * A host is served by the listeners of one namespace only: two namespaces claiming one hostname
 * on the Gateway conflict, and the Gateway keeps whichever listener is older.
 */
export function hostsClaimedTwice(objects: readonly ApiObject[], gateway: GatewayIdentity): string[] {
  const owner = new Map<string, AttachedListener>();
  const problems: string[] = [];
  for (const l of attachedListeners(objects, gateway)) {
    if (l.hostname === undefined) continue;
    const first = owner.get(l.hostname);
    if (first === undefined) owner.set(l.hostname, l);
    else if (first.namespace !== l.namespace) {
      problems.push(formatProblem({
        path: l.path, field: `spec.listeners[${l.index}].hostname`, value: l.hostname,
        rule: `is also claimed by namespace ${first.namespace} (${first.path})`,
        fix: 'serve a host from one namespace: route the other service under another host, or move it into that namespace',
      }));
    }
  }
  return problems;
}

/**
 * Every HTTPS listener attached to the Gateway has a certificate: each Secret it serves is filled
 * by a cert-manager Certificate of its namespace that covers the listener's hostname and names a
 * ClusterIssuer of the cluster. Otherwise the Secret never exists and the host serves no TLS.
 */
export function listenersWithoutCertificate(objects: readonly ApiObject[], gateway: GatewayIdentity): string[] {
  const certificates = rendered(objects, 'Certificate', 'cert-manager.io');
  const clusterIssuers = new Set(rendered(objects, 'ClusterIssuer', 'cert-manager.io').map((i) => i.name));
  const problems: string[] = [];
  for (const l of attachedListeners(objects, gateway)) {
    if (l.protocol !== 'HTTPS') continue;
    const field = `spec.listeners[${l.index}]`;
    if (l.secrets.length === 0) {
      problems.push(formatProblem({ path: l.path, field: `${field}.tls.certificateRefs`, value: [], rule: 'is empty on an HTTPS listener', fix: 'name the Secret a Certificate fills (GatewayRoute does)' }));
      continue;
    }
    for (const secret of l.secrets) {
      const cert = certificates.find((c) => c.namespace === l.namespace && str(obj(c.json, 'spec'), 'secretName') === secret);
      const host = l.hostname ?? '*';
      if (cert === undefined || !arr(obj(cert.json, 'spec'), 'dnsNames').some((d) => typeof d === 'string' && certificateCovers(d, host))) {
        problems.push(formatProblem({
          path: l.path, field: `${field}.hostname`, value: host, rule: `has no certificate: no Certificate in namespace ${l.namespace} fills Secret ${secret} for it`,
          fix: `declare a cert-manager Certificate with secretName ${secret} and the host in dnsNames (GatewayRoute does)`,
        }));
        continue;
      }
      const issuer = obj(obj(cert.json, 'spec'), 'issuerRef');
      const issuerName = str(issuer, 'name') ?? '';
      if (str(issuer, 'kind') === 'ClusterIssuer' && !clusterIssuers.has(issuerName)) {
        problems.push(formatProblem({
          path: cert.path, field: 'spec.issuerRef.name', value: issuerName, rule: `names no ClusterIssuer of the cluster [${[...clusterIssuers].sort().join(', ')}]`,
          fix: 'name one of these issuers (the edge addon defines them)',
        }));
      }
    }
  }
  return problems;
}

/**
 * The container ports the Envoy pods must reach: for every backend of an HTTPRoute attached
 * through a ListenerSet, the target port (a name or a number) of the Service port it names, in
 * the Service's namespace. Sorted, without repeats.
 */
export function routedTargetPorts(objects: readonly ApiObject[]): (string | number)[] {
  const services = new Map(objects.filter((o) => o.kind === 'Service' && o.apiVersion === 'v1').map((o) => {
    const json = o.toJson() as JsonObject;
    return [`${str(obj(json, 'metadata'), 'namespace') ?? Chart.of(o).namespace ?? ''}/${str(obj(json, 'metadata'), 'name') ?? ''}`, json] as const;
  }));
  const ports = new Map<string, string | number>();
  for (const r of attachedRoutes(objects)) {
    for (const rule of arr(obj(r.route.json, 'spec'), 'rules')) {
      for (const b of arr(rule, 'backendRefs').filter(isObject)) {
        if ((str(b, 'kind') ?? 'Service') !== 'Service' || (str(b, 'group') ?? '') !== '') continue;
        const svc = services.get(`${str(b, 'namespace') ?? r.route.namespace}/${str(b, 'name') ?? ''}`);
        const port = arr(obj(svc, 'spec'), 'ports').filter(isObject).find((p) => p.port === b.port);
        const target = port === undefined ? b.port : (port.targetPort ?? port.port);
        if (typeof target === 'string' || typeof target === 'number') ports.set(`${typeof target}:${String(target)}`, target);
      }
    }
  }
  return [...ports.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, p]) => p);
}
