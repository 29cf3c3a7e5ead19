import { stringify } from 'yaml';
import { atWindow } from './sli';
import type { SloDefinition } from './slo-definition';
import { alertWindowSet, burnTiers, periodDuration, windowText, type BurnTier } from './windows';

/** One rule as Prometheus's rule file format writes it. */
export interface SloRule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** One rule group as Prometheus's rule file format writes it. */
export interface SloRuleGroup {
  readonly name: string;
  readonly rules: readonly SloRule[];
}

/** Sloth's series and label names (`pkg/common/conventions/slo.go`), kept so its dashboards read ours. */
export const SLOTH = {
  sliError: 'slo:sli_error:ratio_rate',
  objective: 'slo:objective:ratio',
  errorBudget: 'slo:error_budget:ratio',
  periodDays: 'slo:time_period:days',
  currentBurnRate: 'slo:current_burn_rate:ratio',
  periodBurnRate: 'slo:period_burn_rate:ratio',
  remaining: 'slo:period_error_budget_remaining:ratio',
  info: 'sloth_slo_info',
  id: 'sloth_id',
  slo: 'sloth_slo',
  service: 'sloth_service',
  window: 'sloth_window',
  severity: 'sloth_severity',
} as const;

/** The queries the release gate asks for an SLO. */
export interface GateQueries {
  /** The share of the period's budget left (1 = untouched, 0 = spent, below 0 = overspent). */
  readonly remaining: string;
  /** Non-empty while a page-tier burn is on (the page alert's own expression). */
  readonly pageBurn: string;
  /** Non-empty while a ticket-tier burn is on. */
  readonly ticketBurn: string;
}

const exact = (x: number): number => Number(x.toPrecision(12));

/** The alert names of an SLO: `OrdersApiAvailabilityBurnRatePage` and `...Ticket`. */
export function sloAlertNames(def: SloDefinition): { page: string; ticket: string } {
  const base = def.id.split('-').map((p) => (p === '' ? '' : `${p[0]?.toUpperCase() ?? ''}${p.slice(1)}`)).join('');
  return { page: `${base}BurnRatePage`, ticket: `${base}BurnRateTicket` };
}

function idLabels(def: SloDefinition): Record<string, string> {
  return { [SLOTH.id]: def.id, [SLOTH.service]: def.service, [SLOTH.slo]: def.name };
}

/** The filter `{sloth_id="…", sloth_service="…", sloth_slo="…"}` (Sloth's `LabelsToPromFilter`, sorted by name). */
function idFilter(def: SloDefinition): string {
  const labels = idLabels(def);
  return `{${Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(', ')}}`;
}

/** What every series of the SLO carries: its ids, its namespace (routing and inhibition use it) and its labels. */
function seriesLabels(def: SloDefinition): Record<string, string> {
  return { ...def.labels, namespace: def.namespace, ...idLabels(def) };
}

/** Sloth's multi-window multi-burn-rate expression (`internal/plugin/slo/core/alert_rules_v1/plugin.go`, `mwmbAlertTpl`). */
function burnExpr(def: SloDefinition, quick: BurnTier, slow: BurnTier): string {
  const f = idFilter(def);
  const budget = exact((100 - def.objective) / 100);
  const cond = (window: string, factor: number) => `max(${SLOTH.sliError}${window}${f} > (${factor} * ${budget})) without (${SLOTH.window})`;
  return [
    '(',
    `    ${cond(windowText(quick.short), quick.factor)}`,
    '    and',
    `    ${cond(windowText(quick.long), quick.factor)}`,
    ')',
    'or',
    '(',
    `    ${cond(windowText(slow.short), slow.factor)}`,
    '    and',
    `    ${cond(windowText(slow.long), slow.factor)}`,
    ')',
  ].join('\n');
}

/** The gate's queries for an SLO. */
export function gateQueries(def: SloDefinition): GateQueries {
  const t = burnTiers(def.period, def.windows);
  return {
    remaining: `${SLOTH.remaining}${idFilter(def)}`,
    pageBurn: burnExpr(def, t.pageQuick, t.pageSlow),
    ticketBurn: burnExpr(def, t.ticketQuick, t.ticketSlow),
  };
}

/**
 * The three rule groups of an SLO, with Sloth's names and meaning: the SLI error ratio over every
 * alert window and the period, the meta series (objective, budget, burn rates, remaining budget,
 * info) and the page and ticket alerts.
 */
export function sloRuleGroups(def: SloDefinition): SloRuleGroup[] {
  const tiers = burnTiers(def.period, def.windows);
  const labels = seriesLabels(def);
  const f = idFilter(def);
  const period = windowText(periodDuration(def.period));
  const shortest = windowText(tiers.pageQuick.short);

  // internal/plugin/slo/core/sli_rules_v1/plugin.go: one rule per window, the period last.
  const sli: SloRule[] = alertWindowSet(def.windows).map((d) => {
    const window = windowText(d);
    return { record: `${SLOTH.sliError}${window}`, expr: atWindow(def.errorRatio, window), labels: { ...labels, [SLOTH.window]: window } };
  });
  const periodExpr = def.periodRatio === 'exact'
    ? atWindow(def.errorRatio, period)
    // Sloth's optimizedSLIRecordGenerator.
    : `sum_over_time(${SLOTH.sliError}${shortest}${f}[${period}])\n/ ignoring (${SLOTH.window})\ncount_over_time(${SLOTH.sliError}${shortest}${f}[${period}])`;
  sli.push({ record: `${SLOTH.sliError}${period}`, expr: periodExpr, labels: { ...labels, [SLOTH.window]: period } });

  // internal/plugin/slo/core/metadata_rules_v1/plugin.go.
  const objective = exact(def.objective / 100);
  const burnRate = (metric: string) => `${metric}${f}\n/ on(${SLOTH.id}, ${SLOTH.slo}, ${SLOTH.service}) group_left\n${SLOTH.errorBudget}${f}`;
  const meta: SloRule[] = [
    { record: SLOTH.objective, expr: `vector(${objective})`, labels },
    { record: SLOTH.errorBudget, expr: `vector(1-${objective})`, labels },
    { record: SLOTH.periodDays, expr: `vector(${periodDuration(def.period).toMilliseconds() / 86_400_000})`, labels },
    { record: SLOTH.currentBurnRate, expr: burnRate(`${SLOTH.sliError}${shortest}`), labels },
    { record: SLOTH.periodBurnRate, expr: burnRate(`${SLOTH.sliError}${period}`), labels },
    { record: SLOTH.remaining, expr: `1 - ${SLOTH.periodBurnRate}${f}`, labels },
    { record: SLOTH.info, expr: 'vector(1)', labels: { ...labels, sloth_mode: 'platform-constructs', sloth_objective: String(def.objective) } },
  ];

  const names = sloAlertNames(def);
  const annotations = (severity: 'page' | 'ticket') => ({
    title: `(${severity}) {{$labels.${SLOTH.service}}} {{$labels.${SLOTH.slo}}} SLO error budget burn rate is too fast.`,
    summary: `{{$labels.${SLOTH.service}}} {{$labels.${SLOTH.slo}}} SLO error budget burn rate is over expected.`,
    ...(def.description === undefined ? {} : { description: def.description }),
    runbook_url: def.runbook,
  });
  const alerts: SloRule[] = [];
  if (def.page) {
    alerts.push({
      alert: names.page, expr: burnExpr(def, tiers.pageQuick, tiers.pageSlow),
      labels: { [SLOTH.severity]: 'page', severity: 'critical', team: def.team }, annotations: annotations('page'),
    });
  }
  if (def.ticket) {
    alerts.push({
      alert: names.ticket, expr: burnExpr(def, tiers.ticketQuick, tiers.ticketSlow),
      labels: { [SLOTH.severity]: 'ticket', severity: 'warning', team: def.team }, annotations: annotations('ticket'),
    });
  }
  return [
    { name: `sloth-slo-sli-recordings-${def.id}`, rules: sli },
    { name: `sloth-slo-meta-recordings-${def.id}`, rules: meta },
    ...(alerts.length === 0 ? [] : [{ name: `sloth-slo-alerts-${def.id}`, rules: alerts }]),
  ];
}

/** A Prometheus rule file holding the groups of every SLO given, in the order given. */
export function renderSloRuleFile(defs: readonly SloDefinition[]): string {
  // Written out in full: a reviewer reads every rule's labels where they apply (no YAML anchors).
  return stringify({ groups: defs.flatMap(sloRuleGroups) }, { lineWidth: 0, aliasDuplicateObjects: false });
}
