import type { AlertRuleProps, RuleGroupProps } from '../rule-group';
import { JOBS, mixinRunbook, type RuleContext } from '../jobs';

const ETCD = `job=~"${JOBS.etcdMain}|${JOBS.etcdEvents}"`;

/**
 * The scheduler and controller-manager vanishing from discovery (kubernetes-mixin
 * `kubernetes-system-scheduler` and `-controller-manager`), and etcd's members, leader and
 * leader changes (ours: the etcd-mixin's rules are not in kube-prometheus's defaults).
 */
export function controlPlaneRules(ctx: RuleContext): RuleGroupProps {
  const down = (alert: string, job: string, what: string): AlertRuleProps => ({
    alert, expr: `absent(up{job="${job}"})`, for: '15m', severity: 'critical', team: ctx.team, runbook: mixinRunbook('kubernetes', alert),
    summary: 'Target disappeared from Prometheus target discovery.', description: `${what} has disappeared from Prometheus target discovery.`,
  });
  return {
    name: 'control-plane',
    alerts: [
      down('KubeSchedulerDown', JOBS.scheduler, 'KubeScheduler'),
      down('KubeControllerManagerDown', JOBS.controllerManager, 'KubeControllerManager'),
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
