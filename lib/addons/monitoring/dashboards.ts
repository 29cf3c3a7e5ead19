import type { IConstruct } from 'constructs';
import { JOBS, kubeletSelector } from './jobs';
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
}

const KSM = `job="${JOBS.kubeStateMetrics}"`;
const NS = 'namespace="$namespace"';

/** The dashboards the addon provisions: the cluster, a namespace, a service. */
export const DEFAULT_DASHBOARDS: readonly DashboardSpec[] = [
  {
    uid: 'platform-cluster', title: 'Cluster', variables: [],
    panels: [
      { title: 'Nodes ready', queries: [{ expr: `sum(kube_node_status_condition{${KSM},condition="Ready",status="true"})`, legend: 'ready' }] },
      { title: 'CPU used', unit: 'percentunit', queries: [{ expr: `1 - avg(rate(node_cpu_seconds_total{job="${JOBS.nodeExporter}",mode="idle"}[5m]))`, legend: 'cluster' }] },
      {
        title: 'Memory used', unit: 'percentunit',
        queries: [{ expr: `1 - sum(node_memory_MemAvailable_bytes{job="${JOBS.nodeExporter}"}) / sum(node_memory_MemTotal_bytes{job="${JOBS.nodeExporter}"})`, legend: 'cluster' }],
      },
      { title: 'API server errors', unit: 'percentunit', queries: [{ expr: 'cluster:apiserver_request_errors:ratio_rate5m', legend: '5xx' }] },
      { title: 'API server p99 latency', unit: 's', queries: [{ expr: 'verb:apiserver_request_duration_seconds:p99_rate5m', legend: '{{verb}}' }] },
      { title: 'Targets down', queries: [{ expr: 'count by (job) (up == 0)', legend: '{{job}}' }] },
    ],
  },
  {
    uid: 'platform-namespace', title: 'Namespace', variables: [{ name: 'namespace', query: `label_values(kube_namespace_status_phase{${KSM}}, namespace)` }],
    panels: [
      { title: 'CPU by pod', queries: [{ expr: `sum by (pod) (namespace_pod_container:container_cpu_usage_seconds:rate5m{${NS}})`, legend: '{{pod}}' }] },
      { title: 'CPU against limit', unit: 'percentunit', queries: [{ expr: `namespace_pod_container:container_cpu_usage:ratio_limit{${NS}}`, legend: '{{pod}}/{{container}}' }] },
      { title: 'Memory by pod', unit: 'bytes', queries: [{ expr: `sum by (pod) (container_memory_working_set_bytes{${kubeletSelector('cadvisor')},${NS},container!=""})`, legend: '{{pod}}' }] },
      { title: 'Restarts', queries: [{ expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{${KSM},${NS}}[1h]))`, legend: '{{pod}}' }] },
      { title: 'Pods not running', queries: [{ expr: `sum by (phase) (kube_pod_status_phase{${KSM},${NS},phase!="Running",phase!="Succeeded"})`, legend: '{{phase}}' }] },
    ],
  },
  {
    uid: 'platform-service', title: 'Service',
    variables: [
      { name: 'namespace', query: `label_values(up{job="${JOBS.services}"}, namespace)` },
      { name: 'service', query: `label_values(up{job="${JOBS.services}",${NS}}, service)` },
    ],
    panels: [
      { title: 'Targets up', queries: [{ expr: `sum(up{job="${JOBS.services}",${NS},service="$service"})`, legend: 'up' }] },
      { title: 'CPU by pod', queries: [{ expr: `sum by (pod) (namespace_pod_container:container_cpu_usage_seconds:rate5m{${NS},pod=~"$service-.*"})`, legend: '{{pod}}' }] },
      { title: 'Memory by pod', unit: 'bytes', queries: [{ expr: `sum by (pod) (container_memory_working_set_bytes{${kubeletSelector('cadvisor')},${NS},pod=~"$service-.*",container!=""})`, legend: '{{pod}}' }] },
      { title: 'CPU throttling', unit: 'percentunit', queries: [{ expr: `sum by (pod) (rate(container_cpu_cfs_throttled_periods_total{${kubeletSelector('cadvisor')},${NS},pod=~"$service-.*"}[5m])) / sum by (pod) (rate(container_cpu_cfs_periods_total{${kubeletSelector('cadvisor')},${NS},pod=~"$service-.*"}[5m]))`, legend: '{{pod}}' }] },
    ],
  },
];

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
