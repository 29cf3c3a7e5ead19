import { PlatformError } from '../../core';
import type { SloDefinition } from './slo-definition';
import { gateQueries, type GateQueries } from './slo-rules';
import { SLO_PERIODS, type SloPeriod } from './windows';

/**
 * How CI authenticates to the Prometheus API. Credentials are never in the descriptor: it names
 * the environment variables the CI job provides them in.
 */
export type GateAuth =
  | { readonly kind: 'bearer'; /** The variable holding the token. */ readonly tokenEnv: string }
  | { readonly kind: 'basic'; readonly usernameEnv: string; readonly passwordEnv: string };

/** The Prometheus-compatible HTTP API a CI job can reach: the long-term store, or Prometheus through the edge. */
export interface GateEndpoint {
  /** The API's base URL (`https://metrics.example.com/prometheus`; `/api/v1/query` is appended). */
  readonly url: string;
  /** How to authenticate. @default - no authentication */
  readonly auth?: GateAuth;
}

/** One SLO as the gate reads it. */
export interface GateSlo {
  readonly id: string;
  readonly service: string;
  readonly namespace: string;
  readonly name: string;
  readonly objective: number;
  readonly period: SloPeriod;
  readonly team: string;
  readonly queries: GateQueries;
}

/** What the release gate needs to know of a cluster: where to ask, and each SLO's queries. */
export interface GateDescriptor {
  readonly version: 1;
  readonly cluster: string;
  readonly prometheus: GateEndpoint;
  readonly slos: readonly GateSlo[];
}

/** The file a cluster's gate descriptor is published as, next to its manifests (`dist/<cluster>/release-gate.json`). */
export const GATE_DESCRIPTOR_FILE = 'release-gate.json';

/** The descriptor of a cluster's SLOs (written next to its manifests, read by `platform-constructs gate`). */
export function gateDescriptor(cluster: string, prometheus: GateEndpoint, slos: readonly SloDefinition[]): GateDescriptor {
  return {
    version: 1,
    cluster,
    prometheus,
    slos: slos.map((s) => ({ id: s.id, service: s.service, namespace: s.namespace, name: s.name, objective: s.objective, period: s.period, team: s.team, queries: gateQueries(s) })),
  };
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** Reads a descriptor from its JSON text, refusing one that is not the shape the gate expects. */
export function parseGateDescriptor(source: string, text: string): GateDescriptor {
  const bad = (field: string, value: unknown, rule: string): PlatformError =>
    PlatformError.of({ path: source, field, value, rule, fix: 'regenerate the descriptor with npm run synth (gateDescriptor)' });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw bad('(file)', undefined, `is not JSON: ${(e as Error).message}`);
  }
  const d = raw as Partial<GateDescriptor> | null;
  if (d === null || typeof d !== 'object' || d.version !== 1) throw bad('version', d?.version, 'must be 1');
  if (typeof d.cluster !== 'string') throw bad('cluster', d.cluster, 'must be the cluster name');
  if (typeof d.prometheus?.url !== 'string' || !/^https?:\/\/\S+$/.test(d.prometheus.url)) throw bad('prometheus.url', d.prometheus?.url, 'must be an http(s) URL');
  const auth = d.prometheus.auth;
  if (auth !== undefined) {
    const names = auth.kind === 'bearer' ? [auth.tokenEnv] : auth.kind === 'basic' ? [auth.usernameEnv, auth.passwordEnv] : undefined;
    if (names === undefined) throw bad('prometheus.auth.kind', (auth as { kind?: unknown }).kind, "must be 'bearer' or 'basic'");
    for (const n of names) if (typeof n !== 'string' || !ENV_NAME.test(n)) throw bad('prometheus.auth', n, 'must name environment variables (UPPER_CASE)');
  }
  if (!Array.isArray(d.slos)) throw bad('slos', d.slos, 'must be a list');
  d.slos.forEach((s, i) => {
    const q = s.queries as Partial<GateQueries> | undefined;
    if (typeof s.id !== 'string' || typeof s.service !== 'string' || typeof q?.remaining !== 'string' || typeof q.pageBurn !== 'string' || typeof q.ticketBurn !== 'string') {
      throw bad(`slos[${i}]`, s.id, 'lacks its id, service or queries');
    }
    if (!SLO_PERIODS.includes(s.period)) throw bad(`slos[${i}].period`, s.period, `is not one of [${SLO_PERIODS.join(', ')}]`);
  });
  return d as GateDescriptor;
}
