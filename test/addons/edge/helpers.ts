import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Environment, WebService, type ServiceGroup } from '../../../lib';
import { addServiceGroup } from '../../../lib/apps';
import { type EdgeDefinition, edgeAddon } from '../../../lib/addons/edge';
import type { ClusterFacts } from '../../../lib/core';
import { testAddonContext } from '../../support/cluster-facts';

/** The namespaces the edge tests' services and routes run in. */
export const TEAM_NAMESPACES = ['shop', 'blog'];

/** The edge definition prod uses: its front group, with `over` applied. */
export function edgeDefinition(over: EdgeChanges = {}): EdgeDefinition {
  const merged: Record<string, unknown> = { acmeEmail: 'platform@example.com', frontNodes: 'front', ...over };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as unknown as EdgeDefinition;
}

/** Changes to the edge definition; a field set to undefined is dropped (`{ frontNodes: undefined }` runs on any node). */
export type EdgeChanges = { readonly [K in keyof EdgeDefinition]?: EdgeDefinition[K] | undefined };

/** GIVEN helper: a `prod` Environment with the edge's two charts, built from their specs as the composition root does, and the given service groups. */
export function edgeCluster(over: EdgeChanges = {}, groups: readonly ServiceGroup[] = [], cluster: Partial<ClusterFacts> = {}): { app: App; env: Environment; chart: Chart; crds: Chart } {
  const app = new App({ outdir: 'dist' });
  const env = new Environment(app, 'prod', { name: 'prod', environments: ['prod', 'e2e'], cluster: 'prod' });
  // The team namespaces the services run in: a cluster's tree creates every namespace it uses (the teams' charts do in a definition).
  const teams = new Chart(env, 'teams', { disableResourceNameHashes: true });
  for (const name of TEAM_NAMESPACES) new k8s.KubeNamespace(teams, name, { metadata: { name } });
  const context = testAddonContext({}, cluster);
  const def = edgeDefinition(over);
  const crds = new Chart(env, `addon-${edgeAddon.key}-crds`, { disableResourceNameHashes: true });
  edgeAddon.crds?.(crds, def, context);
  const chart = new Chart(env, `addon-${edgeAddon.key}`, { disableResourceNameHashes: true });
  edgeAddon.build(chart, def, context);
  for (const g of groups) addServiceGroup(env, g);
  return { app, env, chart, crds };
}

/** The objects of a chart by `Kind/name` (namespaced ones as `Kind/namespace/name` when `namespaced`). */
export function objectsOf(chart: Chart): Record<string, any> {
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
