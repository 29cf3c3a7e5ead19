import { type ApiObject, App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { Environment, Platform, WebService, type ServiceGroup } from '../../../lib';
import { addServiceGroup } from '../../../lib/apps';
import { addEdge, type Edge, type EdgeProps } from '../../../lib/addons';
import { prod } from '../../../clusters/prod';
import type { NodeGroupProps } from '../../../lib/cluster';

/** A definition's node groups as the cluster's facts give them to addons. */
export function groupFacts(groups: readonly NodeGroupProps[]) {
  return groups.map((g) => ({ name: g.name, zones: g.zones ?? [], labels: g.labels ?? {}, taints: g.taints ?? [] }));
}

/** The front nodes of prod: the label and taint its `front` group carries, and all its groups. */
export const PROD_FRONT = {
  nodeSelector: { [`${Platform.labelPrefix}/node-role`]: 'front' },
  taint: { key: `${Platform.labelPrefix}/front`, value: 'true', effect: 'NoSchedule' as const },
  nodeGroups: groupFacts(prod.kubernetes.nodeGroups),
};

/** Changes to the edge props; a field set to undefined is dropped (`{ frontNodes: undefined }` runs on any node). */
export type EdgeChanges = { readonly [K in keyof EdgeProps]?: EdgeProps[K] | undefined };

/** Edge props as prod would pass them, with `over` applied. */
export function edgeProps(over: EdgeChanges = {}): EdgeProps {
  const merged: Record<string, unknown> = {
    dnsZone: 'example.com',
    region: 'eu-west-1',
    acmeEmail: 'platform@example.com',
    apiServerCidr: '10.10.0.0/16',
    nodeLocalDnsAddress: '169.254.20.10',
    frontNodes: PROD_FRONT,
    ...over,
  };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as unknown as EdgeProps;
}

/** GIVEN helper: a `prod` Environment with the edge addon and the given service groups. */
export function edgeCluster(over: EdgeChanges = {}, groups: readonly ServiceGroup[] = []): { app: App; env: Environment; edge: Edge; chart: Chart } {
  const app = new App({ outdir: 'dist' });
  const env = new Environment(app, 'prod', { name: 'prod', environments: ['prod', 'e2e'], cluster: 'prod' });
  const edge = addEdge(env, edgeProps(over));
  for (const g of groups) addServiceGroup(env, g);
  return { app, env, edge, chart: Chart.of(edge) };
}

/** The objects of the edge chart by `Kind/name`. */
export function edgeObjects(chart: Chart): Record<string, any> {
  return Object.fromEntries(chart.toJson().map((o: any) => [`${o.kind}/${o.metadata.name}`, o]));
}

/** A service group `shop` with one WebService per host (`api-0`, `api-1`, ...). */
export function shop(...hosts: string[]): ServiceGroup {
  return {
    name: 'shop',
    namespace: 'shop',
    define: (scope) => {
      hosts.forEach((host, i) => new WebService(scope, `api-${i}`, { image: 'registry.example.com/shop/api:1.0.0', ingress: { host } }));
    },
  };
}

/** An Ingress written by hand: TLS for `host` into `secret`, no cert-manager annotation. */
export function bareIngress(scope: Construct, host: string, secret: string): ApiObject {
  return new k8s.KubeIngress(scope, `ingress-${secret}`, {
    metadata: { name: secret.replace(/-tls$/, '') },
    spec: {
      ingressClassName: Platform.ingressClassName,
      tls: [{ hosts: [host], secretName: secret }],
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'www', port: { name: 'http' } } } }] } }],
    },
  });
}
