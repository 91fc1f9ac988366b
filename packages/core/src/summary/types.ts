import type { IssueCode } from "../errors/issues.ts";
import type { TimeUnit } from "../time.ts";

/**
 * One transaction line as held in memory (browser, tests, API batch scoring). `at` is the instant in
 * epoch milliseconds (UTC); calendar days are taken in UTC unless a summarizer option says otherwise.
 * Refund/cancel lines carry a negative amount (or negative `quantity`) or `cancelled: true`.
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
  /** The UTC offset (minutes) the timestamp was written with, when it carried one ("+01:00" -> 60). */
  readonly utcOffsetMinutes?: number;
  /**
   * Identity of the source row's whole content (e.g. the raw CSV line): two rows with the same key are exact
   * duplicates. When absent, the transaction's own fields are the key.
   */
  readonly rowKey?: string;
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

/** Granularity of the acquisition-cohort label derived from the first purchase day. */
export type CohortGranularity = "month" | "quarter" | "year";

/**
 * How a transaction log becomes summaries. The same options drive core's in-memory summarizer and the SQL
 * engines of `@valuecast/data`, which must give identical results.
 */
export interface SummarizeOptions {
  readonly timeUnit: TimeUnit;
  /** Last day of the calibration period, inclusive ("YYYY-MM-DD"). Default: observationEnd, else the last day in the data. */
  readonly calibrationEnd?: string;
  /** Last day of observation, inclusive ("YYYY-MM-DD"); later rows are rejected (DATE_AFTER_END). Default: the last day in the data. */
  readonly observationEnd?: string;
  /** Purchases on the same calendar day are one transaction (default true, as lifetimes and CLVTools). */
  readonly mergeSameDay?: boolean;
  /** Calendar days in UTC (default) or in the local clock the timestamp was written in ("local"). */
  readonly dayBoundary?: "utc" | "local";
  /** Zero-amount purchases count as purchases (default, as CDNOW) or are rejected (ZERO_AMOUNT). */
  readonly zeroAmounts?: "purchase" | "reject";
  /**
   * Exact duplicate rows are kept and counted (default: CDNOW's published summaries keep them), dropped
   * (DUPLICATE_ROW), or not looked for ("ignore": the fastest, no duplicate count in the report).
   */
  readonly duplicates?: "keep" | "drop" | "ignore";
  /** Cohort label granularity (default "month"). */
  readonly cohort?: CohortGranularity;
}

/**
 * What happened to every input row. `rowsRead = rowsUsed + rowsRejected` and `rowsRejected` is the sum of
 * `rejected`. `notes` counts used rows that carry a remark (refunds netted, zero amounts, duplicates kept,
 * offsets differing from the most common one); a row can carry more than one note.
 */
export interface SummaryReport {
  readonly rowsRead: number;
  readonly rowsUsed: number;
  readonly rowsRejected: number;
  readonly rejected: Partial<Record<IssueCode, number>>;
  readonly notes: Partial<Record<IssueCode, number>>;
  /** Sum of the (negative) amounts of refund and cancellation rows netted against spend. */
  readonly refundsNetted: number;
  /** Customers with a summary. */
  readonly customers: number;
  /** Customers without a summary, by reason (REFUND_WITHOUT_PURCHASE, FIRST_PURCHASE_AFTER_CALIBRATION). */
  readonly customersExcluded: Partial<Record<IssueCode, number>>;
  /** Rows per written UTC offset in minutes ("none" when the timestamp had no offset). */
  readonly timeZoneOffsets: Readonly<Record<string, number>>;
  readonly calibrationEnd: string;
  readonly observationEnd: string;
}

/**
 * Summaries in columnar form: one entry per customer in every array. This is what the engines stream into
 * (millions of customers) and what the models consume; `customerSummaries` turns it into objects.
 */
export interface SummaryColumns {
  readonly timeUnit: TimeUnit;
  readonly length: number;
  readonly calibrationEnd: string;
  readonly customerId: readonly string[];
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly T: Float64Array;
  readonly monetary: Float64Array;
  /** First purchase day as days since 1970-01-01. */
  readonly firstDay: Float64Array;
  readonly firstAmount: Float64Array;
  readonly historicRevenue: Float64Array;
  readonly orders: Float64Array;
  readonly channel?: readonly (string | null)[];
  readonly campaign?: readonly (string | null)[];
  readonly cohort: CohortGranularity;
  /** Present when a calibration end was given. */
  readonly holdout?: {
    readonly observationEnd: string;
    readonly x: Float64Array;
    readonly revenue: Float64Array;
    /** Holdout length in `timeUnit` (the same for every customer). */
    readonly duration: number;
  };
}
