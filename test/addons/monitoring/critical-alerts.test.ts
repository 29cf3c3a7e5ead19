import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RenderedRule } from '../../../lib/addons';
import { monitoring } from './fixture';

interface Row { alert: string; for: string; labels: Record<string, string>; status: string; note: string }

/** The table of lib/addons/monitoring/CRITICAL-ALERTS.md, one row per kube-prometheus critical rule. */
function table(): Row[] {
  const text = readFileSync(join(__dirname, '../../../lib/addons/monitoring/CRITICAL-ALERTS.md'), 'utf8');
  return text.split('\n').filter((l) => /^\| [A-Z]/.test(l) && !l.startsWith('| Alert |')).map((line) => {
    const [alert = '', holdFor = '', labels = '', status = '', note = ''] = line.split('|').slice(1, -1).map((c) => c.trim());
    return { alert, for: holdFor, status, note, labels: Object.fromEntries(labels === '' ? [] : labels.split(',').map((kv) => kv.split('=') as [string, string])) };
  });
}

describe("kube-prometheus's critical alerts", () => {
  const rows = table();
  const rules: RenderedRule[] = monitoring().ruleGroups.flatMap((g) => g.toJSON().rules).filter((r) => r.alert !== undefined);
  const critical = (row: Row) => rules.filter((r) => r.alert === row.alert && r.labels?.severity === 'critical'
    && Object.entries(row.labels).every(([k, v]) => r.labels?.[k] === v));

  test('the table lists all 34 critical rules (33 names) of kube-prometheus, each with a status', () => {
    expect(rows).toHaveLength(34);
    expect(new Set(rows.map((r) => r.alert)).size).toBe(33);
    expect(rows.every((r) => ['same', 'n/a'].includes(r.status) && r.note !== '')).toBe(true);
  });

  test('at least 30 have an equivalent here; the rest say why they cannot apply', () => {
    expect(rows.filter((r) => r.status === 'same').length).toBeGreaterThanOrEqual(30);
    expect(rows.filter((r) => r.status === 'n/a').map((r) => r.alert)).toEqual(['KubeStateMetricsShardingMismatch', 'KubeStateMetricsShardsMissing', 'NodeRAIDDegraded']);
  });

  test.each(table().filter((r) => r.status === 'same').map((r) => [`${r.alert} ${JSON.stringify(r.labels)}`, r] as const))(
    '%s is ours: one critical rule of that name, for, labels and public runbook',
    (_name, row) => {
      const found = critical(row);
      expect(found).toHaveLength(1);
      expect(found[0]?.for).toBe(row.for === '' ? undefined : row.for);
      expect(found[0]?.annotations?.runbook_url).toMatch(new RegExp(`^https://runbooks\\.prometheus-operator\\.dev/runbooks/[a-z-]+/${row.alert.toLowerCase()}$`));
    },
  );

  test('no alert takes the name of one that cannot apply', () => {
    for (const row of rows.filter((r) => r.status === 'n/a')) expect(rules.filter((r) => r.alert === row.alert)).toEqual([]);
  });

  test('every other critical alert of ours has a name of its own, not one kube-prometheus uses', () => {
    const theirs = new Set(rows.map((r) => r.alert));
    expect(rules.filter((r) => r.labels?.severity === 'critical' && !theirs.has(r.alert ?? '')).map((r) => r.alert)).toEqual([
      'EtcdInsufficientMembers', 'EtcdNoLeader', 'BlackboxProbeFailed', 'PlatformProbeStale',
    ]);
  });
});
