import type { DashboardSpec } from '../dashboards';
import { SEL } from './selectors';

/** Prometheus and Alertmanager themselves (prometheus-mixin `prometheus.json`, alertmanager-mixin `alertmanager-overview.json`). */
export const MONITORING_DASHBOARDS: readonly DashboardSpec[] = [
  {
    uid: 'platform-prometheus', title: 'Prometheus / Overview', counterpart: 'prometheus.json', variables: [],
    panels: [
      { title: 'Targets up by job', queries: [{ expr: 'sum by (job) (up)', legend: '{{job}}' }, { expr: 'count by (job) (up == 0)', legend: '{{job}} down' }] },
      { title: 'Scrape duration p99 by job', unit: 's', queries: [{ expr: 'max by (job) (scrape_duration_seconds)', legend: '{{job}}' }] },
      { title: 'Samples appended', queries: [{ expr: `rate(prometheus_tsdb_head_samples_appended_total{${SEL.prometheus}}[5m])`, legend: '{{instance}}' }] },
      { title: 'Head series', queries: [{ expr: `prometheus_tsdb_head_series{${SEL.prometheus}}`, legend: '{{instance}}' }] },
      { title: 'Rule group duration', unit: 's', queries: [{ expr: `max by (rule_group) (prometheus_rule_group_last_duration_seconds{${SEL.prometheus}})`, legend: '{{rule_group}}' }] },
      { title: 'Alert notifications failing', queries: [{ expr: `rate(prometheus_notifications_errors_total{${SEL.prometheus}}[5m])`, legend: '{{alertmanager}}' }] },
      {
        title: 'Remote write lag', unit: 's',
        queries: [{ expr: `prometheus_remote_storage_queue_highest_timestamp_seconds{${SEL.prometheus}} - prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${SEL.prometheus}}`, legend: '{{remote_name}}' }],
      },
    ],
  },
  {
    uid: 'platform-alertmanager', title: 'Alertmanager / Overview', counterpart: 'alertmanager-overview.json', variables: [],
    panels: [
      { title: 'Alerts', queries: [{ expr: `sum by (state) (alertmanager_alerts{${SEL.alertmanager}})`, legend: '{{state}}' }] },
      {
        title: 'Notifications by integration',
        queries: [
          { expr: `sum by (integration) (rate(alertmanager_notifications_total{${SEL.alertmanager}}[5m]))`, legend: '{{integration}} sent' },
          { expr: `sum by (integration) (rate(alertmanager_notifications_failed_total{${SEL.alertmanager}}[5m]))`, legend: '{{integration}} failed' },
        ],
      },
      { title: 'Notification latency p99', unit: 's', queries: [{ expr: `histogram_quantile(0.99, sum by (le, integration) (rate(alertmanager_notification_latency_seconds_bucket{${SEL.alertmanager}}[5m])))`, legend: '{{integration}}' }] },
      { title: 'Cluster members', queries: [{ expr: `alertmanager_cluster_members{${SEL.alertmanager}}`, legend: '{{instance}}' }] },
    ],
  },
];
