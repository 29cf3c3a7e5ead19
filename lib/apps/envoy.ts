import type { Construct } from 'constructs';
import { stringify } from 'yaml';
import { Duration, PlatformError, parseAt, type DurationLike, type ImageRefLike } from '../core';
import { Probe } from './probe';
import type { SidecarProps } from './container';

/** One upstream the application reaches through its local Envoy. */
export interface EnvoyUpstream {
  /** The upstream's name, used for the Envoy listener and cluster. */
  readonly name: string;
  /** Its DNS name: a headless Service's, so Envoy sees every pod (`orders-api.shop.svc.cluster.local`). */
  readonly host: string;
  /** Its port. */
  readonly port: number;
  /** The localhost port the application sends to. */
  readonly localPort: number;
}

/** Retries Envoy makes for the application. */
export interface EnvoyRetryProps {
  /** Retries after the first try. @default 2 */
  readonly attempts?: number;
  /** Time each try may take. @default '2s' */
  readonly perTryTimeout?: DurationLike;
  /** Envoy's retry_on conditions. @default '5xx,reset,connect-failure,refused-stream' */
  readonly on?: string;
}

/** An Envoy sidecar that proxies the application's calls to its upstreams with retries and timeouts. */
export interface EnvoySidecarProps {
  /** The upstreams. */
  readonly upstreams: readonly EnvoyUpstream[];
  /** The Envoy image, pinned. @default envoyproxy/envoy:v1.32.3 */
  readonly image?: ImageRefLike;
  /** The whole request's timeout, retries included. @default '10s' */
  readonly timeout?: DurationLike;
  /** @default - see EnvoyRetryProps */
  readonly retries?: EnvoyRetryProps;
  /** How often Envoy re-resolves upstream DNS in the background. @default '5s' */
  readonly dnsRefresh?: DurationLike;
}

/** The default Envoy image, pinned by tag. */
export const ENVOY_IMAGE = 'envoyproxy/envoy:v1.32.3';
/** Envoy's admin port, on localhost only. */
export const ENVOY_ADMIN_PORT = 9901;
/** The port of the listener that only answers the kubelet's readiness probe. */
export const ENVOY_READY_PORT = 9902;

const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const ROUTER = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';

const seconds = (d: Duration) => `${d.toMilliseconds() / 1000}s`;

function httpListener(name: string, address: string, port: number, routes: readonly Record<string, unknown>[]): Record<string, unknown> {
  return {
    name,
    address: { socket_address: { address, port_value: port } },
    filter_chains: [{
      filters: [{
        name: 'envoy.filters.network.http_connection_manager',
        typed_config: {
          '@type': HCM,
          stat_prefix: name,
          route_config: { name, virtual_hosts: [{ name, domains: ['*'], routes }] },
          http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER } }],
        },
      }],
    }],
  };
}

/**
 * Renders Envoy's static bootstrap configuration (v3 API, the documented YAML form): a
 * localhost listener per upstream routing to a STRICT_DNS cluster with the retry policy and
 * timeout, a readiness listener answering `/ready`, and the admin interface on localhost.
 */
export function renderEnvoyConfig(scope: Construct, props: EnvoySidecarProps): string {
  if (props.upstreams.length === 0) {
    throw PlatformError.at(scope, { field: 'envoy.upstreams', value: [], rule: 'must list at least one upstream', fix: 'name the services the application calls, or drop envoy' });
  }
  const d = (field: string, value: DurationLike) => parseAt(scope, `envoy.${field}`, () => Duration.of(value));
  const timeout = d('timeout', props.timeout ?? '10s');
  const perTry = d('retries.perTryTimeout', props.retries?.perTryTimeout ?? '2s');
  const refresh = d('dnsRefresh', props.dnsRefresh ?? '5s');
  const attempts = props.retries?.attempts ?? 2;
  if (!Number.isInteger(attempts) || attempts < 0) {
    throw PlatformError.at(scope, { field: 'envoy.retries.attempts', value: attempts, rule: 'must be a whole number >= 0', fix: 'use 0 to turn retries off' });
  }
  const ports = new Set<number>([ENVOY_ADMIN_PORT, ENVOY_READY_PORT]);
  for (const u of props.upstreams) {
    if (!Number.isInteger(u.localPort) || u.localPort < 1 || u.localPort > 65535 || ports.has(u.localPort)) {
      throw PlatformError.at(scope, {
        field: `envoy.upstreams.${u.name}.localPort`, value: u.localPort, rule: `must be a free port from 1 to 65535 (${ENVOY_ADMIN_PORT} and ${ENVOY_READY_PORT} are Envoy's own)`,
        fix: 'give every upstream its own local port',
      });
    }
    ports.add(u.localPort);
  }
  const config = {
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: ENVOY_ADMIN_PORT } } },
    static_resources: {
      listeners: [
        ...props.upstreams.map((u) => httpListener(u.name, '127.0.0.1', u.localPort, [{
          match: { prefix: '/' },
          route: {
            cluster: u.name,
            timeout: seconds(timeout),
            retry_policy: { retry_on: props.retries?.on ?? '5xx,reset,connect-failure,refused-stream', num_retries: attempts, per_try_timeout: seconds(perTry) },
          },
        }])),
        httpListener('ready', '0.0.0.0', ENVOY_READY_PORT, [{ match: { path: '/ready' }, direct_response: { status: 200 } }]),
      ],
      clusters: props.upstreams.map((u) => ({
        name: u.name,
        type: 'STRICT_DNS',
        dns_lookup_family: 'V4_ONLY',
        dns_refresh_rate: seconds(refresh),
        connect_timeout: '1s',
        lb_policy: 'ROUND_ROBIN',
        load_assignment: {
          cluster_name: u.name,
          endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: u.host, port_value: u.port } } } }] }],
        },
      })),
    },
  };
  return stringify(config, { lineWidth: 0 });
}

/** The Envoy container, reading its config from `/etc/envoy/envoy.yaml`. */
export function envoySidecar(props: EnvoySidecarProps): SidecarProps {
  return {
    name: 'envoy',
    image: props.image ?? ENVOY_IMAGE,
    args: ['-c', '/etc/envoy/envoy.yaml', '--log-level', 'warn'],
    ports: [{ name: 'envoy-ready', port: ENVOY_READY_PORT }],
    readiness: Probe.http('/ready', { port: 'envoy-ready' }),
    liveness: Probe.tcp({ port: 'envoy-ready', period: '20s' }),
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
  };
}
