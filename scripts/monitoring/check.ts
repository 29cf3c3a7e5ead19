// Checks each cluster's monitoring configuration with the real tools: promtool (config with the
// Kubernetes discovery blocks stubbed, rules, rule unit tests), amtool, and the blackbox exporter.
// Usage: tsx scripts/monitoring/check.ts <workdir> [--from-dist]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse, stringify } from 'yaml';
import { clusterManifests } from './render';
import { ruleTests, type AlertCase } from './rule-tests';

interface ConfigMap { kind: string; metadata: { name: string; labels?: Record<string, string> }; data?: Record<string, string> }
interface StatefulSet {
  kind: string;
  metadata: { name: string };
  spec: { template: { spec: {
    containers: { name: string; volumeMounts?: { name: string; mountPath: string; subPath?: string }[] }[];
    volumes?: { name: string; configMap?: { name: string } }[];
  } } };
}
interface RuleFile { groups: { name: string; rules: { alert?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[] }[] }

const SD_ROLES = ['node', 'endpointslice', 'pod', 'service', 'ingress'];
const root = join(__dirname, '..', '..');
const workdir = process.argv[2] ?? join(root, 'build', 'monitoring-check');
const fromDist = process.argv.includes('--from-dist');
let failures = 0;

function run(label: string, cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  // A tool that could not start or was killed says so (an empty FAIL tells nothing).
  const why = r.error !== undefined ? `could not run ${cmd}: ${r.error.message}` : r.signal !== null ? `${cmd} was killed by ${r.signal}` : '';
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}${why}`.trim();
  const ok = r.status === 0;
  if (!ok) failures += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}`);
  if (!ok || process.env.VERBOSE === '1') console.log(out.split('\n').map((l) => `       ${l}`).join('\n'));
}

function fail(message: string): void {
  failures += 1;
  console.log(`FAIL ${message}`);
}

/** The config with every `kubernetes_sd_configs` block replaced by a static stub (Debian's promtool has no Kubernetes discovery). */
function stubDiscovery(config: Record<string, unknown>, cluster: string): Record<string, unknown> {
  const jobs = (config.scrape_configs as Record<string, unknown>[]).map((job) => {
    const sd = job.kubernetes_sd_configs as { role: string; namespaces?: { names: string[] } }[] | undefined;
    if (sd === undefined) return job;
    for (const block of sd) {
      if (!SD_ROLES.includes(block.role)) fail(`${cluster}: job ${String(job.job_name)} discovers role ${block.role}, not one of ${SD_ROLES.join(', ')}`);
      for (const ns of block.namespaces?.names ?? []) if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns)) fail(`${cluster}: job ${String(job.job_name)} names namespace ${ns}`);
    }
    if (!((job.relabel_configs as { action?: string }[] | undefined) ?? []).some((r) => r.action === 'keep') && sd.some((b) => b.role !== 'node')) {
      fail(`${cluster}: job ${String(job.job_name)} discovers ${sd.map((b) => b.role).join(', ')} without a keep rule`);
    }
    const { kubernetes_sd_configs: _sd, ...rest } = job;
    return { ...rest, static_configs: [{ targets: ['kubernetes-sd-stub.invalid:443'] }] };
  });
  return { ...config, scrape_configs: jobs };
}

/**
 * The rule files Prometheus loads, by file name: each `rule_files` entry resolved through the
 * StatefulSet's mounts to a ConfigMap of the manifests (its own rules, and the ones other addons
 * hand it), so a file listed but not mounted, or mounted but missing, fails here.
 */
function loadedRuleFiles(cluster: string, ruleFilesOf: readonly string[], docs: readonly (ConfigMap | StatefulSet)[]): Record<string, string> {
  const sts = docs.find((o): o is StatefulSet => o.kind === 'StatefulSet' && o.metadata.name === 'prometheus');
  const pod = sts?.spec.template.spec;
  const volumes = new Map((pod?.volumes ?? []).flatMap((v) => (v.configMap === undefined ? [] : [[v.name, v.configMap.name] as const])));
  const mounts = (pod?.containers.find((c) => c.name === 'prometheus')?.volumeMounts ?? [])
    .flatMap((m) => (m.subPath === undefined && volumes.has(m.name) ? [{ dir: m.mountPath, configMap: volumes.get(m.name) ?? '' }] : []));
  const out: Record<string, string> = {};
  for (const entry of ruleFilesOf) {
    const mount = mounts.find((m) => entry.startsWith(`${m.dir}/`));
    const map = docs.find((o): o is ConfigMap => o.kind === 'ConfigMap' && o.metadata.name === mount?.configMap);
    if (mount === undefined || map?.data === undefined) {
      fail(`${cluster}: rule_files entry ${entry} is in no ConfigMap the prometheus StatefulSet mounts${mount === undefined ? '' : ` (${mount.configMap} is not in the manifests)`}`);
      continue;
    }
    const rest = entry.slice(mount.dir.length + 1);
    const keys = rest === '*.yaml' ? Object.keys(map.data).filter((k) => k.endsWith('.yaml')) : [rest];
    for (const key of keys) {
      const text = map.data[key];
      if (text === undefined) fail(`${cluster}: rule_files entry ${entry} names key ${key}, which ConfigMap ${map.metadata.name} lacks`);
      else if (out[key] !== undefined) fail(`${cluster}: two rule files are named ${key}`);
      else out[key] = text;
    }
  }
  return out;
}

/** Expands `{{ $labels.x }}` as Prometheus does for labels the alert has ("" for those it lacks). */
function expand(template: string, labels: Record<string, string>): string {
  return template.replace(/\{\{\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_m, name: string) => labels[name] ?? '');
}

type Rule = RuleFile['groups'][number]['rules'][number];

/** The rule of `alert` an expected alert comes from: the only one, or the tier whose labels (severity, ...) it names. */
function ruleOf(rules: readonly Rule[], labels: Readonly<Record<string, string>>): Rule | undefined {
  if (rules.length === 1) return rules[0];
  const tiers = rules.filter((r) => Object.entries(r.labels ?? {}).every(([k, v]) => labels[k] === undefined || labels[k] === v) && labels.severity !== undefined);
  return tiers.length === 1 ? tiers[0] : undefined;
}

function testCase(alert: string, rules: readonly Rule[], c: AlertCase): Record<string, unknown> {
  return {
    interval: '61s',
    input_series: c.series.map((s) => ({ series: s.series, values: `_ ${s.values}` })),
    alert_rule_test: [{
      eval_time: c.at ?? '25m',
      alertname: alert,
      exp_alerts: c.alerts.map((labels) => {
        const rule = ruleOf(rules, labels);
        if (rule === undefined) {
          fail(`alert ${alert} has ${rules.length} tiers: its expected alerts must name the tier's severity (and labels)`);
          return {};
        }
        const all = { ...labels, ...rule.labels };
        return { exp_labels: all, exp_annotations: Object.fromEntries(Object.entries(rule.annotations ?? {}).map(([k, v]) => [k, expand(v, { ...all, alertname: alert })])) };
      }),
    }],
  };
}

for (const { cluster, source, yaml } of clusterManifests(root, fromDist)) {
  console.log(`== ${cluster} (${source})`);
  const dir = join(workdir, cluster);
  for (const sub of ['rules', 'tests']) mkdirSync(join(dir, sub), { recursive: true });
  const docs = parseAllDocuments(yaml).map((d) => d.toJS() as ConfigMap & StatefulSet & { metadata: { namespace?: string } }).filter((d) => d !== null);
  const maps = docs.filter((o) => o.kind === 'ConfigMap');
  const probe = docs.find((o) => o.kind === 'CronJob' && o.metadata.labels?.['app.kubernetes.io/component'] === 'probe');
  const byKey = (key: string) => maps.find((m) => m.data?.[key] !== undefined)?.data?.[key];
  const promYml = byKey('prometheus.yml');
  const amYml = byKey('alertmanager.yml');
  const bbYml = byKey('blackbox.yml');
  if (promYml === undefined || amYml === undefined || bbYml === undefined) {
    fail(`${cluster}: the manifests lack the Prometheus, Alertmanager or blackbox ConfigMap`);
    continue;
  }
  const rules = loadedRuleFiles(cluster, (parse(promYml) as { rule_files?: string[] }).rule_files ?? [], docs);
  writeFileSync(join(dir, 'prometheus.yml'), promYml);
  writeFileSync(join(dir, 'prometheus.stubbed.yml'), stringify(stubDiscovery(parse(promYml) as Record<string, unknown>, cluster), { lineWidth: 0 }));
  writeFileSync(join(dir, 'alertmanager.yml'), amYml);
  writeFileSync(join(dir, 'blackbox.yml'), bbYml);
  run(`${cluster}: promtool check config --syntax-only (discovery stubbed)`, 'promtool', ['check', 'config', '--syntax-only', join(dir, 'prometheus.stubbed.yml')]);

  const ruleFiles = Object.keys(rules).sort();
  for (const file of ruleFiles) writeFileSync(join(dir, 'rules', file), rules[file] ?? '');
  run(`${cluster}: promtool check rules (${ruleFiles.length} files)`, 'promtool', ['check', 'rules', ...ruleFiles.map((f) => join(dir, 'rules', f))]);

  const amReplicas = (parse(promYml) as { alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] } }).alerting.alertmanagers[0]?.static_configs[0]?.targets.length ?? 0;
  const cases = ruleTests({ namespace: probe?.metadata.namespace ?? '', probeCronJob: probe?.metadata.name ?? '', alertmanagerReplicas: amReplicas });
  const testFiles: string[] = [];
  // Alerts may read recordings of other groups: each test loads its own file and every file that records.
  const recordFiles = ruleFiles.filter((f) => (parse(rules[f] ?? '') as RuleFile).groups.some((g) => g.rules.some((r) => 'record' in r)));
  let alerts = 0;
  for (const file of ruleFiles) {
    const parsed = parse(rules[file] ?? '') as RuleFile;
    const tests: Record<string, unknown>[] = [];
    const byName = new Map<string, Rule[]>();
    for (const rule of parsed.groups.flatMap((g) => g.rules)) {
      if (rule.alert === undefined) continue;
      alerts += 1;
      byName.set(rule.alert, [...(byName.get(rule.alert) ?? []), rule]);
    }
    for (const [name, rules] of byName) {
      const c = cases[name];
      if (c === undefined) {
        fail(`${cluster}: alert ${name} (${file}) has no promtool unit test: add its firing and quiet cases to scripts/monitoring/rule-tests.ts`);
        continue;
      }
      for (const fires of (Array.isArray(c.fires) ? c.fires : [c.fires]) as AlertCase[]) tests.push(testCase(name, rules, fires));
      if (c.quiet !== 'never') tests.push(testCase(name, rules, c.quiet));
      // Every tier of a name must be shown firing.
      const shown = (Array.isArray(c.fires) ? c.fires : [c.fires] as AlertCase[]).flatMap((f: AlertCase) => f.alerts.map((l) => ruleOf(rules, l)));
      const unshown = (c.unshown ?? []).map((u) => ruleOf(rules, u.tier));
      for (const r of rules) if (!shown.includes(r) && !unshown.includes(r)) fail(`${cluster}: alert ${name} (${r.labels?.severity ?? ''} tier) has no firing case in scripts/monitoring/rule-tests.ts`);
    }
    if (tests.length === 0) continue;
    const testFile = join(dir, 'tests', file.replace(/\.yaml$/, '.test.yaml'));
    writeFileSync(testFile, stringify({ rule_files: [file, ...recordFiles.filter((f) => f !== file)].map((f) => `../rules/${f}`), evaluation_interval: '1m', tests }, { lineWidth: 0 }));
    testFiles.push(testFile);
  }
  run(`${cluster}: promtool test rules (${alerts} alerts, ${testFiles.length} files)`, 'promtool', ['test', 'rules', ...testFiles]);
  run(`${cluster}: amtool check-config`, 'amtool', ['check-config', join(dir, 'alertmanager.yml')]);
  run(`${cluster}: prometheus-blackbox-exporter --config.check`, 'prometheus-blackbox-exporter', ['--config.check', `--config.file=${join(dir, 'blackbox.yml')}`]);
}

console.log(failures === 0 ? 'monitoring checks: ok' : `monitoring checks: ${failures} failed`);
process.exitCode = failures === 0 ? 0 : 1;
