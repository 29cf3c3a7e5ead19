import type { IConstruct } from 'constructs';
import { PlatformError } from '../../core';
import type { RelabelConfig, ScrapeConfig } from './prometheus-config';

/**
 * Where a scrape job's targets are, as the network sees them: pods (the cluster's pod block),
 * nodes (the VPC block: host ports, host-network pods, the masters), the monitoring namespace
 * itself (admitted among its own pods) or Prometheus's own loopback.
 */
export type ScrapeNetwork = 'pods' | 'nodes' | 'namespace' | 'local';

/** The network and TCP ports one job's targets are on. `any`: each target's own declaration (the services job). */
export interface ScrapeReach {
  readonly job: string;
  readonly network: ScrapeNetwork;
  readonly ports: readonly number[] | 'any';
}

/**
 * A Service or pod port a discovery block keeps by name, with the number it has and the network
 * its endpoints are on: the scrape configuration names ports, the network policy needs numbers.
 */
export interface KnownScrapePort {
  /** The namespace discovery is limited to. */
  readonly namespace: string;
  /** The keep regex the job selects it by (`kube-dns;metrics`: Service or pod label, then port name). */
  readonly keep: string;
  readonly port: number;
  readonly network: 'pods' | 'nodes';
}

/**
 * The kubelet's port, where Prometheus's node discovery points each node's target (the node's
 * `status.daemonEndpoints.kubeletEndpoint.port`: prometheus discovery/kubernetes/node.go,
 * buildNode; kops leaves the kubelet on the upstream default, 10250).
 */
export const KUBELET_PORT = 10250;

const ADDRESS = '__address__';

function fail(scope: IConstruct, job: string, rule: string): never {
  throw PlatformError.at(scope, {
    field: 'scrape_configs', value: job, rule: `has targets whose network and port cannot be derived: ${rule}`,
    fix: 'give the job a static host:port, a node address rewrite ($1:<port>), or a keep on a Service port listed in the known scrape ports',
  });
}

function portOf(scope: IConstruct, job: string, text: string): number {
  const port = Number(/:(\d+)$/.exec(text)?.[1]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(scope, job, `'${text}' names no port`);
  return port;
}

function hostNetwork(host: string, namespace: string): ScrapeNetwork | undefined {
  if (host === 'localhost' || host === '127.0.0.1') return 'local';
  if (host.endsWith(`.${namespace}.svc`) || host.endsWith(`.${namespace}.svc.cluster.local`)) return 'namespace';
  return undefined;
}

/**
 * The network and ports of each job, read from the rendered job itself (so a changed job changes
 * Prometheus's egress with it): a static `host:port`; an `__address__` rewrite to a fixed address
 * or to a node address and port (`$1:<port>`); a discovery role's own address (a node's kubelet);
 * or a Service or pod port the job keeps by name, looked up in `known`. The services job, whose
 * port is each Service's own annotation, reaches pods on `any` port: each target's own policy
 * admits Prometheus on its metrics port only (lib/apps addScrapePolicy). A job of any other shape
 * is an error, so no target goes without a rule.
 */
export function scrapeReach(scope: IConstruct, jobs: readonly ScrapeConfig[], namespace: string, known: readonly KnownScrapePort[]): ScrapeReach[] {
  return jobs.map((job): ScrapeReach => {
    const name = job.job_name;
    const relabels: readonly RelabelConfig[] = job.relabel_configs ?? [];
    const rewrite = relabels.find((r) => r.target_label === ADDRESS);
    if (rewrite !== undefined) {
      const sources = rewrite.source_labels ?? [];
      const replacement = rewrite.replacement ?? '$1';
      if (sources.length === 0) {
        const host = replacement.replace(/:\d+$/, '');
        const network = hostNetwork(host, namespace);
        if (network === undefined) fail(scope, name, `the address '${replacement}' is outside the namespace`);
        return { job: name, network, ports: [portOf(scope, name, replacement)] };
      }
      if (sources.length === 1 && /^__meta_kubernetes_node_address_/.test(sources[0] as string) && /^\$1:\d+$/.test(replacement)) {
        return { job: name, network: 'nodes', ports: [portOf(scope, name, replacement)] };
      }
      if (sources[0] === ADDRESS && /prometheus_io_port$/.test(sources[1] ?? '')) return { job: name, network: 'pods', ports: 'any' };
      fail(scope, name, 'its __address__ rewrite is of no known form');
    }
    if (job.static_configs !== undefined) {
      const targets = job.static_configs.flatMap((s) => s.targets);
      const networks = new Set(targets.map((t) => hostNetwork(t.replace(/:\d+$/, ''), namespace)));
      const [network] = [...networks];
      if (networks.size !== 1 || network === undefined) fail(scope, name, `its static targets [${targets.join(', ')}] are not all in the namespace or all local`);
      return { job: name, network, ports: [...new Set(targets.map((t) => portOf(scope, name, t)))].sort((a, b) => a - b) };
    }
    const sd = job.kubernetes_sd_configs ?? [];
    if (sd.length === 1 && sd[0]?.role === 'node') return { job: name, network: 'nodes', ports: [KUBELET_PORT] };
    const keep = relabels.find((r) => r.action === 'keep' && r.regex !== undefined && r.regex.includes(';'));
    const names = sd.length === 1 ? sd[0]?.namespaces?.names ?? [] : [];
    if (keep === undefined || names.length !== 1) fail(scope, name, 'it keeps no Service or pod port by name in one namespace');
    if (names[0] === namespace) return { job: name, network: 'namespace', ports: 'any' };
    const found = known.find((k) => k.namespace === names[0] && k.keep === keep.regex);
    if (found === undefined) fail(scope, name, `'${String(keep.regex)}' in ${String(names[0])} is not a known scrape port`);
    return { job: name, network: found.network, ports: [found.port] };
  });
}

/** The TCP ports the jobs on `network` reach, sorted; `any` when one of them reaches any port; empty when none is there. */
export function portsOn(reach: readonly ScrapeReach[], network: ScrapeNetwork): readonly number[] | 'any' {
  const on = reach.filter((r) => r.network === network);
  if (on.some((r) => r.ports === 'any')) return 'any';
  return [...new Set(on.flatMap((r) => r.ports as readonly number[]))].sort((a, b) => a - b);
}
