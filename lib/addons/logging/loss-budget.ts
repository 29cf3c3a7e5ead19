import type { IConstruct } from 'constructs';
import { Duration, PlatformError, Quantity, parseAt, type DurationLike, type QuantityLike } from '../../core';

/** How much a Fluent Bit output may buffer on disk while Elasticsearch is away, as a rate and an outage. */
export interface LossBudgetProps {
  /** Bytes per second one node's pipeline ingests at its busiest (`'200k'` is 200 kB/s). @default '200k' for container logs */
  readonly ingestRate?: QuantityLike;
  /** How long Elasticsearch may be unreachable with nothing dropped. @default '15m' */
  readonly outage?: DurationLike;
}

/** A loss budget with its buffer limit computed. */
export interface LossBudget {
  /** Ingest rate, bytes per second. */
  readonly bytesPerSecond: number;
  /** The outage survived with nothing dropped, in seconds. */
  readonly outageSeconds: number;
  /** `storage.total_limit_size` in Fluent Bit's decimal megabytes (Fluent Bit reads `M` as 1000 * 1000 bytes: src/flb_utils.c, flb_utils_size_to_bytes). */
  readonly limitMegabytes: number;
  /** The value written into the configuration (`180M`). */
  readonly totalLimitSize: string;
}

/**
 * The buffer limit of one output: rate × outage, rounded up to a whole megabyte. While the
 * output cannot deliver, Fluent Bit keeps queueing chunks on disk until this limit and then
 * drops the oldest chunk for each new one (src/flb_input_chunk.c, flb_input_chunk_find_space_new_data).
 */
export function lossBudget(scope: IConstruct, field: string, props: LossBudgetProps, defaultRate: QuantityLike): LossBudget {
  const rate = parseAt(scope, `${field}.ingestRate`, () => Quantity.of(props.ingestRate ?? defaultRate));
  const outage = parseAt(scope, `${field}.outage`, () => Duration.of(props.outage ?? '15m'));
  const bytesPerSecond = Math.ceil(rate.toNumber());
  if (bytesPerSecond < 1) {
    throw PlatformError.at(scope, { field: `${field}.ingestRate`, value: String(rate), rule: 'must be at least 1 byte per second', fix: "state the busiest rate one node writes, e.g. '200k'" });
  }
  const outageSeconds = outage.toSeconds();
  if (outageSeconds < 60) {
    throw PlatformError.at(scope, { field: `${field}.outage`, value: outage.toString(), rule: 'must be at least 1m', fix: "state the Elasticsearch outage to survive, e.g. '15m'" });
  }
  const limitMegabytes = Math.ceil((bytesPerSecond * outageSeconds) / 1_000_000);
  return { bytesPerSecond, outageSeconds, limitMegabytes, totalLimitSize: `${limitMegabytes}M` };
}
