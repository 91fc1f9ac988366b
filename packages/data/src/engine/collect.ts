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
import { NO_OFFSET, ROW_KIND } from "../sql/summary-query.ts";

import type { DoubleColumn, ResultBatch } from "./source.ts";

const asNumber = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const asText = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const isCode = (s: string | null): s is IssueCode => s !== null && s in ISSUE_CODES;

/**
 * Streams summary-query rows into `SummaryColumns` and the report. Engines call `add` for every row and
 * `finish` once; nothing else of the query result is kept in memory.
 */
export function createSummaryCollector(
  options: SummarizeOptions,
  shape: { channel: boolean; campaign: boolean },
) {
  const builder = createSummaryColumnsBuilder({
    timeUnit: options.timeUnit,
    channel: shape.channel,
    campaign: shape.campaign,
    cohort: options.cohort ?? "month",
  });
  const counts = emptyReportCounts();
  let calDay: number | undefined;
  const tracking = new Map<number, number>();
  let lastDay: number | undefined;
  const agg = emptyCustomerAggregate();
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
    const part = (col: DoubleColumn) => col.values.subarray(0, k);
    builder.pushBlock({
      customerId: (k === ids.length ? ids : ids.slice(0, k)) as string[],
      firstDay: part(cols[0]!),
      lastDay: part(cols[1]!),
      x: part(cols[2]!),
      firstAmount: part(cols[3]!),
      repeatSum: part(cols[4]!),
      historicRevenue: part(cols[5]!),
      xHoldout: part(cols[6]!),
      revenueHoldout: part(cols[7]!),
      ...(shape.channel ? { channel: text(10) } : {}),
      ...(shape.campaign ? { campaign: text(11) } : {}),
    });
    counts.customers += k;
    return k;
  };
  return {
    /** Takes one batch of summary-query rows (columns in `buildSummaryQuery`'s order). */
    addBatch(batch: ResultBatch): void {
      // Customers are all but a few report rows of the result.
      if (batch.totalRows !== undefined && builder.length === 0) builder.reserve(batch.totalRows);
      if (!batch.doubles) {
        for (let i = 0; i < batch.rowCount; i++) this.add(batch, i);
        return;
      }
      // Customer rows from whole number columns (the kind and columns 2-9); report rows one by one.
      const kinds = batch.doubles(0);
      const cols = [2, 3, 4, 5, 6, 7, 8, 9].map((c) => batch.doubles!(c));
      const num = (c: number, i: number) => {
        const col = cols[c - 2]!;
        return col.isNull(i) ? 0 : col.values[i]!;
      };
      const start = addCustomerBlock(batch, kinds, cols);
      for (let i = start; i < batch.rowCount; i++) {
        if (kinds.values[i] !== ROW_KIND.C || kinds.isNull(i)) {
          this.add(batch, i);
          continue;
        }
        agg.customerId = String(batch.value(1, i));
        agg.firstDay = num(2, i);
        agg.lastDay = num(3, i);
        agg.x = num(4, i);
        agg.firstAmount = num(5, i);
        agg.repeatSum = num(6, i);
        agg.historicRevenue = num(7, i);
        agg.xHoldout = num(8, i);
        agg.revenueHoldout = num(9, i);
        agg.channel = shape.channel ? asText(batch.value(10, i)) : null;
        agg.campaign = shape.campaign ? asText(batch.value(11, i)) : null;
        builder.push(agg);
        counts.customers++;
      }
    },
    /** Takes row `i` of a batch. */
    add(b: ResultBatch, i: number): void {
      const kind = asNumber(b.value(0, i));
      if (kind === ROW_KIND.C) {
        agg.customerId = String(b.value(1, i));
        agg.firstDay = asNumber(b.value(2, i));
        agg.lastDay = asNumber(b.value(3, i));
        agg.x = asNumber(b.value(4, i));
        agg.firstAmount = asNumber(b.value(5, i));
        agg.repeatSum = asNumber(b.value(6, i));
        agg.historicRevenue = asNumber(b.value(7, i));
        agg.xHoldout = asNumber(b.value(8, i));
        agg.revenueHoldout = asNumber(b.value(9, i));
        agg.channel = shape.channel ? asText(b.value(10, i)) : null;
        agg.campaign = shape.campaign ? asText(b.value(11, i)) : null;
        builder.push(agg);
        counts.customers++;
        return;
      }
      const code = asText(b.value(12, i));
      const n = asNumber(b.value(13, i));
      const v = asNumber(b.value(14, i));
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
        if (b.value(14, i) !== null && b.value(14, i) !== undefined) lastDay = v;
        if (b.value(13, i) !== null && b.value(13, i) !== undefined) calDay = n;
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
