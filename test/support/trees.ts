import { App, Chart } from 'cdk8s';
import { Environment } from '../../lib';

export const ENVIRONMENTS = ['prod', 'stage', 'e2e'] as const;

/** GIVEN helper: a Chart in namespace `shop` inside the `prod` environment (or the one named). */
export function chartIn(environment: string = 'prod', namespace = 'shop'): Chart {
  const app = new App({ outdir: 'dist' });
  const env = new Environment(app, environment, { name: environment, environments: ENVIRONMENTS });
  return new Chart(env, 'services', { namespace, disableResourceNameHashes: true });
}

/** The synthesized objects of a chart, by `Kind/name`. */
export function objectsOf(chart: Chart): Record<string, any> {
  return Object.fromEntries(chart.toJson().map((o: any) => [`${o.kind}/${o.metadata.name}`, o]));
}

/** The one object of a kind in a chart. */
export function only(chart: Chart, kind: string): any {
  const found = chart.toJson().filter((o: any) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
}
