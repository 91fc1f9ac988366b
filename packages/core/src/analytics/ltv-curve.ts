import type { TimeUnit } from "../time.ts";
import { DAYS_PER_UNIT } from "../time.ts";
import type { CustomerHistory } from "./histories.ts";

/**
 * Days in an average month (365.25 / 12), the month used for payback and LTV ages.
 * @example DAYS_PER_MONTH // 30.4375
 */
export const DAYS_PER_MONTH = DAYS_PER_UNIT.month;

/**
 * A fitted model's value curve for a newly acquired customer: expected repeat purchases E[X(t)] in (0, t]
 * for a customer acquired at time 0 (the model's unconditional `expectedPurchases`), t in `timeUnit`, and
 * the expected spend per repeat order (e.g. the Gamma-Gamma population mean).
 */
export interface NewCustomerCurve {
  readonly timeUnit: TimeUnit;
  expectedRepeatPurchases(t: number): number;
  readonly spendPerOrder: number;
  /** Expected first-order value; used only when no month is observed at all (default `spendPerOrder`). */
  readonly firstOrderValue?: number;
}

/** Mean revenue within an age, over the customers observed for at least that age. */
export interface MaturedLtv {
  readonly days: number;
  /** null when no customer has been observed that long. */
  readonly ltv: number | null;
  readonly customersObserved: number;
}

/**
 * Historic LTV at a fixed age: mean net revenue with (day - first day) <= `days`, over the customers whose
 * first order is at least `days` before `endDay` (younger customers would bias it down, so they are left out
 * and `customersObserved` says how many remain).
 * @example maturedLtv(cdnowMaster.histories, cdnowMaster.endDay, 90) // { days: 90, ltv: 53.68, customersObserved: 23570 }
 */
export function maturedLtv(members: readonly CustomerHistory[], endDay: number, days: number): MaturedLtv {
  let sum = 0;
  let n = 0;
  for (const h of members) {
    if (h.firstDay + days > endDay) continue;
    n++;
    const last = h.firstDay + days;
    for (let j = 0; j < h.revenueDays.length && (h.revenueDays[j] as number) <= last; j++)
      sum += h.revenueAmounts[j] as number;
  }
  return { days, ltv: n > 0 ? sum / n : null, customersObserved: n };
}

/**
 * Observed cumulative revenue per customer by month of age: entry m - 1 is the mean revenue in ages
 * [0, m months) (month 1 holds the first order) over customers observed at least m months, for m = 1..,
 * as long as at least `minCustomers` customers are observed.
 * @example observedCumulativeRevenueByMonth(cdnowMaster.histories, cdnowMaster.endDay, 10) // [42.28, 48.80, 53.84, ...]
 */
export function observedCumulativeRevenueByMonth(
  members: readonly CustomerHistory[],
  endDay: number,
  minCustomers: number,
): number[] {
  // One pass over the revenue events with difference arrays: an event in age month j (0-based) counts
  // towards every cumulative value m = j + 1 .. K, where K is the number of whole months the customer
  // has been observed; so the work is O(events + customers + months), not months x events.
  let maxK = 0;
  const ks = new Int32Array(members.length);
  members.forEach((h, i) => {
    const k = Math.max(0, Math.floor((endDay - h.firstDay + 1) / DAYS_PER_MONTH));
    ks[i] = k;
    if (k > maxK) maxK = k;
  });
  const revenueDiff = new Float64Array(maxK + 2);
  const countDiff = new Float64Array(maxK + 2);
  members.forEach((h, i) => {
    const k = ks[i] as number;
    if (k === 0) return;
    countDiff[1] = (countDiff[1] as number) + 1;
    countDiff[k + 1] = (countDiff[k + 1] as number) - 1;
    for (let j = 0; j < h.revenueDays.length; j++) {
      const month = Math.max(0, Math.floor(((h.revenueDays[j] as number) - h.firstDay) / DAYS_PER_MONTH));
      if (month >= k) break;
      const a = h.revenueAmounts[j] as number;
      revenueDiff[month + 1] = (revenueDiff[month + 1] as number) + a;
      revenueDiff[k + 1] = (revenueDiff[k + 1] as number) - a;
    }
  });
  const out: number[] = [];
  let sum = 0;
  let n = 0;
  for (let m = 1; m <= maxK; m++) {
    sum += revenueDiff[m] as number;
    n += countDiff[m] as number;
    if (n < Math.max(1, minCustomers)) break;
    out.push(sum / n);
  }
  return out;
}

/** When a group's cumulative margin per customer first reaches its CAC. */
export interface Payback {
  /** Months of age (1 = within the first month); null when not reached within `maxMonths`. */
  readonly month: number | null;
  /** "observed" when reached in the data, "projected" when reached on the model's curve after the data. */
  readonly source: "observed" | "projected" | null;
  readonly observedMonths: number;
  readonly reason?: string;
}

/**
 * Payback month: the first month m where cumulative margin per customer >= CAC. Months 1..M come from the
 * observed curve (margin x `observedCumulativeRevenueByMonth`); later months are projected from the last
 * observed value plus margin x spendPerOrder x (E[X(m months)] - E[X(M months)]) on the model's
 * new-customer curve, up to `maxMonths`.
 * @example paybackMonth([30, 45, 60], 50, 0.5, undefined, 36) // { month: null, ... } (0.5 x 60 < 50)
 */
export function paybackMonth(
  observedCumulativeRevenue: readonly number[],
  cac: number,
  margin: number,
  curve: NewCustomerCurve | undefined,
  maxMonths: number,
): Payback {
  const M = observedCumulativeRevenue.length;
  for (let m = 1; m <= Math.min(M, maxMonths); m++)
    if (margin * (observedCumulativeRevenue[m - 1] as number) >= cac)
      return { month: m, source: "observed", observedMonths: M };
  if (!curve)
    return {
      month: null,
      source: null,
      observedMonths: M,
      reason: `not reached in ${M} observed month(s) and no model curve was given to project`,
    };
  const perMonth = DAYS_PER_MONTH / DAYS_PER_UNIT[curve.timeUnit];
  // with nothing observed, the projection starts from the first order's expected value
  const base =
    M > 0 ? (observedCumulativeRevenue[M - 1] as number) : (curve.firstOrderValue ?? curve.spendPerOrder);
  const xM = curve.expectedRepeatPurchases(M * perMonth);
  for (let m = M + 1; m <= maxMonths; m++) {
    const projected = base + curve.spendPerOrder * (curve.expectedRepeatPurchases(m * perMonth) - xM);
    if (margin * projected >= cac) return { month: m, source: "projected", observedMonths: M };
  }
  return {
    month: null,
    source: null,
    observedMonths: M,
    reason: `not reached within ${maxMonths} months, observed and projected`,
  };
}
