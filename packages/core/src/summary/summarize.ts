import type { IssueCode } from "../errors/issues.ts";
import { issue, ValuecastError } from "../errors/issues.ts";
import { createSummaryColumnsBuilder, emptyCustomerAggregate } from "./columns.ts";
import { dayOf, normalizeCustomerId } from "./days.ts";
import { optionDays, resolvePeriods } from "./periods.ts";
import { addCount, emptyReportCounts, finishReport } from "./report.ts";
import type { SummarizeOptions, SummaryColumns, SummaryReport, Transaction } from "./types.ts";

/** Summaries in columnar form plus the account of every input row. */
export interface SummaryResult {
  readonly columns: SummaryColumns;
  readonly report: SummaryReport;
}

/** Row flags kept per accepted row. */
const REFUND = 1;
const CANCELLED = 2;
const DUPLICATE = 4;
const ZERO = 8;

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

function grownFloat(a: Float64Array, size: number): Float64Array {
  const next = new Float64Array(size);
  next.set(a);
  return next;
}

function grownInt(a: Int32Array, size: number): Int32Array {
  const next = new Int32Array(size);
  next.set(a);
  return next;
}

/** Fields of an accepted row in `AcceptedRows.data`, which holds `STRIDE` numbers per row. */
const DAY = 0;
/** Signed amount: the purchase amount, or -|amount| for a refund or cancellation. */
const AMOUNT = 1;
const AT = 2;
const FLAGS = 3;
const STRIDE = 4;

/**
 * The accepted rows in input order, in typed arrays (no object per row): a million customers' rows as Maps of
 * occasion objects cost more in garbage collection than in summing. A row's numbers sit side by side (one
 * cache line) because rows are read customer by customer, out of input order.
 */
class AcceptedRows {
  n = 0;
  customer: Int32Array;
  data: Float64Array;
  /** Unmerged days only: the occasion within the day (the number of its key, the order id or "#" and row number). */
  order: Int32Array | undefined;
  channel: (string | null)[] | undefined;
  campaign: (string | null)[] | undefined;

  /**
   * `capacity`: the row count when known. Growing by doubling allocates twice the final size, and every large
   * buffer counts as external memory, which makes V8 run full collections over the whole heap (with a
   * million transaction objects in it, that cost more than the summing).
   */
  constructor(unmerged: boolean, capacity: number) {
    const size = Math.max(16, capacity);
    this.customer = new Int32Array(size);
    this.data = new Float64Array(size * STRIDE);
    if (unmerged) this.order = new Int32Array(size);
  }

  /** Room for one more row. */
  reserve(): void {
    if (this.n < this.customer.length) return;
    const size = this.customer.length * 2;
    this.customer = grownInt(this.customer, size);
    this.data = grownFloat(this.data, size * STRIDE);
    if (this.order) this.order = grownInt(this.order, size);
  }
}

/**
 * Row positions grouped by customer, each group in input order: an LSD radix sort on the dense customer index,
 * in passes of at most 11 bits (two at a million customers), keys carried along. A single counting pass over
 * a million counters would read and write them at random; 2048 buckets stay in cache.
 * `start[c]..start[c + 1]` is customer c.
 */
function groupRows(rows: AcceptedRows, customers: number): { order: Int32Array; start: Int32Array } {
  const n = rows.n;
  let bits = 1;
  while (bits < 31 && 1 << bits < customers) bits++;
  const passes = Math.ceil(bits / 11);
  const width = Math.ceil(bits / passes);
  const mask = (1 << width) - 1;
  const count = new Int32Array(mask + 1);
  let keys: Int32Array = rows.customer.subarray(0, n);
  let order: Int32Array | undefined; // undefined: input order
  let outKeys: Int32Array = new Int32Array(n);
  let outOrder: Int32Array = new Int32Array(n);
  for (let p = 0, shift = 0; p < passes; p++, shift += width) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(keys[i]! >>> shift) & mask]!++;
    for (let b = 0, sum = 0; b <= mask; b++) {
      const c = count[b]!;
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      const d = count[(k >>> shift) & mask]!++;
      outKeys[d] = k;
      outOrder[d] = order ? order[i]! : i;
    }
    const spareKeys = p === 0 ? undefined : keys;
    const spareOrder = order;
    keys = outKeys;
    order = outOrder;
    if (p + 1 < passes) {
      // The customer column itself is never written over.
      outKeys = spareKeys ?? new Int32Array(n);
      outOrder = spareOrder ?? new Int32Array(n);
    }
  }
  const start = new Int32Array(customers + 1);
  for (let i = 0; i < n; i++) start[keys[i]! + 1]!++;
  for (let c = 0; c < customers; c++) start[c + 1]! += start[c]!;
  return { order: order ?? new Int32Array(0), start };
}

/**
 * Puts one customer's rows `order[s..e)` in (day, occasion, row) order, so occasions are runs. A strict total
 * order: no stability needed. Usually already sorted (rows come in date order).
 */
function sortGroup(order: Int32Array, s: number, e: number, data: Float64Array, occ: Int32Array | undefined) {
  const before = occ
    ? (a: number, b: number) => {
        const da = data[a * STRIDE + DAY]!;
        const db = data[b * STRIDE + DAY]!;
        return da < db || (da === db && (occ[a]! < occ[b]! || (occ[a] === occ[b] && a < b)));
      }
    : (a: number, b: number) => {
        const da = data[a * STRIDE + DAY]!;
        const db = data[b * STRIDE + DAY]!;
        return da < db || (da === db && a < b);
      };
  let sorted = true;
  for (let i = s + 1; i < e; i++) {
    if (before(order[i]!, order[i - 1]!)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return;
  if (e - s <= 32) {
    for (let i = s + 1; i < e; i++) {
      const v = order[i]!;
      let j = i - 1;
      while (j >= s && before(v, order[j]!)) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = v;
    }
  } else order.subarray(s, e).sort((a, b) => (before(a, b) ? -1 : 1));
}

/**
 * Dense indices for customer ids or row identities (0, 1, 2, ... in first-seen order): open addressing over one Int32Array of
 * (hash, index) pairs. At a million ids it is about three times faster than a Map<string, number>, whose
 * growing tables are also garbage.
 */
class IdIndex {
  readonly ids: string[] = [];
  private table = new Int32Array(2048);
  private mask = 1023;

  /** The index of `id`, adding it when new. */
  indexOf(id: string): number {
    // FNV-1a over the UTF-16 code units; odd, so 0 marks an empty slot.
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
    h |= 1;
    const table = this.table;
    let p = h & this.mask;
    for (;;) {
      const e = table[2 * p]!;
      if (e === 0) break;
      if (e === h && this.ids[table[2 * p + 1]!] === id) return table[2 * p + 1]!;
      p = (p + 1) & this.mask;
    }
    const c = this.ids.length;
    this.ids.push(id);
    table[2 * p] = h;
    table[2 * p + 1] = c;
    if (2 * this.ids.length > this.mask) this.grow();
    return c;
  }

  /** Doubles the table (load factor at most 1/2), re-placing the pairs by their stored hashes. */
  private grow(): void {
    const old = this.table;
    this.mask = this.mask * 2 + 1;
    const table = new Int32Array(2 * (this.mask + 1));
    for (let j = 0; j < old.length; j += 2) {
      const h = old[j]!;
      if (h === 0) continue;
      let q = h & this.mask;
      while (table[2 * q] !== 0) q = (q + 1) & this.mask;
      table[2 * q] = h;
      table[2 * q + 1] = old[j + 1]!;
    }
    this.table = table;
  }
}

/** One customer's occasions (calendar days, or orders when unmerged), reused from customer to customer. */
class Occasions {
  k = 0;
  day: Float64Array = new Float64Array(64);
  /** The occasion's first row (input order) and its within-day occasion number (unmerged only). */
  firstRow: Int32Array = new Int32Array(64);
  occasion: Int32Array = new Int32Array(64);
  rows: Int32Array = new Int32Array(64);
  purchaseRows: Int32Array = new Int32Array(64);
  /** Net amount: purchases plus refunds (refunds are negative), summed in input order. */
  amount: Float64Array = new Float64Array(64);
  refundAmount: Float64Array = new Float64Array(64);
  zeroRows: Int32Array = new Int32Array(64);
  negativeRows: Int32Array = new Int32Array(64);
  cancelledRows: Int32Array = new Int32Array(64);
  duplicateRows: Int32Array = new Int32Array(64);
  /** Earliest purchase instant, and the channel/campaign chosen at it (ties: smallest value, missing last). */
  firstAt: Float64Array = new Float64Array(64);
  channelAt: Float64Array = new Float64Array(64);
  channel: (string | null)[] = [];
  campaignAt: Float64Array = new Float64Array(64);
  campaign: (string | null)[] = [];
  /** Occasion indices in the order of their first row. */
  byFirstRow: Int32Array = new Int32Array(64);

  /** Starts occasion `k` (growing the arrays when needed). */
  open(day: number, firstRow: number, occasion: number): number {
    const k = this.k++;
    if (k === this.day.length) {
      const size = k * 2;
      this.day = grownFloat(this.day, size);
      this.firstRow = grownInt(this.firstRow, size);
      this.occasion = grownInt(this.occasion, size);
      this.rows = grownInt(this.rows, size);
      this.purchaseRows = grownInt(this.purchaseRows, size);
      this.amount = grownFloat(this.amount, size);
      this.refundAmount = grownFloat(this.refundAmount, size);
      this.zeroRows = grownInt(this.zeroRows, size);
      this.negativeRows = grownInt(this.negativeRows, size);
      this.cancelledRows = grownInt(this.cancelledRows, size);
      this.duplicateRows = grownInt(this.duplicateRows, size);
      this.firstAt = grownFloat(this.firstAt, size);
      this.channelAt = grownFloat(this.channelAt, size);
      this.campaignAt = grownFloat(this.campaignAt, size);
      this.byFirstRow = grownInt(this.byFirstRow, size);
    }
    this.day[k] = day;
    this.firstRow[k] = firstRow;
    this.occasion[k] = occasion;
    this.rows[k] = 0;
    this.purchaseRows[k] = 0;
    this.amount[k] = 0;
    this.refundAmount[k] = 0;
    this.zeroRows[k] = 0;
    this.negativeRows[k] = 0;
    this.cancelledRows[k] = 0;
    this.duplicateRows[k] = 0;
    this.firstAt[k] = Number.POSITIVE_INFINITY;
    this.channelAt[k] = Number.POSITIVE_INFINITY;
    this.channel[k] = null;
    this.campaignAt[k] = Number.POSITIVE_INFINITY;
    this.campaign[k] = null;
    return k;
  }

  /** Fills `byFirstRow` (already in order when the customer's rows came in date order, the usual case). */
  orderByFirstRow(): void {
    const k = this.k;
    const idx = this.byFirstRow;
    const first = this.firstRow;
    let sorted = true;
    for (let i = 0; i < k; i++) {
      idx[i] = i;
      if (i > 0 && first[i]! < first[i - 1]!) sorted = false;
    }
    if (sorted) return;
    if (k <= 32) {
      for (let i = 1; i < k; i++) {
        const v = idx[i]!;
        let j = i - 1;
        while (j >= 0 && first[v]! < first[idx[j]!]!) {
          idx[j + 1] = idx[j]!;
          j--;
        }
        idx[j + 1] = v;
      }
    } else idx.subarray(0, k).sort((a, b) => first[a]! - first[b]!);
  }
}

/** True when (at, v) sorts before (bestAt, best): earlier instant, then smaller value, missing values last (SQL NULLS LAST). */
function earlier(at: number, v: string | null, bestAt: number, best: string | null): boolean {
  if (at !== bestAt) return at < bestAt;
  if (v === null) return false;
  return best === null || v < best;
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
 * Customers come in the order of their first accepted row. Amounts are summed in input order within an
 * occasion, and occasions in the order of their first row, so sums do not depend on how rows are grouped.
 *
 * One pass stores the accepted rows in typed arrays with a dense customer index; a radix sort groups them
 * by customer and each group is put in (day, row) order, so occasions are runs of rows.
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
  // Row identities seen so far, numbered like customer ids (faster than a Set of 2.5 million strings).
  const seen = new IdIndex();
  const customerIndex = new IdIndex();
  const customerIds = customerIndex.ids;
  const rows = new AcceptedRows(!merge, Array.isArray(transactions) ? transactions.length : 1024);
  // Unmerged: occasion keys numbered (their text kept for the first-occasion tie-break).
  const orderIds = new IdIndex();
  // Offsets counted by value in slots (the report object is written at the end in first-seen order); the
  // previous row's slot is tried first, as a file rarely changes offset from row to row.
  const offsetSlot = new Map<number | undefined, number>();
  const offsetValue: (number | undefined)[] = [];
  const offsetCount: number[] = [];
  let slot = -1;
  let lastDataDay: number | undefined;
  let lastId: string | undefined;
  let lastCustomer = 0;
  let hasChannel = false;
  let hasCampaign = false;
  let index = 0;

  for (const t of transactions) {
    index++;
    counts.rowsRead++;
    let duplicate = false;
    if (checkDuplicates) {
      const identity = rowIdentity(t);
      const known = seen.ids.length;
      duplicate = seen.indexOf(identity) < known;
    }
    const id = normalizeCustomerId(t.customerId);
    const at = t.at;
    const dated = Number.isFinite(at);
    if (dated) {
      const offset = t.utcOffsetMinutes;
      if (slot < 0 || offset !== offsetValue[slot]) {
        let s = offsetSlot.get(offset);
        if (s === undefined) {
          s = offsetValue.length;
          offsetSlot.set(offset, s);
          offsetValue.push(offset);
          offsetCount.push(0);
        }
        slot = s;
      }
      offsetCount[slot]!++;
    }
    if (t.channel !== undefined && !hasChannel) {
      hasChannel = true;
      rows.channel = new Array<string | null>(rows.n).fill(null);
    }
    if (t.campaign !== undefined && !hasCampaign) {
      hasCampaign = true;
      rows.campaign = new Array<string | null>(rows.n).fill(null);
    }
    const amount = t.amount;
    const cancelled = t.cancelled === true;
    const refund = cancelled || amount < 0 || (t.quantity !== undefined && t.quantity < 0);
    const day = dated ? dayOf(at, local ? (t.utcOffsetMinutes ?? 0) : 0) : 0;
    let code: IssueCode | undefined;
    if (id === undefined) code = "MISSING_CUSTOMER_ID";
    else if (!dated) code = "BAD_DATE";
    else if (!Number.isFinite(amount)) code = "BAD_AMOUNT";
    else if (endGiven !== undefined && day > endGiven) code = "DATE_AFTER_END";
    else if (dropDuplicates && duplicate) code = "DUPLICATE_ROW";
    else if (rejectZero && !refund && amount === 0) code = "ZERO_AMOUNT";
    if (code !== undefined || id === undefined) {
      addCount(counts.rejected, code ?? "MISSING_CUSTOMER_ID", 1);
      continue;
    }
    lastDataDay = lastDataDay === undefined ? day : Math.max(lastDataDay, day);
    // Rows of one customer often come together (files sorted by customer): skip the lookup then.
    const c = id === lastId ? lastCustomer : customerIndex.indexOf(id);
    lastId = id;
    lastCustomer = c;
    rows.reserve();
    const r = rows.n++;
    rows.customer[r] = c;
    const data = rows.data;
    const w = r * STRIDE;
    data[w + DAY] = day;
    data[w + AT] = at;
    data[w + AMOUNT] = refund ? -Math.abs(amount) : amount;
    data[w + FLAGS] =
      (refund ? REFUND : 0) |
      (cancelled ? CANCELLED : 0) |
      (duplicate ? DUPLICATE : 0) |
      (!refund && amount === 0 ? ZERO : 0);
    // The occasion key after "day|", numbered: the order id, or "#" and the row number without one.
    if (rows.order) rows.order[r] = orderIds.indexOf(`${t.orderId ?? `#${index}`}`);
    rows.channel?.push(t.channel ?? null);
    rows.campaign?.push(t.campaign ?? null);
  }
  for (let s = 0; s < offsetValue.length; s++) {
    const offset = offsetValue[s];
    const tz = offset === undefined ? "none" : String(offset);
    counts.timeZoneOffsets[tz] = (counts.timeZoneOffsets[tz] ?? 0) + offsetCount[s]!;
  }

  const periods = resolvePeriods(options, lastDataDay);
  const { calibrationEndDay: cal, observationEndDay: end } = periods;
  const customers = customerIds.length;
  const builder = createSummaryColumnsBuilder({
    timeUnit: options.timeUnit,
    channel: hasChannel,
    campaign: hasCampaign,
    cohort: options.cohort ?? "month",
    capacity: customers,
  });
  const { order, start } = groupRows(rows, customers);
  const occ = new Occasions();
  // The occasion key's text after "day|" (unmerged only).
  const keyText = (k: number) => orderIds.ids[occ.occasion[k]!]!;
  const aggregate = emptyCustomerAggregate();
  const { data, order: rowOrder } = rows;
  const rowChannel = rows.channel;
  const rowCampaign = rows.campaign;
  for (let c = 0; c < customers; c++) {
    const s = start[c]!;
    const e = start[c + 1]!;
    // Occasions are runs of equal (day, occasion number) in the group's order; rows within a run in input order.
    sortGroup(order, s, e, data, rowOrder);
    occ.k = 0;
    let k = -1;
    for (let i = s; i < e; i++) {
      const r = order[i]!;
      const w = r * STRIDE;
      const d = data[w + DAY]!;
      const o = rowOrder ? rowOrder[r]! : 0;
      if (k < 0 || d !== occ.day[k] || o !== occ.occasion[k]) k = occ.open(d, r, o);
      occ.rows[k]!++;
      const f = data[w + FLAGS]!;
      if (f & DUPLICATE) occ.duplicateRows[k]!++;
      const v = data[w + AMOUNT]!;
      if (f & REFUND) {
        occ.amount[k]! += v;
        occ.refundAmount[k]! += v;
        if (f & CANCELLED) occ.cancelledRows[k]!++;
        else occ.negativeRows[k]!++;
      } else {
        occ.amount[k]! += v;
        occ.purchaseRows[k]!++;
        if (f & ZERO) occ.zeroRows[k]!++;
        const at = data[w + AT]!;
        occ.firstAt[k] = Math.min(occ.firstAt[k]!, at);
        if (rowChannel) {
          const ch = rowChannel[r]!;
          if (earlier(at, ch, occ.channelAt[k]!, occ.channel[k]!)) {
            occ.channelAt[k] = at;
            occ.channel[k] = ch;
          }
        }
        if (rowCampaign) {
          const cp = rowCampaign[r]!;
          if (earlier(at, cp, occ.campaignAt[k]!, occ.campaign[k]!)) {
            occ.campaignAt[k] = at;
            occ.campaign[k] = cp;
          }
        }
      }
    }
    const n = occ.k;
    // The first purchase occasion: earliest day, then earliest instant, then key (only matters unmerged).
    let first = -1;
    for (let j = 0; j < n; j++) {
      if (occ.purchaseRows[j] === 0) continue;
      if (first < 0) {
        first = j;
        continue;
      }
      const dj = occ.day[j]!;
      const df = occ.day[first]!;
      if (
        dj < df ||
        (dj === df &&
          (occ.firstAt[j]! < occ.firstAt[first]! ||
            (occ.firstAt[j] === occ.firstAt[first] && keyText(j) < keyText(first))))
      ) {
        first = j;
      }
    }
    const rowCount = e - s;
    if (first < 0) {
      addCount(counts.rejected, "REFUND_WITHOUT_PURCHASE", rowCount);
      addCount(counts.customersExcluded, "REFUND_WITHOUT_PURCHASE", 1);
      continue;
    }
    const firstDay = occ.day[first]!;
    if (firstDay > cal) {
      addCount(counts.rejected, "FIRST_PURCHASE_AFTER_CALIBRATION", rowCount);
      addCount(counts.customersExcluded, "FIRST_PURCHASE_AFTER_CALIBRATION", 1);
      continue;
    }
    let x = 0;
    let lastDay = firstDay;
    let repeatSum = 0;
    let historic = 0;
    let xHoldout = 0;
    let revenueHoldout = 0;
    occ.orderByFirstRow();
    for (let i = 0; i < n; i++) {
      const j = occ.byFirstRow[i]!;
      const d = occ.day[j]!;
      if (d < firstDay) {
        addCount(counts.rejected, "REFUND_WITHOUT_PURCHASE", occ.rows[j]!);
        continue;
      }
      addCount(counts.notes, "ZERO_AMOUNT", occ.zeroRows[j]!);
      addCount(counts.notes, "NEGATIVE_AMOUNT", occ.negativeRows[j]!);
      addCount(counts.notes, "CANCELLED_ORDER", occ.cancelledRows[j]!);
      addCount(counts.notes, "DUPLICATE_ROW", occ.duplicateRows[j]!);
      counts.refundsNetted += occ.refundAmount[j]!;
      const a = occ.amount[j]!;
      if (d <= cal) {
        historic += a;
        if (occ.purchaseRows[j]! > 0 && j !== first) {
          x++;
          repeatSum += a;
          lastDay = Math.max(lastDay, d);
        }
      } else if (d <= end) {
        revenueHoldout += a;
        if (occ.purchaseRows[j]! > 0) xHoldout++;
      }
    }
    counts.customers++;
    // The builder copies the fields: one aggregate object serves every customer.
    aggregate.customerId = customerIds[c]!;
    aggregate.firstDay = firstDay;
    aggregate.lastDay = lastDay;
    aggregate.x = x;
    aggregate.firstAmount = occ.amount[first]!;
    aggregate.repeatSum = repeatSum;
    aggregate.historicRevenue = historic;
    aggregate.channel = occ.channel[first]!;
    aggregate.campaign = occ.campaign[first]!;
    aggregate.xHoldout = xHoldout;
    aggregate.revenueHoldout = revenueHoldout;
    builder.push(aggregate);
  }
  if (counts.customers === 0 && counts.rowsRead === 0) {
    throw new ValuecastError([issue("EMPTY_INPUT", "there are no transactions to summarize")]);
  }
  const columns = builder.finish(
    periods.holdout ? { calibrationEndDay: cal, observationEndDay: end } : { calibrationEndDay: cal },
  );
  return { columns, report: finishReport(counts, cal, end) };
}
