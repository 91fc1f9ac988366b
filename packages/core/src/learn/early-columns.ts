import { issue, ValuecastError } from "../errors/issues.ts";
import type { Transaction } from "../summary/types.ts";
import { type CategoryColumn, categoryDictionary, type FeatureColumns } from "./columns.ts";
import type { EarlyCustomer, EarlyFeatureOptions, EarlyFeatures } from "./early-features.ts";

const DAY_MS = 86_400_000;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
/** Past this many distinct orders or categories in one window, a Set beats the linear scan. */
const SMALL = 32;

/**
 * The early-value data set in columns: what `buildEarlyDataset` returns, customer i in row i (same
 * order: first purchase, then id), features as `FeatureColumns` with the `EARLY_FEATURE_SPECS` names.
 */
export interface EarlyColumnarDataset {
  readonly customerIds: readonly string[];
  /** Instant of each customer's first purchase (epoch ms). */
  readonly firstAt: Float64Array;
  /** Horizon value (0 when not observed), as `EarlyCustomer.label`. */
  readonly label: Float64Array;
  /** 1 when the whole horizon lies within the data, else 0. */
  readonly labelObserved: Uint8Array;
  readonly columns: FeatureColumns;
  readonly days: number;
  readonly horizonDays: number;
  readonly asOf: number;
  readonly windowOpen: number;
  readonly noPurchase: number;
  readonly beforeAcquisition: number;
}

/** Whether two lines belong to one order: `orderId ?? "@" + at` compared, without building the strings. */
function sameOrder(a: Transaction, b: Transaction): boolean {
  const ka = a.orderId;
  const kb = b.orderId;
  if (ka !== undefined && kb !== undefined) return ka === kb;
  if (ka === undefined && kb === undefined) return a.at === b.at;
  return ka === undefined ? kb === `@${a.at}` : ka === `@${b.at}`;
}

/**
 * `buildEarlyDataset` in columns, for a million customers: the same features and labels (same rules,
 * same floating-point sums in the same order; a test checks equality on random logs), with lines
 * grouped by a counting sort instead of an array per customer, no key strings or Sets for the usual
 * handful of orders per window, and categories dictionary-encoded as they are read.
 * @example
 * const ds = buildEarlyColumns(transactions, { days: 7, horizonDays: 365.25 });
 * const { mean } = scoreEarlyColumns(model, ds.columns);
 */
export function buildEarlyColumns(
  transactions: readonly Transaction[],
  options: EarlyFeatureOptions = {},
): EarlyColumnarDataset {
  const days = options.days ?? 7;
  const horizonDays = options.horizonDays ?? 365.25;
  if (!(days >= 0) || !(horizonDays > 0)) {
    throw new ValuecastError([issue("BAD_OPTION_VALUE", "days must be >= 0 and the horizon > 0")]);
  }
  const L = transactions.length;
  let asOf = options.asOf ?? Number.NEGATIVE_INFINITY;
  // pass 1: customer index of every line (consecutive lines of one customer skip the hash lookup)
  const index = new Map<string, number>();
  const ids: string[] = [];
  const customerOf = new Int32Array(L);
  const at = new Float64Array(L);
  let counts = new Int32Array(1024);
  let lastId: string | undefined;
  let lastIdx = -1;
  for (let k = 0; k < L; k++) {
    const t = transactions[k]!;
    if (!Number.isFinite(t.at) || !Number.isFinite(t.amount)) {
      throw new ValuecastError([
        issue("INVALID_DATA", `transaction of customer ${t.customerId} has a non-finite time or amount`),
      ]);
    }
    at[k] = t.at;
    if (options.asOf === undefined && t.at > asOf) asOf = t.at;
    const id = t.customerId;
    if (id !== lastId) {
      let c = index.get(id);
      if (c === undefined) {
        c = ids.length;
        index.set(id, c);
        ids.push(id);
        if (c >= counts.length) {
          const grown = new Int32Array(counts.length * 2);
          grown.set(counts);
          counts = grown;
        }
      }
      lastId = id;
      lastIdx = c;
    }
    customerOf[k] = lastIdx;
    counts[lastIdx]!++;
  }
  const C = ids.length;
  // counting sort: the lines of customer c are lines[start[c] .. start[c + 1]), in input order
  const start = new Int32Array(C + 1);
  for (let c = 0; c < C; c++) start[c + 1] = start[c]! + counts[c]!;
  const fill = start.slice(0, C);
  const lines = new Int32Array(L);
  for (let k = 0; k < L; k++) lines[fill[customerOf[k]!]!++] = k;

  const n = C;
  const firstAt = new Float64Array(n);
  const label = new Float64Array(n);
  const observed = new Uint8Array(n);
  const num = {
    first_amount: new Float64Array(n),
    early_revenue: new Float64Array(n),
    early_orders: new Float64Array(n),
    early_items: new Float64Array(n),
    early_categories: new Float64Array(n),
    repeat_in_window: new Float64Array(n),
    days_to_second_order: new Float64Array(n),
  };
  // "" kept as a level: `earlyCustomersOf` must give back exactly the records `buildEarlyDataset` made
  const channel = categoryDictionary(true);
  const campaign = categoryDictionary(true);
  const country = categoryDictionary(true);
  const channelCode = new Int32Array(n);
  const campaignCode = new Int32Array(n);
  const countryCode = new Int32Array(n);
  const weekdayCode = new Int32Array(n);
  const kept: number[] = []; // customer index of each row
  let windowOpen = 0;
  let noPurchase = 0;
  let beforeAcquisition = 0;
  const orderReps: Transaction[] = [];
  const cats: string[] = [];
  let orderSet: Set<string> | undefined;
  let catSet: Set<string> | undefined;

  for (let c = 0; c < C; c++) {
    const s0 = start[c]!;
    const s1 = start[c + 1]!;
    sortByTime(lines, at, s0, s1);
    let f = s0;
    while (f < s1 && !isPurchase(transactions[lines[f]!]!)) f++;
    if (f === s1) {
      noPurchase++;
      continue;
    }
    const first = transactions[lines[f]!]!;
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
    let firstAmount = 0;
    let earlyRevenue = 0;
    let items = 0;
    let horizon = 0;
    let secondAt = Number.POSITIVE_INFINITY;
    orderReps.length = 0;
    cats.length = 0;
    orderSet = undefined;
    catSet = undefined;
    let ch: string | undefined;
    let cp: string | undefined;
    let co: string | undefined;
    for (let q = s0; q < s1; q++) {
      const t = transactions[lines[q]!]!;
      const ta = t.at;
      if (ta < t0) continue;
      if (ta > windowEnd) {
        if (ta <= horizonEnd) horizon += t.cancelled ? -Math.abs(t.amount) : t.amount;
        continue;
      }
      earlyRevenue += t.cancelled ? -Math.abs(t.amount) : t.amount;
      if (!isPurchase(t)) continue;
      // distinct orders: a scan over the few seen so far, a Set of keys past SMALL of them
      if (orderSet) orderSet.add(t.orderId ?? `@${ta}`);
      else if (!seenOrder(orderReps, t)) {
        orderReps.push(t);
        if (orderReps.length > SMALL) orderSet = new Set(orderReps.map((o) => o.orderId ?? `@${o.at}`));
      }
      items += t.quantity ?? 1;
      const cat = t.category;
      if (cat !== undefined) {
        if (catSet) catSet.add(cat);
        else if (!cats.includes(cat)) {
          cats.push(cat);
          if (cats.length > SMALL) catSet = new Set(cats);
        }
      }
      if (sameOrder(t, first)) {
        firstAmount += t.amount;
        ch ??= t.channel;
        cp ??= t.campaign;
        co ??= t.country;
      } else if (ta < secondAt) {
        secondAt = ta;
      }
    }
    const row = kept.length;
    kept.push(c);
    const repeat = Number.isFinite(secondAt);
    const labelObserved = horizonEnd <= asOf;
    firstAt[row] = t0;
    label[row] = labelObserved ? Math.max(0, horizon) : 0;
    observed[row] = labelObserved ? 1 : 0;
    num.first_amount[row] = firstAmount;
    num.early_revenue[row] = earlyRevenue;
    num.early_orders[row] = orderSet ? orderSet.size : orderReps.length;
    num.early_items[row] = items;
    num.early_categories[row] = catSet ? catSet.size : cats.length;
    num.repeat_in_window[row] = repeat ? 1 : 0;
    num.days_to_second_order[row] = repeat ? (secondAt - t0) / DAY_MS : days;
    channelCode[row] = channel.code(ch);
    campaignCode[row] = campaign.code(cp);
    countryCode[row] = country.code(co);
    // 1970-01-01 was a Thursday (4): the UTC weekday without a Date object per customer (Date truncates
    // fractional milliseconds toward zero, hence the trunc)
    weekdayCode[row] = (((Math.floor(Math.trunc(t0) / DAY_MS) + 4) % 7) + 7) % 7;
  }

  // acquisition order, ties by id (the order of buildEarlyDataset)
  const m = kept.length;
  const order = orderByKey(firstAt.subarray(0, m), (a, b) => {
    const ia = ids[kept[a]!]!;
    const ib = ids[kept[b]!]!;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
  const permute = (v: Float64Array): Float64Array => {
    const out = new Float64Array(m);
    for (let r = 0; r < m; r++) out[r] = v[order[r]!]!;
    return out;
  };
  const permuteCodes = (v: Int32Array, levels: readonly string[]): CategoryColumn => {
    const codes = new Int32Array(m);
    for (let r = 0; r < m; r++) codes[r] = v[order[r]!]!;
    return { levels, codes };
  };
  const numeric: Record<string, Float64Array> = {};
  for (const [name, v] of Object.entries(num)) numeric[name] = permute(v);
  const obs = new Uint8Array(m);
  for (let r = 0; r < m; r++) obs[r] = observed[order[r]!]!;
  return {
    customerIds: Array.from(order, (r) => ids[kept[r]!]!),
    firstAt: permute(firstAt),
    label: permute(label),
    labelObserved: obs,
    columns: {
      rows: m,
      numeric,
      categorical: {
        channel: permuteCodes(channelCode, channel.levels),
        campaign: permuteCodes(campaignCode, campaign.levels),
        country: permuteCodes(countryCode, country.levels),
        first_weekday: permuteCodes(weekdayCode, WEEKDAYS),
      },
    },
    days,
    horizonDays,
    asOf,
    windowOpen,
    noPurchase,
    beforeAcquisition,
  };
}

/** Whether `t` belongs to one of the orders in `reps` (a loop, not `some`: no closure per line). */
function seenOrder(reps: readonly Transaction[], t: Transaction): boolean {
  for (let i = 0; i < reps.length; i++) if (sameOrder(reps[i]!, t)) return true;
  return false;
}

/**
 * Rows ordered by `key` ascending, ties by `tie` (a comparator), stably: the distinct keys are sorted
 * natively (a Float64Array sort, no comparator calls), each row finds its key's rank by binary search,
 * a counting sort by rank places the rows, and only runs of equal keys are sorted with `tie`.
 */
function orderByKey(key: Float64Array, tie: (a: number, b: number) => number): Int32Array {
  const m = key.length;
  const sorted = key.slice().sort();
  let u = 0;
  for (let i = 0; i < m; i++) if (i === 0 || sorted[i] !== sorted[u - 1]) sorted[u++] = sorted[i]!;
  const rank = new Int32Array(m);
  const count = new Int32Array(u + 1);
  for (let r = 0; r < m; r++) {
    const k = key[r]!;
    let lo = 0;
    let hi = u - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < k) lo = mid + 1;
      else hi = mid;
    }
    rank[r] = lo;
    count[lo + 1]!++;
  }
  for (let i = 0; i < u; i++) count[i + 1]! += count[i]!;
  const order = new Int32Array(m);
  for (let r = 0; r < m; r++) order[count[rank[r]!]!++] = r;
  // count[i] is now the end of rank i's run: sort the runs of ties
  let from = 0;
  for (let i = 0; i < u; i++) {
    const to = count[i]!;
    if (to - from > 1) order.subarray(from, to).sort(tie);
    from = to;
  }
  return order;
}

const isPurchase = (t: Transaction): boolean => !t.cancelled && t.amount > 0;

/**
 * Stable sort of lines[from .. to) by time: insertion sort for the usual handful of lines, the
 * built-in stable sort for long histories (insertion sort would be quadratic there).
 */
function sortByTime(lines: Int32Array, at: Float64Array, from: number, to: number): void {
  if (to - from > 48) {
    const part = Array.from(lines.subarray(from, to));
    part.sort((a, b) => at[a]! - at[b]!);
    lines.set(part, from);
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const k = lines[i]!;
    const t = at[k]!;
    let j = i - 1;
    while (j >= from && at[lines[j]!]! > t) {
      lines[j + 1] = lines[j]!;
      j--;
    }
    lines[j + 1] = k;
  }
}

/**
 * The customers of a columnar data set as `EarlyCustomer` objects (what `buildEarlyDataset` returns),
 * for code that wants records; `first` and `count` select a range of rows.
 * @example const customers = earlyCustomersOf(buildEarlyColumns(tx));
 */
export function earlyCustomersOf(
  ds: EarlyColumnarDataset,
  first = 0,
  count = ds.customerIds.length,
): EarlyCustomer[] {
  const { numeric: x, categorical: g } = ds.columns;
  const level = (col: CategoryColumn | undefined, r: number): string | undefined => {
    const k = col ? col.codes[r]! : -1;
    return k < 0 ? undefined : col!.levels[k];
  };
  const out: EarlyCustomer[] = [];
  for (let r = first; r < Math.min(ds.customerIds.length, first + count); r++) {
    const features: EarlyFeatures = {
      first_amount: x.first_amount![r]!,
      early_revenue: x.early_revenue![r]!,
      early_orders: x.early_orders![r]!,
      early_items: x.early_items![r]!,
      early_categories: x.early_categories![r]!,
      repeat_in_window: x.repeat_in_window![r]!,
      days_to_second_order: x.days_to_second_order![r]!,
      channel: level(g.channel, r),
      campaign: level(g.campaign, r),
      country: level(g.country, r),
      first_weekday: level(g.first_weekday, r)!,
    };
    out.push({
      customerId: ds.customerIds[r]!,
      firstAt: ds.firstAt[r]!,
      features,
      label: ds.label[r]!,
      labelObserved: ds.labelObserved[r] === 1,
    });
  }
  return out;
}
