/* eslint-disable no-restricted-syntax -- a script, not the library: a plain Error ends the check with its message */
// The monitoring manifests of every cluster: read from `dist/<cluster>/manifests/3-addons/addon-monitoring.k8s.yaml`
// (and `addon-slo.k8s.yaml`, whose rule ConfigMap Prometheus mounts) when `npm run synth` wrote them,
// else rendered in-process, with a stub monitoring addon for a cluster whose definition has none.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'cdk8s';
import { clusters, environments } from '../../clusters';
import { Environment, KopsCluster, buildClusterApp, renderApp, stepFolder, type ClusterDefinition } from '../../lib';
import { addMonitoring } from '../../lib/addons/monitoring';

/** One cluster's monitoring manifests as YAML text, and where they came from. */
export interface ClusterManifests {
  readonly cluster: string;
  readonly source: string;
  readonly yaml: string;
}

const FILE = 'addon-monitoring.k8s.yaml';
/** Charts whose ConfigMaps Prometheus may load rules from besides its own: the SLO addon's. */
const RULE_FILES = ['addon-slo.k8s.yaml'];

/** The stub wiring: what a cluster definition's `monitoring` field would hold. */
export function addStubMonitoring(app: App, def: ClusterDefinition): void {
  const env = app.node.findChild(def.name) as Environment;
  if (env.node.tryFindChild('addon-monitoring') !== undefined) return;
  const kops = env.node.findAll().find((c): c is KopsCluster => c instanceof KopsCluster);
  const teams = def.teams.map((t) => ({ team: t.name, namespaces: (t.namespaces ?? []).map((n) => n.name), receiver: `${t.name}-alerts` }));
  addMonitoring(env, {
    clusterName: def.name,
    clusterNetwork: { podCidr: kops?.networkPlan.podCidr ?? '100.96.0.0/11', vpcCidr: kops?.networkPlan.vpcCidr ?? '10.0.0.0/16' },
    ...(kops?.etcdMetricsPorts === undefined ? {} : { etcdMetricsPorts: kops.etcdMetricsPorts }),
    ...(kops?.nodeLocalDnsAddress === undefined ? {} : { nodeLocalDnsAddress: kops.nodeLocalDnsAddress }),
    alerting: {
      receivers: [
        { kind: 'webhook', name: 'heartbeat', url: 'https://heartbeat.example.com/ping/platform', credentials: { secret: 'alerting', key: 'heartbeat-token' } },
        { kind: 'slack', name: 'platform', apiUrl: { secret: 'alerting', key: 'platform-slack-url' }, channel: '#platform-alerts' },
        { kind: 'pagerduty', name: 'platform-pager', routingKey: { secret: 'alerting', key: 'pagerduty-routing-key' } },
        ...teams.map((t) => ({ kind: 'slack' as const, name: t.receiver, apiUrl: { secret: 'alerting', key: `${t.team}-slack-url` }, channel: `#${t.team}-alerts` })),
      ],
      defaultReceiver: 'platform',
      defaultCriticalReceiver: 'platform-pager',
      heartbeatReceiver: 'heartbeat',
      teams,
    },
    grafana: {
      host: `grafana.${def.name}.example.com`,
      adminPassword: { secret: 'grafana', key: 'admin-password' },
      oidc: { issuerUrl: 'https://dex.example.com', clientId: 'grafana', clientSecret: { secret: 'grafana', key: 'oidc-client-secret' }, adminGroups: ['platform-admins'] },
    },
    remoteWrite: [{ url: 'https://metrics.example.com/api/v1/push', tenant: def.name, bearerToken: { secret: 'remote-write', key: 'token' } }],
    sizing: def.environment === 'prod' ? { prometheus: { replicas: 2, storage: '100Gi', retention: '30d' } } : { prometheus: { storage: '20Gi', retention: '7d' }, alertmanager: { replicas: 2 } },
  });
}

/** Every cluster's monitoring manifests. Fails (throws) when the in-process render finds problems. */
export function clusterManifests(root: string, fromDist: boolean): ClusterManifests[] {
  // MONITORING_CLUSTERS=e2e,prod checks only those clusters (a quicker loop while writing rules).
  const only = process.env.MONITORING_CLUSTERS?.split(',');
  return clusters.filter((def) => only === undefined || only.includes(def.name)).map((def) => {
    const dir = join(root, 'dist', def.name, 'manifests', stepFolder('addons'));
    const file = join(dir, FILE);
    if (fromDist) {
      if (!existsSync(file)) throw new Error(`${file} is missing: run npm run synth first (with the monitoring addon wired in)`);
      const more = RULE_FILES.map((f) => join(dir, f)).filter((f) => existsSync(f));
      return { cluster: def.name, source: [file, ...more].join(', '), yaml: [file, ...more].map((f) => readFileSync(f, 'utf8')).join('---\n') };
    }
    const app = buildClusterApp(def, environments);
    addStubMonitoring(app, def);
    const result = renderApp(app);
    if (result.problems.length > 0) throw new Error(`${def.name}: the rendered app has problems:\n${result.problems.join('\n')}`);
    const rendered = result.files.find((f) => f.path === `${def.name}/manifests/${FILE}`);
    if (rendered === undefined) throw new Error(`${def.name}: no ${FILE} was rendered`);
    const more = result.files.filter((f) => RULE_FILES.some((r) => f.path === `${def.name}/manifests/${r}`));
    return { cluster: def.name, source: 'rendered in-process', yaml: [rendered, ...more].map((f) => f.content).join('---\n') };
  });
}
