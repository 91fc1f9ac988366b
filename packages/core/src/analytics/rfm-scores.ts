import type { CustomerSummary } from "../summary/types.ts";
import { DAYS_PER_UNIT, type TimeUnit } from "../time.ts";

/**
 * Quintile scores 1-5 with ties handled by mid-ranks: a value's score is floor(5 p) + 1 (capped at 5)
 * where p = (number below + half the number equal) / n is its mid-rank share. Equal values always get
 * the same score; with distinct values each score holds a fifth of the customers (n a multiple of 5).
 * Higher values get higher scores. Non-finite values count as the lowest.
 * @example quintileScores([10, 20, 30, 40, 50]) // [1, 2, 3, 4, 5]
 */
export function quintileScores(values: ArrayLike<number>): number[] {
  const n = values.length;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = values[i] as number;
    v[i] = Number.isFinite(x) ? x : Number.NEGATIVE_INFINITY;
  }
  // one native numeric sort, then binary searches: below = first index >= x, equal = up to first index > x
  const sorted = Float64Array.from(v).sort();
  const firstIndex = (x: number, strict: boolean): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = sorted[mid] as number;
      if (strict ? s <= x : s < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const scores: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i] as number;
    const below = firstIndex(x, false);
    const equal = firstIndex(x, true) - below;
    scores[i] = Math.min(5, Math.floor((5 * (below + 0.5 * equal)) / n) + 1);
  }
  return scores;
}

/** A customer's RFM scores and the raw values they came from. */
export interface RfmScore {
  readonly customerId: string;
  /** 5 = bought most recently (fewest days since the last purchase). */
  readonly recency: number;
  /** 5 = most orders. */
  readonly frequency: number;
  /** 5 = most revenue to date (net of refunds). */
  readonly monetary: number;
  /** The three digits as a label, e.g. "545". */
  readonly code: string;
  readonly daysSinceLastPurchase: number;
}

/**
 * RFM scores (1-5 each, quintiles with mid-rank ties) from summaries: recency is the days from the last
 * purchase to the end of calibration ((T - t_x) x days per unit; fewer is better), frequency the orders,
 * monetary the historic revenue.
 * @example rfmScores(cdnowMasterSummaries, "week")[0]?.code // "121" (customer 00001: one order, 545 days ago)
 */
export function rfmScores(customers: readonly CustomerSummary[], timeUnit: TimeUnit): RfmScore[] {
  const d = DAYS_PER_UNIT[timeUnit];
  const since = customers.map((c) => (c.T - c.t_x) * d);
  const r = quintileScores(since.map((s) => -s));
  const f = quintileScores(customers.map((c) => c.orders));
  const m = quintileScores(customers.map((c) => c.historic_revenue));
  return customers.map((c, i) => {
    const ri = r[i] as number;
    const fi = f[i] as number;
    const mi = m[i] as number;
    return {
      customerId: c.customer_id,
      recency: ri,
      frequency: fi,
      monetary: mi,
      code: `${ri}${fi}${mi}`,
      daysSinceLastPurchase: since[i] as number,
    };
  });
}
