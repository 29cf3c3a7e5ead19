import { vectorSelectors } from '../../../lib/addons';
import { monitoring } from './fixture';

describe('the default rules', () => {
  const addon = monitoring({ nodeLocalDnsAddress: '169.254.20.10' });
  const produced = addon.prometheus.config.scrape_configs.map((j) => ({
    job: j.relabel_configs?.find((r) => r.target_label === 'job')?.replacement ?? j.job_name,
    path: j.metrics_path ?? '/metrics',
  }));
  const rules = addon.ruleGroups.flatMap((g) => g.toJSON().rules);
  const recorded = new Set(rules.flatMap((r) => (r.record === undefined ? [] : [r.record])));

  test('select only job and metrics_path labels the scrape config gives its series', () => {
    const problems = rules.flatMap((r) => vectorSelectors(r.expr).flatMap((sel) => {
      const job = sel.matchers.find((m) => m.label === 'job');
      const path = sel.matchers.find((m) => m.label === 'metrics_path')?.value;
      const jobs = job === undefined ? [] : job.op === '=~' ? job.value.split('|') : [job.value];
      return jobs.filter((j) => !produced.some((p) => p.job === j && (path === undefined || p.path === path)))
        .map((j) => `${r.alert ?? r.record}: ${sel.metric ?? '?'} selects job ${j} ${path ?? ''}`);
    }));
    expect(problems).toEqual([]);
  });

  test('read every recording they name from a rule that records it', () => {
    const named = rules.flatMap((r) => vectorSelectors(r.expr).map((s) => s.metric ?? '')).filter((m) => m.includes(':'));
    expect(named.filter((m) => !recorded.has(m))).toEqual([]);
    expect(named.length).toBeGreaterThan(5);
  });
});
