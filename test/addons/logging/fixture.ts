import { App, Chart } from 'cdk8s';
import type { AddonContext } from '../../../lib/addons/addon-spec';
import { loggingAddon, type LoggingDefinition } from '../../../lib/addons/logging';
import { testAddonContext } from '../../support/cluster-facts';

/** The edge's and the identity addon's facts, as the composition root passes them. */
export const EDGE_AND_IDENTITY = {
  gateway: { name: 'edge', namespace: 'edge', dnsZone: 'test.example.com' },
  identity: { issuerUrl: 'https://dex.test.example.com' },
} as const;

/** GIVEN helper: the addon's chart, as the root builds it (`addon-logging`), on the test cluster with an edge and Dex. */
export function loggingChart(def: LoggingDefinition = {}, ctx: AddonContext = testAddonContext(EDGE_AND_IDENTITY)): Chart {
  const chart = new Chart(new App({ outdir: 'dist' }), `addon-${loggingAddon.key}`);
  loggingAddon.build(chart, def, ctx);
  return chart;
}

/** The synthesized objects by `Kind/namespace/name`. */
export function objects(chart: Chart): Record<string, any> {
  return Object.fromEntries(chart.toJson().map((o: any) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
}

/** The one object of `kind` whose name starts with `prefix`. */
export function one(chart: Chart, kind: string, prefix: string): any {
  const found = chart.toJson().filter((o: any) => o.kind === kind && String(o.metadata.name).startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${prefix}*, found ${found.length}`);
  return found[0];
}
