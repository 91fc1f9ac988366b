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
  interface Acc {
    orders: Set<number>;
    revenue: Map<number, number>;
    firstDay: number;
    channel?: string | undefined;
    campaign?: string | undefined;
  }
  const byCustomer = new Map<string, Acc>();
  let linesAfterEnd = 0;
  transactions.forEach((t, index) => {
    if (!Number.isFinite(t.at)) {
      issues.push(issue("BAD_DATE", "transaction time is not a number", { index }));
      return;
    }
    if (!Number.isFinite(t.amount)) {
      issues.push(issue("BAD_AMOUNT", "transaction amount is not a number", { index }));
      return;
    }
    const day = dayOf(t.at);
    if (day > (endDay as number)) {
      linesAfterEnd++;
      return;
    }
    let a = byCustomer.get(t.customerId);
    if (!a) {
      a = { orders: new Set(), revenue: new Map(), firstDay: Number.POSITIVE_INFINITY };
      byCustomer.set(t.customerId, a);
    }
    const refund = t.cancelled === true || t.amount < 0;
    const signed = refund ? -Math.abs(t.amount) : t.amount;
    a.revenue.set(day, (a.revenue.get(day) ?? 0) + signed);
    if (!refund) {
      a.orders.add(day);
      if (day < a.firstDay) {
        a.firstDay = day;
        a.channel = t.channel;
        a.campaign = t.campaign;
      }
    }
  });
  const histories: CustomerHistory[] = [];
  let customersWithoutOrders = 0;
  for (const [customerId, a] of byCustomer) {
    if (a.orders.size === 0) {
      customersWithoutOrders++;
      continue;
    }
    const revenueDays = [...a.revenue.keys()].sort((x, y) => x - y);
    const h: CustomerHistory = {
      customerId,
      firstDay: a.firstDay,
      orderDays: [...a.orders].sort((x, y) => x - y),
      revenueDays,
      revenueAmounts: revenueDays.map((d) => a.revenue.get(d) as number),
      ...(a.channel !== undefined ? { channel: a.channel } : {}),
      ...(a.campaign !== undefined ? { campaign: a.campaign } : {}),
    };
    histories.push(h);
  }
  return {
    histories,
    endDay: Number.isFinite(endDay) ? endDay : 0,
    customersWithoutOrders,
    linesAfterEnd,
    issues,
  };
}
