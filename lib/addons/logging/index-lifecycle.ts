import type { IConstruct } from 'constructs';
import { PlatformError } from '../../core';
import { INDEX_PREFIXES, type LogStream } from './fluent-bit-pipelines';

/** How long one stream's indices are kept, and how they are laid out. */
export interface RetentionProps {
  /** Days an index is kept, from its creation (ILM's delete phase). */
  readonly days: number;
  /** Primary shards per daily index. @default 1 */
  readonly shards?: number;
  /** Replicas of each shard. @default 1 (0 on a cluster with one data node) */
  readonly replicas?: number;
}

/** An index lifecycle policy and its index template, as the setup Job PUTs them. */
export interface IndexLifecycle {
  readonly stream: LogStream;
  readonly policyName: string;
  readonly policy: Record<string, unknown>;
  readonly templateName: string;
  readonly template: Record<string, unknown>;
}

/**
 * The ILM policy (delete after `days`) and index template (shards, replicas, the policy) of one
 * stream's `<prefix>-*` indices. ILM and index templates are in Elasticsearch's free Basic licence.
 */
export function indexLifecycle(scope: IConstruct, field: string, stream: LogStream, props: RetentionProps, dataNodes: number): IndexLifecycle {
  if (!Number.isInteger(props.days) || props.days <= 0) {
    throw PlatformError.at(scope, { field: `${field}.days`, value: props.days, rule: 'must be a whole number of days > 0', fix: 'keep the indices for at least one day' });
  }
  const shards = props.shards ?? 1;
  if (!Number.isInteger(shards) || shards < 1) {
    throw PlatformError.at(scope, { field: `${field}.shards`, value: shards, rule: 'must be a whole number >= 1', fix: 'use 1 shard per daily index unless a day holds more than ~50 GB' });
  }
  const replicas = props.replicas ?? Math.min(1, dataNodes - 1);
  if (!Number.isInteger(replicas) || replicas < 0 || replicas >= dataNodes) {
    throw PlatformError.at(scope, {
      field: `${field}.replicas`, value: replicas, rule: `must be a whole number below the data-node count ${dataNodes} (a replica never shares a node with its primary, so more stay unassigned and the cluster stays yellow)`,
      fix: `set replicas to at most ${dataNodes - 1}, or add data nodes`,
    });
  }
  const prefix = INDEX_PREFIXES[stream];
  return {
    stream,
    policyName: `platform-${prefix}`,
    policy: { policy: { phases: { hot: { min_age: '0ms', actions: {} }, delete: { min_age: `${props.days}d`, actions: { delete: {} } } } } },
    templateName: `platform-${prefix}`,
    template: {
      index_patterns: [`${prefix}-*`],
      priority: 200,
      template: { settings: { number_of_shards: shards, number_of_replicas: replicas, 'index.lifecycle.name': `platform-${prefix}` } },
    },
  };
}

/** The Elasticsearch role Fluent Bit writes as: create documents and daily indices of the addon's streams, nothing else. */
export const WRITER_ROLE = 'platform-log-writer';
export const WRITER_ROLE_BODY = {
  cluster: [],
  indices: [{ names: Object.values(INDEX_PREFIXES).map((p) => `${p}-*`), privileges: ['create_doc', 'create_index'] }],
};
