import { dayToIsoDate } from "../summary/days.ts";
import type { TimeUnit } from "../time.ts";
import { DAYS_PER_UNIT } from "../time.ts";
import type { CetGrid } from "./cet-grid.ts";
import { parseDayOrMonth } from "./dates.ts";
import type { NewCustomerCurve } from "./ltv-curve.ts";

/**
 * The existing customers' part of a forecast. Either per-customer curves (the model's conditional
 * expected purchases in (T, T + t] with each customer's history bound, t in the forecast's unit from the
 * end of calibration, and expected spend per order), walked customer by customer without storing a
 * customers x periods matrix; or per-period totals computed elsewhere (e.g. in SQL or by workers).
 */
export type ExistingCustomers =
  | {
      readonly kind: "curves";
      readonly count: number;
      cumulativeExpectedPurchases(customer: number, t: number): number;
      expectedSpend(customer: number): number;
    }
  | {
      /** The same sums as "curves" from a `CetGrid` (per-pair factors), with each customer's expected spend. */
      readonly kind: "grid";
      readonly grid: CetGrid;
      readonly expectedSpend: Float64Array;
    }
  | { readonly kind: "perPeriod"; readonly orders: readonly number[]; readonly revenue: readonly number[] };

/** New customers expected in each forecast period and the model's value curve for them. */
export interface PlannedCohorts {
  /** New customers acquired in each period (index 0 = the first forecast period). */
  readonly newCustomersPerPeriod: readonly number[];
  /** E[X(t)] repeat purchases after acquisition; first order worth `firstOrderValue` (default spendPerOrder). */
  readonly curve: NewCustomerCurve;
}

export interface ForecastOptions {
  readonly timeUnit: TimeUnit;
  /** Length of a forecast period in `timeUnit` (e.g. 1 with weeks, or 365.25 / 12 / 7 for months in weeks). */
  readonly periodLength: number;
  readonly periods: number;
  /** ISO date of the end of calibration, for period start dates. */
  readonly startDate?: string;
  readonly existing?: ExistingCustomers;
  readonly planned?: PlannedCohorts;
}

export interface ForecastPeriod {
  /** 1-based period number. */
  readonly period: number;
  /** Period bounds in `timeUnit` after the end of calibration: (from, to]. */
  readonly from: number;
  readonly to: number;
  /** First day of the period, when `startDate` was given. */
  readonly startDate: string | null;
  readonly existingOrders: number;
  readonly existingRevenue: number;
  readonly newCustomers: number;
  readonly newCohortOrders: number;
  readonly newCohortRevenue: number;
  readonly totalRevenue: number;
}

export interface RevenueForecast {
  readonly timeUnit: TimeUnit;
  readonly periodLength: number;
  readonly periods: readonly ForecastPeriod[];
  readonly totalRevenue: number;
  readonly assumptions: readonly string[];
}

/**
 * Per-customer expected purchases in each period, summed over customers: for customer i and period k,
 * C_i(k L) - C_i((k-1) L) where C_i is the cumulative conditional expectation. O(customers x periods) time,
 * O(periods) memory. Non-finite contributions are skipped and counted.
 * @example existingPerPeriod({ kind: "curves", count: 1, cumulativeExpectedPurchases: (_i, t) => t, expectedSpend: () => 2 }, 1, 2) // { orders: [1, 1], revenue: [2, 2], skipped: 0 }
 */
export function existingPerPeriod(
  existing: Extract<ExistingCustomers, { kind: "curves" }>,
  periodLength: number,
  periods: number,
): { orders: number[]; revenue: number[]; skipped: number } {
  const orders = new Float64Array(periods);
  const revenue = new Float64Array(periods);
  const cum = new Float64Array(periods + 1);
  let skipped = 0;
  for (let i = 0; i < existing.count; i++) {
    const s = existing.expectedSpend(i);
    let ok = Number.isFinite(s);
    for (let k = 0; k <= periods && ok; k++) {
      const v = k === 0 ? 0 : existing.cumulativeExpectedPurchases(i, k * periodLength);
      if (!Number.isFinite(v)) ok = false;
      cum[k] = v;
    }
    if (!ok) {
      skipped++;
      continue;
    }
    for (let k = 0; k < periods; k++) {
      const d = (cum[k + 1] as number) - (cum[k] as number);
      orders[k] = (orders[k] as number) + d;
      revenue[k] = (revenue[k] as number) + d * s;
    }
  }
  return { orders: Array.from(orders), revenue: Array.from(revenue), skipped };
}

/**
 * `existingPerPeriod` over a `CetGrid`: the same per-customer differences, summed in the same order, so
 * the same numbers to the last bit; but a factorised model is evaluated once per distinct (x, T) pair and
 * period end (and P(alive) once per distinct row) instead of once per customer and period end.
 * @example existingPerPeriodOnGrid(cetGrid(predictor, cetLayout(rfm)), scores.expectedSpend, 4.35, 12).revenue
 */
export function existingPerPeriodOnGrid(
  grid: CetGrid,
  expectedSpend: Float64Array,
  periodLength: number,
  periods: number,
): { orders: number[]; revenue: number[]; skipped: number } {
  const n = grid.layout.data.x.length;
  const columns: Float64Array[] = [];
  for (let k = 1; k <= periods; k++) {
    const c = periodLength > 0 ? grid.ifAlive(k * periodLength) : null;
    if (!c) {
      // not factorised (or no positive period): customer by customer, as existingPerPeriod
      return existingPerPeriod(
        {
          kind: "curves",
          count: n,
          cumulativeExpectedPurchases: grid.cet,
          expectedSpend: (i) => expectedSpend[i]!,
        },
        periodLength,
        periods,
      );
    }
    columns.push(c);
  }
  // pair-major table of the factors at the period ends: one customer reads P contiguous numbers
  const P = periods;
  const pairs = grid.layout.pairs;
  const table = new Float64Array(pairs * P);
  for (let k = 0; k < P; k++) {
    const c = columns[k]!;
    for (let q = 0; q < pairs; q++) table[q * P + k] = c[q]!;
  }
  // pairs whose factors are all finite: with a finite spend and 0 <= P(alive) <= 1 every product is finite,
  // so the customer needs no check per period
  const finitePair = new Uint8Array(pairs);
  for (let q = 0; q < pairs; q++) {
    let ok = 1;
    for (let k = 0; k < P; k++) if (!Number.isFinite(table[q * P + k]!)) ok = 0;
    finitePair[q] = ok;
  }
  const orders = new Float64Array(P);
  const revenue = new Float64Array(P);
  const { pAlive, layout } = grid;
  const pairOf = layout.pairOf;
  let skipped = 0;
  for (let i = 0; i < n; i++) {
    const s = expectedSpend[i]!;
    const a = pAlive[i]!;
    const q = pairOf[i]!;
    const base = q * P;
    if (!(Number.isFinite(s) && a >= 0 && a <= 1 && finitePair[q] === 1)) {
      let ok = Number.isFinite(s);
      for (let k = 0; k < P && ok; k++) if (!Number.isFinite(a * table[base + k]!)) ok = false;
      if (!ok) {
        skipped++;
        continue;
      }
    }
    // CET at the k-th period end is P(alive) times the factor; each period adds the difference
    let prev = 0;
    for (let k = 0; k < P; k++) {
      const v = a * table[base + k]!;
      const d = v - prev;
      orders[k] = orders[k]! + d;
      revenue[k] = revenue[k]! + d * s;
      prev = v;
    }
  }
  return { orders: Array.from(orders), revenue: Array.from(revenue), skipped };
}

/**
 * Revenue forecast per period: existing customers (sum over customers of expected purchases in the
 * period x expected spend) plus planned cohorts (new customers per period x the model's new-customer
 * curve: the first order in the acquisition period, then spendPerOrder x the increase of E[X(t)]).
 * Planned customers are assumed acquired at the start of their period (stated in `assumptions`).
 * @example revenueForecast({ timeUnit: "week", periodLength: 4, periods: 13, existing, planned }).totalRevenue
 */
export function revenueForecast(options: ForecastOptions): RevenueForecast {
  const P = Math.max(0, Math.floor(options.periods));
  const L = options.periodLength;
  const assumptions: string[] = [
    `periods of ${L} ${options.timeUnit}(s), counted from the end of calibration`,
    "existing customers: the model's conditional expected purchases per period x each customer's expected spend per order",
  ];
  let exOrders = new Array<number>(P).fill(0);
  let exRevenue = new Array<number>(P).fill(0);
  if (options.existing?.kind === "curves" || options.existing?.kind === "grid") {
    const e = options.existing;
    const r =
      e.kind === "curves"
        ? existingPerPeriod(e, L, P)
        : existingPerPeriodOnGrid(e.grid, e.expectedSpend, L, P);
    exOrders = r.orders;
    exRevenue = r.revenue;
    if (r.skipped > 0) assumptions.push(`${r.skipped} customer(s) without finite predictions were left out`);
  } else if (options.existing?.kind === "perPeriod") {
    const given = options.existing;
    exOrders = Array.from({ length: P }, (_, k) => given.orders[k] ?? 0);
    exRevenue = Array.from({ length: P }, (_, k) => given.revenue[k] ?? 0);
  } else assumptions.push("no existing customers included");
  const newCustomers = new Array<number>(P).fill(0);
  const newOrders = new Array<number>(P).fill(0);
  const newRevenue = new Array<number>(P).fill(0);
  const planned = options.planned;
  if (planned) {
    const c = planned.curve;
    const toCurveUnit = DAYS_PER_UNIT[options.timeUnit] / DAYS_PER_UNIT[c.timeUnit];
    const first = c.firstOrderValue ?? c.spendPerOrder;
    // E[X] at the ends of ages 0, L, 2L, ...: tabulated once, shared by all cohorts
    const ex = Array.from({ length: P + 1 }, (_, a) =>
      a === 0 ? 0 : c.expectedRepeatPurchases(a * L * toCurveUnit),
    );
    for (let j = 0; j < P; j++) {
      const n = planned.newCustomersPerPeriod[j] ?? 0;
      if (!(n > 0)) continue;
      newCustomers[j] = n;
      for (let k = j; k < P; k++) {
        const repeat = (ex[k - j + 1] as number) - (ex[k - j] as number);
        const orders = (k === j ? 1 : 0) + repeat;
        newOrders[k] = (newOrders[k] as number) + n * orders;
        newRevenue[k] = (newRevenue[k] as number) + n * ((k === j ? first : 0) + c.spendPerOrder * repeat);
      }
    }
    assumptions.push(
      "planned new customers are acquired at the start of their period; each places a first order worth " +
        `${first} and then follows the model's new-customer curve at ${c.spendPerOrder} per repeat order`,
    );
  }
  const startDay = options.startDate !== undefined ? parseDayOrMonth(options.startDate) : undefined;
  const dPerUnit = DAYS_PER_UNIT[options.timeUnit];
  const periods: ForecastPeriod[] = [];
  let total = 0;
  for (let k = 0; k < P; k++) {
    const ex = Number.isFinite(exRevenue[k]) ? (exRevenue[k] as number) : 0;
    const nw = Number.isFinite(newRevenue[k]) ? (newRevenue[k] as number) : 0;
    total += ex + nw;
    periods.push({
      period: k + 1,
      from: k * L,
      to: (k + 1) * L,
      startDate: startDay === undefined ? null : dayToIsoDate(startDay + 1 + Math.floor(k * L * dPerUnit)),
      existingOrders: Number.isFinite(exOrders[k]) ? (exOrders[k] as number) : 0,
      existingRevenue: ex,
      newCustomers: newCustomers[k] as number,
      newCohortOrders: newOrders[k] as number,
      newCohortRevenue: nw,
      totalRevenue: ex + nw,
    });
  }
  return { timeUnit: options.timeUnit, periodLength: L, periods, totalRevenue: total, assumptions };
}
