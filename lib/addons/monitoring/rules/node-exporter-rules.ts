import type { AlertRuleProps, RuleGroupProps, Severity } from '../rule-group';
import { JOBS, mixinRunbook, type RuleContext } from '../jobs';

const NE = `job="${JOBS.nodeExporter}"`;
const FS = `${NE},fstype!="",mountpoint!=""`;
const writable = `node_filesystem_readonly{${FS}} == 0`;

/** Free space or inodes as a percentage of the filesystem's. */
const percentFree = (kind: 'space' | 'files') =>
  kind === 'space' ? `node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}} * 100` : `node_filesystem_files_free{${FS}} / node_filesystem_files{${FS}} * 100`;
const freeSeries = (kind: 'space' | 'files') => (kind === 'space' ? 'node_filesystem_avail_bytes' : 'node_filesystem_files_free');

/**
 * Node filesystems and file descriptors, with the node-mixin's names, tiers and thresholds
 * (kube-prometheus's `node-exporter` group): predicted to fill (`predict_linear` over 6h) within
 * 24h (warning) or 4h (critical), almost full (5% / 3%), and the kernel's file-descriptor table
 * 70% / 90% used. RAID alerts do not apply (EBS volumes, no md arrays).
 */
export function nodeExporterRules(ctx: RuleContext): RuleGroupProps {
  const a = (alert: string, severity: Severity, rest: Omit<AlertRuleProps, 'alert' | 'team' | 'runbook' | 'severity'>): AlertRuleProps =>
    ({ alert, severity, team: ctx.team, runbook: mixinRunbook('node', alert), ...rest });
  const what = { space: 'space', files: 'inodes' } as const;
  const fillingUp = (kind: 'space' | 'files', severity: Severity, below: number, hours: number) =>
    a(kind === 'space' ? 'NodeFilesystemSpaceFillingUp' : 'NodeFilesystemFilesFillingUp', severity, {
      expr: `(${percentFree(kind)} < ${below} and predict_linear(${freeSeries(kind)}{${FS}}[6h], ${hours}*60*60) < 0 and ${writable})`, for: '1h',
      summary: `Filesystem is predicted to run out of ${what[kind]} within the next ${hours} hours.`,
      description: `Filesystem on {{ $labels.device }}, mounted on {{ $labels.mountpoint }}, at {{ $labels.instance }} has less than ${below}% available ${what[kind]} left and is filling up${severity === 'critical' ? ' fast' : ''}.`,
    });
  const almostOut = (kind: 'space' | 'files', severity: Severity, below: number) =>
    a(kind === 'space' ? 'NodeFilesystemAlmostOutOfSpace' : 'NodeFilesystemAlmostOutOfFiles', severity, {
      expr: `(${percentFree(kind)} < ${below} and ${writable})`, for: kind === 'space' ? '30m' : '1h',
      summary: `Filesystem has less than ${below}% ${what[kind]} left.`,
      description: `Filesystem on {{ $labels.device }}, mounted on {{ $labels.mountpoint }}, at {{ $labels.instance }} has less than ${below}% available ${what[kind]} left.`,
    });
  const fd = (severity: Severity, above: number) => a('NodeFileDescriptorLimit', severity, {
    expr: `(node_filefd_allocated{${NE}} * 100 / node_filefd_maximum{${NE}} > ${above})`, for: '15m',
    summary: 'Kernel is predicted to exhaust file descriptors limit soon.',
    description: `File descriptors limit at {{ $labels.instance }} is above ${above}%.`,
  });
  return {
    name: 'node-exporter',
    alerts: [
      fillingUp('space', 'warning', 15, 24), fillingUp('space', 'critical', 10, 4),
      almostOut('space', 'warning', 5), almostOut('space', 'critical', 3),
      fillingUp('files', 'warning', 40, 24), fillingUp('files', 'critical', 20, 4),
      almostOut('files', 'warning', 5), almostOut('files', 'critical', 3),
      fd('warning', 70), fd('critical', 90),
    ],
  };
}
