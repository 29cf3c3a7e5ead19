import type { RuleGroupProps } from '../rule-group';
import { JOBS, type RuleContext } from '../jobs';

const KSM = `job="${JOBS.kubeStateMetrics}"`;
const PROBES = `job=~"${JOBS.probeDns}|${JOBS.probeApi}"`;

/** The platform probes: blackbox probes of cluster DNS and the API server, their certificates, and the probe CronJob. */
export function probeRules(ctx: RuleContext): RuleGroupProps {
  const cronJob = `${KSM},namespace="${ctx.namespace}",cronjob="${ctx.probeCronJob}"`;
  return {
    name: 'platform-probes',
    alerts: [
      {
        alert: 'BlackboxProbeFailed', expr: `probe_success{${PROBES}} == 0`, for: '5m',
        severity: 'critical', team: ctx.team, summary: 'Probe {{ $labels.job }} of {{ $labels.instance }} has failed for 5 minutes', runbook: ctx.runbook('probe-failed'),
      },
      {
        alert: 'CertificateExpiringSoon', expr: `probe_ssl_earliest_cert_expiry{${PROBES}} - time() < 14 * 86400`, for: '10m',
        severity: 'warning', team: ctx.team, summary: 'The TLS certificate of {{ $labels.instance }} expires in less than 14 days',
        runbook: ctx.runbook('certificate-expiry'),
      },
      {
        alert: 'PlatformProbeStale', expr: `time() - kube_cronjob_status_last_successful_time{${cronJob}} > 600`, for: '2m',
        severity: 'critical', team: ctx.team,
        summary: 'The platform probe has not succeeded for 10 minutes: pods may not be scheduled, resolve names or reach the API',
        runbook: ctx.runbook('platform-probe'),
      },
      {
        alert: 'PlatformProbeFailing',
        expr: `kube_cronjob_status_last_schedule_time{${cronJob}} - kube_cronjob_status_last_successful_time{${cronJob}} > 180`, for: '2m',
        severity: 'warning', team: ctx.team, summary: 'The platform probe has failed its last runs', runbook: ctx.runbook('platform-probe'),
      },
      {
        alert: 'PlatformProbeMissing', expr: `absent(kube_cronjob_status_last_successful_time{${cronJob}})`, for: '15m',
        severity: 'warning', team: ctx.team, summary: 'kube-state-metrics reports no successful run of the platform probe', runbook: ctx.runbook('platform-probe'),
      },
    ],
  };
}
