import type { Issue } from "../errors/issues.ts";
import { issue } from "../errors/issues.ts";
import { dayOf } from "../summary/days.ts";
import type { Transaction } from "../summary/types.ts";
import { parseDayOrMonth } from "./dates.ts";

/**
 * One customer's purchase history at day resolution, the common input of cohorts, N-day LTV and channel
 * economics. Purchases on the same UTC day are one order (DESIGN "Time"); revenue is net of refunds.
 */
export interface CustomerHistory {
  readonly customerId: string;
  /** Epoch day of the first order. */
  readonly firstDay: number;
  /** Epoch days with an order (a non-cancelled line with amount >= 0), ascending, distinct. */
  readonly orderDays: readonly number[];
  /** Epoch days with any revenue movement (orders and refunds), ascending, distinct. */
  readonly revenueDays: readonly number[];
  /** Net revenue on each of `revenueDays` (refunds and cancellations subtract). */
  readonly revenueAmounts: readonly number[];
  /** Channel and campaign of the first order (first line of that day in input order). */
  readonly channel?: string;
  readonly campaign?: string;
}

export interface HistoriesResult {
  readonly histories: readonly CustomerHistory[];
  /** The last observed day (the `end` option, or the last transaction's day). */
  readonly endDay: number;
  /** Customers with refunds or cancellations only (no order): left out, counted here. */
  readonly customersWithoutOrders: number;
  /** Lines after `end`, left out. */
  readonly linesAfterEnd: number;
  readonly issues: readonly Issue[];
}

export interface HistoriesOptions {
  /** Last day of observation, ISO date (inclusive); default the last transaction's day. */
  readonly end?: string;
}

/**
 * Groups transactions into per-customer histories. A line is an order when it is not cancelled and its
 * amount is >= 0 (zero-value orders, e.g. free items, still count as purchases as in the peers); a
 * negative amount or `cancelled: true` is a refund that subtracts |amount| from revenue on its day.
 * Lines with a non-finite time or amount are left out and reported as issues (nothing dropped silently).
 * @example customerHistories(transactions, { end: "1998-06-30" }).histories.length // 23570 for CDNOW
 */
export function customerHistories(
  transactions: readonly Transaction[],
  options: HistoriesOptions = {},
): HistoriesResult {
  const issues: Issue[] = [];
  let endDay = options.end !== undefined ? parseDayOrMonth(options.end) : undefined;
  if (options.end !== undefined && endDay === undefined)
    issues.push(issue("BAD_DATE", `end '${options.end}' is not a YYYY-MM-DD date`, { field: "end" }));
  if (endDay === undefined) {
    endDay = Number.NEGATIVE_INFINITY;
    for (const t of transactions) if (Number.isFinite(t.at)) endDay = Math.max(endDay, dayOf(t.at));
  }
  // Columnar pass: customer index, day, signed amount and order flag per kept line; then a counting sort
  // by customer (stable, so input order survives within a customer) and a per-customer sort by day.
  // A Map and a Set per customer took 12 s for 2.5M lines; this takes a fraction of that.
  const n = transactions.length;
  const idOf = new Map<string, number>();
  const ids: string[] = [];
  const cust = new Int32Array(n);
  const days = new Float64Array(n);
  const signed = new Float64Array(n);
  const isOrder = new Uint8Array(n);
  const keep = new Uint8Array(n);
  let linesAfterEnd = 0;
  for (let index = 0; index < n; index++) {
    const t = transactions[index] as Transaction;
    if (!Number.isFinite(t.at)) {
      issues.push(issue("BAD_DATE", "transaction time is not a number", { index }));
      continue;
    }
    if (!Number.isFinite(t.amount)) {
      issues.push(issue("BAD_AMOUNT", "transaction amount is not a number", { index }));
      continue;
    }
    const day = dayOf(t.at);
    if (day > (endDay as number)) {
      linesAfterEnd++;
      continue;
    }
    let c = idOf.get(t.customerId);
    if (c === undefined) {
      c = ids.length;
      idOf.set(t.customerId, c);
      ids.push(t.customerId);
    }
    const refund = t.cancelled === true || t.amount < 0;
    cust[index] = c;
    days[index] = day;
    signed[index] = refund ? -Math.abs(t.amount) : t.amount;
    isOrder[index] = refund ? 0 : 1;
    keep[index] = 1;
  }
  const m = ids.length;
  const start = new Int32Array(m + 1);
  for (let i = 0; i < n; i++)
    if (keep[i]) start[(cust[i] as number) + 1] = (start[(cust[i] as number) + 1] as number) + 1;
  for (let c = 0; c < m; c++) start[c + 1] = (start[c + 1] as number) + (start[c] as number);
  const fillAt = start.slice(0, m);
  const perm = new Int32Array(start[m] as number);
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const c = cust[i] as number;
    perm[fillAt[c] as number] = i;
    fillAt[c] = (fillAt[c] as number) + 1;
  }
  const histories: CustomerHistory[] = [];
  let customersWithoutOrders = 0;
  for (let c = 0; c < m; c++) {
    const seg = perm.subarray(start[c] as number, start[c + 1] as number);
    // stable by day: ties keep input order, so the first order's channel is the first line of that day
    let inOrder = true;
    for (let j = 1; j < seg.length && inOrder; j++)
      if ((days[seg[j] as number] as number) < (days[seg[j - 1] as number] as number)) inOrder = false;
    const lines = inOrder
      ? seg
      : Int32Array.from(seg).sort((a, b) => (days[a] as number) - (days[b] as number) || a - b);
    const orderDays: number[] = [];
    const revenueDays: number[] = [];
    const revenueAmounts: number[] = [];
    let firstLine = -1;
    for (const i of lines) {
      const d = days[i] as number;
      if (revenueDays.length === 0 || revenueDays[revenueDays.length - 1] !== d) {
        revenueDays.push(d);
        revenueAmounts.push(signed[i] as number);
      } else
        revenueAmounts[revenueAmounts.length - 1] =
          (revenueAmounts[revenueAmounts.length - 1] as number) + (signed[i] as number);
      if (isOrder[i]) {
        if (firstLine < 0) firstLine = i;
        if (orderDays.length === 0 || orderDays[orderDays.length - 1] !== d) orderDays.push(d);
      }
    }
    if (firstLine < 0) {
      customersWithoutOrders++;
      continue;
    }
    const first = transactions[firstLine] as Transaction;
    histories.push({
      customerId: ids[c] as string,
      firstDay: days[firstLine] as number,
      orderDays,
      revenueDays,
      revenueAmounts,
      ...(first.channel !== undefined ? { channel: first.channel } : {}),
      ...(first.campaign !== undefined ? { campaign: first.campaign } : {}),
    });
  }
  return {
    histories,
    endDay: Number.isFinite(endDay) ? endDay : 0,
    customersWithoutOrders,
    linesAfterEnd,
    issues,
  };
}
