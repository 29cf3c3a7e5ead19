import { Duration, PlatformError, checkDnsLabel } from '../../core';
import { errorRatioTemplate, type ServiceSelector, type SliProps } from './sli';
import { DEFAULT_ALERT_WINDOWS, SLO_PERIODS, burnTiers, type AlertWindows, type SloPeriod } from './windows';

/** What an SLO states: the objective, the period, the SLI, who owns it and what wakes them. */
export interface SloProps {
  /** The SLO's name, unique on its service (`availability`). @default - the construct id */
  readonly name?: string;
  /** The objective in percent of good events, > 0 and < 100 (`99.9`). */
  readonly objective: number;
  /** The period the budget is measured over: '7d', '28d' or '30d'. @default '30d' */
  readonly period?: SloPeriod;
  /** The service level indicator. */
  readonly sli: SliProps;
  /** The team that owns the SLO: its alerts carry `team=<team>`, which the monitoring addon routes on. */
  readonly team: string;
  /** The runbook the alerts link (an https URL). */
  readonly runbook: string;
  /** One line on what the SLO promises. @default - none */
  readonly description?: string;
  /** More labels on every recorded series and alert (`tier: '1'`). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** The page tier (critical, both quick and slow windows). @default true */
  readonly page?: boolean;
  /** The ticket tier (warning, both quick and slow windows). @default true */
  readonly ticket?: boolean;
  /** The tiers' windows and budget shares. @default - Sloth's catalog for the period, DEFAULT_ALERT_WINDOWS */
  readonly windows?: AlertWindows;
  /**
   * How the period's error ratio is recorded: 'exact' divides the error and total rates over the
   * whole period (Sloth with `disableOptimized`); 'averaged' averages the recorded 5m ratio over
   * the period (Sloth's default, cheaper, unweighted, and empty until the rules have run a period).
   * @default 'exact'
   */
  readonly periodRatio?: 'exact' | 'averaged';
  /**
   * Per environment, what differs there (`{ stage: { period: '7d' } }`, where Prometheus keeps a
   * week): the `Slo` construct applies the entry of the environment it is synthesized for.
   * @default - the same SLO everywhere
   */
  readonly overrides?: Readonly<Record<string, SloOverrides>>;
}

/** What an environment may change of an SLO. */
export interface SloOverrides {
  /** @default - the SLO's objective */
  readonly objective?: number;
  /** @default - the SLO's period */
  readonly period?: SloPeriod;
  /** @default - the SLO's page tier */
  readonly page?: boolean;
  /** @default - the SLO's ticket tier */
  readonly ticket?: boolean;
}

/** The service an SLO is on: a WebService or Worker that declares metrics, or the same facts from a service repo. */
export interface SloService {
  /** The service's name (`orders-api`). */
  readonly name: string;
  readonly namespace: string;
  /** The `service` label its series carry: the name of the Service Prometheus discovers it through. */
  readonly metricsService: string;
  /** Whether it declares a metrics port at all. */
  readonly scraped: boolean;
}

/** An SLO resolved against its service: everything the rules and the gate need, as plain data. */
export interface SloDefinition {
  /** Sloth's id, `<service>-<name>` (the `sloth_id` label). */
  readonly id: string;
  /** Where it was declared (a construct path), for errors. */
  readonly path: string;
  readonly service: string;
  readonly namespace: string;
  readonly name: string;
  readonly objective: number;
  readonly period: SloPeriod;
  /** The error ratio with `{{.window}}` for the range. */
  readonly errorRatio: string;
  readonly team: string;
  readonly runbook: string;
  readonly description: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly page: boolean;
  readonly ticket: boolean;
  readonly windows: AlertWindows;
  readonly periodRatio: 'exact' | 'averaged';
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Labels the rules set themselves. */
const RESERVED_LABELS = ['namespace', 'team', 'severity', 'alertname', '__name__'];

/** Resolves and checks an SLO of `service`; `path` names where it was declared. */
export function defineSlo(path: string, service: SloService, name: string, props: SloProps): SloDefinition {
  checkDnsLabel(name, { path, field: 'name' });
  if (!NAME.test(name)) throw PlatformError.of({ path, field: 'name', value: name, rule: 'is not a lowercase name', fix: "use lowercase letters, digits and '-' (e.g. 'availability')" });
  if (!service.scraped) {
    throw PlatformError.of({
      path, field: 'service', value: service.name, rule: 'declares no metrics, so Prometheus has no series for the SLI',
      fix: "declare metrics: { port: '<port name>' } on the service, then put the SLO on it",
    });
  }
  if (!(Number.isFinite(props.objective) && props.objective > 0 && props.objective < 100)) {
    throw PlatformError.of({
      path, field: 'objective', value: props.objective, rule: 'must be > 0 and < 100 (a percentage of good events)',
      fix: 'write the objective in percent, such as 99.9; 100 leaves no error budget',
    });
  }
  const period = props.period ?? '30d';
  if (!SLO_PERIODS.includes(period)) {
    throw PlatformError.of({ path, field: 'period', value: period, rule: `is not one of the allowed periods [${SLO_PERIODS.join(', ')}]`, fix: "use '30d' (the default), '28d' or '7d'" });
  }
  if (props.team.trim() === '') throw PlatformError.of({ path, field: 'team', rule: 'must name the owning team', fix: 'set team to the team whose alerts route gets the burn alerts' });
  if (!/^https:\/\/[^\s/]+\/\S*$/.test(props.runbook)) {
    throw PlatformError.of({ path, field: 'runbook', value: props.runbook, rule: 'is not an https URL', fix: 'link the runbook page (https://...)' });
  }
  const labels = props.labels ?? {};
  for (const label of Object.keys(labels)) {
    if (!LABEL_NAME.test(label) || label.startsWith('__') || label.startsWith('sloth_') || RESERVED_LABELS.includes(label)) {
      throw PlatformError.of({
        path, field: 'labels', value: label, rule: 'is not a label the SLO may set',
        fix: `use letters, digits and '_', not starting with '__' or 'sloth_', and none of [${RESERVED_LABELS.join(', ')}]`,
      });
    }
  }
  const windows = props.windows ?? DEFAULT_ALERT_WINDOWS[period];
  try {
    burnTiers(period, windows);
  } catch (e) {
    if (e instanceof PlatformError) throw new PlatformError(e.problems.map((p) => `${path}: windows: ${p}`));
    throw e;
  }
  const selector: ServiceSelector = { namespace: service.namespace, service: service.metricsService };
  return {
    id: `${service.name}-${name}`,
    path,
    service: service.name,
    namespace: service.namespace,
    name,
    objective: props.objective,
    period,
    errorRatio: errorRatioTemplate(path, props.sli, selector),
    team: props.team,
    runbook: props.runbook,
    description: props.description,
    labels: { ...labels },
    page: props.page ?? true,
    ticket: props.ticket ?? true,
    windows,
    periodRatio: props.periodRatio ?? 'exact',
  };
}

/**
 * Reads SLO definitions a service repo published as JSON (`JSON.stringify(Slo.definitionsIn(app))`)
 * back into values the SLO addon takes, checking what the rules depend on.
 */
export function readSloDefinitions(source: string, text: string): SloDefinition[] {
  const bad = (field: string, value: unknown, rule: string): PlatformError =>
    PlatformError.of({ path: source, field, value, rule, fix: "publish the service repo's Slo.definitionsIn(app) with JSON.stringify" });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw bad('(file)', undefined, `is not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(raw)) throw bad('(file)', undefined, 'is not a list of SLO definitions');
  return raw.map((d: Partial<Record<keyof SloDefinition, unknown>>, i) => {
    const field = `[${i}]`;
    for (const key of ['id', 'path', 'service', 'namespace', 'name', 'errorRatio', 'team', 'runbook'] as const) {
      if (typeof d[key] !== 'string') throw bad(`${field}.${key}`, d[key], 'must be a string');
    }
    const w = d.windows as Record<string, { budgetPercent?: unknown; short?: unknown; long?: unknown }> | undefined;
    const tier = (name: keyof AlertWindows) => {
      const t = w?.[name];
      if (typeof t?.budgetPercent !== 'number' || typeof t.short !== 'string' || typeof t.long !== 'string') throw bad(`${field}.windows.${name}`, t, 'must hold budgetPercent, short and long');
      return { budgetPercent: t.budgetPercent, short: Duration.parse(t.short), long: Duration.parse(t.long) };
    };
    const windows: AlertWindows = { pageQuick: tier('pageQuick'), pageSlow: tier('pageSlow'), ticketQuick: tier('ticketQuick'), ticketSlow: tier('ticketSlow') };
    const def = d as unknown as SloDefinition;
    if (!SLO_PERIODS.includes(def.period)) throw bad(`${field}.period`, def.period, `is not one of the allowed periods [${SLO_PERIODS.join(', ')}]`);
    if (!(typeof def.objective === 'number' && def.objective > 0 && def.objective < 100)) throw bad(`${field}.objective`, def.objective, 'must be > 0 and < 100');
    burnTiers(def.period, windows);
    // the same placeholder and PromQL check as at definition (the result, wrapped, is not needed)
    errorRatioTemplate(`${source}${field}`, { kind: 'raw', errorRatioQuery: def.errorRatio }, { namespace: def.namespace, service: def.service });
    return { ...def, windows, labels: { ...def.labels } };
  });
}
