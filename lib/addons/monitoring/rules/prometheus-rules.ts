import type { AlertRuleProps, RuleGroupProps } from '../rule-group';
import { JOBS, mixinRunbook, type RuleContext } from '../jobs';

const P = `job="${JOBS.prometheus}"`;
const rate = (metric: string) => `rate(${metric}{${P}}[5m])`;
const failed = `(${rate('prometheus_remote_storage_failed_samples_total')} or ${rate('prometheus_remote_storage_samples_failed_total')})`;
const succeeded = `(${rate('prometheus_remote_storage_succeeded_samples_total')} or ${rate('prometheus_remote_storage_samples_total')})`;

/**
 * Prometheus's own health, as the prometheus-mixin (kube-prometheus's `prometheus` group) writes
 * it: configuration reloads, rule evaluation, target sync, alert delivery, remote write. The
 * remote-write alerts stay quiet while no remote write is configured (the series do not exist).
 */
export function prometheusRules(ctx: RuleContext): RuleGroupProps {
  const a = (alert: string, rest: Omit<AlertRuleProps, 'alert' | 'team' | 'runbook'>): AlertRuleProps =>
    ({ alert, team: ctx.team, runbook: mixinRunbook('prometheus', alert), ...rest });
  return {
    name: 'prometheus',
    alerts: [
      a('PrometheusBadConfig', {
        expr: `max_over_time(prometheus_config_last_reload_successful{${P}}[5m]) == 0`, for: '10m', severity: 'critical',
        summary: 'Failed Prometheus configuration reload.', description: 'Prometheus {{ $labels.instance }} has failed to reload its configuration.',
      }),
      a('PrometheusRuleFailures', {
        expr: `increase(prometheus_rule_evaluation_failures_total{${P}}[5m]) > 0`, for: '15m', severity: 'critical',
        summary: 'Prometheus is failing rule evaluations.', description: 'Prometheus {{ $labels.instance }} has failed to evaluate rules in the last 5m.',
      }),
      a('PrometheusTargetSyncFailure', {
        expr: `increase(prometheus_target_sync_failed_total{${P}}[30m]) > 0`, for: '5m', severity: 'critical',
        summary: 'Prometheus has failed to sync targets.', description: 'Targets in Prometheus {{ $labels.instance }} have failed to sync because invalid configuration was supplied.',
      }),
      a('PrometheusErrorSendingAlertsToAnyAlertmanager', {
        expr: `min without (alertmanager) (rate(prometheus_notifications_errors_total{${P},alertmanager!~\`\`}[5m]) / rate(prometheus_notifications_sent_total{${P},alertmanager!~\`\`}[5m])) * 100 > 3`,
        for: '15m', severity: 'critical',
        summary: 'Prometheus encounters more than 3% errors sending alerts to any Alertmanager.',
        description: 'More than 3% errors while sending alerts from Prometheus {{ $labels.instance }} to any Alertmanager.',
      }),
      a('PrometheusErrorSendingAlertsToSomeAlertmanagers', {
        expr: `(rate(prometheus_notifications_errors_total{${P}}[5m]) / rate(prometheus_notifications_sent_total{${P}}[5m])) * 100 > 1`, for: '15m', severity: 'warning',
        summary: 'More than 1% of alerts sent by Prometheus to a specific Alertmanager were affected by errors.',
        description: 'More than 1% of alerts sent by Prometheus {{ $labels.instance }} to Alertmanager {{ $labels.alertmanager }} were affected by errors.',
      }),
      a('PrometheusNotConnectedToAlertmanagers', {
        expr: `max_over_time(prometheus_notifications_alertmanagers_discovered{${P}}[5m]) < 1`, for: '10m', severity: 'warning',
        summary: 'Prometheus is not connected to any Alertmanagers.', description: 'Prometheus {{ $labels.instance }} is not connected to any Alertmanagers.',
      }),
      a('PrometheusRemoteStorageFailures', {
        expr: `(${failed} / (${failed} + ${succeeded})) * 100 > 1`, for: '15m', severity: 'critical',
        summary: 'Prometheus fails to send samples to remote storage.',
        description: 'Prometheus {{ $labels.instance }} failed to send more than 1% of the samples to {{ $labels.remote_name }}:{{ $labels.url }}',
      }),
      a('PrometheusRemoteWriteBehind', {
        expr: `(max_over_time(prometheus_remote_storage_queue_highest_timestamp_seconds{${P}}[5m]) - max_over_time(prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${P}}[5m])) > 120`,
        for: '15m', severity: 'critical',
        summary: 'Prometheus remote write is behind.',
        description: 'Prometheus {{ $labels.instance }} remote write is more than 120s behind for {{ $labels.remote_name }}:{{ $labels.url }}.',
      }),
    ],
  };
}
