import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import { checkPolicy } from '../../../lib/policy/check';
import { loggingAddon, MAX_MAP_COUNT_SYSCTL } from '../../../lib/addons/logging';
import { ECK_OPERATOR_CLUSTER_RULES, ECK_OPERATOR_NAMESPACED_RULES } from '../../../lib/addons/logging/eck-operator-rbac';
import { validateKubernetesObject } from '../../support/k8s-schema';
import { testAddonContext } from '../../support/cluster-facts';
import { customResourceErrors, isCustomKind } from './eck-schema';
import { fluentBitConfigErrors } from './fluent-bit-rules';
import { EDGE_AND_IDENTITY, loggingChart, objects, one } from './fixture';

const SCHEMAS = join(__dirname, '../../../schemas');
const CHART = join(SCHEMAS, 'eck/reference/eck-operator-chart/templates/_helpers.tpl');

/** A named `define` block of the operator chart's helpers, parsed as the YAML list it holds. */
function chartRules(define: string): unknown[] {
  const text = readFileSync(CHART, 'utf8');
  const start = text.indexOf(`{{- define "${define}" -}}`);
  const end = text.indexOf('{{- end -}}', start);
  return parse(text.slice(start + define.length + 17, end)) as unknown[];
}

describe('the logging addon', () => {
  // One build shared by the read-only assertions below keeps the suite fast.
  const chart = loggingChart();
  const all = chart.toJson();
  const byName = objects(chart);
  const agentConfig = one(chart, 'ConfigMap', 'fluent-bit-').data['fluent-bit.yaml'];
  const eventsConfig = one(chart, 'ConfigMap', 'event-shipper-').data['fluent-bit.yaml'];

  test('passes the policy check with exactly the node agent\'s two exemptions', () => {
    const report = checkPolicy(chart);
    expect(report.violations.map((v) => v.message)).toEqual([]);
    expect(report.exemptions.map((e) => `${e.rule}: ${e.objects.join(', ')}`)).toEqual([
      'host-path: DaemonSet logging-agent/fluent-bit',
      'run-as-non-root: DaemonSet logging-agent/fluent-bit',
    ]);
  });

  test('every core object is valid against the Kubernetes schema and every ECK, route and policy object against its CRD, unknown fields as errors', () => {
    const custom = all.filter((o: any) => isCustomKind(o.kind));
    expect(custom.map((o: any) => o.kind).sort()).toEqual(['Elasticsearch', 'HTTPRoute', 'Kibana', 'SecurityPolicy']);
    for (const o of custom) expect(customResourceErrors(o)).toEqual([]);
    // The route's ListenerSet and Certificate are the edge's kinds, validated with the edge (test/addons/edge).
    for (const o of all.filter((x: any) => !isCustomKind(x.kind) && !/^(gateway\.networking\.k8s\.io|cert-manager\.io)\//.test(x.apiVersion))) expect(() => validateKubernetesObject(o)).not.toThrow();
  });

  test('the CRD validation refuses an unknown field, and a podTemplate that is not a PodTemplateSpec', () => {
    const es = structuredClone(byName['Elasticsearch/logging/logging']);
    es.spec.nodeSets[0].replicas = 3;
    // kubernetes-models checks types and required fields, not unknown ones: the podTemplate check catches a wrong type.
    es.spec.nodeSets[0].podTemplate.spec.securityContext.runAsUser = 'root';
    const errors = customResourceErrors(es);
    expect(errors.some((e) => e.includes('/spec/nodeSets/0 must NOT have additional properties') && e.includes('replicas'))).toBe(true);
    expect(errors.some((e) => e.includes('nodeSet default podTemplate') && e.includes('runAsUser'))).toBe(true);
  });

  test('writes no Secret: the writer user, the OIDC client and ECK\'s own credentials are referenced by name', () => {
    expect(all.filter((o: any) => o.kind === 'Secret')).toEqual([]);
    const agent = byName['DaemonSet/logging-agent/fluent-bit'].spec.template.spec.containers[0];
    expect(agent.env).toEqual([{ name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'logging-writer', key: 'password' } } }]);
    expect(parse(agentConfig).pipeline.outputs[0].http_passwd).toBe('${ES_PASSWORD}');
    expect(loggingAddon.secrets?.({}, { name: 'test' })).toEqual([
      expect.objectContaining({ name: 'logging-writer', namespace: 'logging', keys: ['username', 'password', 'roles'], configKey: 'loggingWriter' }),
      expect.objectContaining({ name: 'logging-writer', namespace: 'logging-agent', keys: ['username', 'password', 'roles'], configKey: 'loggingWriter' }),
      expect.objectContaining({ name: 'kibana-oidc', namespace: 'logging', keys: ['client-secret'] }),
    ]);
    expect(loggingAddon.secrets?.({ kibana: false }, { name: 'test' }).map((s) => s.name)).toEqual(['logging-writer', 'logging-writer']);
  });

  describe('the ECK operator', () => {
    test('has upstream\'s namespaced rules, granted in the logging namespace only', () => {
      expect(JSON.parse(JSON.stringify(ECK_OPERATOR_NAMESPACED_RULES))).toEqual(chartRules('eck-operator.rbacRules'));
      const role = byName['Role/logging/elastic-operator'];
      expect(role.rules).toEqual(JSON.parse(JSON.stringify(ECK_OPERATOR_NAMESPACED_RULES)));
      expect(byName['RoleBinding/logging/elastic-operator'].subjects).toEqual([{ kind: 'ServiceAccount', name: 'elastic-operator', namespace: 'logging' }]);
    });

    test('is granted cluster-wide only reads that upstream grants, and nothing for the webhook it does not run', () => {
      const upstream = [...chartRules('eck-operator.clusterWideRbacRules'), ...chartRules('eck-operator.readNodeLabelsRbacRule')] as any[];
      const cluster = byName['ClusterRole//logging:elastic-operator'].rules;
      expect(cluster).toEqual(JSON.parse(JSON.stringify(ECK_OPERATOR_CLUSTER_RULES)));
      for (const rule of cluster) {
        expect(rule.verbs).toEqual(['get', 'list', 'watch']);
        expect(upstream.some((u) => JSON.stringify(u.resources) === JSON.stringify(rule.resources) && rule.verbs.every((v: string) => u.verbs.includes(v)))).toBe(true);
      }
      expect(JSON.stringify(cluster)).not.toContain('validatingwebhookconfigurations');
      const kinds = all.map((o: any) => o.kind);
      expect(kinds).not.toContain('ValidatingWebhookConfiguration');
    });

    test('is configured for one namespace, without webhook or telemetry, exposing the zone labels zone awareness reads', () => {
      const config = parse(one(chart, 'ConfigMap', 'elastic-operator-').data['eck.yaml']);
      expect(config).toMatchObject({ 'enable-webhook': false, namespaces: ['logging'], 'operator-namespace': 'logging', 'disable-telemetry': true, 'exposed-node-labels': ['topology.kubernetes.io/.*'] });
      const sts = byName['StatefulSet/logging/elastic-operator'];
      expect(sts.spec.template.spec.containers[0].image).toBe('docker.elastic.co/eck/eck-operator:3.5.0');
      expect(sts.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      expect(byName['PodDisruptionBudget/logging/elastic-operator'].spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'elastic-operator' });
    });
  });

  describe('Elasticsearch', () => {
    const es = byName['Elasticsearch/logging/logging'];
    test('runs three master-eligible data nodes by default, zone-aware across the cluster\'s zones', () => {
      expect(es.spec.nodeSets).toHaveLength(1);
      expect(es.spec.nodeSets[0]).toMatchObject({ name: 'default', count: 3, config: { 'node.roles': ['master', 'data', 'ingest'] }, zoneAwareness: {} });
    });

    test('sets the memory request equal to the limit, and claims its volume on the encrypted gp3 class', () => {
      expect(es.spec.nodeSets[0].resources.requests.memory).toBe('4Gi');
      expect(es.spec.nodeSets[0].resources.limits.memory).toBe('4Gi');
      expect(es.spec.nodeSets[0].volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'logging-gp3', resources: { requests: { storage: '50Gi' } } });
      expect(byName['StorageClass//logging-gp3']).toMatchObject({ provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3', encrypted: 'true' }, volumeBindingMode: 'WaitForFirstConsumer' });
    });

    test('with mmap by sysctl contributes vm.max_map_count and keeps mmap on; with mmap disabled it turns mmap off and contributes nothing', () => {
      expect(loggingAddon.contributes?.({}, { name: 'test' })).toEqual({ sysctls: [MAX_MAP_COUNT_SYSCTL] });
      expect(es.spec.nodeSets[0].config['node.store.allow_mmap']).toBeUndefined();
      expect(loggingAddon.contributes?.({ mmap: 'disabled' }, { name: 'test' })).toEqual({});
      const off = objects(loggingChart({ mmap: 'disabled' }))['Elasticsearch/logging/logging'];
      expect(off.spec.nodeSets[0].config['node.store.allow_mmap']).toBe(false);
      // No privileged init container sets the sysctl instead.
      expect(JSON.stringify(all)).not.toMatch(/sysctl -w|"privileged":true/);
    });

    test('takes dedicated masters and an explicit heap, written as ES_JAVA_OPTS', () => {
      const es2 = objects(loggingChart({
        nodeSets: [{ name: 'masters', count: 3, roles: ['master'], memory: '2Gi' }, { name: 'data', count: 4, roles: ['data', 'ingest'], memory: '16Gi', heap: '8Gi', zones: ['eu-west-1a', 'eu-west-1b'] }],
      }))['Elasticsearch/logging/logging'];
      expect(es2.spec.nodeSets.map((s: any) => [s.name, s.count, s.config['node.roles']])).toEqual([['masters', 3, ['master']], ['data', 4, ['data', 'ingest']]]);
      expect(es2.spec.nodeSets[1].podTemplate.spec.containers[0].env).toEqual([{ name: 'ES_JAVA_OPTS', value: '-Xms8192m -Xmx8192m' }]);
      expect(es2.spec.nodeSets[1].zoneAwareness).toEqual({ zones: ['eu-west-1a', 'eu-west-1b'] });
      expect(customResourceErrors(es2)).toEqual([]);
    });

    test('authenticates the shippers\' writer through ECK\'s file realm', () => {
      expect(es.spec.auth).toEqual({ fileRealm: [{ secretName: 'logging-writer' }] });
    });
  });

  describe('Kibana', () => {
    test('reads the Elasticsearch and is served at the edge, with the parentRef from the gateway fact, in plain HTTP inside the cluster', () => {
      const kb = byName['Kibana/logging/logging'];
      expect(kb.spec).toMatchObject({ elasticsearchRef: { name: 'logging' }, http: { tls: { selfSignedCertificate: { disabled: true } } }, config: { 'server.publicBaseUrl': 'https://kibana.test.example.com' } });
      const route = byName['HTTPRoute/logging/kibana'];
      expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: 'kibana-test-example-com', sectionName: 'https' }]);
      expect(byName['ListenerSet/logging/kibana-test-example-com'].spec.parentRef).toEqual(expect.objectContaining({ kind: 'Gateway', name: 'edge', namespace: 'edge' }));
      expect(route.spec.hostnames).toEqual(['kibana.test.example.com']);
      expect(route.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'logging-kb-http', port: 5601 }]);
    });

    test('is behind OIDC sign-in at the edge, through the identity addon\'s issuer', () => {
      const policy = byName['SecurityPolicy/logging/kibana-sign-in'];
      expect(policy.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'kibana' }]);
      expect(policy.spec.oidc).toMatchObject({ provider: { issuer: 'https://dex.test.example.com' }, clientID: 'kibana', clientSecret: { name: 'kibana-oidc' }, redirectURL: 'https://kibana.test.example.com/oauth2/callback' });
    });

    test('takes requests only from the Gateway\'s namespace', () => {
      const np = byName['NetworkPolicy/logging/kibana-from-gateway'];
      expect(np.spec.podSelector.matchLabels).toEqual({ 'kibana.k8s.elastic.co/name': 'logging' });
      expect(np.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } } }], ports: [{ protocol: 'TCP', port: 5601 }] }]);
    });

    test('is left out with kibana: false, and so are its route and policy', () => {
      const kinds = loggingChart({ kibana: false }, testAddonContext()).toJson().map((o: any) => o.kind);
      expect(kinds).not.toContain('Kibana');
      expect(kinds).not.toContain('HTTPRoute');
      expect(kinds).not.toContain('SecurityPolicy');
    });
  });

  describe('Fluent Bit', () => {
    test('the node agent\'s and the event shipper\'s configurations break none of Fluent Bit 5.1.1\'s reading rules', () => {
      expect(fluentBitConfigErrors(agentConfig)).toEqual([]);
      expect(fluentBitConfigErrors(eventsConfig)).toEqual([]);
    });

    test('the node agent tails container logs through the CRI parser and the Kubernetes filter, and the audit log, each to its own index', () => {
      const config = parse(agentConfig);
      expect(config.pipeline.inputs.map((i: any) => [i.name, i.tag, i.path])).toEqual([
        ['tail', 'kube.*', '/var/log/containers/*.log'],
        ['tail', 'audit', '/var/log/kube-apiserver-audit.log'],
      ]);
      expect(config.pipeline.inputs[0]['multiline.parser']).toBe('cri');
      expect(config.pipeline.filters.map((f: any) => [f.name, f.match])).toEqual([['kubernetes', 'kube.*']]);
      expect(config.pipeline.outputs.map((o: any) => [o.name, o.match, o.logstash_prefix])).toEqual([['es', 'kube.*', 'logs'], ['es', 'audit', 'audit']]);
      expect(config.parsers).toEqual([expect.objectContaining({ name: 'k8s-audit', format: 'json' })]);
    });

    test('buffers on the host\'s disk with positions kept there, retries without limit, and caps each output at rate × outage', () => {
      const config = parse(agentConfig);
      expect(config.service['storage.path']).toBe('/var/fluent-bit/state/buffer');
      for (const input of config.pipeline.inputs) {
        expect(input['storage.type']).toBe('filesystem');
        expect(input.db).toMatch(/^\/var\/fluent-bit\/state\/.+\.db$/);
      }
      for (const output of config.pipeline.outputs) {
        expect(output.retry_limit).toBe('no_limits');
        expect(output.tls).toBe('on');
        expect(output['tls.verify']).toBe('on');
        expect(output['tls.verify_hostname']).toBe('on');
        expect(output['tls.ca_file']).toBe('/etc/elasticsearch-ca/ca.crt');
      }
      // 200 kB/s × 900 s = 180 MB; 50 kB/s × 900 s = 45 MB.
      expect(config.pipeline.outputs.map((o: any) => o['storage.total_limit_size'])).toEqual(['180M', '45M']);
      const ds = byName['DaemonSet/logging-agent/fluent-bit'].spec.template.spec;
      expect(ds.volumes).toEqual(expect.arrayContaining([{ name: 'state', hostPath: { path: '/var/fluent-bit/state', type: 'DirectoryOrCreate' } }]));
    });

    test('runs on every node: it tolerates each node group\'s taints and the control plane\'s', () => {
      const ds = byName['DaemonSet/logging-agent/fluent-bit'].spec.template.spec;
      expect(ds.tolerations).toEqual([
        { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'platform.example.com/front', operator: 'Exists', effect: 'NoSchedule' },
      ]);
    });

    test('reads ECK\'s CA from a copy in its own namespace, kept by the setup, which may write that one Secret only', () => {
      const ds = byName['DaemonSet/logging-agent/fluent-bit'].spec.template.spec;
      expect(ds.volumes).toEqual(expect.arrayContaining([{ name: 'elasticsearch-ca', secret: { secretName: 'elasticsearch-ca' } }]));
      expect(byName['Role/logging-agent/logging-setup'].rules).toEqual([
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['elasticsearch-ca'], verbs: ['get', 'patch'] },
      ]);
    });

    test('ships Kubernetes events from one pod with its position on a volume of its own', () => {
      const config = parse(eventsConfig);
      expect(config.pipeline.inputs).toEqual([expect.objectContaining({ name: 'kubernetes_events', db: '/var/fluent-bit/state/events.db', 'storage.type': 'filesystem' })]);
      expect(config.pipeline.outputs[0]).toMatchObject({ logstash_prefix: 'events', retry_limit: 'no_limits', 'storage.total_limit_size': '18M' });
      const sts = byName['StatefulSet/logging/event-shipper'];
      expect(sts.spec.replicas).toBe(1);
      expect(sts.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('logging-gp3');
      expect(byName['ClusterRole//logging:event-shipper'].rules).toEqual([{ apiGroups: [''], resources: ['events'], verbs: ['get', 'list', 'watch'] }]);
    });

    test('is scraped through the scrape declaration on its metrics path', () => {
      const svc = byName['Service/logging-agent/fluent-bit'];
      expect(svc.metadata.labels['platform.example.com/scrape']).toBe('true');
      expect(svc.metadata.annotations['prometheus.io/path']).toBe('/api/v2/metrics/prometheus');
    });
  });

  describe('the network policies', () => {
    test('deny everything in both namespaces, then let only the agents reach Elasticsearch\'s HTTP port from outside the namespace', () => {
      for (const ns of ['logging', 'logging-agent']) expect(byName[`NetworkPolicy/${ns}/default-deny`].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      expect(byName['NetworkPolicy/logging/elasticsearch-from-agent'].spec).toEqual({
        podSelector: { matchLabels: { 'elasticsearch.k8s.elastic.co/cluster-name': 'logging' } }, policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging-agent' } } }], ports: [{ protocol: 'TCP', port: 9200 }] }],
      });
      expect(byName['NetworkPolicy/logging-agent/agent-to-elasticsearch-and-api'].spec.egress).toEqual([
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging' } }, podSelector: { matchLabels: { 'elasticsearch.k8s.elastic.co/cluster-name': 'logging' } } }], ports: [{ protocol: 'TCP', port: 9200 }] },
        { to: [{ ipBlock: { cidr: '10.30.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      ]);
    });

    test('let only the operator, the event shipper and the setup call the API servers from the addon\'s namespace', () => {
      expect(byName['NetworkPolicy/logging/api-server-clients'].spec.podSelector.matchExpressions).toEqual([
        { key: 'app.kubernetes.io/name', operator: 'In', values: ['elastic-operator', 'event-shipper', 'logging-setup'] },
      ]);
    });
  });

  describe('the index lifecycle', () => {
    test('keeps each stream for its days, with templates whose replicas stay below the data nodes', () => {
      const data = one(chart, 'ConfigMap', 'logging-setup-').data;
      expect(JSON.parse(data['ilm-platform-logs.json']).policy.phases.delete.min_age).toBe('14d');
      expect(JSON.parse(data['ilm-platform-audit.json']).policy.phases.delete.min_age).toBe('90d');
      expect(JSON.parse(data['template-platform-logs.json'])).toEqual({
        index_patterns: ['logs-*'], priority: 200,
        template: { settings: { number_of_shards: 1, number_of_replicas: 1, 'index.lifecycle.name': 'platform-logs' } },
      });
      expect(JSON.parse(data['role.json']).indices).toEqual([{ names: ['logs-*', 'events-*', 'audit-*'], privileges: ['create_doc', 'create_index'] }]);
    });

    test('is applied by a Job named after its content and re-applied hourly by a CronJob that never overlaps', () => {
      const job = one(chart, 'Job', 'logging-setup-');
      expect(job.metadata.name).toMatch(/^logging-setup-[0-9a-f]{8}$/);
      const longer = one(loggingChart({ retention: { containers: { days: 30 } } }), 'Job', 'logging-setup-');
      expect(longer.metadata.name).not.toBe(job.metadata.name);
      expect(byName['CronJob/logging/logging-setup'].spec).toMatchObject({ schedule: '17 * * * *', concurrencyPolicy: 'Forbid' });
    });
  });
});

describe('the logging CRDs addon', () => {
  test('applies all twelve ECK CRDs in the crds phase, and the two imported ones are upstream\'s documents unchanged', () => {
    expect(loggingAddon.phase).toBe('addons');
    const chart = new Chart(new App({ outdir: 'dist' }), 'addon-logging-crds');
    loggingAddon.crds?.(chart, {}, testAddonContext(EDGE_AND_IDENTITY));
    const crds = chart.toJson();
    expect(crds).toHaveLength(12);
    expect(crds.every((o: any) => o.kind === 'CustomResourceDefinition')).toBe(true);
    const all = parseAllDocuments(readFileSync(join(SCHEMAS, 'eck/all-crds.yaml'), 'utf8')).map((d) => d.toJS());
    for (const file of ['elasticsearches.elasticsearch.k8s.elastic.co.yaml', 'kibanas.kibana.k8s.elastic.co.yaml']) {
      const crd = parse(readFileSync(join(SCHEMAS, 'eck', file), 'utf8'));
      expect(all).toContainEqual(crd);
    }
  });
});
