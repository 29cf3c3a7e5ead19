import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Duration, Platform, PlatformError, parseAt, type DurationLike } from '../core';
import type { PortProps } from './container';

/** How Prometheus scrapes a service: declared once, on the service. */
export interface MetricsProps {
  /** The name of the container port that serves metrics (`'metrics'`, or `'http'`). */
  readonly port: string;
  /** The path. @default '/metrics' */
  readonly path?: string;
  /** How often. @default - Prometheus's global interval */
  readonly interval?: DurationLike;
}

/** A resolved scrape declaration. */
export interface ScrapeDeclaration {
  readonly portName: string;
  readonly port: number;
  readonly path: string;
  readonly interval: Duration | undefined;
}

/** The label that marks a Service for scraping; Prometheus's discovery selects on it. */
export const SCRAPE_LABEL = `${Platform.labelPrefix}/scrape`;
/** The annotation that carries a declared scrape interval. */
export const SCRAPE_INTERVAL_ANNOTATION = `${Platform.labelPrefix}/scrape-interval`;

/** Checks a scrape declaration against the service's ports. */
export function resolveScrape(scope: Construct, metrics: MetricsProps | undefined, ports: readonly PortProps[]): ScrapeDeclaration | undefined {
  if (metrics === undefined) return undefined;
  const port = ports.find((p) => p.name === metrics.port);
  if (port === undefined) {
    throw PlatformError.at(scope, {
      field: 'metrics.port', value: metrics.port, rule: `names no port of the container [${ports.map((p) => p.name).join(', ')}]`,
      fix: 'declare the metrics port in ports and name it here',
    });
  }
  const path = metrics.path ?? '/metrics';
  if (!path.startsWith('/')) {
    throw PlatformError.at(scope, { field: 'metrics.path', value: path, rule: "must start with '/'", fix: "write an absolute path such as '/metrics'" });
  }
  const interval = metrics.interval === undefined ? undefined : parseAt(scope, 'metrics.interval', () => Duration.of(metrics.interval as DurationLike));
  return { portName: port.name, port: port.port, path, interval };
}

/**
 * The labels and annotations a scraped Service carries: the platform's scrape label to select
 * on, and the `prometheus.io/*` annotations with port, path and interval to relabel from.
 */
export function scrapeMetadata(scrape: ScrapeDeclaration | undefined): { labels: Record<string, string>; annotations: Record<string, string> } {
  if (scrape === undefined) return { labels: {}, annotations: {} };
  return {
    labels: { [SCRAPE_LABEL]: 'true' },
    annotations: {
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(scrape.port),
      'prometheus.io/path': scrape.path,
      ...(scrape.interval === undefined ? {} : { [SCRAPE_INTERVAL_ANNOTATION]: scrape.interval.toString() }),
    },
  };
}

/**
 * The NetworkPolicy a scrape declaration brings: Prometheus (pods of the monitoring namespace)
 * may reach the metrics port of the service's pods, and nothing else of them.
 */
export function addScrapePolicy(scope: Construct, name: string, namespace: string, selector: Record<string, string>, scrape: ScrapeDeclaration): k8s.KubeNetworkPolicy {
  return new k8s.KubeNetworkPolicy(scope, 'allow-scrape', {
    metadata: { name: `${name}-allow-scrape`, namespace, labels: { 'app.kubernetes.io/managed-by': Platform.managedBy } },
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': Platform.monitoringNamespace } } }],
        ports: [{ port: k8s.IntOrString.fromNumber(scrape.port), protocol: 'TCP' }],
      }],
    },
  });
}
