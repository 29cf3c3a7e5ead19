import type { IConstruct } from 'constructs';
import { checkPromQL } from './promql';

/** One graph of a dashboard: a title, its queries and their unit. */
export interface PanelSpec {
  readonly title: string;
  /** PromQL queries; Grafana variables appear only inside label values (`namespace="$namespace"`). */
  readonly queries: readonly { readonly expr: string; readonly legend: string }[];
  /** A Grafana unit (`percentunit`, `bytes`, `short`, `s`, `reqps`). @default 'short' */
  readonly unit?: string;
}

/** A dashboard as code: a stable uid, variables filled from label values, and graphs. */
export interface DashboardSpec {
  /** A stable uid (links and bookmarks use it). */
  readonly uid: string;
  readonly title: string;
  /** Variables, each listing the values of one label of one metric (`{ name: 'namespace', query: 'label_values(kube_namespace_labels, namespace)' }`). */
  readonly variables: readonly { readonly name: string; readonly query: string }[];
  readonly panels: readonly PanelSpec[];
  /** The kube-prometheus / kubernetes-mixin dashboard whose questions it answers (`k8s-resources-cluster.json`). */
  readonly counterpart: string;
}

/** The dashboards the addon provisions (see boards/). */
export { DEFAULT_DASHBOARDS } from './boards';

/** The uid of the provisioned Prometheus datasource. */
export const PROMETHEUS_DATASOURCE_UID = 'prometheus';

/** Renders a dashboard to Grafana's JSON model, checking every query as PromQL. */
export function renderDashboard(scope: IConstruct, spec: DashboardSpec): Record<string, unknown> {
  const datasource = { type: 'prometheus', uid: PROMETHEUS_DATASOURCE_UID };
  return {
    uid: spec.uid,
    title: spec.title,
    tags: ['platform'],
    editable: false,
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: {
      list: spec.variables.map((v) => ({ name: v.name, type: 'query', datasource, query: { query: v.query, refId: v.name }, refresh: 2, sort: 1 })),
    },
    panels: spec.panels.map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      datasource,
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: p.unit ?? 'short' }, overrides: [] },
      targets: p.queries.map((q, j) => ({
        refId: String.fromCharCode(65 + j),
        datasource,
        expr: checkPromQL(scope, `dashboards[${spec.uid}].panels[${p.title}].expr`, q.expr),
        legendFormat: q.legend,
      })),
    })),
  };
}
