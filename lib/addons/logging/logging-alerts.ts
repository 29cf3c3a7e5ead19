import { AGENT_NAMESPACE, LOGGING_NAMESPACE } from './logging-component';

/** One alert, in the shape the monitoring addon's rule groups take (its `AlertRuleProps`). */
export interface LoggingAlert {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: 'critical' | 'warning';
  readonly team: string;
  readonly summary: string;
  readonly description: string;
  readonly runbook: string;
}

/** The logging alerts as one rule group, to hand to the monitoring addon's `ruleGroups` (the composition root does). */
export interface LoggingAlertGroup {
  readonly name: string;
  readonly alerts: readonly LoggingAlert[];
}

/** Whom the alerts name and where their runbooks are. */
export interface LoggingAlertProps {
  /** The team that owns them. @default 'platform' */
  readonly team?: string;
  /** Runbooks are `<base>/<slug>`. @default 'https://runbooks.example.com/platform' */
  readonly runbookBaseUrl?: string;
}

/**
 * Alerts on the loss budget, from Fluent Bit's own metrics (src/flb_output.c: the per-output
 * counters and gauges, labelled with the output's `name`, its alias `es-<stream>`): records
 * dropped (an output's disk limit was reached: the oldest chunks are going), records being
 * retried (Elasticsearch refuses or is away), and the disk buffer filling towards its limit.
 */
export function loggingAlerts(props: LoggingAlertProps = {}): LoggingAlertGroup {
  const team = props.team ?? 'platform';
  const base = props.runbookBaseUrl ?? 'https://runbooks.example.com/platform';
  // The node agent (its namespace) and the event shipper (the addon's).
  const sel = `namespace=~"${AGENT_NAMESPACE}|${LOGGING_NAMESPACE}",name=~"es-.*"`;
  return {
    name: 'logging',
    alerts: [
      {
        alert: 'LogRecordsDropped', severity: 'critical', team, for: '0m',
        expr: `sum by (namespace, pod, name) (increase(fluentbit_output_dropped_records_total{${sel}}[10m])) > 0`,
        summary: 'Fluent Bit {{ $labels.pod }} dropped records of {{ $labels.name }}',
        description: 'The output reached its storage.total_limit_size (the loss budget) and drops its oldest chunks: Elasticsearch has been unreachable longer than the budgeted outage.',
        runbook: `${base}/log-records-dropped`,
      },
      {
        alert: 'LogRecordsRetrying', severity: 'warning', team, for: '15m',
        expr: `sum by (namespace, pod, name) (rate(fluentbit_output_retried_records_total{${sel}}[5m])) > 0`,
        summary: 'Fluent Bit {{ $labels.pod }} keeps retrying {{ $labels.name }}',
        description: 'Elasticsearch refuses or does not answer bulk requests; records wait on the node disk until the loss budget is used up.',
        runbook: `${base}/log-records-retrying`,
      },
      {
        alert: 'LogBufferFilling', severity: 'warning', team, for: '5m',
        expr: `min by (namespace, pod, name) (fluentbit_output_chunk_available_capacity_percent{${sel}}) < 50`,
        summary: 'Half of the disk buffer of {{ $labels.name }} on {{ $labels.pod }} is used',
        description: 'When it is full, the oldest chunks are dropped.',
        runbook: `${base}/log-buffer-filling`,
      },
    ],
  };
}
