import { compressRfmData } from "../models/rfm-data.ts";
import type { RfmData, SpendData } from "../models/types.ts";
import { DAYS_PER_UNIT, type TimeUnit } from "../time.ts";
import { cohortLabel, dayToIsoDate, isoDateToDay } from "./days.ts";
import type { CohortGranularity, CustomerSummary, SummaryColumns, SummarySet } from "./types.ts";

/**
 * The model input: (x, t_x, T) of every customer, one row each.
 * @example fitModel(bgnbd, toRfmData(columns))
 */
export function toRfmData(columns: SummaryColumns): RfmData {
  return { x: columns.x, t_x: columns.t_x, T: columns.T };
}

/**
 * Unique (x, t_x, T) rows with a weight counting the customers that share them: the likelihood is a
 * weighted sum, so fitting these rows gives exactly the estimates of the expanded rows.
 * @example compressRfm(columns).weight // Float64Array of counts, summing to columns.length
 */
export function compressRfm(input: SummaryColumns | RfmData): RfmData {
  return compressRfmData("length" in input ? toRfmData(input) : input);
}

/**
 * Gamma-Gamma input: customers with x > 0 and zbar = monetary (their mean repeat-purchase value). Zero or
 * negative means (refunds netted on a purchase day) are kept so the spend model can reject or drop them
 * with NON_POSITIVE_SPEND.
 * @example toSpendData(columns).zbar.length // number of repeat buyers
 */
export function toSpendData(columns: SummaryColumns): SpendData {
  let m = 0;
  for (let i = 0; i < columns.length; i++) if (columns.x[i]! > 0) m++;
  const x = new Float64Array(m);
  const zbar = new Float64Array(m);
  for (let i = 0, j = 0; i < columns.length; i++) {
    if (columns.x[i]! > 0) {
      x[j] = columns.x[i]!;
      zbar[j] = columns.monetary[i]!;
      j++;
    }
  }
  return { x, zbar };
}

/**
 * One summary object per customer (the peers' field names). Use for small sets and output; keep the
 * columns for millions of customers.
 * @example customerSummaries(columns)[0] // { customer_id: "1", x: 2, t_x: 30.43, T: 38.86, ... }
 */
export function customerSummaries(columns: SummaryColumns): CustomerSummary[] {
  const out: CustomerSummary[] = new Array(columns.length);
  const h = columns.holdout;
  for (let i = 0; i < columns.length; i++) {
    const channel = columns.channel?.[i];
    const campaign = columns.campaign?.[i];
    const first = columns.firstDay[i]!;
    out[i] = {
      customer_id: columns.customerId[i]!,
      x: columns.x[i]!,
      t_x: columns.t_x[i]!,
      T: columns.T[i]!,
      monetary: columns.monetary[i]!,
      first_purchase_at: dayToIsoDate(first),
      first_amount: columns.firstAmount[i]!,
      historic_revenue: columns.historicRevenue[i]!,
      orders: columns.orders[i]!,
      ...(channel != null ? { channel } : {}),
      ...(campaign != null ? { campaign } : {}),
      cohort: cohortLabel(first, columns.cohort),
      ...(h ? { x_holdout: h.x[i]!, revenue_holdout: h.revenue[i]!, duration_holdout: h.duration } : {}),
    };
  }
  return out;
}

/**
 * The object form with its unit.
 * @example summarySet(columns).customers.length === columns.length
 */
export function summarySet(columns: SummaryColumns): SummarySet {
  return { timeUnit: columns.timeUnit, customers: customerSummaries(columns) };
}

/**
 * Summary objects back to columns (e.g. after reading a summary file). The calibration end is inferred from
 * the first customer's `first_purchase_at + T` when not given (or 1970-01-01 when unknown).
 * @example summaryColumnsFrom(summaries, "week").x
 */
export function summaryColumnsFrom(
  customers: readonly CustomerSummary[],
  timeUnit: TimeUnit,
  options: { calibrationEnd?: string; cohort?: CohortGranularity } = {},
): SummaryColumns {
  const n = customers.length;
  const f = (pick: (c: CustomerSummary) => number) => Float64Array.from(customers, pick);
  const firstDay = f((c) => isoDateToDay(c.first_purchase_at) ?? 0);
  const c0 = customers[0];
  const inferred = c0 ? Math.round(firstDay[0]! + c0.T * DAYS_PER_UNIT[timeUnit]) : 0;
  const hasChannel = customers.some((c) => c.channel !== undefined);
  const hasCampaign = customers.some((c) => c.campaign !== undefined);
  const hasHoldout = customers.some((c) => c.x_holdout !== undefined);
  const calibrationEnd = options.calibrationEnd ?? dayToIsoDate(inferred);
  const duration = c0?.duration_holdout ?? 0;
  return {
    timeUnit,
    length: n,
    calibrationEnd,
    customerId: customers.map((c) => c.customer_id),
    x: f((c) => c.x),
    t_x: f((c) => c.t_x),
    T: f((c) => c.T),
    monetary: f((c) => c.monetary),
    firstDay,
    firstAmount: f((c) => c.first_amount),
    historicRevenue: f((c) => c.historic_revenue),
    orders: f((c) => c.orders),
    cohort: options.cohort ?? "month",
    ...(hasChannel ? { channel: customers.map((c) => c.channel ?? null) } : {}),
    ...(hasCampaign ? { campaign: customers.map((c) => c.campaign ?? null) } : {}),
    ...(hasHoldout
      ? {
          holdout: {
            observationEnd: dayToIsoDate(
              (isoDateToDay(calibrationEnd) ?? 0) + Math.round(duration * DAYS_PER_UNIT[timeUnit]),
            ),
            x: f((c) => c.x_holdout ?? 0),
            revenue: f((c) => c.revenue_holdout ?? 0),
            duration,
          },
        }
      : {}),
  };
}
