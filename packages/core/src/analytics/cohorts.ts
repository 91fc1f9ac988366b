import { dayToIsoDate } from "../summary/days.ts";
import { type CalendarGrain, periodIndex, periodLabel, periodStartDay } from "./dates.ts";
import type { CustomerHistory, HistoriesResult } from "./histories.ts";
import type { NullReason } from "./null-reason.ts";

/**
 * What the model expects from a set of customers in a window after the end of observation, for the
 * cohort cells not yet observed. Times are days after the end of the last observed day: (fromDays, toDays].
 */
export interface CohortForecastModel {
  expect(
    customerIds: readonly string[],
    fromDays: number,
    toDays: number,
  ): { readonly orders: number; readonly revenue: number; readonly activeCustomers?: number };
}

/**
 * Builds a cohort forecast model from per-customer curves: a customer's conditional expected purchases
 * t days after the end of observation (the model's CET with the history bound, t converted to days by
 * the caller) and expected spend per order. Orders and revenue are sums over the cohort's customers.
 * @example cohortForecastFromCustomers({ conditionalExpectedPurchases: (id, t) => t / 90, expectedSpend: () => 30 })
 */
export function cohortForecastFromCustomers(curves: {
  conditionalExpectedPurchases(customerId: string, tDays: number): number;
  expectedSpend(customerId: string): number;
}): CohortForecastModel {
  return {
    expect(ids, fromDays, toDays) {
      let orders = 0;
      let revenue = 0;
      for (const id of ids) {
        const d =
          curves.conditionalExpectedPurchases(id, toDays) - curves.conditionalExpectedPurchases(id, fromDays);
        if (!Number.isFinite(d)) continue;
        const s = curves.expectedSpend(id);
        orders += d;
        if (Number.isFinite(s)) revenue += d * s;
      }
      return { orders, revenue };
    },
  };
}

export interface CohortOptions {
  /** Acquisition cohort and period grain; default "month". */
  readonly grain?: CalendarGrain;
  /** Columns (periods since first purchase, from 0) per row; default: as many as the oldest cohort has observed. */
  readonly periods?: number;
  /** Fills the cells after the end of observation, marked `forecast: true`; without it those cells are left out. */
  readonly forecast?: CohortForecastModel;
  /** Ages for N-day LTV; default 0, 30, 60, 90, 180, 365. */
  readonly ltvDays?: readonly number[];
}

/**
 * One cell: a cohort's activity in its k-th calendar period since acquisition (period 0 holds the
 * first purchase). Observed cells count the data; `complete` is false for the period holding the last
 * observed day. Forecast cells come from the model and have `forecast: true`.
 */
export interface CohortCell {
  readonly period: number;
  readonly periodLabel: string;
  readonly forecast: boolean;
  readonly complete: boolean;
  /** Customers of the cohort with an order in the period (null in forecast cells unless the model gives it). */
  readonly activeCustomers: number | null;
  /** activeCustomers / cohort size. */
  readonly retention: number | null;
  readonly orders: number;
  /** Net revenue in the period. */
  readonly revenue: number;
  /** Revenue from period 0 through this one, per cohort customer (observed plus forecast). */
  readonly cumulativeRevenuePerCustomer: number;
  /** Share of the cohort with at least 2 orders by the end of this period (observed cells only). */
  readonly repeatRate: number | null;
}

/** Average revenue per cohort customer within N days of each customer's first purchase (day 0 = first day). */
export interface NDayLtv {
  readonly days: number;
  /** null when some customer of the cohort has not yet been observed for N days. */
  readonly ltv: number | null;
  readonly reason?: string;
}

export interface CohortRow {
  readonly cohort: string;
  readonly startDate: string;
  readonly customers: number;
  readonly cells: readonly CohortCell[];
  readonly nDayLtv: readonly NDayLtv[];
}

export interface CohortTable {
  readonly grain: CalendarGrain;
  readonly endDate: string;
  readonly rows: readonly CohortRow[];
  readonly definitions: readonly string[];
  readonly reasons: readonly NullReason[];
}

const DEFAULT_LTV_DAYS = [0, 30, 60, 90, 180, 365];

/**
 * Acquisition cohorts x calendar periods since first purchase (see `CohortCell`), with N-day LTV per cohort.
 * @example cohortTable(customerHistories(cdnowMaster), { grain: "month" }).rows[0]?.cells[1]?.retention // 0.1475
 */
export function cohortTable(data: HistoriesResult, options: CohortOptions = {}): CohortTable {
  const grain = options.grain ?? "month";
  const ltvDays = options.ltvDays ?? DEFAULT_LTV_DAYS;
  const endDay = data.endDay;
  const endPeriod = periodIndex(endDay, grain);
  const groups = new Map<number, CustomerHistory[]>();
  for (const h of data.histories) {
    const c = periodIndex(h.firstDay, grain);
    let g = groups.get(c);
    if (!g) {
      g = [];
      groups.set(c, g);
    }
    g.push(h);
  }
  const cohortIds = [...groups.keys()].sort((a, b) => a - b);
  const oldest = cohortIds[0];
  const columns = options.periods ?? (oldest === undefined ? 0 : endPeriod - oldest + 1);
  const reasons: NullReason[] = [];
  if (options.forecast === undefined)
    reasons.push({
      field: "cells",
      reason: "no model given: periods after the end of the data are left out",
    });
  const rows: CohortRow[] = [];
  for (const c of cohortIds) {
    const members = groups.get(c) as CustomerHistory[];
    const n = members.length;
    const observedCols = Math.min(columns, endPeriod - c + 1);
    const active = new Float64Array(observedCols);
    const orders = new Float64Array(observedCols);
    const revenue = new Float64Array(observedCols);
    const secondOrder = new Float64Array(observedCols);
    for (const h of members) {
      let lastK = -1;
      for (let j = 0; j < h.orderDays.length; j++) {
        const k = periodIndex(h.orderDays[j] as number, grain) - c;
        if (k >= observedCols) break;
        orders[k] = (orders[k] as number) + 1;
        if (k !== lastK) active[k] = (active[k] as number) + 1;
        lastK = k;
        if (j === 1) secondOrder[k] = (secondOrder[k] as number) + 1;
      }
      for (let j = 0; j < h.revenueDays.length; j++) {
        // a refund dated before the first order is booked in period 0
        const k = Math.max(0, periodIndex(h.revenueDays[j] as number, grain) - c);
        if (k >= observedCols) break;
        revenue[k] = (revenue[k] as number) + (h.revenueAmounts[j] as number);
      }
    }
    const cells: CohortCell[] = [];
    let cumRevenue = 0;
    let cumRepeat = 0;
    for (let k = 0; k < observedCols; k++) {
      cumRevenue += revenue[k] as number;
      cumRepeat += secondOrder[k] as number;
      const a = active[k] as number;
      cells.push({
        period: k,
        periodLabel: periodLabel(c + k, grain),
        forecast: false,
        complete: c + k < endPeriod || periodStartDay(c + k + 1, grain) - 1 === endDay,
        activeCustomers: a,
        retention: a / n,
        orders: orders[k] as number,
        revenue: revenue[k] as number,
        cumulativeRevenuePerCustomer: cumRevenue / n,
        repeatRate: cumRepeat / n,
      });
    }
    if (options.forecast && observedCols < columns) {
      const ids = members.map((h) => h.customerId);
      for (let k = observedCols; k < columns; k++) {
        // t = 0 is the end of the last observed day
        const from = periodStartDay(c + k, grain) - (endDay + 1);
        const to = periodStartDay(c + k + 1, grain) - (endDay + 1);
        const e = options.forecast.expect(ids, from, to);
        const o = Number.isFinite(e.orders) ? e.orders : 0;
        const r = Number.isFinite(e.revenue) ? e.revenue : 0;
        const a =
          e.activeCustomers !== undefined && Number.isFinite(e.activeCustomers) ? e.activeCustomers : null;
        cumRevenue += r;
        cells.push({
          period: k,
          periodLabel: periodLabel(c + k, grain),
          forecast: true,
          complete: false,
          activeCustomers: a,
          retention: a === null ? null : a / n,
          orders: o,
          revenue: r,
          cumulativeRevenuePerCustomer: cumRevenue / n,
          repeatRate: null,
        });
      }
    }
    rows.push({
      cohort: periodLabel(c, grain),
      startDate: dayToIsoDate(periodStartDay(c, grain)),
      customers: n,
      cells,
      nDayLtv: nDayLtvOf(members, endDay, ltvDays),
    });
  }
  if (options.forecast) {
    reasons.push({
      field: "repeatRate",
      reason: "not forecast: the model gives expected orders, not who repeats",
    });
    reasons.push({ field: "activeCustomers", reason: "null in forecast cells unless the model gives it" });
  }
  return {
    grain,
    endDate: dayToIsoDate(endDay),
    rows,
    definitions: [
      "cohort: the calendar period of a customer's first order; period k: the k-th calendar period after it",
      "activeCustomers: cohort customers with at least one order in the period; retention = activeCustomers / cohort size",
      "orders: purchase days (same-day purchases are one order); revenue: net of refunds",
      "cumulativeRevenuePerCustomer: revenue from period 0 through k divided by the cohort size",
      "repeatRate: share of the cohort with a second order by the end of period k",
      "complete: false for the period holding the last observed day (partly observed)",
      "forecast: true where the cell lies after the end of the data and comes from the model",
      "nDayLtv: revenue within N days of each customer's first order (day 0 = the first day) per cohort customer; null until every customer of the cohort is N days old",
    ],
    reasons,
  };
}

/**
 * N-day LTV of a group of customers: mean revenue within N days of each one's first order (age <= N
 * days), null until the youngest member is N days old at `endDay`.
 * @example nDayLtvOf(cdnowJanuaryCohort, endDay, [0, 30])[1]?.ltv // 42.93 (USD within 30 days)
 */
export function nDayLtvOf(
  members: readonly CustomerHistory[],
  endDay: number,
  days: readonly number[],
): NDayLtv[] {
  let youngest = Number.NEGATIVE_INFINITY;
  for (const h of members) youngest = Math.max(youngest, h.firstDay);
  // One pass over each customer's revenue events for all ages at once: an event at age a days is added to
  // the bucket of the smallest N >= a, and a prefix sum over the sorted ages gives every N's total.
  const order = days.map((_, i) => i).sort((i, j) => (days[i] as number) - (days[j] as number));
  const sortedDays = order.map((i) => days[i] as number);
  const bucket = new Float64Array(sortedDays.length);
  for (const h of members) {
    for (let j = 0; j < h.revenueDays.length; j++) {
      const age = (h.revenueDays[j] as number) - h.firstDay;
      let k = 0;
      while (k < sortedDays.length && (sortedDays[k] as number) < age) k++;
      if (k === sortedDays.length) break; // older than the largest N (events are in day order)
      bucket[k] = (bucket[k] as number) + (h.revenueAmounts[j] as number);
    }
  }
  const totalBySorted = new Float64Array(sortedDays.length);
  let run = 0;
  for (let k = 0; k < sortedDays.length; k++) {
    run += bucket[k] as number;
    totalBySorted[k] = run;
  }
  const total = new Float64Array(days.length);
  order.forEach((i, k) => {
    total[i] = totalBySorted[k] as number;
  });
  return days.map((N, i) => {
    if (members.length === 0) return { days: N, ltv: null, reason: "no customers" };
    if (youngest + N > endDay)
      return {
        days: N,
        ltv: null,
        reason: `the youngest customer was acquired ${dayToIsoDate(youngest)}, less than ${N} days before the end`,
      };
    return { days: N, ltv: (total[i] as number) / members.length };
  });
}
