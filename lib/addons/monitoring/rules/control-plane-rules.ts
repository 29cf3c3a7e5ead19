import type { RuleGroupProps } from '../rule-group';
import { JOBS, type RuleContext } from '../jobs';

const API = `job="${JOBS.apiServers}"`;
const ETCD = `job=~"${JOBS.etcdMain}|${JOBS.etcdEvents}"`;

/** The control plane: API server availability, errors and latency; etcd members, leader and leader changes. */
export function controlPlaneRules(ctx: RuleContext): RuleGroupProps {
  return {
    name: 'control-plane',
    records: [
      {
        record: 'cluster:apiserver_request_errors:ratio_rate5m',
        expr: `sum(rate(apiserver_request_total{${API},code=~"5.."}[5m])) / sum(rate(apiserver_request_total{${API}}[5m]))`,
      },
      {
        record: 'verb:apiserver_request_duration_seconds:p99_rate5m',
        expr: `histogram_quantile(0.99, sum by (verb, le) (rate(apiserver_request_duration_seconds_bucket{${API},verb!~"WATCH|CONNECT"}[5m])))`,
      },
    ],
    alerts: [
      {
        alert: 'KubeAPIDown', expr: `absent(up{${API}} == 1)`, for: '5m',
        severity: 'critical', team: ctx.team, summary: 'No Kubernetes API server has been reachable for 5 minutes', runbook: ctx.runbook('api-down'),
      },
      {
        alert: 'KubeAPIErrorsHigh', expr: 'cluster:apiserver_request_errors:ratio_rate5m > 0.05', for: '10m',
        severity: 'critical', team: ctx.team, summary: 'More than 5% of Kubernetes API requests fail with a server error', runbook: ctx.runbook('api-errors-high'),
      },
      {
        alert: 'KubeAPILatencyHigh', expr: 'verb:apiserver_request_duration_seconds:p99_rate5m > 1', for: '10m',
        severity: 'warning', team: ctx.team, summary: 'The 99th percentile latency of {{ $labels.verb }} requests to the Kubernetes API is above 1s',
        runbook: ctx.runbook('api-latency-high'),
      },
      {
        alert: 'EtcdInsufficientMembers',
        expr: `sum by (job) (up{${ETCD}} == bool 1) < ((count by (job) (up{${ETCD}}) + 1) / 2)`, for: '3m',
        severity: 'critical', team: ctx.team, summary: 'etcd cluster {{ $labels.job }} has lost its quorum of members', runbook: ctx.runbook('etcd-insufficient-members'),
      },
      {
        alert: 'EtcdNoLeader', expr: `etcd_server_has_leader{${ETCD}} == 0`, for: '1m',
        severity: 'critical', team: ctx.team, summary: 'etcd member {{ $labels.instance }} of {{ $labels.job }} has no leader', runbook: ctx.runbook('etcd-no-leader'),
      },
      {
        alert: 'EtcdHighNumberOfLeaderChanges', expr: `increase(etcd_server_leader_changes_seen_total{${ETCD}}[15m]) >= 4`, for: '5m',
        severity: 'warning', team: ctx.team, summary: 'etcd member {{ $labels.instance }} of {{ $labels.job }} saw 4 or more leader changes in 15 minutes',
        runbook: ctx.runbook('etcd-leader-changes'),
      },
    ],
  };
}
