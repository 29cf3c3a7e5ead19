/** One input series: `metric{label="value"}` and promtool's expanding notation (`0+1x40`). */
export interface Series {
  readonly series: string;
  readonly values: string;
}

/** One case: the series, when to look, and the labels the alert carries from its expression (none when quiet). */
export interface AlertCase {
  readonly series: readonly Series[];
  /** When to look at the alert (at most 65m, so the sampling stays off range boundaries). @default '25m' */
  readonly at?: string;
  /**
   * The labels of each firing alert from the expression (the rule's own labels are added; a name
   * with tiers names the tier by `severity`, and its other labels); empty list: stays quiet.
   */
  readonly alerts: readonly Readonly<Record<string, string>>[];
}

/** The cases of one alert name. */
export interface NameCases {
  /** Where it fires: one case, or one per tier. */
  readonly fires: AlertCase | readonly AlertCase[];
  /** Where it stays quiet (`never` for the one that always fires). */
  readonly quiet: AlertCase | 'never';
  /** Tiers no case can show firing inside the test window (named by their labels), each with the reason. @default [] */
  readonly unshown?: readonly { readonly tier: Readonly<Record<string, string>>; readonly reason: string }[];
}

export type RuleCases = Record<string, NameCases>;

/** What the cases depend on. */
export interface TestContext {
  readonly namespace: string;
  readonly probeCronJob: string;
  readonly alertmanagerReplicas: number;
}

export const s = (series: string, values: string): Series => ({ series, values });
export const KSM = 'job="kube-state-metrics"';
