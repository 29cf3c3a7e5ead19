import { App, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { Environment } from '../../../lib';
import { addMonitoring, type MonitoringProps } from '../../../lib/addons';

/** Props a cluster would give the addon: a heartbeat, the platform's receivers and one team. */
export const PROPS: MonitoringProps = {
  clusterNetwork: { podCidr: '100.96.0.0/11', vpcCidr: '10.20.0.0/16' },
  etcdMetricsPorts: { main: 8081, events: 8082 },
  alerting: {
    receivers: [
      { kind: 'webhook', name: 'heartbeat', url: 'https://heartbeat.example.com/ping', credentials: { secret: 'alerting', key: 'heartbeat-token' } },
      { kind: 'slack', name: 'platform', apiUrl: { secret: 'alerting', key: 'slack-url' }, channel: '#platform' },
      { kind: 'pagerduty', name: 'shop-pager', routingKey: { secret: 'shop-alerting', key: 'routing-key' } },
    ],
    defaultReceiver: 'platform',
    heartbeatReceiver: 'heartbeat',
    teams: [{ team: 'shop', namespaces: ['shop', 'shop-jobs'], receiver: 'platform', criticalReceiver: 'shop-pager' }],
  },
  grafana: {
    host: 'grafana.prod.example.com',
    adminPassword: { secret: 'grafana', key: 'admin-password' },
    oidc: { issuerUrl: 'https://dex.example.com', clientId: 'grafana', clientSecret: { secret: 'grafana', key: 'oidc' }, adminGroups: ['platform-admins'], editorGroups: ['developers'] },
  },
};

/** GIVEN helper: the `prod` Environment of cluster `prod`. */
export function prodEnvironment(): Environment {
  return new Environment(new App({ outdir: 'dist' }), 'prod', { name: 'prod', environments: ['prod', 'stage'], cluster: 'prod' });
}

/** GIVEN helper: the addon built in a fresh `prod` Environment, with `changes` over the fixture props. */
export function monitoring(changes: Partial<MonitoringProps> = {}) {
  return addMonitoring(prodEnvironment(), { ...PROPS, ...changes });
}

/** The synthesized objects by `Kind/name`. */
export function objects(addon: IConstruct): Record<string, any> {
  return Object.fromEntries(Chart.of(addon).toJson().map((o: any) => [`${o.kind}/${o.metadata.name}`, o]));
}
