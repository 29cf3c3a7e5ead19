import type { RecordingRuleProps, RuleGroupProps } from '../rule-group';
import { JOBS } from '../jobs';

const API = `job="${JOBS.apiServers}"`;
const READ = 'verb=~"LIST|GET"';
const WRITE = 'verb=~"POST|PUT|PATCH|DELETE"';
const LONG_RUNNING = 'subresource!~"proxy|attach|log|exec|portforward"';

/** The windows the error-budget burn alerts read (kubernetes-mixin `kube-apiserver-burnrate.rules`). */
export const BURN_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

/**
 * The share of API requests in `window` that failed (5xx) or were too slow by the mixin's SLO
 * (reads: 1s for one resource, 5s in a namespace, 30s cluster-wide; writes: 1s).
 */
function burnrate(verb: 'read' | 'write', window: string): RecordingRuleProps {
  const v = verb === 'read' ? READ : WRITE;
  const sum = (metric: string, extra = '') => `sum by (cluster) (rate(${metric}{${API},${v}${extra}}[${window}]))`;
  const bucket = (extra: string) => sum('apiserver_request_sli_duration_seconds_bucket', `,${LONG_RUNNING}${extra}`);
  const fastEnough = verb === 'read'
    ? `((${bucket(',scope=~"resource|",le=~"1(\\\\.0)?"')} or vector(0)) + ${bucket(',scope="namespace",le=~"5(\\\\.0)?"')} + ${bucket(',scope="cluster",le=~"30(\\\\.0)?"')})`
    : bucket(',le=~"1(\\\\.0)?"');
  const slow = `(${sum('apiserver_request_sli_duration_seconds_count', `,${LONG_RUNNING}`)} - ${fastEnough})`;
  return {
    record: `apiserver_request:burnrate${window}`,
    expr: `(${slow} + ${sum('apiserver_request_total', ',code=~"5.."')}) / ${sum('apiserver_request_total')}`,
    labels: { verb },
  };
}

/** The API server's error-budget burn rates over every alert window, for reads and for writes. */
export function apiServerBurnrateRules(): RuleGroupProps {
  return {
    name: 'kube-apiserver-burnrate.rules',
    records: (['read', 'write'] as const).flatMap((verb) => BURN_WINDOWS.map((w) => burnrate(verb, w))),
  };
}
