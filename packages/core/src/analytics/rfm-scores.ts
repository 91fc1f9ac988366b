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
  const idx = Array.from({ length: n }, (_, i) => i);
  const val = (i: number): number => {
    const x = values[i] as number;
    return Number.isFinite(x) ? x : Number.NEGATIVE_INFINITY;
  };
  idx.sort((a, b) => val(a) - val(b) || a - b);
  const scores: number[] = new Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    const x = val(idx[i] as number);
    while (j + 1 < n && val(idx[j + 1] as number) === x) j++;
    const p = (i + 0.5 * (j - i + 1)) / n; // below = i, equal = j - i + 1
    const s = Math.min(5, Math.floor(5 * p) + 1);
    for (let k = i; k <= j; k++) scores[idx[k] as number] = s;
    i = j + 1;
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
 * @example rfmScores(summaries, "week")[0]?.code // "545"
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
