import {
  addCount,
  createSummaryColumnsBuilder,
  emptyCustomerAggregate,
  emptyReportCounts,
  finishReport,
  ISSUE_CODES,
  type IssueCode,
  optionDays,
  type SummarizeOptions,
  type SummaryColumns,
  type SummaryReport,
} from "@valuecast/core";
import { NO_OFFSET, ROW_KIND, type SummaryLayout } from "../sql/summary-query.ts";

import type { DoubleColumn, ResultBatch } from "./source.ts";

const asNumber = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const asText = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const isCode = (s: string | null): s is IssueCode => s !== null && s in ISSUE_CODES;

/**
 * Streams summary-query rows into `SummaryColumns` and the report. Engines call `add` for every row and
 * `finish` once; nothing else of the query result is kept in memory.
 */
export function createSummaryCollector(options: SummarizeOptions, layout: SummaryLayout) {
  const { holdout, channel, campaign } = layout;
  const builder = createSummaryColumnsBuilder({
    timeUnit: options.timeUnit,
    channel: channel !== undefined,
    campaign: campaign !== undefined,
    cohort: options.cohort ?? "month",
  });
  const counts = emptyReportCounts();
  let calDay: number | undefined;
  const tracking = new Map<number, number>();
  let lastDay: number | undefined;
  const agg = emptyCustomerAggregate();
  // Columns 2-7, then the holdout pair where the query has it.
  const numberColumns = [2, 3, 4, 5, 6, 7, ...(holdout !== undefined ? [holdout, holdout + 1] : [])];
  let zeros = new Float64Array(0);
  /**
   * The batch's leading customer rows in one block, when their numbers are all present and their ids come
   * as strings at once (`texts`): customers are all but a few rows of a result, and come first in an
   * ordered one. Returns how many rows it took (0: none, the caller reads them one by one).
   */
  const addCustomerBlock = (batch: ResultBatch, kinds: DoubleColumn, cols: DoubleColumn[]): number => {
    let k = 0;
    while (k < batch.rowCount && kinds.values[k] === ROW_KIND.C && !kinds.isNull(k)) k++;
    if (k === 0) return 0;
    for (const col of cols) for (let i = 0; i < k; i++) if (col.isNull(i)) return 0;
    const ids = batch.texts?.(1);
    if (!ids) return 0;
    for (let i = 0; i < k; i++) if (ids[i] === null) return 0;
    const text = (c: number) =>
      batch.texts?.(c) ?? Array.from({ length: k }, (_, i) => asText(batch.value(c, i)));
    const part = (col: DoubleColumn | undefined) => {
      if (col) return col.values.subarray(0, k);
      if (zeros.length < k) zeros = new Float64Array(k);
      return zeros.subarray(0, k);
    };
    builder.pushBlock({
      customerId: (k === ids.length ? ids : ids.slice(0, k)) as string[],
      firstDay: part(cols[0]),
      lastDay: part(cols[1]),
      x: part(cols[2]),
      firstAmount: part(cols[3]),
      repeatSum: part(cols[4]),
      historicRevenue: part(cols[5]),
      xHoldout: part(cols[6]),
      revenueHoldout: part(cols[7]),
      ...(channel !== undefined ? { channel: text(channel) } : {}),
      ...(campaign !== undefined ? { campaign: text(campaign) } : {}),
    });
    counts.customers += k;
    return k;
  };
  /** Fills `agg` from customer row `i` (`num` reads number column `c` of it, NULL as 0) and keeps it. */
  const addCustomer = (b: ResultBatch, i: number, num: (c: number, i: number) => number) => {
    agg.customerId = String(b.value(1, i));
    agg.firstDay = num(2, i);
    agg.lastDay = num(3, i);
    agg.x = num(4, i);
    agg.firstAmount = num(5, i);
    agg.repeatSum = num(6, i);
    agg.historicRevenue = num(7, i);
    agg.xHoldout = holdout !== undefined ? num(holdout, i) : 0;
    agg.revenueHoldout = holdout !== undefined ? num(holdout + 1, i) : 0;
    agg.channel = channel !== undefined ? asText(b.value(channel, i)) : null;
    agg.campaign = campaign !== undefined ? asText(b.value(campaign, i)) : null;
    builder.push(agg);
    counts.customers++;
  };
  return {
    /** Takes one batch of summary-query rows (columns as `summaryLayout` says). */
    addBatch(batch: ResultBatch): void {
      // Customers are all but a few report rows of the result.
      if (batch.totalRows !== undefined && builder.length === 0) builder.reserve(batch.totalRows);
      if (!batch.doubles) {
        for (let i = 0; i < batch.rowCount; i++) this.add(batch, i);
        return;
      }
      // Customer rows from whole number columns; report rows one by one.
      const kinds = batch.doubles(0);
      const cols = numberColumns.map((c) => batch.doubles!(c));
      const byColumn = new Map(numberColumns.map((c, j) => [c, cols[j]!]));
      const num = (c: number, i: number) => {
        const col = byColumn.get(c)!;
        return col.isNull(i) ? 0 : col.values[i]!;
      };
      const start = addCustomerBlock(batch, kinds, cols);
      for (let i = start; i < batch.rowCount; i++) {
        if (kinds.values[i] !== ROW_KIND.C || kinds.isNull(i)) this.add(batch, i);
        else addCustomer(batch, i, num);
      }
    },
    /** Takes row `i` of a batch. */
    add(b: ResultBatch, i: number): void {
      const kind = asNumber(b.value(0, i));
      if (kind === ROW_KIND.C) {
        addCustomer(b, i, (c, r) => asNumber(b.value(c, r)));
        return;
      }
      // A report row: its code in the id column, its counts n and v in the first two number columns.
      const code = asText(b.value(1, i));
      const n = asNumber(b.value(2, i));
      const v = asNumber(b.value(3, i));
      if (kind === ROW_KIND.R && isCode(code)) {
        addCount(counts.rejected, code, n);
        if (code === "REFUND_WITHOUT_PURCHASE" || code === "FIRST_PURCHASE_AFTER_CALIBRATION") {
          addCount(counts.customersExcluded, code, v);
        }
      } else if (kind === ROW_KIND.N && code === "REFUNDS") {
        counts.refundsNetted += v;
      } else if (kind === ROW_KIND.N && isCode(code)) {
        addCount(counts.notes, code, n);
      } else if (kind === ROW_KIND.Z && code !== null) {
        const key = Number(code) === NO_OFFSET ? "none" : String(Number(code));
        counts.timeZoneOffsets[key] = (counts.timeZoneOffsets[key] ?? 0) + n;
      } else if (kind === ROW_KIND.W) {
        tracking.set(v, (tracking.get(v) ?? 0) + n);
      } else if (kind === ROW_KIND.T) {
        counts.rowsRead += n;
      } else if (kind === ROW_KIND.M) {
        if (b.value(3, i) !== null && b.value(3, i) !== undefined) lastDay = v;
        if (b.value(2, i) !== null && b.value(2, i) !== undefined) calDay = n;
      }
    },
    /** Repeat purchase occasions by tracking period index (kind 'W' rows), empty when not asked for. */
    tracking(): ReadonlyMap<number, number> {
      return tracking;
    },
    finish(): { columns: SummaryColumns; report: SummaryReport } {
      const given = optionDays(options);
      const cal = given.calibrationEndDay ?? given.observationEndDay ?? calDay ?? lastDay ?? 0;
      const end = given.observationEndDay ?? Math.max(cal, lastDay ?? cal);
      const holdout = given.calibrationEndDay !== undefined;
      const columns = builder.finish(
        holdout ? { calibrationEndDay: cal, observationEndDay: end } : { calibrationEndDay: cal },
      );
      return { columns, report: finishReport(counts, cal, end) };
    },
  };
}
