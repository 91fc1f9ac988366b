import {
  type CustomerSummary,
  cohortLabel,
  dayToIsoDate,
  type RfmData,
  type SummaryColumns,
  type SummarySet,
  type TimeUnit,
} from "@valuecast/core";
import { type NumericTable, optionalColumn, pickColumn } from "./summary-file.ts";

/**
 * Per-customer summaries in columns, the shape fitting and scoring consume: ids, (x, t_x, T) in
 * `timeUnit`, the mean repeat spend and, when a calibration end was given, holdout actuals.
 * `summaries` keeps the full rows (first purchase, channel, cohort) when they came from transactions.
 */
export interface CustomerColumns {
  readonly timeUnit: TimeUnit;
  readonly ids: readonly string[];
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly T: Float64Array;
  readonly monetary: Float64Array | null;
  readonly xHoldout: Float64Array | null;
  readonly durationHoldout: Float64Array | null;
  readonly summaries: readonly CustomerSummary[] | null;
  /** The columnar summaries they came from (first purchase day, revenue, channel, cohort), when known. */
  readonly source?: SummaryColumns;
}

/**
 * The (x, t_x, T) columns as `RfmData` for `fitModel`.
 * @example fitModel(bgnbdModel.spec, rfmOf(columns))
 */
export function rfmOf(c: CustomerColumns): RfmData {
  return { x: c.x, t_x: c.t_x, T: c.T };
}

/**
 * Columns from a summary file: ours (`customer_id,x,t_x,T[,monetary]`), or lifetimes'
 * (`ID,frequency,recency,T[,monetary_value]`); `zbar` (Hardie's name) is accepted for the mean spend.
 * The file carries no unit, so `timeUnit` is the user's statement of it.
 * @example columnsFromSummaryTable(readNumericTable("cdnow_customers_summary.csv"), "week").x.length // 2357
 */
export function columnsFromSummaryTable(table: NumericTable, timeUnit: TimeUnit): CustomerColumns {
  const x = pickColumn(table, ["x", "frequency"], "repeat purchases (x)");
  const t_x = pickColumn(table, ["t_x", "recency"], "recency (t_x)");
  const T = pickColumn(table, ["t"], "customer age (T)");
  const ids = table.ids ?? Array.from({ length: table.rows }, (_, i) => String(i + 1));
  const xHoldout = optionalColumn(table, ["x_holdout", "frequency_holdout"]) ?? null;
  return {
    timeUnit,
    ids,
    x,
    t_x,
    T,
    monetary: optionalColumn(table, ["monetary", "monetary_value", "zbar"]) ?? null,
    xHoldout,
    durationHoldout: xHoldout ? (optionalColumn(table, ["duration_holdout"]) ?? null) : null,
    summaries: null,
  };
}

/**
 * Columns from a summary file read by @valuecast/data (`readSummaryColumns`): like
 * `columnsFromSummaryTable`, only the fields the file had count (no monetary column means no spend known).
 * @example columnsFromSummaryFile(read.columns, read.fields).monetary // null without a monetary column
 */
export function columnsFromSummaryFile(c: SummaryColumns, fields: readonly string[]): CustomerColumns {
  const xHoldout = fields.includes("x_holdout") && c.holdout ? c.holdout.x : null;
  return {
    timeUnit: c.timeUnit,
    ids: c.customerId,
    x: c.x,
    t_x: c.t_x,
    T: c.T,
    monetary: fields.includes("monetary") ? c.monetary : null,
    xHoldout,
    durationHoldout:
      xHoldout && fields.includes("duration_holdout")
        ? new Float64Array(c.length).fill(c.holdout!.duration)
        : null,
    summaries: null,
  };
}

/**
 * Columns from core's columnar summaries (core's summarizer or an engine).
 * @example columnsFromSummaryColumns(summarizeTransactions(tx, { timeUnit: "week" }).columns)
 */
export function columnsFromSummaryColumns(c: SummaryColumns): CustomerColumns {
  const h = c.holdout;
  return {
    timeUnit: c.timeUnit,
    ids: c.customerId,
    x: c.x,
    t_x: c.t_x,
    T: c.T,
    monetary: c.monetary,
    xHoldout: h ? h.x : null,
    durationHoldout: h ? new Float64Array(c.length).fill(h.duration) : null,
    summaries: null,
    source: c,
  };
}

/**
 * Columns from summaries built from transactions (an engine's output).
 * @example columnsFromSummarySet({ timeUnit: "week", customers }).ids
 */
export function columnsFromSummarySet(set: SummarySet): CustomerColumns {
  const cs = set.customers;
  const n = cs.length;
  const col = (f: (c: CustomerSummary) => number) => Float64Array.from({ length: n }, (_, i) => f(cs[i]!));
  const hasHoldout = n > 0 && cs[0]!.x_holdout !== undefined;
  return {
    timeUnit: set.timeUnit,
    ids: cs.map((c) => c.customer_id),
    x: col((c) => c.x),
    t_x: col((c) => c.t_x),
    T: col((c) => c.T),
    monetary: col((c) => c.monetary),
    xHoldout: hasHoldout ? col((c) => c.x_holdout ?? 0) : null,
    durationHoldout: hasHoldout ? col((c) => c.duration_holdout ?? 0) : null,
    summaries: cs,
  };
}

/**
 * Summary objects for the analytics that take `CustomerSummary[]`: the full rows when the customers came
 * from transactions, else minimal rows from a summary file (orders = x + 1, no revenue known).
 * @example summariesOf(columns)[0].orders // x + 1
 */
export function summariesOf(c: CustomerColumns): CustomerSummary[] {
  if (c.source) return summaryObjects(c.source);
  if (c.summaries) return [...c.summaries];
  return c.ids.map((id, i) => ({
    customer_id: id,
    x: c.x[i]!,
    t_x: c.t_x[i]!,
    T: c.T[i]!,
    monetary: c.monetary?.[i] ?? 0,
    first_purchase_at: "",
    first_amount: 0,
    historic_revenue: Number.NaN,
    orders: c.x[i]! + 1,
  }));
}

/** The fields of a summary that dataReadiness and simpleLtv read. */
export type SummaryFigures = Pick<CustomerSummary, "x" | "t_x" | "T" | "orders" | "historic_revenue">;

/**
 * The columns as summary figures, one row at a time, for dataReadiness and simpleLtv: the same values as
 * `summariesOf` (orders = x + 1 and no revenue when only a summary file was read) without a million
 * objects that live through the fit, scoring and writing. One object is reused: a row is valid until the
 * next one is read.
 * @example dataReadiness(summaryFigures(columns), columns.timeUnit).ready
 */
export function* summaryFigures(c: CustomerColumns): Generator<SummaryFigures> {
  if (!c.source && c.summaries) {
    yield* c.summaries;
    return;
  }
  const row = { x: 0, t_x: 0, T: 0, orders: 0, historic_revenue: Number.NaN };
  const s = c.source;
  for (let i = 0; i < c.x.length; i++) {
    row.x = c.x[i]!;
    row.t_x = c.t_x[i]!;
    row.T = c.T[i]!;
    row.orders = s ? s.orders[i]! : row.x + 1;
    row.historic_revenue = s ? s.historicRevenue[i]! : Number.NaN;
    yield row;
  }
}

/**
 * `customerSummaries` (core) with the first-purchase date and cohort label built once per distinct day:
 * a million customers share a few hundred first days, and formatting a date per customer was most of the
 * cost. The objects are the same, field for field.
 * @example summaryObjects(columns)[0].first_purchase_at // "1997-01-01"
 */
export function summaryObjects(columns: SummaryColumns): CustomerSummary[] {
  const n = columns.length;
  const out: CustomerSummary[] = new Array(n);
  const h = columns.holdout;
  const dates = new Map<number, { iso: string; cohort: string }>();
  const { customerId, x, t_x, T, monetary, firstDay, firstAmount, historicRevenue, orders } = columns;
  const channels = columns.channel;
  const campaigns = columns.campaign;
  for (let i = 0; i < n; i++) {
    const first = firstDay[i]!;
    let day = dates.get(first);
    if (!day) {
      day = { iso: dayToIsoDate(first), cohort: cohortLabel(first, columns.cohort) };
      dates.set(first, day);
    }
    // Built by assignment in the field order of the spread version ({ ...channel, ...campaign, cohort,
    // ...holdout }): the spreads made temporary objects and a new shape per row, about 0.4 s and much of
    // the garbage collector's work per million customers.
    const o: Record<string, string | number> = {
      customer_id: customerId[i]!,
      x: x[i]!,
      t_x: t_x[i]!,
      T: T[i]!,
      monetary: monetary[i]!,
      first_purchase_at: day.iso,
      first_amount: firstAmount[i]!,
      historic_revenue: historicRevenue[i]!,
      orders: orders[i]!,
    };
    const channel = channels?.[i];
    if (channel != null) o.channel = channel;
    const campaign = campaigns?.[i];
    if (campaign != null) o.campaign = campaign;
    o.cohort = day.cohort;
    if (h) {
      o.x_holdout = h.x[i]!;
      o.revenue_holdout = h.revenue[i]!;
      o.duration_holdout = h.duration;
    }
    out[i] = o as unknown as CustomerSummary;
  }
  return out;
}
