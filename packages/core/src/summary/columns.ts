import { DAYS_PER_UNIT, type TimeUnit } from "../time.ts";
import { dayToIsoDate } from "./days.ts";
import type { CohortGranularity, SummaryColumns } from "./types.ts";

/**
 * One customer's aggregates in whole days and sums, before they are turned into model times. Core's
 * summarizer and every SQL engine produce exactly these; `createSummaryColumnsBuilder` turns them into
 * `SummaryColumns`, so the time arithmetic is written once.
 */
export interface CustomerAggregate {
  customerId: string;
  /** First purchase day (days since 1970-01-01). */
  firstDay: number;
  /** Last purchase day in the calibration period. */
  lastDay: number;
  /** Repeat transactions in calibration (purchase occasions minus 1). */
  x: number;
  /** Net amount of the first purchase occasion. */
  firstAmount: number;
  /** Sum of the net amounts of the repeat purchase occasions in calibration. */
  repeatSum: number;
  /** Net revenue from the first purchase day to the calibration end (refund-only days included). */
  historicRevenue: number;
  channel: string | null;
  campaign: string | null;
  /** Purchase occasions after the calibration end, up to the observation end. */
  xHoldout: number;
  /** Net revenue after the calibration end, up to the observation end. */
  revenueHoldout: number;
}

/** A zeroed aggregate, for summarizers that fill one object per customer and push it (the builder copies). */
export function emptyCustomerAggregate(): CustomerAggregate {
  return {
    customerId: "",
    firstDay: 0,
    lastDay: 0,
    x: 0,
    firstAmount: 0,
    repeatSum: 0,
    historicRevenue: 0,
    channel: null,
    campaign: null,
    xHoldout: 0,
    revenueHoldout: 0,
  };
}

/** Appends customer aggregates into growable typed arrays; `finish` fixes the period ends and the unit. */
export interface SummaryColumnsBuilder {
  readonly length: number;
  /** Makes room for `n` customers in all (when the count is known up front: no doubling, no final copy). */
  reserve(n: number): void;
  push(a: CustomerAggregate): void;
  /** Appends customers from parallel arrays (an engine's result block), as `push` would one by one. */
  pushBlock(block: CustomerBlock): void;
  /** `observationEndDay` gives the holdout fields; omit it for calibration-only summaries. */
  finish(ends: { calibrationEndDay: number; observationEndDay?: number }): SummaryColumns;
}

/** `CustomerAggregate`s as parallel arrays: customer i of the block is element i of each. */
export interface CustomerBlock {
  readonly customerId: readonly string[];
  readonly firstDay: Float64Array;
  readonly lastDay: Float64Array;
  readonly x: Float64Array;
  readonly firstAmount: Float64Array;
  readonly repeatSum: Float64Array;
  readonly historicRevenue: Float64Array;
  readonly xHoldout: Float64Array;
  readonly revenueHoldout: Float64Array;
  /** Absent: null for every customer of the block. */
  readonly channel?: readonly (string | null)[];
  readonly campaign?: readonly (string | null)[];
}

/** What the builder needs to know up front. */
export interface SummaryColumnsShape {
  readonly timeUnit: TimeUnit;
  readonly channel?: boolean;
  readonly campaign?: boolean;
  readonly cohort?: CohortGranularity;
  readonly capacity?: number;
}

class Growable {
  data: Float64Array;
  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(16, capacity));
  }
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const next = new Float64Array(n);
    next.set(this.data);
    this.data = next;
  }
  set(i: number, v: number): void {
    if (i >= this.data.length) this.reserve(this.data.length * 2);
    this.data[i] = v;
  }
  /** Writes `values` from index `i` on. */
  setAll(i: number, values: Float64Array): void {
    if (i + values.length > this.data.length) this.reserve(Math.max(this.data.length * 2, i + values.length));
    this.data.set(values, i);
  }
  take(n: number): Float64Array {
    // A view when little is unused (a reserved count that included a few non-customer rows): at 10M
    // customers each copy is 80 MB more at the memory peak.
    return this.data.length - n <= this.data.length / 64 ? this.data.subarray(0, n) : this.data.slice(0, n);
  }
}

/**
 * Builds `SummaryColumns` from streamed customer aggregates: t_x = (lastDay - firstDay) / unit,
 * T = (calibrationEnd - firstDay) / unit, monetary = repeatSum / x (0 when x = 0), orders = x + 1.
 * @example
 * const b = createSummaryColumnsBuilder({ timeUnit: "week" });
 * b.push({ customerId: "1", firstDay: 9862, lastDay: 10075, x: 2, firstAmount: 29.33, repeatSum: 44.7,
 *   historicRevenue: 74.03, channel: null, campaign: null, xHoldout: 0, revenueHoldout: 0 });
 * b.finish({ calibrationEndDay: 10134 }).T[0] // 38.857...
 */
export function createSummaryColumnsBuilder(shape: SummaryColumnsShape): SummaryColumnsBuilder {
  const cap = shape.capacity ?? 1024;
  const ids: string[] = [];
  const cols = {
    first: new Growable(cap),
    last: new Growable(cap),
    x: new Growable(cap),
    firstAmount: new Growable(cap),
    repeatSum: new Growable(cap),
    historic: new Growable(cap),
    xh: new Growable(cap),
    rh: new Growable(cap),
  };
  const channel: (string | null)[] | undefined = shape.channel ? [] : undefined;
  const campaign: (string | null)[] | undefined = shape.campaign ? [] : undefined;
  let n = 0;
  return {
    get length() {
      return n;
    },
    reserve(total) {
      for (const c of Object.values(cols)) c.reserve(total);
    },
    push(a) {
      ids.push(a.customerId);
      cols.first.set(n, a.firstDay);
      cols.last.set(n, a.lastDay);
      cols.x.set(n, a.x);
      cols.firstAmount.set(n, a.firstAmount);
      cols.repeatSum.set(n, a.repeatSum);
      cols.historic.set(n, a.historicRevenue);
      cols.xh.set(n, a.xHoldout);
      cols.rh.set(n, a.revenueHoldout);
      channel?.push(a.channel);
      campaign?.push(a.campaign);
      n++;
    },
    pushBlock(b) {
      const k = b.customerId.length;
      for (let i = 0; i < k; i++) ids.push(b.customerId[i]!);
      cols.first.setAll(n, b.firstDay);
      cols.last.setAll(n, b.lastDay);
      cols.x.setAll(n, b.x);
      cols.firstAmount.setAll(n, b.firstAmount);
      cols.repeatSum.setAll(n, b.repeatSum);
      cols.historic.setAll(n, b.historicRevenue);
      cols.xh.setAll(n, b.xHoldout);
      cols.rh.setAll(n, b.revenueHoldout);
      for (let i = 0; i < k; i++) {
        channel?.push(b.channel ? b.channel[i]! : null);
        campaign?.push(b.campaign ? b.campaign[i]! : null);
      }
      n += k;
    },
    finish({ calibrationEndDay, observationEndDay }) {
      const unit = DAYS_PER_UNIT[shape.timeUnit];
      const first = cols.first.take(n);
      const last = cols.last.take(n);
      const x = cols.x.take(n);
      const repeatSum = cols.repeatSum.take(n);
      const t_x = new Float64Array(n);
      const T = new Float64Array(n);
      const monetary = new Float64Array(n);
      const orders = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const xi = x[i]!;
        t_x[i] = (last[i]! - first[i]!) / unit;
        T[i] = (calibrationEndDay - first[i]!) / unit;
        monetary[i] = xi > 0 ? repeatSum[i]! / xi : 0;
        orders[i] = xi + 1;
      }
      const base: SummaryColumns = {
        timeUnit: shape.timeUnit,
        length: n,
        calibrationEnd: dayToIsoDate(calibrationEndDay),
        customerId: ids,
        x,
        t_x,
        T,
        monetary,
        firstDay: first,
        firstAmount: cols.firstAmount.take(n),
        historicRevenue: cols.historic.take(n),
        orders,
        cohort: shape.cohort ?? "month",
        ...(channel ? { channel } : {}),
        ...(campaign ? { campaign } : {}),
      };
      if (observationEndDay === undefined) return base;
      return {
        ...base,
        holdout: {
          observationEnd: dayToIsoDate(observationEndDay),
          x: cols.xh.take(n),
          revenue: cols.rh.take(n),
          duration: (observationEndDay - calibrationEndDay) / unit,
        },
      };
    },
  };
}
