import { Construct } from 'constructs';
import { Duration, PlatformError, parseAt, type DurationLike } from '../../core';
import { checkPromQL } from './promql';
import { checkProps } from '../../core/props-check';

/**
 * How urgent an alert is: `critical` pages, `warning` goes to the team's channel, `info` only
 * inhibits or annotates; `none` is the Watchdog's (as kube-prometheus labels it): it goes to the
 * heartbeat receiver only.
 */
export type Severity = 'critical' | 'warning' | 'info' | 'none';

/** One alerting rule. */
export interface AlertRuleProps {
  /** The alert's name, in UpperCamelCase (`NodeNotReady`). */
  readonly alert: string;
  /** The PromQL expression; every series it returns is an alert. */
  readonly expr: string;
  /** How long the expression must hold before the alert fires. @default - fires on the first evaluation */
  readonly for?: DurationLike;
  /** How urgent it is. */
  readonly severity: Severity;
  /** The team that owns the rule (the `team` label). */
  readonly team: string;
  /** One line for the notification; may use `{{ $labels.<name> }}`. */
  readonly summary: string;
  /** More detail for the notification. @default - none */
  readonly description?: string;
  /** The runbook: an https URL (the `runbook_url` annotation). */
  readonly runbook: string;
  /** More labels on the alert. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** One recording rule: a precomputed series. */
export interface RecordingRuleProps {
  /** The recorded series' name, `level:metric:operations` (`namespace:container_cpu_usage:rate5m`). */
  readonly record: string;
  /** The PromQL expression. */
  readonly expr: string;
  /** Labels added to the recorded series. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Props of a {@link RuleGroup}. */
export interface RuleGroupProps {
  /** The group's name in the rule file. @default - the construct id */
  readonly name?: string;
  /** How often the group is evaluated. @default - Prometheus's global evaluation interval */
  readonly interval?: DurationLike;
  /** Recording rules, evaluated before the alerts of the group. @default [] */
  readonly records?: readonly RecordingRuleProps[];
  /** Alerting rules. @default [] */
  readonly alerts?: readonly AlertRuleProps[];
}

/** A rule as Prometheus's rule file format writes it. */
export interface RenderedRule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A rule group as Prometheus's rule file format writes it. */
export interface RenderedRuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly RenderedRule[];
}

const ALERT_NAME = /^[A-Z][A-Za-z0-9]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const GROUP_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const RESERVED = ['alertname', 'severity', 'team', '__name__'];

/**
 * A group of Prometheus alerting and recording rules, checked as it is built: every expression
 * parses as PromQL, every `for` is a duration, alert names are unique in the group, and every
 * alert carries severity, team, summary and a runbook link.
 *
 * @example
 * new RuleGroup(scope, 'orders', {
 *   alerts: [{ alert: 'OrdersBacklog', expr: 'orders_queue_depth > 1000', for: '10m', severity: 'warning',
 *     team: 'shop', summary: 'The orders queue is backing up', runbook: 'https://runbooks.example.com/orders-backlog' }],
 * });
 */
export class RuleGroup extends Construct {
  /** The group's name in the rule file. */
  public readonly name: string;
  /** The alert names of the group, in order, each once (a name with a warning and a critical tier is listed once). */
  public readonly alertNames: readonly string[];
  private readonly rendered: RenderedRuleGroup;

  public constructor(scope: Construct, id: string, props: RuleGroupProps) {
    super(scope, id);
    props = checkProps(this, RuleGroup, props);
    this.name = props.name ?? id;
    if (!GROUP_NAME.test(this.name)) {
      throw PlatformError.at(this, { field: 'name', value: this.name, rule: 'is not a rule group name', fix: "use lowercase letters, digits, '-' and '.' (e.g. 'node.rules')" });
    }
    const interval = props.interval === undefined ? undefined : parseAt(this, 'interval', () => Duration.of(props.interval as DurationLike));
    const records = (props.records ?? []).map((r, i) => this.renderRecord(r, i));
    const alerts = props.alerts ?? [];
    const names: string[] = [];
    const tiers: string[] = [];
    const rendered = alerts.map((a, i) => {
      // One name may have tiers (a warning and a critical rule, as the mixins write them), told apart by severity and labels.
      const tier = JSON.stringify([a.alert, a.severity, Object.entries(a.labels ?? {}).sort()]);
      if (tiers.includes(tier)) {
        throw PlatformError.at(this, {
          field: `alerts[${i}].alert`, value: a.alert, rule: `repeats an alert of group ${this.name} with the same severity and labels`,
          fix: 'give every alert of a group its own name, or tell its tiers apart by severity or labels, or merge the two expressions',
        });
      }
      tiers.push(tier);
      if (!names.includes(a.alert)) names.push(a.alert);
      return this.renderAlert(a);
    });
    if (records.length + rendered.length === 0) {
      throw PlatformError.at(this, { field: 'rules', rule: 'must hold at least one alert or recording rule', fix: 'add alerts or records, or drop the group' });
    }
    this.alertNames = names;
    this.rendered = { name: this.name, ...(interval === undefined ? {} : { interval: interval.toString() }), rules: [...records, ...rendered] };
  }

  /** The group in Prometheus's rule file format. */
  public toJSON(): RenderedRuleGroup {
    return this.rendered;
  }

  private renderRecord(r: RecordingRuleProps, i: number): RenderedRule {
    const field = `records[${i}]`;
    if (!METRIC_NAME.test(r.record)) {
      throw PlatformError.at(this, { field: `${field}.record`, value: r.record, rule: 'is not a metric name', fix: "use letters, digits, '_' and ':' (e.g. 'namespace:container_cpu_usage:rate5m')" });
    }
    const labels = this.checkLabels(`${field}.labels`, r.labels ?? {}, ['__name__']);
    return { record: r.record, expr: checkPromQL(this, `${field}.expr`, r.expr), ...(Object.keys(labels).length === 0 ? {} : { labels }) };
  }

  private renderAlert(a: AlertRuleProps): RenderedRule {
    const field = `alerts[${a.alert}]`;
    if (!ALERT_NAME.test(a.alert)) {
      throw PlatformError.at(this, { field: 'alerts', value: a.alert, rule: 'is not an alert name', fix: "write the name in UpperCamelCase letters and digits (e.g. 'NodeNotReady')" });
    }
    const expr = checkPromQL(this, `${field}.expr`, a.expr);
    const holdFor = a.for === undefined ? undefined : parseAt(this, `${field}.for`, () => Duration.of(a.for as DurationLike));
    if (a.team.trim() === '') throw PlatformError.at(this, { field: `${field}.team`, rule: 'must name the owning team', fix: 'set team to the team that answers the alert' });
    if (a.summary.trim() === '') throw PlatformError.at(this, { field: `${field}.summary`, rule: 'must say what is wrong in one line', fix: 'write the summary a person reads in the notification' });
    if (!/^https:\/\/[^\s/]+\/\S*$/.test(a.runbook)) {
      throw PlatformError.at(this, { field: `${field}.runbook`, value: a.runbook, rule: 'is not an https URL', fix: 'link the runbook page (https://...)' });
    }
    const labels = this.checkLabels(`${field}.labels`, a.labels ?? {}, RESERVED);
    return {
      alert: a.alert,
      expr,
      ...(holdFor === undefined ? {} : { for: holdFor.toString() }),
      labels: { severity: a.severity, team: a.team, ...labels },
      annotations: { summary: a.summary, ...(a.description === undefined ? {} : { description: a.description }), runbook_url: a.runbook },
    };
  }

  private checkLabels(field: string, labels: Readonly<Record<string, string>>, reserved: readonly string[]): Record<string, string> {
    for (const name of Object.keys(labels)) {
      if (!LABEL_NAME.test(name) || name.startsWith('__')) {
        throw PlatformError.at(this, { field, value: name, rule: 'is not a label name', fix: "use letters, digits and '_', not starting with a digit or '__'" });
      }
      if (reserved.includes(name)) {
        throw PlatformError.at(this, { field, value: name, rule: 'is set by the rule itself', fix: `drop it; set ${name} through its own field` });
      }
    }
    return { ...labels };
  }
}
