import { type ClusterDefinition, type MonitoringDefinition, PROMETHEUS_DATASOURCE_UID, type SloAddonProps } from '../lib';

/**
 * This company's alert routing and Grafana, the same shape on every cluster: platform alerts to
 * the platform channel (critical ones paged), each team's to its own channel, and the Watchdog
 * to the external heartbeat; Grafana open to the platform's admins and the teams' groups only.
 * The receivers and Dex (on prod's internet-facing edge) are public hosts with no fixed
 * addresses, so their egress stays the default: the public internet, on their port. Receiver credentials are keys of the `alerting` Secret, filled by
 * the deploy step.
 */
export function monitoringFor(cluster: string, teams: ClusterDefinition['teams'], sizing: MonitoringDefinition['sizing']): MonitoringDefinition {
  const routes = teams.map((t) => ({ team: t.name, namespaces: (t.namespaces ?? [{ name: t.name }]).map((n) => n.name), receiver: `${t.name}-alerts` }));
  return {
    alerting: {
      receivers: [
        { kind: 'webhook', name: 'heartbeat', url: `https://heartbeat.example.com/ping/${cluster}`, credentials: { secret: 'alerting', key: 'heartbeat-token' } },
        { kind: 'slack', name: 'platform', apiUrl: { secret: 'alerting', key: 'platform-slack-url' }, channel: '#platform-alerts' },
        { kind: 'pagerduty', name: 'platform-pager', routingKey: { secret: 'alerting', key: 'pagerduty-routing-key' } },
        ...routes.map((r) => ({ kind: 'slack' as const, name: r.receiver, apiUrl: { secret: 'alerting', key: `${r.team}-slack-url` }, channel: `#${r.team}-alerts` })),
      ],
      defaultReceiver: 'platform',
      defaultCriticalReceiver: 'platform-pager',
      heartbeatReceiver: 'heartbeat',
      teams: routes,
    },
    grafana: {
      host: grafanaHost(cluster),
      adminPassword: { secret: 'grafana', key: 'admin-password' },
      // Who signs in: the platform's admins, each team's owners as editors and its members as viewers; no one else.
      oidc: {
        issuerUrl: 'https://dex.example.com', clientId: `grafana-${cluster}`, clientSecret: { secret: 'grafana', key: 'oidc-client-secret' },
        adminGroups: ['platform-admins'],
        editorGroups: unique(teams.flatMap((t) => t.owners)),
        viewerGroups: unique(teams.flatMap((t) => t.members ?? [])),
      },
    },
    ...(sizing === undefined ? {} : { sizing }),
  };
}

function unique(groups: readonly string[]): string[] {
  return [...new Set(groups)].sort();
}

/** Grafana's host on a cluster. */
export function grafanaHost(cluster: string): string {
  return cluster === 'prod' ? 'grafana.example.com' : `grafana.${cluster}.example.com`;
}

/**
 * The SLO addon of a cluster: its Prometheus evaluates the rules, and the release gate asks it
 * through Grafana at the edge (the datasource proxy), signed in with a Grafana service account's
 * token (Viewer role) that CI holds in GRAFANA_GATE_TOKEN.
 */
export function sloFor(cluster: string): SloAddonProps {
  return {
    gate: {
      url: `https://${grafanaHost(cluster)}/api/datasources/proxy/uid/${PROMETHEUS_DATASOURCE_UID}`,
      auth: { kind: 'bearer', tokenEnv: 'GRAFANA_GATE_TOKEN' },
    },
  };
}
