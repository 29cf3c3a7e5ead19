import { KSM, s, type RuleCases, type TestContext } from './types';

const P = 'job="prometheus",instance="p"';
const PL = { job: 'prometheus', instance: 'p' };
const AM0 = 'job="alertmanager",instance="am-0"';
const AM1 = 'job="alertmanager",instance="am-1"';
const RW = `${P},remote_name="store",url="https://store.example.com/api/v1/write"`;
const RWL = { ...PL, remote_name: 'store', url: 'https://store.example.com/api/v1/write' };

/** Watchdog, TargetDown, Prometheus, Alertmanager and kube-state-metrics health. */
export function monitoringCases(_ctx: TestContext): RuleCases {
  const notify = (errors: string) => [s(`prometheus_notifications_errors_total{${P},alertmanager="am-0"}`, errors), s(`prometheus_notifications_sent_total{${P},alertmanager="am-0"}`, '0+10x40')];
  const amFailed = (failed: string) => [
    s(`alertmanager_notifications_failed_total{${AM0},integration="slack",reason="other"}`, failed),
    s(`alertmanager_notifications_total{${AM0},integration="slack"}`, '0+10x40'),
  ];
  const ksm = (op: string, errors: string) => [
    s(`kube_state_metrics_${op}_total{${KSM},resource="pods",result="error"}`, errors), s(`kube_state_metrics_${op}_total{${KSM},resource="pods",result="success"}`, '0+10x40'),
  ];
  return {
    Watchdog: { fires: { series: [], at: '1m', alerts: [{}] }, quiet: 'never' },
    TargetDown: {
      fires: { series: [s('up{job="web",namespace="shop",service="api",instance="a"}', '0x40'), s('up{job="web",namespace="shop",service="api",instance="b"}', '1x40')], alerts: [{ job: 'web', namespace: 'shop', service: 'api' }] },
      quiet: { series: [s('up{job="web",namespace="shop",service="api",instance="a"}', '1x40'), s('up{job="web",namespace="shop",service="api",instance="b"}', '1x40')], alerts: [] },
    },
    PrometheusBadConfig: {
      fires: { series: [s(`prometheus_config_last_reload_successful{${P}}`, '0x40')], alerts: [PL] },
      quiet: { series: [s(`prometheus_config_last_reload_successful{${P}}`, '1x40')], alerts: [] },
    },
    PrometheusRuleFailures: {
      fires: { series: [s(`prometheus_rule_evaluation_failures_total{${P},rule_group="g"}`, '0+1x40')], alerts: [{ ...PL, rule_group: 'g' }] },
      quiet: { series: [s(`prometheus_rule_evaluation_failures_total{${P},rule_group="g"}`, '0x40')], alerts: [] },
    },
    PrometheusTargetSyncFailure: {
      fires: { series: [s(`prometheus_target_sync_failed_total{${P},scrape_job="kubelet"}`, '0+1x40')], alerts: [{ ...PL, scrape_job: 'kubelet' }] },
      quiet: { series: [s(`prometheus_target_sync_failed_total{${P},scrape_job="kubelet"}`, '0x40')], alerts: [] },
    },
    PrometheusErrorSendingAlertsToAnyAlertmanager: { fires: { series: notify('0+1x40'), alerts: [PL] }, quiet: { series: notify('0x40'), alerts: [] } },
    PrometheusErrorSendingAlertsToSomeAlertmanagers: { fires: { series: notify('0+1x40'), alerts: [{ ...PL, alertmanager: 'am-0' }] }, quiet: { series: notify('0x40'), alerts: [] } },
    PrometheusNotConnectedToAlertmanagers: {
      fires: { series: [s(`prometheus_notifications_alertmanagers_discovered{${P}}`, '0x40')], alerts: [PL] },
      quiet: { series: [s(`prometheus_notifications_alertmanagers_discovered{${P}}`, '2x40')], alerts: [] },
    },
    PrometheusRemoteStorageFailures: {
      fires: { series: [s(`prometheus_remote_storage_samples_failed_total{${RW}}`, '0+1x40'), s(`prometheus_remote_storage_samples_total{${RW}}`, '0+10x40')], alerts: [RWL] },
      quiet: { series: [s(`prometheus_remote_storage_samples_failed_total{${RW}}`, '0x40'), s(`prometheus_remote_storage_samples_total{${RW}}`, '0+10x40')], alerts: [] },
    },
    PrometheusRemoteWriteBehind: {
      fires: { series: [s(`prometheus_remote_storage_queue_highest_timestamp_seconds{${RW}}`, '61+61x40'), s(`prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${RW}}`, '0x40')], alerts: [RWL] },
      quiet: { series: [s(`prometheus_remote_storage_queue_highest_timestamp_seconds{${RW}}`, '61+61x40'), s(`prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${RW}}`, '61+61x40')], alerts: [] },
    },
    AlertmanagerFailedReload: {
      fires: { series: [s(`alertmanager_config_last_reload_successful{${AM0}}`, '0x40')], alerts: [{ job: 'alertmanager', instance: 'am-0' }] },
      quiet: { series: [s(`alertmanager_config_last_reload_successful{${AM0}}`, '1x40')], alerts: [] },
    },
    AlertmanagerMembersInconsistent: {
      fires: { series: [s(`alertmanager_cluster_members{${AM0}}`, '1x40'), s(`alertmanager_cluster_members{${AM1}}`, '2x40')], alerts: [{ job: 'alertmanager', instance: 'am-0' }] },
      quiet: { series: [s(`alertmanager_cluster_members{${AM0}}`, '2x40'), s(`alertmanager_cluster_members{${AM1}}`, '2x40')], alerts: [] },
    },
    AlertmanagerFailedToSendAlerts: {
      fires: { series: amFailed('0+1x40'), alerts: [{ job: 'alertmanager', instance: 'am-0', integration: 'slack', reason: 'other' }] },
      quiet: { series: amFailed('0x40'), alerts: [] },
    },
    AlertmanagerClusterFailedToSendAlerts: { fires: { series: amFailed('0+1x40'), alerts: [{ integration: 'slack' }] }, quiet: { series: amFailed('0x40'), alerts: [] } },
    AlertmanagerConfigInconsistent: {
      fires: { series: [s(`alertmanager_config_hash{${AM0}}`, '1x40'), s(`alertmanager_config_hash{${AM1}}`, '2x40')], alerts: [{}] },
      quiet: { series: [s(`alertmanager_config_hash{${AM0}}`, '1x40'), s(`alertmanager_config_hash{${AM1}}`, '1x40')], alerts: [] },
    },
    AlertmanagerClusterDown: {
      fires: { series: [s(`up{${AM0}}`, '0x40'), s(`up{${AM1}}`, '1x40')], alerts: [{}] },
      quiet: { series: [s(`up{${AM0}}`, '1x40'), s(`up{${AM1}}`, '1x40')], alerts: [] },
    },
    AlertmanagerClusterCrashlooping: {
      fires: { series: [s(`process_start_time_seconds{${AM0}}`, '0+61x40'), s(`process_start_time_seconds{${AM1}}`, '5x40'), s(`up{${AM0}}`, '1x40'), s(`up{${AM1}}`, '1x40')], alerts: [{}] },
      quiet: { series: [s(`process_start_time_seconds{${AM0}}`, '5x40'), s(`process_start_time_seconds{${AM1}}`, '5x40'), s(`up{${AM0}}`, '1x40'), s(`up{${AM1}}`, '1x40')], alerts: [] },
    },
    KubeStateMetricsListErrors: { fires: { series: ksm('list', '0+1x40'), alerts: [{}] }, quiet: { series: ksm('list', '0x40'), alerts: [] } },
    KubeStateMetricsWatchErrors: { fires: { series: ksm('watch', '0+1x40'), alerts: [{}] }, quiet: { series: ksm('watch', '0x40'), alerts: [] } },
  };
}
