import type { IConstruct } from 'constructs';
import type { SecretKeyRef } from '../../apps/secrets';
import { Duration, PlatformError, parseAt, type CidrLike, type DurationLike } from '../../core';

/** Where Prometheus reads mounted remote-write credentials: `<dir>/<secret>/<key>`. */
export const PROMETHEUS_SECRETS_DIR = '/etc/prometheus/secrets';

/**
 * How a remote-write queue batches and retries (Prometheus's `queue_config`). The defaults are
 * Prometheus's own (docs: configuration, `<queue_config>`).
 */
export interface RemoteWriteQueue {
  /** Samples buffered per shard before reading from the WAL blocks. @default 10000 */
  readonly capacity?: number;
  /** The most shards (parallel senders). @default 50 */
  readonly maxShards?: number;
  /** The fewest shards. @default 1 */
  readonly minShards?: number;
  /** Samples per request. @default 2000 */
  readonly maxSamplesPerSend?: number;
  /** The longest a sample waits in a shard's buffer. @default '5s' */
  readonly batchSendDeadline?: DurationLike;
  /** The first retry's backoff, doubled per retry. @default '30ms' */
  readonly minBackoff?: DurationLike;
  /** The longest backoff. @default '5s' */
  readonly maxBackoff?: DurationLike;
}

/**
 * A long-term store outside the cluster that every Prometheus replica writes its samples to
 * (field notes §7: a view of the cluster that survives the cluster). Each replica's samples
 * carry the `cluster`, `environment` and `prometheus_replica` external labels, so the store
 * (Thanos, Mimir, Cortex: `replica` deduplication) keeps one copy per cluster.
 */
export interface RemoteWriteProps {
  /** The store's remote-write endpoint, https (`https://metrics.example.com/api/v1/push`). */
  readonly url: string;
  /** The queue's name in Prometheus's metrics and alerts (`remote_name`). @default 'central' */
  readonly name?: string;
  /** A bearer token from a Secret in the monitoring namespace, mounted into Prometheus. @default - no authorization header */
  readonly bearerToken?: SecretKeyRef;
  /** The tenant header some stores require (Mimir/Cortex `X-Scope-OrgID`). @default - none */
  readonly tenant?: string;
  /** Queue settings. @default - Prometheus's defaults */
  readonly queue?: RemoteWriteQueue;
  /**
   * The address blocks the store is at: Prometheus's egress to it, on the URL's port (a
   * NetworkPolicy matches addresses, not the URL's host name). Declare them when the store has
   * fixed addresses (a VPC endpoint, a peered network: these are outside the public internet).
   * @default - the public internet on the URL's port (PUBLIC_INTERNET_EXCEPT says what that leaves out)
   */
  readonly egressTo?: readonly CidrLike[];
}

/** One `remote_write` entry as Prometheus writes it. */
export interface RemoteWriteConfig {
  readonly name: string;
  readonly url: string;
  readonly authorization?: { readonly credentials_file: string };
  readonly headers?: Readonly<Record<string, string>>;
  readonly queue_config: {
    readonly capacity: number; readonly max_shards: number; readonly min_shards: number; readonly max_samples_per_send: number;
    readonly batch_send_deadline: string; readonly min_backoff: string; readonly max_backoff: string;
  };
}

function count(scope: IConstruct, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw PlatformError.at(scope, { field, value, rule: 'must be a whole number >= 1', fix: `set ${field} to 1 or more, or leave it out for Prometheus's default` });
  }
  return value;
}

/** The `remote_write` entry of one store, checked: an https URL, positive counts, durations, min shards within max. */
export function renderRemoteWrite(scope: IConstruct, props: RemoteWriteProps): RemoteWriteConfig {
  if (!/^https:\/\/[^\s/]+(\/\S*)?$/.test(props.url)) {
    throw PlatformError.at(scope, { field: 'remoteWrite.url', value: props.url, rule: 'is not an https URL', fix: "give the store's remote-write endpoint as https://host/path" });
  }
  const q = props.queue ?? {};
  const f = (name: string) => `remoteWrite.queue.${name}`;
  const minShards = count(scope, f('minShards'), q.minShards ?? 1);
  const maxShards = count(scope, f('maxShards'), q.maxShards ?? 50);
  if (minShards > maxShards) {
    throw PlatformError.at(scope, { field: f('minShards'), value: minShards, rule: `is more than maxShards (${maxShards})`, fix: 'set minShards to maxShards or fewer' });
  }
  const duration = (name: 'batchSendDeadline' | 'minBackoff' | 'maxBackoff', fallback: string) => parseAt(scope, f(name), () => Duration.of(q[name] ?? fallback)).toString();
  const file = props.bearerToken === undefined ? undefined : `${PROMETHEUS_SECRETS_DIR}/${props.bearerToken.secret}/${props.bearerToken.key}`;
  return {
    name: props.name ?? 'central',
    url: props.url,
    ...(file === undefined ? {} : { authorization: { credentials_file: file } }),
    ...(props.tenant === undefined ? {} : { headers: { 'X-Scope-OrgID': props.tenant } }),
    queue_config: {
      capacity: count(scope, f('capacity'), q.capacity ?? 10000), max_shards: maxShards, min_shards: minShards,
      max_samples_per_send: count(scope, f('maxSamplesPerSend'), q.maxSamplesPerSend ?? 2000),
      batch_send_deadline: duration('batchSendDeadline', '5s'), min_backoff: duration('minBackoff', '30ms'), max_backoff: duration('maxBackoff', '5s'),
    },
  };
}
