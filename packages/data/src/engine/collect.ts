import {
  addCount,
  createSummaryColumnsBuilder,
  emptyReportCounts,
  finishReport,
  ISSUE_CODES,
  type IssueCode,
  optionDays,
  type SummarizeOptions,
  type SummaryColumns,
  type SummaryReport,
} from "@valuecast/core";
import { NO_OFFSET } from "../sql/summary-query.ts";

import type { ResultBatch } from "./source.ts";

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
  const agg = {
    customerId: "",
    firstDay: 0,
    lastDay: 0,
    x: 0,
    firstAmount: 0,
    repeatSum: 0,
    historicRevenue: 0,
    channel: null as string | null,
    campaign: null as string | null,
    xHoldout: 0,
    revenueHoldout: 0,
  };
  return {
    /** Takes one batch of summary-query rows (columns in `buildSummaryQuery`'s order). */
    addBatch(batch: ResultBatch): void {
      // Customers are all but a few report rows of the result.
      if (batch.totalRows !== undefined && builder.length === 0) builder.reserve(batch.totalRows);
      for (let i = 0; i < batch.rowCount; i++) this.add(batch, i);
    },
    /** Takes row `i` of a batch. */
    add(b: ResultBatch, i: number): void {
      const kind = b.value(0, i);
      if (kind === "C") {
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
      if (kind === "R" && isCode(code)) {
        addCount(counts.rejected, code, n);
        if (code === "REFUND_WITHOUT_PURCHASE" || code === "FIRST_PURCHASE_AFTER_CALIBRATION") {
          addCount(counts.customersExcluded, code, v);
        }
      } else if (kind === "N" && code === "REFUNDS") {
        counts.refundsNetted += v;
      } else if (kind === "N" && isCode(code)) {
        addCount(counts.notes, code, n);
      } else if (kind === "Z" && code !== null) {
        const key = Number(code) === NO_OFFSET ? "none" : String(Number(code));
        counts.timeZoneOffsets[key] = (counts.timeZoneOffsets[key] ?? 0) + n;
      } else if (kind === "W") {
        tracking.set(v, (tracking.get(v) ?? 0) + n);
      } else if (kind === "T") {
        counts.rowsRead += n;
      } else if (kind === "M") {
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
