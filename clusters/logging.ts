import type { LoggingDefinition } from '../lib';

/** Kibana's host on a cluster (its client at the identity provider is `kibana-<cluster>`). */
export function kibanaHost(cluster: string): string {
  return cluster === 'prod' ? 'kibana.example.com' : `kibana.${cluster}.example.com`;
}

/**
 * Logs of a cluster: three zone-aware Elasticsearch nodes in prod (a year of audit), three small
 * nodes with mmap off elsewhere (no sysctl on those nodes); Kibana signed in through Dex at the edge.
 */
export function loggingFor(cluster: string): LoggingDefinition {
  const kibana = { host: kibanaHost(cluster), oidcClientId: `kibana-${cluster}` };
  if (cluster === 'prod') {
    return {
      nodeSets: [{ name: 'default', count: 3, memory: '8Gi', storage: '200Gi' }],
      retention: { containers: { days: 30 }, events: { days: 30 }, audit: { days: 365 } },
      kibana,
    };
  }
  return {
    nodeSets: [{ name: 'default', count: 3, memory: '2Gi', storage: '30Gi' }],
    mmap: 'disabled',
    retention: { containers: { days: 7 }, events: { days: 7 }, audit: { days: 90 } },
    kibana,
  };
}
