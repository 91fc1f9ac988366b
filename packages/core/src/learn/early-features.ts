import { issue, ValuecastError } from "../errors/issues.ts";
import type { Transaction } from "../summary/types.ts";
import type { FeatureReader } from "./columns.ts";
import { buildEarlyColumns, earlyCustomersOf } from "./early-columns.ts";
import type { FeatureRecord, FeatureSpec } from "./encoder.ts";

/** Options of `buildEarlyDataset`. */
export interface EarlyFeatureOptions {
  /** Days after the first purchase that the features may see (default 7). */
  readonly days?: number;
  /** Length of the value horizon in days after the observation window (default 365.25 = 12 months). */
  readonly horizonDays?: number;
  /** End of the data (epoch ms): labels are observed only when the horizon ends by then. Default: the latest transaction. */
  readonly asOf?: number;
  /**
   * Only customers whose first purchase in the data is at or after this instant (epoch ms) count as new.
   * A log that starts in the middle of customers' lives shows long-standing customers as "first seen"
   * in its first weeks; a burn-in period keeps them out of the new-customer cohorts. Default: no burn-in.
   */
  readonly acquiredFrom?: number;
}

/**
 * One customer's early-lifecycle features: what is known `days` after the first purchase.
 * Field names are the column names of the default encoder specs (`EARLY_FEATURE_SPECS`).
 */
export interface EarlyFeatures extends FeatureRecord {
  /** Amount of the first order (all lines of the first order id, or of the first instant when no ids). */
  readonly first_amount: number;
  /** Net revenue within the window, first order included, refunds subtracted. */
  readonly early_revenue: number;
  /** Orders within the window, the first included. */
  readonly early_orders: number;
  /** Items (sum of `quantity`, 1 per line without one) bought within the window. */
  readonly early_items: number;
  /** Distinct product categories bought within the window (0 when the data carry none). */
  readonly early_categories: number;
  /** 1 when a second order came within the window, else 0. */
  readonly repeat_in_window: number;
  /** Days from the first to the second order when it came within the window; else the window length. */
  readonly days_to_second_order: number;
  readonly channel: string | undefined;
  readonly campaign: string | undefined;
  readonly country: string | undefined;
  /** UTC day of week of the first purchase, "Sun".."Sat". */
  readonly first_weekday: string;
}

/** One customer of an early-value data set. */
export interface EarlyCustomer {
  readonly customerId: string;
  /** Instant of the first purchase (epoch ms). */
  readonly firstAt: number;
  readonly features: EarlyFeatures;
  /**
   * Net revenue in (firstAt + days, firstAt + days + horizon], floored at 0 (a horizon whose refunds
   * exceed its purchases is worth 0, the ZILN model's support). 0 when the label is not observed.
   */
  readonly label: number;
  /** True when the whole horizon lies within the data (firstAt + days + horizon <= asOf). */
  readonly labelObserved: boolean;
}

/** Customers with complete early features, sorted by first purchase (then id), and what was left out. */
export interface EarlyDataset {
  readonly customers: readonly EarlyCustomer[];
  readonly days: number;
  readonly horizonDays: number;
  readonly asOf: number;
  /** Customers whose observation window had not closed by `asOf` (their features would be partial). */
  readonly windowOpen: number;
  /** Customers with refunds or zero-value lines but no purchase. */
  readonly noPurchase: number;
  /** Customers first seen before `acquiredFrom` (the burn-in), left out as possibly not new. */
  readonly beforeAcquisition: number;
}

/**
 * Default encoding of the early features: money and counts through log1p then standardised (heavy
 * tails), flags and day counts standardised, acquisition attributes one-hot.
 * @example trainEarlyModel(train, { specs: EARLY_FEATURE_SPECS.filter((s) => s.name !== "campaign") })
 */
export const EARLY_FEATURE_SPECS: readonly FeatureSpec[] = [
  { name: "first_amount", kind: "amount" },
  { name: "early_revenue", kind: "amount" },
  { name: "early_orders", kind: "amount" },
  { name: "early_items", kind: "amount" },
  { name: "early_categories", kind: "amount" },
  { name: "repeat_in_window", kind: "numeric" },
  { name: "days_to_second_order", kind: "numeric" },
  { name: "channel", kind: "categorical" },
  { name: "campaign", kind: "categorical" },
  { name: "country", kind: "categorical" },
  { name: "first_weekday", kind: "categorical" },
];

/**
 * Readers of the early features written out field by field, for `featureColumns`: each load sees one
 * object shape (the literal `buildEarlyDataset` makes), so a million records convert in milliseconds.
 * @example featureColumns(customers.map((c) => c.features), EARLY_FEATURE_SPECS, EARLY_FEATURE_READERS)
 */
export const EARLY_FEATURE_READERS: Readonly<Record<string, FeatureReader>> = {
  first_amount: (r) => (r as EarlyFeatures).first_amount,
  early_revenue: (r) => (r as EarlyFeatures).early_revenue,
  early_orders: (r) => (r as EarlyFeatures).early_orders,
  early_items: (r) => (r as EarlyFeatures).early_items,
  early_categories: (r) => (r as EarlyFeatures).early_categories,
  repeat_in_window: (r) => (r as EarlyFeatures).repeat_in_window,
  days_to_second_order: (r) => (r as EarlyFeatures).days_to_second_order,
  channel: (r) => (r as EarlyFeatures).channel,
  campaign: (r) => (r as EarlyFeatures).campaign,
  country: (r) => (r as EarlyFeatures).country,
  first_weekday: (r) => (r as EarlyFeatures).first_weekday,
};

/**
 * Builds early-lifecycle features and horizon labels per customer (issue 6, "Early pLTV"). Features
 * see only transactions at or before firstAt + days; the label sums what follows, up to the horizon,
 * so no outcome leaks into the features. The first purchase is the customer's first non-cancelled line
 * with a positive amount; earlier refund lines (of orders before the data begin) are ignored.
 * Runs `buildEarlyColumns` and rebuilds the records (`earlyCustomersOf`).
 * @example
 * const ds = buildEarlyDataset(transactions, { days: 7, horizonDays: 364 });
 * const { train, test } = splitEarlyByCohort(ds, { trainShare: 0.7 });
 */
export function buildEarlyDataset(
  transactions: readonly Transaction[],
  options: EarlyFeatureOptions = {},
): EarlyDataset {
  // one implementation of the rules: the columnar builder, its rows turned into records
  const ds = buildEarlyColumns(transactions, options);
  return {
    customers: earlyCustomersOf(ds),
    days: ds.days,
    horizonDays: ds.horizonDays,
    asOf: ds.asOf,
    windowOpen: ds.windowOpen,
    noPurchase: ds.noPurchase,
    beforeAcquisition: ds.beforeAcquisition,
  };
}

/** Options of `splitEarlyByCohort`; with neither field the split is the production one (see there). */
export interface EarlySplitOptions {
  /** Train on customers acquired before this instant (epoch ms), test on those acquired from it on. */
  readonly trainEnd?: number;
  /** Or: put the cut at this share (0..1) of the label-observed customers in acquisition order. */
  readonly trainShare?: number;
}

/** A time-based split of an early data set. */
export interface EarlySplit {
  /** Label-observed customers acquired before `trainEnd`, in acquisition order. */
  readonly train: readonly EarlyCustomer[];
  /** Customers acquired from `trainEnd` on (backtest: label-observed ones; production: the unlabelled). */
  readonly test: readonly EarlyCustomer[];
  readonly trainEnd: number;
}

/**
 * Time-based split: train on earlier cohorts whose full horizon is observed, score newer ones.
 * - Backtest (`trainEnd` or `trainShare` given): train = label-observed customers acquired before the cut,
 *   test = label-observed customers acquired from the cut on, so the test labels can be compared.
 * - Production (neither given): train = every label-observed customer, test = customers whose window has
 *   closed but whose horizon has not (the ones to score now).
 * @example const { train, test } = splitEarlyByCohort(ds, { trainShare: 0.7 });
 */
export function splitEarlyByCohort(dataset: EarlyDataset, options: EarlySplitOptions = {}): EarlySplit {
  const observed = dataset.customers.filter((c) => c.labelObserved);
  if (options.trainEnd === undefined && options.trainShare === undefined) {
    const unobserved = dataset.customers.filter((c) => !c.labelObserved);
    const trainEnd = unobserved[0]?.firstAt ?? dataset.asOf;
    return { train: observed, test: unobserved, trainEnd };
  }
  let trainEnd = options.trainEnd;
  if (trainEnd === undefined) {
    const share = options.trainShare!;
    if (!(share > 0 && share < 1) || observed.length < 2) {
      throw new ValuecastError([
        issue(
          "BAD_OPTION_VALUE",
          `trainShare must be in (0, 1) with at least 2 labelled customers (got ${share})`,
        ),
      ]);
    }
    trainEnd = observed[Math.min(observed.length - 1, Math.floor(observed.length * share))]!.firstAt;
  }
  const cut = trainEnd;
  return {
    train: observed.filter((c) => c.firstAt < cut),
    test: observed.filter((c) => c.firstAt >= cut),
    trainEnd: cut,
  };
}
