import type { RuleGroupProps } from '../rule-group';
import { JOBS, type RuleContext } from '../jobs';

const PROM = `job="${JOBS.prometheus}"`;
const AM = `job="${JOBS.alertmanager}"`;

/** The monitoring system itself: the dead man's switch, scrape targets, Prometheus and Alertmanager health. */
export function monitoringRules(ctx: RuleContext): RuleGroupProps {
  return {
    name: 'monitoring',
    alerts: [
      {
        alert: 'Watchdog', expr: 'vector(1)', severity: 'info', team: ctx.team,
        summary: 'Always firing: the dead man\'s switch proves the alerting pipeline works end to end',
        description: 'Routed to the external heartbeat receiver, which alerts when this alert stops arriving.',
        runbook: ctx.runbook('watchdog'),
      },
      {
        alert: 'TargetDown', expr: '100 * (count by (job, namespace, service) (up == 0) / count by (job, namespace, service) (up)) > 10', for: '10m',
        severity: 'warning', team: ctx.team, summary: 'More than 10% of the {{ $labels.job }} targets are down', runbook: ctx.runbook('target-down'),
      },
      {
        alert: 'PrometheusRuleFailures', expr: `increase(prometheus_rule_evaluation_failures_total{${PROM}}[5m]) > 0`, for: '15m',
        severity: 'critical', team: ctx.team, summary: 'Prometheus {{ $labels.instance }} fails to evaluate rules', runbook: ctx.runbook('prometheus-rule-failures'),
      },
      {
        alert: 'PrometheusNotificationsFailing',
        expr: `rate(prometheus_notifications_errors_total{${PROM}}[5m]) / rate(prometheus_notifications_sent_total{${PROM}}[5m]) > 0.01`, for: '15m',
        severity: 'critical', team: ctx.team, summary: 'Prometheus {{ $labels.instance }} fails to send alerts to {{ $labels.alertmanager }}',
        runbook: ctx.runbook('prometheus-notifications-failing'),
      },
      {
        alert: 'PrometheusAlertmanagerMissing', expr: `prometheus_notifications_alertmanagers_discovered{${PROM}} < 1`, for: '10m',
        severity: 'critical', team: ctx.team, summary: 'Prometheus {{ $labels.instance }} knows no Alertmanager to send alerts to',
        runbook: ctx.runbook('prometheus-alertmanager-missing'),
      },
      {
        alert: 'AlertmanagerNotificationsFailing', expr: `rate(alertmanager_notifications_failed_total{${AM}}[5m]) > 0`, for: '10m',
        severity: 'critical', team: ctx.team, summary: 'Alertmanager {{ $labels.instance }} fails to deliver notifications to {{ $labels.integration }}',
        runbook: ctx.runbook('alertmanager-notifications-failing'),
      },
      {
        alert: 'AlertmanagerClusterDegraded', expr: `min by (job) (alertmanager_cluster_members{${AM}}) < ${ctx.alertmanagerReplicas}`, for: '10m',
        severity: 'warning', team: ctx.team, summary: `An Alertmanager sees fewer than ${ctx.alertmanagerReplicas} members in its cluster`,
        runbook: ctx.runbook('alertmanager-cluster-degraded'),
      },
    ],
  };
}
