import type { CustomerSummary } from "../summary/types.ts";
import { DAYS_PER_UNIT, type TimeUnit } from "../time.ts";

/** Thresholds of the readiness checks (defaults follow the commercial tools' published minimums). */
export interface ReadinessThresholds {
  /** Warn below this many customers with an order; default 500 (Klaviyo's minimum for predictive CLV). */
  readonly minCustomersWithOrders: number;
  /** Warn below this many days from the first first-purchase to the end of the data; default 180 (Klaviyo). */
  readonly minHistoryDays: number;
  /** Warn below this share of customers with a repeat purchase; default 0.05. */
  readonly minRepeatBuyerShare: number;
}

/**
 * The default readiness thresholds (see `ReadinessThresholds`).
 * @example DEFAULT_READINESS_THRESHOLDS.minHistoryDays // 180
 */
export const DEFAULT_READINESS_THRESHOLDS: ReadinessThresholds = Object.freeze({
  minCustomersWithOrders: 500,
  minHistoryDays: 180,
  minRepeatBuyerShare: 0.05,
});

export interface ReadinessCheck {
  readonly id: "customers_with_orders" | "history_days" | "repeat_buyer_share" | "repeat_buyers";
  readonly value: number;
  readonly threshold: number;
  readonly passed: boolean;
  /** A failed blocker means the models cannot be fitted meaningfully; a failed warning means wide uncertainty. */
  readonly severity: "blocker" | "warning";
  readonly message: string;
}

export interface Readiness {
  /** True when no blocker failed. */
  readonly ready: boolean;
  readonly thresholds: ReadinessThresholds;
  readonly checks: readonly ReadinessCheck[];
}

/**
 * Data readiness before predicting: customers with orders, history length (the longest T, in days), the
 * number and share of repeat buyers (x >= 1). With no repeat buyer at all the purchase models have nothing
 * to learn the purchase rate from: that is a blocker; the other checks warn.
 * @example dataReadiness(summaries, "week").ready // true
 */
export function dataReadiness(
  // Any iterable of the three fields read: a caller holding columns can stream rows instead of building
  // a million long-lived objects (their garbage collection cost seconds at 1M customers).
  customers: Iterable<Pick<CustomerSummary, "orders" | "x" | "T">>,
  timeUnit: TimeUnit,
  thresholds: Partial<ReadinessThresholds> = {},
): Readiness {
  const th: ReadinessThresholds = { ...DEFAULT_READINESS_THRESHOLDS, ...thresholds };
  const d = DAYS_PER_UNIT[timeUnit];
  let withOrders = 0;
  let repeat = 0;
  let maxT = 0;
  for (const c of customers) {
    if (c.orders > 0) withOrders++;
    if (c.x >= 1) repeat++;
    if (Number.isFinite(c.T) && c.T > maxT) maxT = c.T;
  }
  const historyDays = maxT * d;
  const share = withOrders > 0 ? repeat / withOrders : 0;
  const checks: ReadinessCheck[] = [
    {
      id: "customers_with_orders",
      value: withOrders,
      threshold: th.minCustomersWithOrders,
      passed: withOrders >= th.minCustomersWithOrders,
      severity: "warning",
      message:
        withOrders >= th.minCustomersWithOrders
          ? `${withOrders} customers with orders (at least ${th.minCustomersWithOrders} needed)`
          : `only ${withOrders} customers with orders; below ${th.minCustomersWithOrders} the model's parameters and predictions are very uncertain`,
    },
    {
      id: "history_days",
      value: historyDays,
      threshold: th.minHistoryDays,
      passed: historyDays >= th.minHistoryDays,
      severity: "warning",
      message:
        historyDays >= th.minHistoryDays
          ? `${historyDays.toFixed(0)} days of order history (at least ${th.minHistoryDays} needed)`
          : `only ${historyDays.toFixed(0)} days of order history; below ${th.minHistoryDays} days the models cannot tell slow buyers from customers who left`,
    },
    {
      id: "repeat_buyers",
      value: repeat,
      threshold: 1,
      passed: repeat >= 1,
      severity: "blocker",
      message:
        repeat >= 1
          ? `${repeat} customers bought more than once`
          : "no customer has bought more than once: repeat-purchase models have nothing to learn from",
    },
    {
      id: "repeat_buyer_share",
      value: share,
      threshold: th.minRepeatBuyerShare,
      passed: share >= th.minRepeatBuyerShare,
      severity: "warning",
      message:
        share >= th.minRepeatBuyerShare
          ? `${(share * 100).toFixed(1)}% of customers are repeat buyers (at least ${(th.minRepeatBuyerShare * 100).toFixed(1)}% needed)`
          : `only ${(share * 100).toFixed(1)}% of customers are repeat buyers (below ${(th.minRepeatBuyerShare * 100).toFixed(1)}%): predictions rest mostly on the few who returned`,
    },
  ];
  return { ready: checks.every((c) => c.passed || c.severity !== "blocker"), thresholds: th, checks };
}
