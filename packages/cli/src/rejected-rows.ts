import {
  dayOf,
  type IssueCode,
  isoDateToDay,
  normalizeCustomerId,
  type SummaryReport,
  type Transaction,
} from "@valuecast/core";
import type { ReadTransactions } from "./transactions-file.ts";
import { type OutputTable, writeTable } from "./write-table.ts";

/**
 * Which input rows core's summarizer rejected, and why, by its documented rules in its order (see
 * `summarizeTransactions`): row rules MISSING_CUSTOMER_ID, BAD_DATE, BAD_AMOUNT, DATE_AFTER_END (only with
 * an explicit end), then customer rules: REFUND_WITHOUT_PURCHASE for refund days before the first purchase
 * day (all rows of a customer without purchases), FIRST_PURCHASE_AFTER_CALIBRATION for every row of a
 * customer first seen after the calibration end. Same-day merging and UTC days, as the defaults.
 * Returns one code (or undefined) per transaction.
 * @example rejectedRows(read.transactions, "2011-09-30", undefined)[2] // "MISSING_CUSTOMER_ID"
 */
export function rejectedRows(
  tx: readonly Transaction[],
  calibrationEnd: string,
  observationEnd: string | undefined,
): (IssueCode | undefined)[] {
  const out: (IssueCode | undefined)[] = new Array(tx.length);
  const endDay = observationEnd ? isoDateToDay(observationEnd) : undefined;
  const calDay = isoDateToDay(calibrationEnd)!;
  const byCustomer = new Map<string, number[]>();
  const firstPurchase = new Map<string, number>();
  const dayOfRow = new Float64Array(tx.length);
  tx.forEach((t, i) => {
    const id = normalizeCustomerId(t.customerId);
    if (id === undefined) out[i] = "MISSING_CUSTOMER_ID";
    else if (!Number.isFinite(t.at)) out[i] = "BAD_DATE";
    else if (!Number.isFinite(t.amount)) out[i] = "BAD_AMOUNT";
    else {
      const day = dayOf(t.at);
      dayOfRow[i] = day;
      if (endDay !== undefined && day > endDay) {
        out[i] = "DATE_AFTER_END";
        return;
      }
      let rows = byCustomer.get(id);
      if (!rows) {
        rows = [];
        byCustomer.set(id, rows);
      }
      rows.push(i);
      const refund = t.cancelled === true || t.amount < 0 || (t.quantity !== undefined && t.quantity < 0);
      if (!refund) firstPurchase.set(id, Math.min(firstPurchase.get(id) ?? Number.POSITIVE_INFINITY, day));
    }
  });
  for (const [id, rows] of byCustomer) {
    const first = firstPurchase.get(id);
    for (const i of rows) {
      if (first === undefined) out[i] = "REFUND_WITHOUT_PURCHASE";
      else if (first > calDay) out[i] = "FIRST_PURCHASE_AFTER_CALIBRATION";
      else if (dayOfRow[i]! < first) out[i] = "REFUND_WITHOUT_PURCHASE";
    }
  }
  return out;
}

/**
 * Writes the rejected rows (file, line, reason, the raw line) to `path` and checks the counts per reason
 * against the summarizer's report. Returns the mismatches (empty when every rejected row is accounted for).
 * @example await writeRejectedRows("rejected.csv", read, report, undefined)
 */
export async function writeRejectedRows(
  path: string,
  read: ReadTransactions,
  report: SummaryReport,
  observationEnd: string | undefined,
): Promise<{ written: number; mismatches: string[] }> {
  const codes = rejectedRows(read.transactions, report.calibrationEnd, observationEnd);
  const idx: number[] = [];
  const counts: Partial<Record<string, number>> = {};
  codes.forEach((c, i) => {
    if (c === undefined) return;
    idx.push(i);
    counts[c] = (counts[c] ?? 0) + 1;
  });
  const table: OutputTable = {
    columns: ["file", "line", "reason", "row"],
    values: {
      file: idx.map((i) => read.fileOf[i]!),
      line: idx.map((i) => read.lineOf[i]!),
      reason: idx.map((i) => codes[i]!),
      row: idx.map((i) => read.transactions[i]!.rowKey ?? ""),
    },
    length: idx.length,
  };
  await writeTable(path, table);
  const mismatches: string[] = [];
  const reasons = new Set([...Object.keys(counts), ...Object.keys(report.rejected)]);
  for (const r of reasons) {
    const mine = counts[r] ?? 0;
    const theirs = report.rejected[r as IssueCode] ?? 0;
    if (mine !== theirs) mismatches.push(`${r}: ${mine} rows written, ${theirs} in the report`);
  }
  return { written: idx.length, mismatches };
}
