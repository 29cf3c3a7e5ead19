import type { GateAuth, GateDescriptor, GateSlo } from './gate-descriptor';

/** The gate's answer, as its exit code says it. */
export type GateVerdict = 'release' | 'fix-only' | 'unknown';

/** The exit code of each verdict: 0 release, 1 fix-only (budget spent or a page-level burn), 2 cannot tell. */
export const GATE_EXIT: Readonly<Record<GateVerdict, 0 | 1 | 2>> = { release: 0, 'fix-only': 1, unknown: 2 };

/** An emergency release past a closed gate: who decided it and why, both printed for the audit trail. */
export interface GateOverride {
  /** Who takes the decision (a person, not a bot: `jane@example.com`). */
  readonly by: string;
  /** Why the release cannot wait (`revert of the change that causes the burn`). */
  readonly reason: string;
}

/** What the gate is asked. */
export interface GateRequest {
  readonly descriptor: GateDescriptor;
  /** The service about to be released (`orders-api`). */
  readonly service: string;
  /** Ask this API instead of the descriptor's. @default - the descriptor's prometheus.url */
  readonly prometheusUrl?: string;
  /** The environment the credentials are read from (the CLI passes process.env). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The bound on each HTTP request. @default 10000 */
  readonly timeoutMs?: number;
  /** Release even if the gate is closed or cannot tell. @default - none */
  readonly override?: GateOverride;
}

/** Each SLO's numbers as the gate read them. */
export interface SloReading {
  readonly slo: GateSlo;
  /** The share of the budget left, or undefined when there is no data. */
  readonly remaining: number | undefined;
  readonly pageBurn: boolean;
  readonly ticketBurn: boolean;
}

/** The gate's answer: the verdict, the exit code (0 also for an overridden gate) and what to print. */
export interface GateResult {
  readonly verdict: GateVerdict;
  readonly exitCode: 0 | 1 | 2;
  readonly overridden: boolean;
  readonly lines: readonly string[];
  readonly readings: readonly SloReading[];
}

/** A failure to get an answer from the API: unreachable, refused, timed out, or not a query result. */
class QueryError extends Error {}

interface VectorSample {
  readonly metric: Record<string, string>;
  readonly value: readonly [number, string];
}

function authHeader(auth: GateAuth | undefined, env: GateRequest['env']): Record<string, string> {
  if (auth === undefined) return {};
  const need = (name: string): string => {
    const v = env[name];
    if (v === undefined || v === '') throw new QueryError(`the credential variable ${name} is not set in the environment`);
    return v;
  };
  if (auth.kind === 'bearer') return { authorization: `Bearer ${need(auth.tokenEnv)}` };
  return { authorization: `Basic ${Buffer.from(`${need(auth.usernameEnv)}:${need(auth.passwordEnv)}`).toString('base64')}` };
}

async function instantQuery(base: string, query: string, headers: Record<string, string>, timeoutMs: number): Promise<VectorSample[]> {
  const url = `${base.replace(/\/$/, '')}/api/v1/query?query=${encodeURIComponent(query)}`;
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why = err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
    throw new QueryError(`Prometheus at ${base} is unreachable (${why})`);
  }
  const text = await response.text();
  if (!response.ok) throw new QueryError(`Prometheus at ${base} answered HTTP ${response.status} (${text.slice(0, 200).trim()})`);
  let body: { status?: string; data?: { resultType?: string; result?: VectorSample[] } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new QueryError(`Prometheus at ${base} did not answer with JSON (is the URL the API's base?)`);
  }
  if (body.status !== 'success' || body.data?.resultType !== 'vector' || !Array.isArray(body.data.result)) {
    throw new QueryError(`Prometheus at ${base} gave no vector for ${query}`);
  }
  return body.data.result;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/**
 * Asks the Prometheus API whether `service` may release: for each of its SLOs the budget left
 * over the period and whether a page-level burn is on. Fix-only when any budget is spent or a
 * page-level burn is on; unknown when the API cannot be asked or has no data (never a pass).
 */
export async function runGate(request: GateRequest): Promise<GateResult> {
  const { descriptor, service } = request;
  const base = request.prometheusUrl ?? descriptor.prometheus.url;
  const timeoutMs = request.timeoutMs ?? 10_000;
  const slos = descriptor.slos.filter((s) => s.service === service);
  const finish = (verdict: GateVerdict, lines: string[], readings: SloReading[]): GateResult => {
    const o = request.override;
    if (verdict === 'release' || o === undefined) return { verdict, exitCode: GATE_EXIT[verdict], overridden: false, lines, readings };
    return {
      verdict, exitCode: 0, overridden: true, readings,
      lines: [...lines, `OVERRIDE ${service}: released past a ${verdict === 'fix-only' ? 'closed' : 'blind'} gate by ${o.by}: ${o.reason}`],
    };
  };
  if (slos.length === 0) {
    const known = [...new Set(descriptor.slos.map((s) => s.service))].sort().join(', ');
    return finish('unknown', [`UNKNOWN ${service}: cannot tell — cluster ${descriptor.cluster} declares no SLO for it (services with SLOs: ${known || 'none'})`], []);
  }
  let readings: SloReading[];
  try {
    const headers = authHeader(descriptor.prometheus.auth, request.env);
    readings = [];
    for (const slo of slos) {
      const [remaining, page, ticket] = await Promise.all([slo.queries.remaining, slo.queries.pageBurn, slo.queries.ticketBurn].map((q) => instantQuery(base, q, headers, timeoutMs)));
      const values = (remaining ?? []).map((s) => Number(s.value[1])).filter((v) => !Number.isNaN(v));
      readings.push({ slo, remaining: values.length === 0 ? undefined : Math.min(...values), pageBurn: (page ?? []).length > 0, ticketBurn: (ticket ?? []).length > 0 });
    }
  } catch (e) {
    if (!(e instanceof QueryError)) throw e;
    return finish('unknown', [`UNKNOWN ${service}: cannot tell — ${e.message}`], []);
  }
  const describe = (r: SloReading): string => {
    const left = r.remaining === undefined ? 'no data' : `${pct(r.remaining)} of the ${r.slo.period} error budget left`;
    const burn = r.pageBurn ? ', burning at page level' : r.ticketBurn ? ', burning at ticket level' : '';
    return `  ${r.slo.id} (objective ${r.slo.objective}% over ${r.slo.period}, team ${r.slo.team}): ${left}${burn}`;
  };
  const blocked = readings.filter((r) => r.pageBurn || (r.remaining !== undefined && r.remaining <= 0));
  const blind = readings.filter((r) => r.remaining === undefined);
  const details = readings.map(describe);
  if (blocked.length > 0) {
    const why = blocked.map((r) => (r.remaining !== undefined && r.remaining <= 0 ? `the error budget of ${r.slo.id} is spent` : `${r.slo.id} is burning its budget at page level`)).join('; ');
    return finish('fix-only', [`FIX-ONLY ${service}: ${why}; only fixes may ship until the budget recovers`, ...details], readings);
  }
  if (blind.length > 0) {
    return finish('unknown', [`UNKNOWN ${service}: cannot tell — no data for ${blind.map((r) => r.slo.id).join(', ')} at ${base} (are its rules loaded and the service scraped?)`, ...details], readings);
  }
  return finish('release', [`RELEASE ${service}: every SLO has error budget left and no page-level burn`, ...details], readings);
}
