// Test oracle: the original record-by-record buildEarlyDataset (arrays and Sets per customer), kept
// verbatim so the columnar builder that now serves buildEarlyDataset is checked against an independent
// implementation (fast-path.test.ts).
import { issue, ValuecastError } from "../../src/errors/issues.ts";
import type { EarlyCustomer, EarlyDataset, EarlyFeatureOptions } from "../../src/learn/early-features.ts";
import type { Transaction } from "../../src/summary/types.ts";

const DAY_MS = 86_400_000;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

const isPurchase = (t: Transaction): boolean => !t.cancelled && t.amount > 0;
/** A line's signed value: cancellations count against revenue whatever the sign they were written with. */
const lineValue = (t: Transaction): number => (t.cancelled ? -Math.abs(t.amount) : t.amount);
/** Lines of one order share the order id; without ids, lines at the same instant are one order. */
const orderKey = (t: Transaction): string => t.orderId ?? `@${t.at}`;

/** The original implementation of `buildEarlyDataset` (see the file comment). */
export function referenceEarlyDataset(
  transactions: readonly Transaction[],
  options: EarlyFeatureOptions = {},
): EarlyDataset {
  const days = options.days ?? 7;
  const horizonDays = options.horizonDays ?? 365.25;
  if (!(days >= 0) || !(horizonDays > 0)) {
    throw new ValuecastError([issue("BAD_OPTION_VALUE", "days must be >= 0 and the horizon > 0")]);
  }
  let asOf = options.asOf ?? Number.NEGATIVE_INFINITY;
  const byCustomer = new Map<string, Transaction[]>();
  for (const t of transactions) {
    if (!Number.isFinite(t.at) || !Number.isFinite(t.amount)) {
      throw new ValuecastError([
        issue("INVALID_DATA", `transaction of customer ${t.customerId} has a non-finite time or amount`),
      ]);
    }
    if (options.asOf === undefined && t.at > asOf) asOf = t.at;
    const list = byCustomer.get(t.customerId);
    if (list) list.push(t);
    else byCustomer.set(t.customerId, [t]);
  }
  const customers: EarlyCustomer[] = [];
  let windowOpen = 0;
  let noPurchase = 0;
  let beforeAcquisition = 0;
  for (const [customerId, lines] of byCustomer) {
    lines.sort((a, b) => a.at - b.at);
    const first = lines.find(isPurchase);
    if (!first) {
      noPurchase++;
      continue;
    }
    const t0 = first.at;
    if (options.acquiredFrom !== undefined && t0 < options.acquiredFrom) {
      beforeAcquisition++;
      continue;
    }
    const windowEnd = t0 + days * DAY_MS;
    const horizonEnd = windowEnd + horizonDays * DAY_MS;
    if (windowEnd > asOf) {
      windowOpen++;
      continue;
    }
    const firstKey = orderKey(first);
    let firstAmount = 0;
    let earlyRevenue = 0;
    let items = 0;
    let label = 0;
    let secondAt = Number.POSITIVE_INFINITY;
    const orders = new Set<string>();
    const categories = new Set<string>();
    let channel: string | undefined;
    let campaign: string | undefined;
    let country: string | undefined;
    for (const t of lines) {
      if (t.at < t0) continue;
      if (t.at > windowEnd) {
        if (t.at <= horizonEnd) label += lineValue(t);
        continue;
      }
      earlyRevenue += lineValue(t);
      if (!isPurchase(t)) continue;
      const key = orderKey(t);
      orders.add(key);
      items += t.quantity ?? 1;
      if (t.category !== undefined) categories.add(t.category);
      if (key === firstKey) {
        firstAmount += t.amount;
        channel ??= t.channel;
        campaign ??= t.campaign;
        country ??= t.country;
      } else if (t.at < secondAt) {
        secondAt = t.at;
      }
    }
    const repeat = Number.isFinite(secondAt);
    const labelObserved = horizonEnd <= asOf;
    customers.push({
      customerId,
      firstAt: t0,
      features: {
        first_amount: firstAmount,
        early_revenue: earlyRevenue,
        early_orders: orders.size,
        early_items: items,
        early_categories: categories.size,
        repeat_in_window: repeat ? 1 : 0,
        days_to_second_order: repeat ? (secondAt - t0) / DAY_MS : days,
        channel,
        campaign,
        country,
        first_weekday: WEEKDAYS[new Date(t0).getUTCDay()]!,
      },
      label: labelObserved ? Math.max(0, label) : 0,
      labelObserved,
    });
  }
  customers.sort(
    (a, b) =>
      a.firstAt - b.firstAt || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0),
  );
  return { customers, days, horizonDays, asOf, windowOpen, noPurchase, beforeAcquisition };
}
