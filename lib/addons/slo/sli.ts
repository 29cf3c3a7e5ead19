import { PlatformError, promqlErrorAt, promqlErrorPlace } from '../../core';

/** Sloth's window placeholder (`internal/.../conventions.go`, `TplSLIQueryWindowVarRegex`): `{{.window}}`, spaces allowed. */
export const WINDOW_PLACEHOLDER = /\{\{ *\.window *\}\}/g;

/** An SLI from two event counts: the bad events and all events, each a query with `{{.window}}` where the range goes. */
export interface EventsSliProps {
  readonly kind: 'events';
  /** The rate of bad events (`sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))`). */
  readonly errorQuery: string;
  /** The rate of all events. */
  readonly totalQuery: string;
}

/** An SLI given as the error ratio itself, with `{{.window}}` where the range goes. */
export interface RawSliProps {
  readonly kind: 'raw';
  /** The ratio of bad events to all, between 0 and 1. */
  readonly errorRatioQuery: string;
}

/** Availability of an HTTP service from its request counter, selected by the labels its scrape declaration gives its series. */
export interface HttpErrorsSliProps {
  readonly kind: 'http-errors';
  /** The request counter. @default 'http_requests_total' */
  readonly metric?: string;
  /** The label holding the status code. @default 'code' */
  readonly statusLabel?: string;
  /** The statuses that count as errors, a regular expression. @default '5..' */
  readonly errorStatus?: string;
}

/** Latency of an HTTP service: requests slower than a histogram bucket are the bad events. */
export interface HttpLatencySliProps {
  readonly kind: 'http-latency';
  /** The histogram's base name (its `_bucket` and `_count` series are read). @default 'http_request_duration_seconds' */
  readonly histogram?: string;
  /** The bucket boundary a good request stays within, as its `le` label is written (`'0.3'`). */
  readonly le: string;
}

/** The ways to state an SLI. */
export type SliProps = EventsSliProps | RawSliProps | HttpErrorsSliProps | HttpLatencySliProps;

/** The SLI builders. */
export const Sli = {
  /** Bad events over all events (Sloth's `sli.events`). */
  events: (errorQuery: string, totalQuery: string): EventsSliProps => ({ kind: 'events', errorQuery, totalQuery }),
  /** The error ratio as one query (Sloth's `sli.raw`). */
  raw: (errorRatioQuery: string): RawSliProps => ({ kind: 'raw', errorRatioQuery }),
  /** 5xx (or `errorStatus`) responses over all responses of the service. */
  httpErrors: (options: Omit<HttpErrorsSliProps, 'kind'> = {}): HttpErrorsSliProps => ({ kind: 'http-errors', ...options }),
  /** Responses slower than the bucket `le` over all responses of the service. */
  httpLatency: (options: Omit<HttpLatencySliProps, 'kind'>): HttpLatencySliProps => ({ kind: 'http-latency', ...options }),
};

/** The label matchers that select a scraped service's series (`namespace="shop", service="orders-api"`). */
export interface ServiceSelector {
  readonly namespace: string;
  readonly service: string;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Checks a query template: it holds the window placeholder and, with a window put in, parses as PromQL. */
function checkTemplate(path: string, field: string, query: string): string {
  if (query.match(WINDOW_PLACEHOLDER) === null) {
    throw PlatformError.of({
      path, field, value: query, rule: 'has no {{.window}} placeholder',
      fix: 'write {{.window}} where the range goes (rate(x[{{.window}}])), so each alert window gets its own rule',
    });
  }
  const sample = query.replace(WINDOW_PLACEHOLDER, '5m');
  const at = promqlErrorAt(sample);
  if (at !== undefined) {
    throw PlatformError.of({
      path, field, value: query, rule: `is not valid PromQL with the window put in (error ${promqlErrorPlace(sample, at)})`,
      fix: 'fix the query so it parses (try it in the Prometheus UI with [5m] in place of {{.window}})',
    });
  }
  return query;
}

/** The SLI as one error-ratio template with `{{.window}}`, the way Sloth writes its SLI recording rules. */
export function errorRatioTemplate(path: string, sli: SliProps, selector: ServiceSelector): string {
  const sel = `namespace=${JSON.stringify(selector.namespace)}, service=${JSON.stringify(selector.service)}`;
  switch (sli.kind) {
    case 'events':
      // Sloth's eventsSLIRecordGenerator: `(error)\n/\n(total)`.
      return `(${checkTemplate(path, 'sli.errorQuery', sli.errorQuery)})\n/\n(${checkTemplate(path, 'sli.totalQuery', sli.totalQuery)})`;
    case 'raw':
      // Sloth's rawSLIRecordGenerator: `(ratio)`.
      return `(${checkTemplate(path, 'sli.errorRatioQuery', sli.errorRatioQuery)})`;
    case 'http-errors': {
      const metric = checkName(path, 'sli.metric', sli.metric ?? 'http_requests_total', METRIC_NAME);
      const status = checkName(path, 'sli.statusLabel', sli.statusLabel ?? 'code', LABEL_NAME);
      const errors = sli.errorStatus ?? '5..';
      const error = `sum(rate(${metric}{${sel}, ${status}=~${JSON.stringify(errors)}}[{{.window}}]))`;
      const total = `sum(rate(${metric}{${sel}}[{{.window}}]))`;
      return errorRatioTemplate(path, { kind: 'events', errorQuery: error, totalQuery: total }, selector);
    }
    case 'http-latency': {
      const h = checkName(path, 'sli.histogram', sli.histogram ?? 'http_request_duration_seconds', METRIC_NAME);
      if (!/^(\d+(\.\d+)?([eE][-+]?\d+)?|\+Inf)$/.test(sli.le)) {
        throw PlatformError.of({ path, field: 'sli.le', value: sli.le, rule: 'is not a bucket boundary', fix: "write the le label as the histogram exports it (e.g. '0.3')" });
      }
      const error = `(sum(rate(${h}_count{${sel}}[{{.window}}])) - sum(rate(${h}_bucket{${sel}, le=${JSON.stringify(sli.le)}}[{{.window}}])))`;
      const total = `sum(rate(${h}_count{${sel}}[{{.window}}]))`;
      return errorRatioTemplate(path, { kind: 'events', errorQuery: error, totalQuery: total }, selector);
    }
  }
}

function checkName(path: string, field: string, name: string, pattern: RegExp): string {
  if (!pattern.test(name)) throw PlatformError.of({ path, field, value: name, rule: 'is not a Prometheus name', fix: "use letters, digits and '_'" });
  return name;
}

/** The template with a window put in. */
export function atWindow(template: string, window: string): string {
  return template.replace(WINDOW_PLACEHOLDER, window);
}
