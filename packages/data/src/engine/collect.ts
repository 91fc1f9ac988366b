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

/** One output row of the summary query, in its column order (see `buildSummaryQuery`). */
export type SummaryQueryRow = readonly unknown[];

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
    add(r: SummaryQueryRow): void {
      const kind = r[0];
      if (kind === "C") {
        agg.customerId = String(r[1]);
        agg.firstDay = asNumber(r[2]);
        agg.lastDay = asNumber(r[3]);
        agg.x = asNumber(r[4]);
        agg.firstAmount = asNumber(r[5]);
        agg.repeatSum = asNumber(r[6]);
        agg.historicRevenue = asNumber(r[7]);
        agg.xHoldout = asNumber(r[8]);
        agg.revenueHoldout = asNumber(r[9]);
        agg.channel = asText(r[10]);
        agg.campaign = asText(r[11]);
        builder.push(agg);
        counts.customers++;
        return;
      }
      const code = asText(r[12]);
      const n = asNumber(r[13]);
      const v = asNumber(r[14]);
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
      } else if (kind === "T") {
        counts.rowsRead += n;
      } else if (kind === "M") {
        if (r[14] !== null && r[14] !== undefined) lastDay = v;
        if (r[13] !== null && r[13] !== undefined) calDay = n;
      }
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
