import { Duration, Platform, PlatformError, type SecretDeclaration, secretConfigKey } from '../../core';
import type { SecretKeyRef } from '../../apps/secrets';
import type { AddonSpec } from '../addon-spec';
import { Monitoring, type MonitoringProps } from './monitoring';
import { PROMETHEUS_DEFAULT_RETENTION } from './prometheus';

/**
 * The monitoring stack of a cluster in its definition: alert routing, Grafana, sizing. What the
 * cluster model knows (cluster name, environment, etcd metrics ports, NodeLocal DNS) comes from
 * the cluster's facts.
 */
export type MonitoringDefinition = Omit<MonitoringProps, 'clusterName' | 'environment' | 'etcdMetricsPorts' | 'nodeLocalDnsAddress' | 'ruleFileConfigMaps' | 'clusterNetwork'>;

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

/** How long the cluster's Prometheus keeps samples, as the definition sizes it. */
function retentionOf(props: MonitoringDefinition, cluster: string): Duration {
  const value = props.sizing?.prometheus?.retention ?? PROMETHEUS_DEFAULT_RETENTION;
  try {
    return Duration.of(value);
  } catch (e) {
    if (!(e instanceof PlatformError)) throw e;
    throw new PlatformError(e.problems.map((p) => `cluster ${cluster}: monitoring.sizing.prometheus.retention: ${p}`));
  }
}

/**
 * Prometheus, Alertmanager, exporters, Grafana and the platform probe, fed from the cluster's
 * facts. It offers the others its Prometheus (namespace and retention), and loads the rule files
 * they hand it (`prometheusRuleFiles`).
 */
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
  provides: (props, cluster) => ({ prometheus: { namespace: Platform.monitoringNamespace, retention: retentionOf(props, cluster.name) } }),
  build: (scope, props, { cluster, addons }) => {
    new Monitoring(scope, 'monitoring', {
      ...props,
      ...(addons.prometheusRuleFiles === undefined ? {} : { ruleFileConfigMaps: addons.prometheusRuleFiles }),
      clusterName: cluster.name,
      environment: cluster.environment,
      clusterNetwork: { podCidr: cluster.podCidr, vpcCidr: cluster.vpcCidr },
      ...(cluster.etcdMetricsPorts === undefined ? {} : { etcdMetricsPorts: cluster.etcdMetricsPorts }),
      ...(cluster.nodeLocalDnsAddress === undefined ? {} : { nodeLocalDnsAddress: cluster.nodeLocalDnsAddress }),
    });
  },
};
