import type { RuleGroupProps } from '../rule-group';
import { JOBS, type RuleContext } from '../jobs';

const KSM = `job="${JOBS.kubeStateMetrics}"`;
const FS = `job="${JOBS.nodeExporter}",fstype!="",fstype!~"tmpfs|overlay|squashfs|nsfs|ramfs"`;

/** Nodes: readiness, memory pressure, disk space and inodes. */
export function nodeRules(ctx: RuleContext): RuleGroupProps {
  return {
    name: 'nodes',
    alerts: [
      {
        alert: 'NodeNotReady', expr: `kube_node_status_condition{${KSM},condition="Ready",status="true"} == 0`, for: '15m',
        severity: 'warning', team: ctx.team, summary: 'Node {{ $labels.node }} has not been Ready for 15 minutes', runbook: ctx.runbook('node-not-ready'),
      },
      {
        alert: 'NodeMemoryPressure', expr: `kube_node_status_condition{${KSM},condition="MemoryPressure",status="true"} == 1`, for: '5m',
        severity: 'warning', team: ctx.team, summary: 'Node {{ $labels.node }} is under memory pressure and evicting pods', runbook: ctx.runbook('node-memory-pressure'),
      },
      {
        alert: 'NodeDiskFilling',
        expr: `(node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}} < 0.1) and node_filesystem_readonly{${FS}} == 0`,
        for: '30m', severity: 'warning', team: ctx.team,
        summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} has less than 10% space left', runbook: ctx.runbook('node-disk-filling'),
      },
      {
        alert: 'NodeInodesFilling',
        expr: `(node_filesystem_files_free{${FS}} / node_filesystem_files{${FS}} < 0.1) and node_filesystem_readonly{${FS}} == 0`,
        for: '30m', severity: 'warning', team: ctx.team,
        summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} has less than 10% inodes left', runbook: ctx.runbook('node-inodes-filling'),
      },
    ],
  };
}
