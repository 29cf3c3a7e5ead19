import { Duration, PlatformError } from '../../core';

/** The periods an SLO may be measured over. */
export type SloPeriod = '7d' | '28d' | '30d';

/** Every allowed period, in the order the docs list them. */
export const SLO_PERIODS: readonly SloPeriod[] = ['7d', '28d', '30d'];

/** One alerting tier's window pair and the share of the period's budget it may burn over its long window. */
export interface BurnWindow {
  /** The share of the whole period's error budget, in percent, this tier lets burn within `long`. */
  readonly budgetPercent: number;
  /** The short window: the alert stops as soon as the burn stops. */
  readonly short: Duration;
  /** The long window: the burn must last this long to count. */
  readonly long: Duration;
}

/**
 * The four multi-window multi-burn-rate tiers of a period, as Sloth's `AlertWindows` spec holds
 * them (`page.quick`, `page.slow`, `ticket.quick`, `ticket.slow`).
 */
export interface AlertWindows {
  readonly pageQuick: BurnWindow;
  readonly pageSlow: BurnWindow;
  readonly ticketQuick: BurnWindow;
  readonly ticketSlow: BurnWindow;
}

/** A tier with its burn-rate factor worked out for a period. */
export interface BurnTier extends BurnWindow {
  /** How many times faster than "exactly the budget over the period" errors arrive. */
  readonly factor: number;
}

const w = (budgetPercent: number, short: string, long: string): BurnWindow => ({ budgetPercent, short: Duration.parse(short), long: Duration.parse(long) });

/**
 * Sloth's window catalog. 28d and 30d are its defaults (`internal/alert/windows/google-28d.yaml`,
 * `google-30d.yaml`: the SRE workbook's 2%, 5%, 10%, 10%); 7d is its example
 * (`examples/windows/7d.yaml`), which gives each tier a larger share because a week holds
 * less budget: 8%, 12.5%, 20%, 42%.
 */
export const DEFAULT_ALERT_WINDOWS: Readonly<Record<SloPeriod, AlertWindows>> = {
  '30d': { pageQuick: w(2, '5m', '1h'), pageSlow: w(5, '30m', '6h'), ticketQuick: w(10, '2h', '1d'), ticketSlow: w(10, '6h', '3d') },
  '28d': { pageQuick: w(2, '5m', '1h'), pageSlow: w(5, '30m', '6h'), ticketQuick: w(10, '2h', '1d'), ticketSlow: w(10, '6h', '3d') },
  '7d': { pageQuick: w(8, '5m', '1h'), pageSlow: w(12.5, '30m', '6h'), ticketQuick: w(20, '2h', '1d'), ticketSlow: w(42, '6h', '3d') },
};

/** The period as a Duration. */
export function periodDuration(period: SloPeriod): Duration {
  return Duration.parse(period);
}

/**
 * The burn-rate factor of a tier, as Sloth computes it (`internal/alert/window.go`,
 * `getBurnRateFactor`): the hours in which `budgetPercent` of the period's budget is spent at
 * factor 1 (`budgetPercent × period / 100`), divided by the long window. 30 days, 2% over 1h:
 * 14.4.
 */
export function burnRateFactor(period: Duration, budgetPercent: number, longWindow: Duration): number {
  const hoursToConsume = (budgetPercent * period.toMilliseconds()) / 3_600_000 / 100;
  return roundFactor(hoursToConsume / (longWindow.toMilliseconds() / 3_600_000));
}

/** Rounds away binary noise (14.399999999999999 is 14.4) without changing a real factor. */
function roundFactor(x: number): number {
  return Number(x.toPrecision(12));
}

/** The four tiers of a period with their factors; refuses windows that cannot work. */
export function burnTiers(period: SloPeriod, windows: AlertWindows = DEFAULT_ALERT_WINDOWS[period]): Readonly<Record<keyof AlertWindows, BurnTier>> {
  const length = periodDuration(period);
  const tier = (name: keyof AlertWindows): BurnTier => {
    const t = windows[name];
    const where = { path: 'AlertWindows', field: name };
    if (!(t.budgetPercent > 0 && t.budgetPercent <= 100)) {
      throw PlatformError.of({ ...where, value: t.budgetPercent, rule: 'budgetPercent must be > 0 and <= 100', fix: 'give the share of the budget, in percent, the tier may burn' });
    }
    if (t.short.compare(t.long) >= 0) {
      throw PlatformError.of({ ...where, value: `${t.short.toString()}/${t.long.toString()}`, rule: 'short window must be shorter than the long window', fix: 'swap or shorten the short window' });
    }
    if (t.long.compare(length) > 0) {
      throw PlatformError.of({ ...where, value: t.long.toString(), rule: `long window must not exceed the period ${period}`, fix: 'use a long window within the period' });
    }
    return { ...t, factor: burnRateFactor(length, t.budgetPercent, t.long) };
  };
  return { pageQuick: tier('pageQuick'), pageSlow: tier('pageSlow'), ticketQuick: tier('ticketQuick'), ticketSlow: tier('ticketSlow') };
}

/**
 * A window as Prometheus range text the way Sloth names its series (`5m`, `1h`, `1d`, `30d`):
 * the largest of d, h, m, s that divides it, so no `4w2d`.
 */
export function windowText(d: Duration): string {
  const ms = d.toMilliseconds();
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms % size === 0 && ms >= size) return `${ms / size}${unit}`;
  }
  return d.toString();
}

/** Every distinct window the tiers use, shortest first (Sloth's `TimeDurationWindows`). */
export function alertWindowSet(windows: AlertWindows): Duration[] {
  const all = [windows.pageQuick, windows.pageSlow, windows.ticketQuick, windows.ticketSlow].flatMap((t) => [t.short, t.long]);
  const unique = new Map(all.map((d) => [d.toMilliseconds(), d]));
  return [...unique.values()].sort((a, b) => a.compare(b));
}
