import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { loggingAlerts } from '../../../lib/addons/logging';
import { RuleGroup, type RuleGroupProps } from '../../../lib/addons/monitoring/rule-group';

// The group is handed to the monitoring addon's ruleGroups: it must be one of its RuleGroupProps
// (checked by the compiler here) and pass its checks, then promtool's (Debian `prometheus`).
const group: RuleGroupProps = loggingAlerts();

function promtool(args: string[], files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'logging-rules-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return execFileSync('promtool', args, { cwd: dir, encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the logging alerts', () => {
  const rules = stringify({ groups: [new RuleGroup(new Chart(new App({ outdir: 'dist' }), 'c'), 'logging', group).toJSON()] });

  test('pass the monitoring addon\'s rule checks and promtool check rules', () => {
    expect(promtool(['check', 'rules', 'rules.yaml'], { 'rules.yaml': rules })).toContain('SUCCESS: 3 rules found');
  });

  test('fire on dropped records at once, on retries after 15 minutes, and on a half-full buffer (promtool test rules)', () => {
    const series = (metric: string, values: string) => ({
      series: `${metric}{namespace="logging-agent",pod="fluent-bit-abc",name="es-containers"}`, values,
    });
    const labels = { namespace: 'logging-agent', pod: 'fluent-bit-abc', name: 'es-containers', team: 'platform' };
    // What the notification says, with the labels filled in.
    const firing = (alertname: string, severity: string) => {
      const a = loggingAlerts().alerts.find((x) => x.alert === alertname);
      if (a === undefined) throw new Error(alertname);
      const summary = a.summary.replace('{{ $labels.pod }}', labels.pod).replace('{{ $labels.name }}', labels.name);
      return [{ exp_labels: { ...labels, severity }, exp_annotations: { summary, description: a.description, runbook_url: a.runbook } }];
    };
    const tests = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [
          series('fluentbit_output_dropped_records_total', '0 0 0 0 0 50 100 100 100 100 100'),
          series('fluentbit_output_retried_records_total', '0+10x30'),
          series('fluentbit_output_chunk_available_capacity_percent', '100 90 70 40 40 40 40 40 40 40 40'),
        ],
        alert_rule_test: [
          { eval_time: '4m', alertname: 'LogRecordsDropped', exp_alerts: [] },
          { eval_time: '6m', alertname: 'LogRecordsDropped', exp_alerts: firing('LogRecordsDropped', 'critical') },
          { eval_time: '10m', alertname: 'LogRecordsRetrying', exp_alerts: [] },
          { eval_time: '25m', alertname: 'LogRecordsRetrying', exp_alerts: firing('LogRecordsRetrying', 'warning') },
          { eval_time: '5m', alertname: 'LogBufferFilling', exp_alerts: [] },
          { eval_time: '9m', alertname: 'LogBufferFilling', exp_alerts: firing('LogBufferFilling', 'warning') },
        ],
      }],
    };
    const out = promtool(['test', 'rules', 'tests.yaml'], { 'rules.yaml': rules, 'tests.yaml': stringify(tests) });
    expect(out).toContain('SUCCESS');
  });
});
