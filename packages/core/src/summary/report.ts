import type { IssueCode } from "../errors/issues.ts";
import { dayToIsoDate } from "./days.ts";
import type { SummaryReport } from "./types.ts";

/** Counts gathered by an engine (or core's summarizer) before the report is finished. */
export interface ReportCounts {
  rowsRead: number;
  rejected: Partial<Record<IssueCode, number>>;
  notes: Partial<Record<IssueCode, number>>;
  refundsNetted: number;
  customers: number;
  customersExcluded: Partial<Record<IssueCode, number>>;
  timeZoneOffsets: Record<string, number>;
}

/** Empty counts to add into. */
export function emptyReportCounts(): ReportCounts {
  return {
    rowsRead: 0,
    rejected: {},
    notes: {},
    refundsNetted: 0,
    customers: 0,
    customersExcluded: {},
    timeZoneOffsets: {},
  };
}

/** Adds `n` to `counts[code]`, leaving zero counts out so reports list only what happened. */
export function addCount(counts: Partial<Record<IssueCode, number>>, code: IssueCode, n: number): void {
  if (n !== 0) counts[code] = (counts[code] ?? 0) + n;
}

/**
 * Finishes a report: used = read - rejected, and MIXED_TIME_ZONES counts the dated rows whose written
 * offset differs from the most common one (0 when all rows agree).
 * @example finishReport(counts, 10134, 10134).rowsUsed
 */
export function finishReport(
  counts: ReportCounts,
  calibrationEndDay: number,
  observationEndDay: number,
): SummaryReport {
  let rejected = 0;
  for (const v of Object.values(counts.rejected)) rejected += v ?? 0;
  const notes = { ...counts.notes };
  const offsets = Object.values(counts.timeZoneOffsets);
  if (offsets.length > 1) {
    let total = 0;
    let most = 0;
    for (const v of offsets) {
      total += v;
      most = Math.max(most, v);
    }
    addCount(notes, "MIXED_TIME_ZONES", total - most);
  }
  return {
    rowsRead: counts.rowsRead,
    rowsUsed: counts.rowsRead - rejected,
    rowsRejected: rejected,
    rejected: counts.rejected,
    notes,
    refundsNetted: counts.refundsNetted,
    customers: counts.customers,
    customersExcluded: counts.customersExcluded,
    timeZoneOffsets: counts.timeZoneOffsets,
    calibrationEnd: dayToIsoDate(calibrationEndDay),
    observationEnd: dayToIsoDate(observationEndDay),
  };
}
