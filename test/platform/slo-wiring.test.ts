import { App, Chart } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import {
  Duration, Environment, Probe, Sli, Slo, WebService, buildCluster, parseGateDescriptor, readSloDefinitions, renderApp,
  type ClusterDefinition, type ServiceGroup, type SloProps,
} from '../../lib';
import { mergeFacts, publishedFiles } from '../../lib/platform/cluster-app';
import { monitoringFor } from '../../clusters/monitoring';
import { baseProps, errorOf } from '../cluster/helpers';

const image = 'registry.example.com/shop/api:1.4.2';
const { region: _region, ...kubernetes } = baseProps();
const teams: ClusterDefinition['teams'] = [{ name: 'shop', owners: ['shop-owners'] }];
const availability: SloProps = { objective: 99.9, sli: Sli.httpErrors(), team: 'shop', runbook: 'https://runbooks.example.com/shop/api' };

/** GIVEN helper: a service group whose API declares metrics and carries the given SLO. */
const shop = (slo: SloProps = availability): ServiceGroup => ({
  name: 'api', namespace: 'shop',
  define: (scope) => {
    const api = new WebService(scope, 'api', { image, readiness: Probe.tcp(), ports: [{ name: 'http', port: 8080 }], metrics: { port: 'http' } });
    new Slo(api, 'availability', slo);
  },
});

/** GIVEN helper: a cluster with monitoring (Prometheus keeping `retention`) and the SLO addon. */
function cluster(retention: string, slo: ClusterDefinition['slo'], services: ServiceGroup[] = [shop()]): ClusterDefinition {
  return {
    name: 'test', environment: 'prod', region: 'eu-west-1',
    kubernetes: { ...kubernetes, oidc: { issuerUrl: 'https://dex.example.com', clientId: 'kubernetes' } },
    teams,
    monitoring: monitoringFor('test', teams, { prometheus: { retention } }),
    ...(slo === undefined ? {} : { slo }),
    services,
  };
}

type Obj = { kind: string; metadata: { name: string }; data?: Record<string, string>; spec?: any };
function objectsOf(built: ReturnType<typeof buildCluster>, file: string): Obj[] {
  const result = renderApp(built.app);
  expect(result.problems).toEqual([]);
  return parseAllDocuments(result.files.find((f) => f.path === `test/manifests/${file}`)?.content ?? '').map((d) => d.toJSON() as Obj);
}

describe('the composition root wires the SLO addon to monitoring', () => {
  test("the SLOs declared on the cluster's services become one rule file, which Prometheus mounts and lists in rule_files", () => {
    // WHEN a cluster whose API carries an SLO is built
    const built = buildCluster(cluster('30d', {}), ['prod']);
    // THEN the SLO addon's chart holds the rule ConfigMap, with the service's SLO in it
    const [rules, ...more] = objectsOf(built, 'addon-slo.k8s.yaml');
    expect(more).toEqual([]);
    expect(rules?.metadata.name).toMatch(/^slo-rules-[0-9a-f]{10}$/);
    const groups = (parse(rules?.data?.['slos.yaml'] ?? '') as { groups: { name: string }[] }).groups.map((g) => g.name);
    expect(groups).toEqual(['sloth-slo-sli-recordings-api-availability', 'sloth-slo-meta-recordings-api-availability', 'sloth-slo-alerts-api-availability']);
    // AND Prometheus mounts that ConfigMap and lists its file
    const monitoring = objectsOf(built, 'addon-monitoring.k8s.yaml');
    const sts = monitoring.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'prometheus');
    const name = rules?.metadata.name ?? '';
    expect(sts?.spec.template.spec.volumes).toContainEqual({ name, configMap: { name } });
    expect(sts?.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name, mountPath: `/etc/prometheus/rule-files/${name}`, readOnly: true });
    const config = parse(monitoring.find((o) => o.kind === 'ConfigMap' && o.data?.['prometheus.yml'] !== undefined)?.data?.['prometheus.yml'] ?? '') as { rule_files: string[] };
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/*.yaml', `/etc/prometheus/rule-files/${name}/slos.yaml`]);
    // AND without a gate endpoint nothing is published
    expect(built.published).toEqual([]);
  });

  test('with a gate endpoint the cluster publishes its release-gate descriptor: the SLOs of its services, then those of service repos', () => {
    // GIVEN an SLO a service repo published
    const repo = new App();
    const env = new Environment(repo, 'prod', { name: 'prod', environments: ['prod'] });
    const checkout = new WebService(new Chart(env, 'checkout', { namespace: 'shop' }), 'checkout', { image, ports: [{ name: 'http', port: 8080 }], metrics: { port: 'http' } });
    new Slo(checkout, 'availability', availability);
    const published = readSloDefinitions('slos/checkout.json', JSON.stringify(Slo.definitionsIn(repo)));
    // WHEN the cluster is built with both
    const built = buildCluster(cluster('30d', { slos: published, gate: { url: 'https://grafana.test.example.com/api/datasources/proxy/uid/prometheus', auth: { kind: 'bearer', tokenEnv: 'GATE_TOKEN' } } }), ['prod']);
    // THEN
    expect(built.published.map((f) => f.path)).toEqual(['test/release-gate.json']);
    const descriptor = parseGateDescriptor('release-gate.json', built.published[0]?.content ?? '');
    expect(descriptor.cluster).toBe('test');
    expect(descriptor.prometheus.auth).toEqual({ kind: 'bearer', tokenEnv: 'GATE_TOKEN' });
    expect(descriptor.slos.map((s) => [s.id, s.period])).toEqual([['api-availability', '30d'], ['checkout-availability', '30d']]);
    expect(objectsOf(built, 'addon-slo.k8s.yaml')[0]?.data?.['slos.yaml']).toContain('sloth-slo-alerts-checkout-availability');
  });

  test("a period longer than the cluster's Prometheus keeps samples is refused, naming the SLO and the fix", () => {
    expect(errorOf(() => buildCluster(cluster('7d', {}), ['prod']))).toBe(
      "test/api/api/availability: period is longer than the 7d Prometheus keeps samples, so the period's ratio would read a shorter history (got \"30d\"); raise the monitoring addon's sizing.prometheus.retention to at least 30d, or set addons.slo.evaluatedBy: 'long-term-store'");
  });

  test("an environment's override brings the period within the retention", () => {
    const built = buildCluster(cluster('7d', {}, [shop({ ...availability, overrides: { prod: { period: '7d' } } })]), ['prod']);
    expect(Slo.definitionsIn(built.app).map((d) => d.period)).toEqual(['7d']);
    expect(objectsOf(built, 'addon-slo.k8s.yaml')).toHaveLength(1);
  });

  test('rules evaluated by the long-term store are written, and Prometheus neither mounts them nor checks its retention', () => {
    const built = buildCluster(cluster('7d', { evaluatedBy: 'long-term-store' }), ['prod']);
    expect(objectsOf(built, 'addon-slo.k8s.yaml').map((o) => o.kind)).toEqual(['ConfigMap']);
    expect(JSON.stringify(objectsOf(built, 'addon-monitoring.k8s.yaml'))).not.toContain('slo-rules-');
  });

  test('an environment an SLO override names that the definition lacks is refused', () => {
    expect(errorOf(() => buildCluster(cluster('30d', {}, [shop({ ...availability, overrides: { staging: { period: '7d' } } })]), ['prod']))).toBe(
      'test/api/api/availability: overrides names an environment the definition does not have [prod] (got "staging"); fix the environment name or add the environment to the definition');
  });

  test("a retention the monitoring addon cannot read is refused before any SLO is checked against it", () => {
    expect(errorOf(() => buildCluster(cluster('a month', {}), ['prod']))).toBe(
      "cluster test: monitoring.sizing.prometheus.retention: Duration: value is not a duration (got \"a month\"); write whole numbers with units ms, s, m, h, d or w, largest first (e.g. '30s', '1h30m')");
  });
});

describe('facts and published files of several addons', () => {
  const env = new Environment(new App(), 'test', { name: 'test', environments: ['test'] });

  test('rule files for Prometheus add up; any other fact comes from one addon', () => {
    const merged = mergeFacts(env, [
      { key: 'monitoring', facts: { prometheus: { namespace: 'monitoring', retention: Duration.parse('30d') } } },
      { key: 'slo', facts: { prometheusRuleFiles: [{ configMap: 'slo-rules-1', files: ['slos.yaml'] }] } },
      { key: 'other', facts: { prometheusRuleFiles: [{ configMap: 'other-rules-2', files: ['other.yaml'] }] } },
    ]);
    expect(merged.prometheusRuleFiles?.map((r) => r.configMap)).toEqual(['slo-rules-1', 'other-rules-2']);
    expect(merged.prometheus?.namespace).toBe('monitoring');
  });

  test('a fact two addons provide is refused', () => {
    const gateway = { name: 'platform', namespace: 'edge', dnsZone: 'example.com' };
    expect(errorOf(() => mergeFacts(env, [{ key: 'edge', facts: { gateway } }, { key: 'mesh', facts: { gateway } }]))).toBe(
      'test: gateway is a fact more than one addon provides (got "edge, mesh"); let one addon of the cluster provide it');
  });

  test('a published file that is not a plain file name, or that two addons publish, is refused, all at once', () => {
    expect(errorOf(() => publishedFiles(env, 'test', [
      { key: 'slo', files: [{ name: 'release-gate.json', content: '{}' }, { name: '../escape.json', content: '{}' }] },
      { key: 'other', files: [{ name: 'release-gate.json', content: '{}' }] },
    ]))).toBe([
      '2 problems:',
      "  - test: addon slo publishes is not a plain file name (got \"../escape.json\"); name the file in lowercase with an extension, no folder ('release-gate.json')",
      '  - test: addon other publishes is also published by addon slo (got "release-gate.json"); give each published file its own name',
    ].join('\n'));
  });
});
