import { issue, ValuecastError } from "../errors/issues.ts";
import { createSummaryColumnsBuilder } from "./columns.ts";
import { dayOf, normalizeCustomerId } from "./days.ts";
import { optionDays, resolvePeriods } from "./periods.ts";
import { addCount, emptyReportCounts, finishReport } from "./report.ts";
import type { SummarizeOptions, SummaryColumns, SummaryReport, Transaction } from "./types.ts";

/** Summaries in columnar form plus the account of every input row. */
export interface SummaryResult {
  readonly columns: SummaryColumns;
  readonly report: SummaryReport;
}

/** One transaction occasion of a customer: a calendar day (merged) or one order/row on a day. */
interface Occasion {
  readonly day: number;
  readonly key: string;
  rows: number;
  purchaseRows: number;
  /** Net amount: purchases plus refunds (refunds are negative). */
  amount: number;
  refundAmount: number;
  zeroRows: number;
  negativeRows: number;
  cancelledRows: number;
  duplicateRows: number;
  /** Earliest purchase instant, and the channel/campaign chosen at it (ties: smallest value, missing last). */
  firstAt: number;
  channelAt: number;
  channel: string | null;
  campaignAt: number;
  campaign: string | null;
}

/** True when (at, v) sorts before (bestAt, best): earlier instant, then smaller value, missing values last (SQL NULLS LAST). */
function earlier(at: number, v: string | null, bestAt: number, best: string | null): boolean {
  if (at !== bestAt) return at < bestAt;
  if (v === null) return false;
  return best === null || v < best;
}

function rowIdentity(t: Transaction): string {
  return (
    t.rowKey ??
    JSON.stringify([
      t.customerId,
      t.at,
      t.amount,
      t.orderId,
      t.cancelled,
      t.channel,
      t.campaign,
      t.quantity,
      t.category,
      t.country,
      t.utcOffsetMinutes,
    ])
  );
}

/**
 * Per-customer summaries from an in-memory transaction log, with the definitions of lifetimes, CLVTools and
 * the CDNOW summary file:
 * - purchases on the same calendar day are one transaction, amounts summed (unless `mergeSameDay: false`,
 *   then each order id, or each row without one, is a transaction);
 * - x = purchase occasions in calibration - 1; t_x = (last - first purchase day) / unit;
 *   T = (calibration end - first purchase day) / unit, the calibration end day counting as day 0 of the end
 *   (CDNOW: 1997-01-01 to 1997-09-30 is 272 days, T = 38.86 weeks);
 * - monetary = mean net amount of the repeat occasions (the first excluded), 0 when x = 0;
 * - refunds (negative amount or quantity) and cancellations contribute -|amount| to their day and to the
 *   revenue but are never purchases; refunds before a customer's first purchase are rejected
 *   (REFUND_WITHOUT_PURCHASE), as are all rows of customers who only have refunds;
 * - customers whose first purchase is after the calibration end get no summary
 *   (FIRST_PURCHASE_AFTER_CALIBRATION); their rows are counted there;
 * - rows are rejected, in this order, for MISSING_CUSTOMER_ID, BAD_DATE (non-finite `at`), BAD_AMOUNT,
 *   DATE_AFTER_END, DUPLICATE_ROW (only with `duplicates: "drop"`) and ZERO_AMOUNT (only with
 *   `zeroAmounts: "reject"`).
 * Customer ids are normalized with `normalizeCustomerId` ("17850.0" -> "17850"), as the SQL engines do.
 * @example
 * const { columns, report } = summarizeTransactions(
 *   [{ customerId: "a", at: Date.UTC(1997, 0, 1), amount: 10 }, { customerId: "a", at: Date.UTC(1997, 0, 8), amount: 5 }],
 *   { timeUnit: "week", calibrationEnd: "1997-01-15" },
 * );
 * columns.x[0]; // 1   columns.t_x[0]; // 1   columns.T[0]; // 2   report.rowsUsed; // 2
 */
export function summarizeTransactions(
  transactions: Iterable<Transaction>,
  options: SummarizeOptions,
): SummaryResult {
  const merge = options.mergeSameDay ?? true;
  const local = (options.dayBoundary ?? "utc") === "local";
  const rejectZero = options.zeroAmounts === "reject";
  const dropDuplicates = options.duplicates === "drop";
  const checkDuplicates = options.duplicates !== "ignore";
  const { observationEndDay: endGiven } = optionDays(options);
  const counts = emptyReportCounts();
  const seen = new Set<string>();
  const customers = new Map<string, Map<string, Occasion>>();
  let lastDataDay: number | undefined;
  let hasChannel = false;
  let hasCampaign = false;
  let index = 0;

  for (const t of transactions) {
    index++;
    counts.rowsRead++;
    let duplicate = false;
    if (checkDuplicates) {
      const identity = rowIdentity(t);
      duplicate = seen.has(identity);
      if (!duplicate) seen.add(identity);
    }
    const id = normalizeCustomerId(t.customerId);
    const dated = Number.isFinite(t.at);
    if (dated) {
      const tz = t.utcOffsetMinutes === undefined ? "none" : String(t.utcOffsetMinutes);
      counts.timeZoneOffsets[tz] = (counts.timeZoneOffsets[tz] ?? 0) + 1;
    }
    if (t.channel !== undefined) hasChannel = true;
    if (t.campaign !== undefined) hasCampaign = true;
    const refund = t.cancelled === true || t.amount < 0 || (t.quantity !== undefined && t.quantity < 0);
    const day = dated ? dayOf(t.at, local ? (t.utcOffsetMinutes ?? 0) : 0) : 0;
    let code: Parameters<typeof addCount>[1] | undefined;
    if (id === undefined) code = "MISSING_CUSTOMER_ID";
    else if (!dated) code = "BAD_DATE";
    else if (!Number.isFinite(t.amount)) code = "BAD_AMOUNT";
    else if (endGiven !== undefined && day > endGiven) code = "DATE_AFTER_END";
    else if (dropDuplicates && duplicate) code = "DUPLICATE_ROW";
    else if (rejectZero && !refund && t.amount === 0) code = "ZERO_AMOUNT";
    if (code !== undefined || id === undefined) {
      addCount(counts.rejected, code ?? "MISSING_CUSTOMER_ID", 1);
      continue;
    }
    lastDataDay = lastDataDay === undefined ? day : Math.max(lastDataDay, day);
    let occasions = customers.get(id);
    if (!occasions) {
      occasions = new Map();
      customers.set(id, occasions);
    }
    const key = merge ? String(day) : `${day}|${t.orderId ?? `#${index}`}`;
    let o = occasions.get(key);
    if (!o) {
      o = {
        day,
        key,
        rows: 0,
        purchaseRows: 0,
        amount: 0,
        refundAmount: 0,
        zeroRows: 0,
        negativeRows: 0,
        cancelledRows: 0,
        duplicateRows: 0,
        firstAt: Number.POSITIVE_INFINITY,
        channelAt: Number.POSITIVE_INFINITY,
        channel: null,
        campaignAt: Number.POSITIVE_INFINITY,
        campaign: null,
      };
      occasions.set(key, o);
    }
    o.rows++;
    if (duplicate) o.duplicateRows++;
    if (refund) {
      const v = -Math.abs(t.amount);
      o.amount += v;
      o.refundAmount += v;
      if (t.cancelled === true) o.cancelledRows++;
      else o.negativeRows++;
    } else {
      o.amount += t.amount;
      o.purchaseRows++;
      if (t.amount === 0) o.zeroRows++;
      o.firstAt = Math.min(o.firstAt, t.at);
      const ch = t.channel ?? null;
      if (earlier(t.at, ch, o.channelAt, o.channel)) {
        o.channelAt = t.at;
        o.channel = ch;
      }
      const cp = t.campaign ?? null;
      if (earlier(t.at, cp, o.campaignAt, o.campaign)) {
        o.campaignAt = t.at;
        o.campaign = cp;
      }
    }
  }

  const periods = resolvePeriods(options, lastDataDay);
  const { calibrationEndDay: cal, observationEndDay: end } = periods;
  const builder = createSummaryColumnsBuilder({
    timeUnit: options.timeUnit,
    channel: hasChannel,
    campaign: hasCampaign,
    cohort: options.cohort ?? "month",
    capacity: customers.size,
  });
  for (const [customerId, occasions] of customers) {
    // The first purchase occasion: earliest day, then earliest instant, then key (only matters unmerged).
    let first: Occasion | undefined;
    for (const o of occasions.values()) {
      if (o.purchaseRows === 0) continue;
      if (
        !first ||
        o.day < first.day ||
        (o.day === first.day &&
          (o.firstAt < first.firstAt || (o.firstAt === first.firstAt && o.key < first.key)))
      ) {
        first = o;
      }
    }
    let rows = 0;
    for (const o of occasions.values()) rows += o.rows;
    if (!first) {
      addCount(counts.rejected, "REFUND_WITHOUT_PURCHASE", rows);
      addCount(counts.customersExcluded, "REFUND_WITHOUT_PURCHASE", 1);
      continue;
    }
    if (first.day > cal) {
      addCount(counts.rejected, "FIRST_PURCHASE_AFTER_CALIBRATION", rows);
      addCount(counts.customersExcluded, "FIRST_PURCHASE_AFTER_CALIBRATION", 1);
      continue;
    }
    let x = 0;
    let lastDay = first.day;
    let repeatSum = 0;
    let historic = 0;
    let xHoldout = 0;
    let revenueHoldout = 0;
    for (const o of occasions.values()) {
      if (o.day < first.day) {
        addCount(counts.rejected, "REFUND_WITHOUT_PURCHASE", o.rows);
        continue;
      }
      addCount(counts.notes, "ZERO_AMOUNT", o.zeroRows);
      addCount(counts.notes, "NEGATIVE_AMOUNT", o.negativeRows);
      addCount(counts.notes, "CANCELLED_ORDER", o.cancelledRows);
      addCount(counts.notes, "DUPLICATE_ROW", o.duplicateRows);
      counts.refundsNetted += o.refundAmount;
      if (o.day <= cal) {
        historic += o.amount;
        if (o.purchaseRows > 0 && o !== first) {
          x++;
          repeatSum += o.amount;
          lastDay = Math.max(lastDay, o.day);
        }
      } else if (o.day <= end) {
        revenueHoldout += o.amount;
        if (o.purchaseRows > 0) xHoldout++;
      }
    }
    counts.customers++;
    builder.push({
      customerId,
      firstDay: first.day,
      lastDay,
      x,
      firstAmount: first.amount,
      repeatSum,
      historicRevenue: historic,
      channel: first.channel,
      campaign: first.campaign,
      xHoldout,
      revenueHoldout,
    });
  }
  if (counts.customers === 0 && counts.rowsRead === 0) {
    throw new ValuecastError([issue("EMPTY_INPUT", "there are no transactions to summarize")]);
  }
  const columns = builder.finish(
    periods.holdout ? { calibrationEndDay: cal, observationEndDay: end } : { calibrationEndDay: cal },
  );
  return { columns, report: finishReport(counts, cal, end) };
}
