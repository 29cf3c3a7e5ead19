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

interface IngressJson {
  readonly spec?: { readonly rules?: readonly { readonly host?: string; readonly http?: { readonly paths?: readonly { readonly path?: string }[] } }[] };
}

/** One host and path routed by two Ingresses of one cluster: the ingress controller would pick one at random. */
export function duplicateRoutes(objects: readonly ApiObject[]): string[] {
  const seen = new Map<string, ApiObject>();
  const problems: string[] = [];
  for (const obj of objects.filter((o) => o.kind === 'Ingress')) {
    const env = Environment.find(obj)?.node.path ?? '';
    for (const rule of (obj.toJson() as IngressJson).spec?.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        const route = `${rule.host ?? '*'}${p.path ?? '/'}`;
        const first = seen.get(`${env}|${route}`);
        if (first === undefined) seen.set(`${env}|${route}`, obj);
        else problems.push(`${where(obj)}: ingress host+path ${route} is also routed by ${where(first)}; give one of them another host or path`);
      }
    }
  }
  return problems;
}
