import { type ApiObject, Chart } from 'cdk8s';
import { Environment, describeObject, objectIdentity, pathOf } from '../core';


const where = (obj: ApiObject) => pathOf(obj.node.scope ?? obj);

/** Two objects of one kind, name and namespace in one environment would overwrite each other. */
export function duplicateObjects(objects: readonly ApiObject[]): string[] {
  const seen = new Map<string, ApiObject>();
  const problems: string[] = [];
  for (const obj of objects) {
    const id = objectIdentity({ apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.name, namespace: obj.metadata.namespace ?? Chart.of(obj).namespace } });
    const env = Environment.find(obj)?.node.path ?? '';
    const key = [env, id.group, id.kind, id.namespace, id.name].join('|');
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, obj);
      continue;
    }
    problems.push(`${where(obj)}: ${describeObject(id)} is also defined by ${where(first)}; give one of them another name or move it to another namespace`);
  }
  return problems;
}

interface HttpRouteJson {
  readonly spec?: {
    readonly hostnames?: readonly string[];
    readonly rules?: readonly { readonly matches?: readonly { readonly path?: { readonly value?: string } }[] }[];
  };
}

/** One host and path routed by two HTTPRoutes of one cluster: the Gateway would serve only one of them. */
export function duplicateRoutes(objects: readonly ApiObject[]): string[] {
  const seen = new Map<string, ApiObject>();
  const problems: string[] = [];
  for (const obj of objects.filter((o) => o.kind === 'HTTPRoute' && o.apiVersion.startsWith('gateway.networking.k8s.io/'))) {
    const env = Environment.find(obj)?.node.path ?? '';
    const spec = (obj.toJson() as HttpRouteJson).spec;
    const hosts = spec?.hostnames ?? ['*'];
    const paths = (spec?.rules ?? []).flatMap((r) => (r.matches ?? [{}]).map((m) => m.path?.value ?? '/'));
    for (const host of hosts) {
      for (const path of new Set(paths)) {
        const route = `${host}${path}`;
        const first = seen.get(`${env}|${route}`);
        if (first === undefined) seen.set(`${env}|${route}`, obj);
        else if (first !== obj) problems.push(`${where(obj)}: route host+path ${route} is also routed by ${where(first)}; give one of them another host or path`);
      }
    }
  }
  return problems;
}
