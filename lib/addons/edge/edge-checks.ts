import { type ApiObject, Chart } from 'cdk8s';
import { formatProblem, pathOf } from '../../core';
import { arr, isObject, obj, str, strings, type JsonObject } from '../../policy/manifest';

/** The annotation that makes cert-manager issue an Ingress's certificates from a ClusterIssuer. */
export const CLUSTER_ISSUER_ANNOTATION = 'cert-manager.io/cluster-issuer';
/** The annotation that names a namespaced Issuer instead. */
export const ISSUER_ANNOTATION = 'cert-manager.io/issuer';

/** One synthesized object with where it was declared. */
interface Rendered {
  readonly json: JsonObject;
  /** The construct path messages name: the construct that owns the object. */
  readonly path: string;
  readonly namespace: string;
}

function rendered(objects: readonly ApiObject[], kind: string): Rendered[] {
  return objects.filter((o) => o.kind === kind).map((o) => {
    const json = o.toJson() as JsonObject;
    return { json, path: pathOf(o.node.scope ?? o), namespace: str(obj(json, 'metadata'), 'namespace') ?? Chart.of(o).namespace ?? '' };
  });
}

/** Whether `host` (or, for `*.a.b`, its parent) is `zone` or a name under it. */
export function isInZone(host: string, zone: string): boolean {
  const name = host.startsWith('*.') ? host.slice(2) : host;
  return name === zone || name.endsWith(`.${zone}`);
}

/** Whether a certificate for `dnsName` covers `host` (exactly, or by a one-label wildcard). */
function covers(dnsName: string, host: string): boolean {
  if (dnsName === host) return true;
  return dnsName.startsWith('*.') && host.slice(host.indexOf('.') + 1) === dnsName.slice(2);
}

/**
 * Every host an Ingress routes or serves TLS for must be in the cluster's DNS zone: kops's
 * external-dns writes records only there (`--zone-id-filter`), and DNS-01 can only be solved there.
 */
export function hostsOutsideZone(objects: readonly ApiObject[], zone: string): string[] {
  const problems: string[] = [];
  for (const ing of rendered(objects, 'Ingress')) {
    const spec = obj(ing.json, 'spec');
    const hosts: [string, string][] = [
      ...arr(spec, 'rules').map((r, i): [string, string | undefined] => [`spec.rules[${i}].host`, str(r, 'host')]),
      ...arr(spec, 'tls').flatMap((t, i) => arr(t, 'hosts').map((h, j): [string, string | undefined] => [`spec.tls[${i}].hosts[${j}]`, typeof h === 'string' ? h : undefined])),
    ].filter((e): e is [string, string] => e[1] !== undefined);
    for (const [field, host] of hosts) {
      if (isInZone(host, zone)) continue;
      problems.push(formatProblem({
        path: ing.path, field, value: host, rule: `is outside the cluster's DNS zone ${zone}`,
        fix: `use a host under ${zone} (external-dns writes records only in that zone), or serve it from the cluster whose zone holds it`,
      }));
    }
  }
  return problems;
}

/**
 * Every TLS host of an Ingress has an issuer: the Ingress names a ClusterIssuer (or an Issuer of
 * its namespace) that the tree defines, or a cert-manager Certificate in its namespace covers the
 * host and fills the TLS Secret. Otherwise the Secret never exists and the host serves the
 * controller's fake certificate.
 */
export function tlsHostsWithoutIssuer(objects: readonly ApiObject[]): string[] {
  const clusterIssuers = new Set(rendered(objects, 'ClusterIssuer').map((i) => str(obj(i.json, 'metadata'), 'name')));
  const issuers = new Set(rendered(objects, 'Issuer').map((i) => `${i.namespace}/${str(obj(i.json, 'metadata'), 'name') ?? ''}`));
  const certificates = rendered(objects, 'Certificate').filter((c) => str(c.json, 'apiVersion')?.startsWith('cert-manager.io/') === true);
  const problems: string[] = [];
  for (const ing of rendered(objects, 'Ingress')) {
    const annotations = strings(obj(ing.json, 'metadata'), 'annotations');
    const named = annotations[CLUSTER_ISSUER_ANNOTATION];
    const namespaced = annotations[ISSUER_ANNOTATION];
    if (named !== undefined && !clusterIssuers.has(named)) {
      problems.push(formatProblem({
        path: ing.path, field: `metadata.annotations["${CLUSTER_ISSUER_ANNOTATION}"]`, value: named,
        rule: `names no ClusterIssuer of the cluster [${[...clusterIssuers].sort().join(', ')}]`,
        fix: 'name one of these issuers, or add the edge addon (addEdge) that defines them',
      }));
      continue;
    }
    if (namespaced !== undefined && !issuers.has(`${ing.namespace}/${namespaced}`)) {
      problems.push(formatProblem({
        path: ing.path, field: `metadata.annotations["${ISSUER_ANNOTATION}"]`, value: namespaced,
        rule: `names no Issuer of namespace ${ing.namespace}`, fix: 'define the Issuer in the namespace, or name a ClusterIssuer instead',
      }));
      continue;
    }
    if (named !== undefined || namespaced !== undefined) continue;
    arr(obj(ing.json, 'spec'), 'tls').forEach((tls, i) => {
      const secret = str(tls, 'secretName');
      arr(tls, 'hosts').forEach((host, j) => {
        if (typeof host !== 'string') return;
        const covered = certificates.some((c) => {
          const spec = obj(c.json, 'spec');
          return c.namespace === ing.namespace && str(spec, 'secretName') === secret && arr(spec, 'dnsNames').some((d) => typeof d === 'string' && covers(d, host));
        });
        if (covered) return;
        problems.push(formatProblem({
          path: ing.path, field: `spec.tls[${i}].hosts[${j}]`, value: host, rule: 'has no issuer',
          fix: `annotate the Ingress with ${CLUSTER_ISSUER_ANNOTATION}: <issuer>, or declare a HostCertificate for the host with secretName ${secret ?? '<the TLS secret>'}`,
        }));
      });
    });
  }
  return problems;
}

/** An Ingress backend: the Service it names, in the Ingress's namespace. */
export interface Backend {
  readonly namespace: string;
  readonly service: string;
  /** The Service port, by name or number. */
  readonly port: string | number;
}

/** Every Service backend the Ingresses of the tree route to (rules and default backends), in order, without repeats. */
export function ingressBackends(objects: readonly ApiObject[]): Backend[] {
  const seen = new Map<string, Backend>();
  for (const ing of rendered(objects, 'Ingress')) {
    const spec = obj(ing.json, 'spec');
    const backends = [obj(spec, 'defaultBackend'), ...arr(spec, 'rules').flatMap((r) => arr(obj(r, 'http'), 'paths').map((p) => obj(p, 'backend')))];
    for (const b of backends) {
      const svc = obj(b, 'service');
      const name = str(svc, 'name');
      const port = obj(svc, 'port');
      const ref = str(port, 'name') ?? (isObject(port) && typeof port.number === 'number' ? port.number : undefined);
      if (name === undefined || ref === undefined) continue;
      const backend = { namespace: ing.namespace, service: name, port: ref };
      seen.set(`${backend.namespace}/${name}/${ref}`, backend);
    }
  }
  return [...seen.values()];
}
