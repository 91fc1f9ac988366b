import { dayToIsoDate } from "../summary/days.ts";
import type { CustomerSummary } from "../summary/types.ts";
import { DAYS_PER_UNIT, type Duration, type TimeUnit } from "../time.ts";
import { parseDayOrMonth } from "./dates.ts";
import type { NullReason } from "./null-reason.ts";

/**
 * What the models predicted for one customer, as plain values (this module never imports model code).
 * All times are in the summary's time unit.
 */
export interface CustomerPrediction {
  /** P(alive at the end of calibration | x, t_x, T), in [0, 1]. */
  readonly pAlive: number;
  /** Expected purchases over the horizon given the history (the model's conditional expectation). */
  readonly expectedPurchases: number;
  /** Expected spend per order (e.g. the Gamma-Gamma conditional mean); omit when no spend model was fitted. */
  readonly expectedSpend?: number;
  /** Predicted CLV over the horizon (margin-weighted, discounted, from the CLV module). */
  readonly predictedClv?: number;
  /**
   * The customer's conditional expected purchases in (T, T + t], t in the summary's time unit (the model's
   * `conditionalExpectedPurchases(t, x, t_x, T)` with the history bound). Needed for the next-order date.
   */
  readonly conditionalExpectedPurchases?: (t: number) => number;
}

/** Thresholds and horizon of a profile. */
export interface ProfileOptions {
  /** Unit of the summary's times. */
  readonly timeUnit: TimeUnit;
  /** Prediction horizon; default 12 months. Must match the horizon the predictions were made for. */
  readonly horizon?: Duration;
  /** Below this many days of history (T in days) the customer is flagged SHORT_HISTORY; default 30. */
  readonly minHistoryDays?: number;
  /** Below this P(alive) no next-order date is given (the customer is most likely gone); default 0.01. */
  readonly minPAliveForNextOrder?: number;
}

/** Why a profile rests on too little of the customer's own history. */
export interface NotEnoughData {
  /** NO_ORDERS: nothing to predict from; ONE_ORDER: no repeat purchase yet, predictions are the population prior; SHORT_HISTORY: observed for fewer than `minHistoryDays`. */
  readonly code: "NO_ORDERS" | "ONE_ORDER" | "SHORT_HISTORY";
  readonly message: string;
}

/**
 * One customer's profile, the card a CRM shows. Money is in the data's currency; dates are ISO (UTC).
 *
 * - `historicClv`: revenue to the end of calibration, net of refunds (the summary's `historic_revenue`).
 * - `predictedClv`: the model's CLV over the horizon (as passed in); `totalClv` = historic + predicted.
 * - `predictedOrders`: expected purchases over the horizon.
 * - `averageDaysBetweenOrders`: t_x / x in days (span from first to last purchase over the repeat count);
 *   null for a customer with no repeat purchase.
 * - `nextOrderDate`: the date at which the expected number of purchases after the calibration end,
 *   GIVEN THE CUSTOMER IS ALIVE, reaches 1: the smallest t with
 *   conditionalExpectedPurchases(t) / pAlive >= 1 (a dead customer buys nothing, so the conditional
 *   expectation is P(alive) x E[purchases | alive]). `nextOrderStatus` says "expected" when that happens
 *   within the horizon, "none_within_horizon" when not, "unavailable" when it could not be computed
 *   (no curve passed, or P(alive) below `minPAliveForNextOrder`); `reasons` says why.
 */
export interface CustomerProfile {
  readonly customerId: string;
  readonly timeUnit: TimeUnit;
  readonly horizon: Duration;
  readonly firstOrderDate: string;
  readonly lastOrderDate: string | null;
  readonly calibrationEndDate: string | null;
  readonly orders: number;
  readonly historicClv: number;
  readonly predictedClv: number | null;
  readonly totalClv: number | null;
  readonly pAlive: number | null;
  readonly predictedOrders: number | null;
  readonly expectedSpendPerOrder: number | null;
  readonly averageDaysBetweenOrders: number | null;
  readonly nextOrderDate: string | null;
  readonly nextOrderStatus: "expected" | "none_within_horizon" | "unavailable";
  /** Days after the calibration end to the expected next order (null unless status is "expected"). */
  readonly daysToNextOrder: number | null;
  readonly notEnoughData: NotEnoughData | null;
  /** Why each null field is null. */
  readonly reasons: readonly NullReason[];
}

const DEFAULT_HORIZON: Duration = { value: 12, unit: "month" };

function finiteOrNull(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

/**
 * Smallest t in (0, tMax] with f(t) >= 1 for a non-decreasing f, by bisection to 1e-9 of the horizon;
 * null when f(tMax) < 1.
 */
function firstTimeReachingOne(f: (t: number) => number, tMax: number): number | null {
  if (!(f(tMax) >= 1)) return null;
  let lo = 0;
  let hi = tMax;
  for (let i = 0; i < 60 && hi - lo > 1e-9 * tMax; i++) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) >= 1) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Builds a customer's profile from the summary and the model's predictions (see `CustomerProfile` for
 * each field's definition). Never returns NaN: undefined values are null with a reason.
 * @example
 * customerProfile(
 *   { customer_id: "7", x: 2, t_x: 30, T: 60, monetary: 20, first_purchase_at: "2026-01-01",
 *     first_amount: 25, historic_revenue: 65, orders: 3 },
 *   { pAlive: 0.8, expectedPurchases: 4, expectedSpend: 21, predictedClv: 80,
 *     conditionalExpectedPurchases: (t) => 0.8 * t / 30 },
 *   { timeUnit: "day" },
 * ).nextOrderDate // "2026-04-01": 60 days after first purchase + 30 days
 */
export function customerProfile(
  summary: CustomerSummary,
  prediction: CustomerPrediction | undefined,
  options: ProfileOptions,
): CustomerProfile {
  const unit = options.timeUnit;
  const daysPerUnit = DAYS_PER_UNIT[unit];
  const horizon = options.horizon ?? DEFAULT_HORIZON;
  const horizonInUnit = (horizon.value * DAYS_PER_UNIT[horizon.unit]) / daysPerUnit;
  const minHistoryDays = options.minHistoryDays ?? 30;
  const minPAlive = options.minPAliveForNextOrder ?? 0.01;
  const reasons: NullReason[] = [];
  const firstDay = parseDayOrMonth(summary.first_purchase_at);
  const dayAt = (tInUnit: number): string | null =>
    firstDay === undefined ? null : dayToIsoDate(firstDay + Math.round(tInUnit * daysPerUnit));

  let notEnoughData: NotEnoughData | null = null;
  if (summary.orders <= 0) {
    notEnoughData = { code: "NO_ORDERS", message: "The customer has no orders: nothing to profile." };
  } else if (summary.T * daysPerUnit < minHistoryDays) {
    notEnoughData = {
      code: "SHORT_HISTORY",
      message: `Observed for ${(summary.T * daysPerUnit).toFixed(1)} days, fewer than ${minHistoryDays}: predictions rest mostly on the population.`,
    };
  } else if (summary.x <= 0) {
    notEnoughData = {
      code: "ONE_ORDER",
      message: "Only one order so far: predictions are the population's expectation for a one-time buyer.",
    };
  }

  const pAlive = finiteOrNull(prediction?.pAlive);
  const predictedOrders = finiteOrNull(prediction?.expectedPurchases);
  const expectedSpend = finiteOrNull(prediction?.expectedSpend);
  const predictedClv = finiteOrNull(prediction?.predictedClv);
  if (prediction === undefined) {
    for (const f of ["pAlive", "predictedOrders", "predictedClv", "totalClv", "expectedSpendPerOrder"])
      reasons.push({ field: f, reason: "no model prediction was given for this customer" });
  } else {
    if (pAlive === null) reasons.push({ field: "pAlive", reason: "the model gave no finite P(alive)" });
    if (predictedOrders === null)
      reasons.push({ field: "predictedOrders", reason: "the model gave no finite expected purchases" });
    if (expectedSpend === null)
      reasons.push({ field: "expectedSpendPerOrder", reason: "no spend model was fitted" });
    if (predictedClv === null) {
      reasons.push({ field: "predictedClv", reason: "no CLV was computed (needs a spend model)" });
      reasons.push({ field: "totalClv", reason: "predicted CLV is missing" });
    }
  }

  let averageDaysBetweenOrders: number | null = null;
  if (summary.x > 0) averageDaysBetweenOrders = (summary.t_x * daysPerUnit) / summary.x;
  else reasons.push({ field: "averageDaysBetweenOrders", reason: "no repeat purchase yet" });

  let nextOrderDate: string | null = null;
  let daysToNextOrder: number | null = null;
  let nextOrderStatus: CustomerProfile["nextOrderStatus"] = "unavailable";
  const cet = prediction?.conditionalExpectedPurchases;
  if (summary.orders <= 0) {
    reasons.push({ field: "nextOrderDate", reason: "the customer has no orders" });
  } else if (!cet || pAlive === null) {
    reasons.push({ field: "nextOrderDate", reason: "no conditional expected-purchases curve was given" });
  } else if (pAlive < minPAlive) {
    reasons.push({
      field: "nextOrderDate",
      reason: `P(alive) ${pAlive.toPrecision(3)} is below ${minPAlive}: the customer has most likely left`,
    });
  } else {
    // E[purchases in (T, T+t] | alive] = CET(t) / P(alive), because a customer who has left buys nothing.
    const t = firstTimeReachingOne((s) => cet(s) / pAlive, horizonInUnit);
    if (t === null) {
      nextOrderStatus = "none_within_horizon";
      reasons.push({
        field: "nextOrderDate",
        reason: `fewer than one expected purchase within ${horizon.value} ${horizon.unit}(s) even if alive`,
      });
    } else {
      nextOrderStatus = "expected";
      daysToNextOrder = t * daysPerUnit;
      nextOrderDate = dayAt(summary.T + t);
    }
  }

  const historicClv = Number.isFinite(summary.historic_revenue) ? summary.historic_revenue : 0;
  if (!Number.isFinite(summary.historic_revenue))
    reasons.push({
      field: "historicClv",
      reason: "the summary's historic revenue is not a number; shown as 0",
    });
  return {
    customerId: summary.customer_id,
    timeUnit: unit,
    horizon,
    firstOrderDate: summary.first_purchase_at,
    lastOrderDate: summary.orders > 0 ? dayAt(summary.t_x) : null,
    calibrationEndDate: dayAt(summary.T),
    orders: summary.orders,
    historicClv,
    predictedClv,
    totalClv: predictedClv === null ? null : historicClv + predictedClv,
    pAlive,
    predictedOrders,
    expectedSpendPerOrder: expectedSpend,
    averageDaysBetweenOrders,
    nextOrderDate,
    nextOrderStatus,
    daysToNextOrder,
    notEnoughData,
    reasons,
  };
}
