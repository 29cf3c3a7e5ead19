import { Platform, type SecretDeclaration, secretConfigKey } from '../../core';
import type { SecretKeyRef } from '../../apps/secrets';
import type { AddonSpec } from '../addon-spec';
import { Monitoring, type MonitoringProps } from './monitoring';

/**
 * The monitoring stack of a cluster in its definition: alert routing, Grafana, sizing. What the
 * cluster model knows (cluster name, environment, etcd metrics ports, NodeLocal DNS) comes from
 * the cluster's facts.
 */
export type MonitoringDefinition = Omit<MonitoringProps, 'clusterName' | 'environment' | 'etcdMetricsPorts' | 'nodeLocalDnsAddress'>;

/** Every Secret key the addon's pods read: the receivers' credentials and Grafana's. */
function secretRefs(props: MonitoringDefinition): SecretKeyRef[] {
  const receivers = props.alerting.receivers.flatMap((r): SecretKeyRef[] => {
    switch (r.kind) {
      case 'webhook': return r.credentials === undefined ? [] : [r.credentials];
      case 'slack': return [r.apiUrl];
      case 'pagerduty': return [r.routingKey];
    }
  });
  return [...receivers, props.grafana.adminPassword, props.grafana.oidc.clientSecret];
}

/** Prometheus, Alertmanager, exporters, Grafana and the platform probe, fed from the cluster's facts. */
export const monitoringAddon: AddonSpec<'monitoring', MonitoringDefinition> = {
  key: 'monitoring',
  phase: 'addons',
  secrets: (props) => {
    const keys = new Map<string, Set<string>>();
    for (const ref of secretRefs(props)) keys.set(ref.secret, (keys.get(ref.secret) ?? new Set()).add(ref.key));
    return [...keys].sort(([a], [b]) => a.localeCompare(b)).map(([name, k]): SecretDeclaration => ({
      name,
      namespace: Platform.monitoringNamespace,
      keys: [...k].sort(),
      configKey: secretConfigKey(Platform.monitoringNamespace, name),
      description: `the monitoring addon's credentials in Secret ${Platform.monitoringNamespace}/${name} (Alertmanager receivers, Grafana)`,
    }));
  },
  build: (scope, props, { cluster }) => {
    new Monitoring(scope, 'monitoring', {
      ...props,
      clusterName: cluster.name,
      environment: cluster.environment,
      ...(cluster.etcdMetricsPorts === undefined ? {} : { etcdMetricsPorts: cluster.etcdMetricsPorts }),
      ...(cluster.nodeLocalDnsAddress === undefined ? {} : { nodeLocalDnsAddress: cluster.nodeLocalDnsAddress }),
    });
  },
};
