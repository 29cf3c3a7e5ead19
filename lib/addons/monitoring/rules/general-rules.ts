import type { RuleGroupProps } from '../rule-group';
import { mixinRunbook, type RuleContext } from '../jobs';

/** kube-prometheus's general rules: the dead man's switch and the share of a job's targets that are down. */
export function generalRules(ctx: RuleContext): RuleGroupProps {
  return {
    name: 'general.rules',
    alerts: [
      {
        alert: 'Watchdog', expr: 'vector(1)', severity: 'none', team: ctx.team,
        summary: 'An alert that should always be firing to certify that Alertmanager is working properly.',
        description: 'Routed to the external heartbeat receiver every minute, which alerts when this alert stops arriving.',
        runbook: mixinRunbook('general', 'Watchdog'),
      },
      {
        alert: 'TargetDown',
        expr: '100 * (count(up == 0) by (cluster, job, namespace, service) / count(up) by (cluster, job, namespace, service)) > 10', for: '10m',
        severity: 'warning', team: ctx.team, summary: 'One or more targets are unreachable.',
        description: 'More than 10% of the {{ $labels.job }}/{{ $labels.service }} targets in {{ $labels.namespace }} namespace are down.',
        runbook: mixinRunbook('general', 'TargetDown'),
      },
    ],
  };
}
