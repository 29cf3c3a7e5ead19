import type { AlertRuleProps, RuleGroupProps, Severity } from '../rule-group';
import { JOBS, mixinRunbook, type RuleContext } from '../jobs';

const API = `job="${JOBS.apiServers}"`;

/**
 * The API server, as the kubernetes-mixin's `kube-apiserver-slos` and
 * `kubernetes-system-apiserver` groups write it: the multi-window error-budget burn of a 99%
 * SLO (the burn rates are recorded by {@link apiServerBurnrateRules}), client certificates about
 * to expire, the target vanishing from discovery, and one instance unreachable. (That every API
 * server is up but failing is the platform probe's `BlackboxProbeFailed`.)
 */
export function apiServerRules(ctx: RuleContext): RuleGroupProps {
  const a = (alert: string, severity: Severity, rest: Omit<AlertRuleProps, 'alert' | 'team' | 'runbook' | 'severity'>): AlertRuleProps =>
    ({ alert, severity, team: ctx.team, runbook: mixinRunbook('kubernetes', alert), ...rest });
  const burn = (severity: Severity, factor: string, long: string, short: string, holdFor: string) => a('KubeAPIErrorBudgetBurn', severity, {
    expr: `sum by(cluster) (apiserver_request:burnrate${long}) > (${factor} * 0.01000) and on(cluster) sum by(cluster) (apiserver_request:burnrate${short}) > (${factor} * 0.01000)`,
    for: holdFor, labels: { long, short },
    summary: 'The Kube API server is burning too much error budget.', description: 'The API server is burning too much error budget on cluster {{ $labels.cluster }}.',
  });
  const clientCertificate = (severity: Severity, seconds: number) => a('KubeClientCertificateExpiration', severity, {
    expr: `histogram_quantile(0.01, sum without (namespace, service, endpoint) (rate(apiserver_client_certificate_expiration_seconds_bucket{${API}}[5m]))) < ${seconds}`
      + ` and on(job, cluster, instance) apiserver_client_certificate_expiration_seconds_count{${API}} > 0`,
    for: '5m',
    summary: 'Client certificate is about to expire.',
    description: `A client certificate used to authenticate to kubernetes apiserver is expiring in less than ${seconds === 86400 ? '24.0 hours' : '7.0 days'} on cluster {{ $labels.cluster }}.`,
  });
  return {
    name: 'kube-apiserver',
    alerts: [
      burn('critical', '14.40', '1h', '5m', '2m'), burn('critical', '6.00', '6h', '30m', '15m'),
      burn('warning', '3.00', '1d', '2h', '1h'), burn('warning', '1.00', '3d', '6h', '3h'),
      clientCertificate('warning', 604800), clientCertificate('critical', 86400),
      a('KubeAPIDown', 'critical', {
        expr: `absent(up{${API}})`, for: '15m',
        summary: 'Target disappeared from Prometheus target discovery.', description: 'KubeAPI has disappeared from Prometheus target discovery.',
      }),
      a('KubeAPIInstanceUnreachable', 'warning', {
        expr: `up{${API}} == 0`, for: '15m',
        summary: 'KubeAPI instance is unreachable.', description: 'KubeAPI instance {{ $labels.instance }} is unreachable.',
      }),
    ],
  };
}
