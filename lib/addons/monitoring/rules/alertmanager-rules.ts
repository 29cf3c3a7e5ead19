import type { AlertRuleProps, RuleGroupProps } from '../rule-group';
import { JOBS, mixinRunbook, type RuleContext } from '../jobs';

const AM = `job="${JOBS.alertmanager}"`;
const BY = '(namespace,service)';

/**
 * Alertmanager's health as the alertmanager-mixin (kube-prometheus's `alertmanager.rules`)
 * writes it, every integration counted critical (kube-prometheus's default
 * `criticalIntegrationsRegex` is `.*`, which leaves its non-critical tier matching nothing, so
 * that tier is not written here).
 */
export function alertmanagerRules(ctx: RuleContext): RuleGroupProps {
  const a = (alert: string, rest: Omit<AlertRuleProps, 'alert' | 'team' | 'runbook'>): AlertRuleProps =>
    ({ alert, team: ctx.team, runbook: mixinRunbook('alertmanager', alert), ...rest });
  const ratio = (extra: string) =>
    `rate(alertmanager_notifications_failed_total{${AM}${extra}}[15m]) / ignoring (reason) group_left rate(alertmanager_notifications_total{${AM}${extra}}[15m])`;
  return {
    name: 'alertmanager.rules',
    alerts: [
      a('AlertmanagerFailedReload', {
        expr: `max_over_time(alertmanager_config_last_reload_successful{${AM}}[5m]) == 0`, for: '10m', severity: 'critical',
        summary: 'Reloading an Alertmanager configuration has failed.', description: 'Configuration has failed to load for {{ $labels.instance }}.',
      }),
      a('AlertmanagerMembersInconsistent', {
        expr: `max_over_time(alertmanager_cluster_members{${AM}}[5m]) < on ${BY} group_left count by ${BY} (max_over_time(alertmanager_cluster_members{${AM}}[5m]))`,
        for: '15m', severity: 'critical',
        summary: 'A member of an Alertmanager cluster has not found all other cluster members.',
        description: 'Alertmanager {{ $labels.instance }} has not found all the members of the {{ $labels.job }} cluster.',
      }),
      a('AlertmanagerFailedToSendAlerts', {
        expr: `(${ratio('')}) > 0.01`, for: '5m', severity: 'warning',
        summary: 'An Alertmanager instance failed to send notifications.',
        description: 'Alertmanager {{ $labels.instance }} failed to send more than 1% of notifications to {{ $labels.integration }}.',
      }),
      a('AlertmanagerClusterFailedToSendAlerts', {
        expr: `min by (namespace,service, integration) (${ratio(', integration=~`.*`')} > 0) > 0.01`, for: '5m', severity: 'critical',
        summary: 'All Alertmanager instances in a cluster failed to send notifications to a critical integration.',
        description: 'The minimum notification failure rate to {{ $labels.integration }} sent from any instance in the {{ $labels.job }} cluster is above 1%.',
      }),
      a('AlertmanagerConfigInconsistent', {
        expr: `count by ${BY} (count_values by ${BY} ("config_hash", alertmanager_config_hash{${AM}})) != 1`, for: '20m', severity: 'critical',
        summary: 'Alertmanager instances within the same cluster have different configurations.',
        description: 'Alertmanager instances within the {{ $labels.job }} cluster have different configurations.',
      }),
      a('AlertmanagerClusterDown', {
        expr: `(count by ${BY} (avg_over_time(up{${AM}}[5m]) < 0.5) / count by ${BY} (up{${AM}})) >= 0.5`, for: '5m', severity: 'critical',
        summary: 'Half or more of the Alertmanager instances within the same cluster are down.',
        description: 'Half or more of the Alertmanager instances within the {{ $labels.job }} cluster have been up for less than half of the last 5m.',
      }),
      a('AlertmanagerClusterCrashlooping', {
        expr: `(count by ${BY} (changes(process_start_time_seconds{${AM}}[10m]) > 4) / count by ${BY} (up{${AM}})) >= 0.5`, for: '5m', severity: 'critical',
        summary: 'Half or more of the Alertmanager instances within the same cluster are crashlooping.',
        description: 'Half or more of the Alertmanager instances within the {{ $labels.job }} cluster have restarted at least 5 times in the last 10m.',
      }),
    ],
  };
}
