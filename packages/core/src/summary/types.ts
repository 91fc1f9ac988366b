import type { TimeUnit } from "../time.ts";

/**
 * One transaction line as held in memory (browser, tests, API batch scoring). `at` is the instant in
 * epoch milliseconds (UTC); calendar days are taken in UTC unless a summarizer option says otherwise.
 * Refund/cancel lines carry a negative amount or `cancelled: true`.
 */
export interface Transaction {
  readonly customerId: string;
  readonly at: number;
  readonly amount: number;
  readonly orderId?: string;
  readonly cancelled?: boolean;
  readonly channel?: string;
  readonly campaign?: string;
  readonly quantity?: number;
  readonly category?: string;
  readonly country?: string;
}

/**
 * A customer's summary, the peers' field names (DESIGN "Summary fields"). Times are in `timeUnit`.
 * `monetary` is the mean repeat-purchase value (0 when x = 0); holdout fields exist when a calibration
 * end was given.
 */
export interface CustomerSummary {
  readonly customer_id: string;
  readonly x: number;
  readonly t_x: number;
  readonly T: number;
  readonly monetary: number;
  /** ISO date (YYYY-MM-DD) of the first purchase. */
  readonly first_purchase_at: string;
  readonly first_amount: number;
  /** Revenue to the end of calibration, net of refunds. */
  readonly historic_revenue: number;
  /** Purchase occasions (same-day purchases merged) in calibration: x + 1. */
  readonly orders: number;
  readonly channel?: string;
  readonly campaign?: string;
  /** Acquisition cohort label, e.g. "1997-01". */
  readonly cohort?: string;
  readonly x_holdout?: number;
  readonly revenue_holdout?: number;
  /** Length of the holdout period in `timeUnit`. */
  readonly duration_holdout?: number;
}

/** A set of summaries and the unit their times are in. */
export interface SummarySet {
  readonly timeUnit: TimeUnit;
  readonly customers: readonly CustomerSummary[];
}
