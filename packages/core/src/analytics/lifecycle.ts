import type { CustomerSummary } from "../summary/types.ts";
import { DAYS_PER_UNIT, type TimeUnit } from "../time.ts";
import { quantileSorted } from "./quantile.ts";

export type LifecycleState = "new" | "active" | "at_risk" | "lapsed";

/** The thresholds of the lifecycle rules; every one is reported back in the result. */
export interface LifecycleThresholds {
  /** A customer whose first purchase is at most this many days before the end is "new"; default 90. */
  readonly newCustomerDays: number;
  /** P(alive) below this is "lapsed"; default 0.2. */
  readonly lapsedBelowPAlive: number;
  /** A high-value customer with P(alive) below this (and not lapsed) is "at risk"; default 0.6. */
  readonly atRiskBelowPAlive: number;
  /** "High value" means historic revenue at or above this quantile of all customers'; default 0.8 (top 20%). */
  readonly highValueQuantile: number;
}

/**
 * The default lifecycle thresholds (see `LifecycleThresholds`).
 * @example lifecycleStates(summaries, "day", pAlive, { ...DEFAULT_LIFECYCLE_THRESHOLDS, newCustomerDays: 60 })
 */
export const DEFAULT_LIFECYCLE_THRESHOLDS: LifecycleThresholds = Object.freeze({
  newCustomerDays: 90,
  lapsedBelowPAlive: 0.2,
  atRiskBelowPAlive: 0.6,
  highValueQuantile: 0.8,
});

export interface LifecycleResult {
  readonly thresholds: LifecycleThresholds;
  /** The historic revenue at `highValueQuantile` (the high-value cut); null with no customers. */
  readonly highValueCut: number | null;
  /** The rules in words, in the order they are applied. */
  readonly rules: readonly string[];
  readonly stateOf: readonly LifecycleState[];
  readonly counts: Readonly<Record<LifecycleState, number>>;
  readonly shares: Readonly<Record<LifecycleState, number>>;
}

/**
 * What the lifecycle rules read per customer, as columns (e.g. a `SummaryColumns`): T in the time unit and
 * the historic revenue, so a million customers need no summary object each.
 */
export interface LifecycleColumns {
  readonly T: ArrayLike<number>;
  readonly historicRevenue: ArrayLike<number>;
}

/**
 * Lifecycle states, first matching rule wins:
 * 1. new: first purchase at most `newCustomerDays` before the end of calibration (T in days);
 * 2. lapsed: P(alive) < `lapsedBelowPAlive`;
 * 3. at_risk: historic revenue >= the `highValueQuantile` cut and P(alive) < `atRiskBelowPAlive`;
 * 4. active: everyone else.
 * `pAlive[i]` belongs to `customers[i]` (summaries, or columns); a non-finite P(alive) counts as 0 (the
 * customer cannot be shown alive).
 * @example lifecycleStates(summaries, "week", pAlive).stateOf[0] // "lapsed" when pAlive[0] < 0.2 and T > 90 days
 */
export function lifecycleStates(
  customers: readonly CustomerSummary[] | LifecycleColumns,
  timeUnit: TimeUnit,
  pAlive: ArrayLike<number>,
  thresholds: Partial<LifecycleThresholds> = {},
): LifecycleResult {
  const th: LifecycleThresholds = { ...DEFAULT_LIFECYCLE_THRESHOLDS, ...thresholds };
  const d = DAYS_PER_UNIT[timeUnit];
  const cols: LifecycleColumns = Array.isArray(customers)
    ? {
        T: Float64Array.from(customers as readonly CustomerSummary[], (c) => c.T),
        historicRevenue: Float64Array.from(
          customers as readonly CustomerSummary[],
          (c) => c.historic_revenue,
        ),
      }
    : (customers as LifecycleColumns);
  const n = cols.T.length;
  const revenue = Float64Array.from(cols.historicRevenue, (v) => (Number.isFinite(v) ? v : 0));
  const highValueCut = n > 0 ? quantileSorted(Float64Array.from(revenue).sort(), th.highValueQuantile) : null;
  const counts: Record<LifecycleState, number> = { new: 0, active: 0, at_risk: 0, lapsed: 0 };
  const stateOf: LifecycleState[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const pa = pAlive[i] as number;
    const p = Number.isFinite(pa) ? pa : 0;
    let s: LifecycleState;
    if ((cols.T[i] as number) * d <= th.newCustomerDays) s = "new";
    else if (p < th.lapsedBelowPAlive) s = "lapsed";
    else if (highValueCut !== null && (revenue[i] as number) >= highValueCut && p < th.atRiskBelowPAlive)
      s = "at_risk";
    else s = "active";
    stateOf[i] = s;
    counts[s]++;
  }
  const share = (k: LifecycleState): number => (n > 0 ? counts[k] / n : 0);
  return {
    thresholds: th,
    highValueCut,
    rules: [
      `new: first purchase at most ${th.newCustomerDays} days before the end of the data`,
      `lapsed: P(alive) below ${th.lapsedBelowPAlive}`,
      `at_risk: historic revenue in the top ${Math.round((1 - th.highValueQuantile) * 100)}% (>= ${highValueCut ?? "n/a"}) and P(alive) below ${th.atRiskBelowPAlive}`,
      "active: everyone else",
    ],
    stateOf,
    counts,
    shares: {
      new: share("new"),
      active: share("active"),
      at_risk: share("at_risk"),
      lapsed: share("lapsed"),
    },
  };
}
