import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { isoDateToDay } from "../../src/summary/days.ts";
import { summarizeTransactions } from "../../src/summary/summarize.ts";
import type { SummarizeOptions, SummaryColumns, Transaction } from "../../src/summary/types.ts";
import { DAYS_PER_UNIT } from "../../src/time.ts";

const MS_DAY = 86_400_000;
const BASE = isoDateToDay("2011-01-01")!;
const iso = (d: number) => new Date(d * MS_DAY).toISOString().slice(0, 10);

/**
 * The summary written the plain way, row list by row list: filter the rows of each customer, group them by
 * occasion key in order of appearance, sum with reduce. Same rules as `summarizeTransactions`' doc comment;
 * the summarizer's typed-array grouping must give exactly these numbers (same summation order, so the same
 * bits) and the same report, key order included.
 */
function reference(tx: readonly Transaction[], o: SummarizeOptions) {
  const merge = o.mergeSameDay ?? true;
  const endGiven = o.observationEnd === undefined ? undefined : isoDateToDay(o.observationEnd)!;
  const add = (obj: Record<string, number>, code: string, n: number) => {
    if (n !== 0) obj[code] = (obj[code] ?? 0) + n;
  };
  const rejected: Record<string, number> = {};
  const notes: Record<string, number> = {};
  const excluded: Record<string, number> = {};
  const zones: Record<string, number> = {};
  const seen = new Set<string>();
  const used: {
    id: string;
    day: number;
    v: number;
    refund: boolean;
    cancelled: boolean;
    dup: boolean;
    zero: boolean;
    at: number;
    key: string;
    channel: string | null;
    campaign: string | null;
  }[] = [];
  tx.forEach((t, i) => {
    const identity =
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
      ]);
    const dup = o.duplicates !== "ignore" && seen.has(identity);
    seen.add(identity);
    const trimmed = String(t.customerId).trim();
    const id = trimmed === "" ? undefined : trimmed.replace(/^(\d+)\.0+$/, "$1");
    const dated = Number.isFinite(t.at);
    if (dated) {
      const z = t.utcOffsetMinutes === undefined ? "none" : String(t.utcOffsetMinutes);
      zones[z] = (zones[z] ?? 0) + 1;
    }
    const refund = t.cancelled === true || t.amount < 0 || (t.quantity ?? 0) < 0;
    const shift = o.dayBoundary === "local" ? (t.utcOffsetMinutes ?? 0) * 60_000 : 0;
    const day = Math.floor((t.at + shift) / MS_DAY);
    const code =
      id === undefined
        ? "MISSING_CUSTOMER_ID"
        : !dated
          ? "BAD_DATE"
          : !Number.isFinite(t.amount)
            ? "BAD_AMOUNT"
            : endGiven !== undefined && day > endGiven
              ? "DATE_AFTER_END"
              : o.duplicates === "drop" && dup
                ? "DUPLICATE_ROW"
                : o.zeroAmounts === "reject" && !refund && t.amount === 0
                  ? "ZERO_AMOUNT"
                  : undefined;
    if (code !== undefined || id === undefined) {
      add(rejected, code ?? "MISSING_CUSTOMER_ID", 1);
      return;
    }
    used.push({
      id,
      day,
      v: refund ? -Math.abs(t.amount) : t.amount,
      refund,
      cancelled: t.cancelled === true,
      dup,
      zero: !refund && t.amount === 0,
      at: t.at,
      key: merge ? String(day) : `${day}|${t.orderId ?? `#${i + 1}`}`,
      channel: t.channel ?? null,
      campaign: t.campaign ?? null,
    });
  });
  const days = used.map((u) => u.day);
  const last = days.length ? Math.max(...days) : undefined;
  const calGiven = o.calibrationEnd === undefined ? undefined : isoDateToDay(o.calibrationEnd)!;
  const cal = calGiven ?? endGiven ?? last ?? 0;
  const end = endGiven ?? Math.max(cal, last ?? cal);
  const unit = DAYS_PER_UNIT[o.timeUnit];
  const out = {
    customerId: [] as string[],
    x: [] as number[],
    t_x: [] as number[],
    T: [] as number[],
    monetary: [] as number[],
    firstDay: [] as number[],
    firstAmount: [] as number[],
    historicRevenue: [] as number[],
    orders: [] as number[],
    channel: [] as (string | null)[],
    campaign: [] as (string | null)[],
    xHoldout: [] as number[],
    revenueHoldout: [] as number[],
  };
  let refundsNetted = 0;
  const pick = (rs: typeof used, field: "channel" | "campaign") =>
    rs.reduce<(typeof used)[number] | undefined>((best, u) => {
      if (!best || u.at < best.at) return u;
      if (u.at > best.at) return best;
      const a = u[field];
      const b = best[field];
      return a !== null && (b === null || a < b) ? u : best;
    }, undefined)![field];
  for (const id of [...new Set(used.map((u) => u.id))]) {
    const mine = used.filter((u) => u.id === id);
    const occasions = [...new Set(mine.map((u) => u.key))].map((key) => {
      const rs = mine.filter((u) => u.key === key);
      const buys = rs.filter((u) => !u.refund);
      return {
        key,
        day: rs[0]!.day,
        rows: rs.length,
        bought: buys.length > 0,
        amount: rs.reduce((s, u) => s + u.v, 0),
        refund: rs.filter((u) => u.refund).reduce((s, u) => s + u.v, 0),
        zero: rs.filter((u) => u.zero).length,
        negative: rs.filter((u) => u.refund && !u.cancelled).length,
        cancelled: rs.filter((u) => u.cancelled).length,
        dup: rs.filter((u) => u.dup).length,
        firstAt: Math.min(...buys.map((u) => u.at)),
        channel: buys.length ? pick(buys, "channel") : null,
        campaign: buys.length ? pick(buys, "campaign") : null,
      };
    });
    const first = occasions
      .filter((c) => c.bought)
      .reduce<(typeof occasions)[number] | undefined>(
        (b, c) =>
          !b ||
          c.day < b.day ||
          (c.day === b.day && (c.firstAt < b.firstAt || (c.firstAt === b.firstAt && c.key < b.key)))
            ? c
            : b,
        undefined,
      );
    if (!first || first.day > cal) {
      const why = first ? "FIRST_PURCHASE_AFTER_CALIBRATION" : "REFUND_WITHOUT_PURCHASE";
      add(rejected, why, mine.length);
      add(excluded, why, 1);
      continue;
    }
    let x = 0;
    let lastDay = first.day;
    let repeat = 0;
    let historic = 0;
    let xh = 0;
    let rh = 0;
    for (const c of occasions) {
      if (c.day < first.day) {
        add(rejected, "REFUND_WITHOUT_PURCHASE", c.rows);
        continue;
      }
      add(notes, "ZERO_AMOUNT", c.zero);
      add(notes, "NEGATIVE_AMOUNT", c.negative);
      add(notes, "CANCELLED_ORDER", c.cancelled);
      add(notes, "DUPLICATE_ROW", c.dup);
      refundsNetted += c.refund;
      if (c.day <= cal) {
        historic += c.amount;
        if (c.bought && c !== first) {
          x++;
          repeat += c.amount;
          lastDay = Math.max(lastDay, c.day);
        }
      } else if (c.day <= end) {
        rh += c.amount;
        if (c.bought) xh++;
      }
    }
    out.customerId.push(id);
    out.x.push(x);
    out.t_x.push((lastDay - first.day) / unit);
    out.T.push((cal - first.day) / unit);
    out.monetary.push(x > 0 ? repeat / x : 0);
    out.firstDay.push(first.day);
    out.firstAmount.push(first.amount);
    out.historicRevenue.push(historic);
    out.orders.push(x + 1);
    out.channel.push(first.channel);
    out.campaign.push(first.campaign);
    out.xHoldout.push(xh);
    out.revenueHoldout.push(rh);
  }
  const offsets = Object.values(zones);
  const allNotes = { ...notes };
  if (offsets.length > 1)
    add(allNotes, "MIXED_TIME_ZONES", tx.filter((t) => Number.isFinite(t.at)).length - Math.max(...offsets));
  const rowsRejected = Object.values(rejected).reduce((s, v) => s + v, 0);
  const report = {
    rowsRead: tx.length,
    rowsUsed: tx.length - rowsRejected,
    rowsRejected,
    rejected,
    notes: allNotes,
    refundsNetted,
    customers: out.customerId.length,
    customersExcluded: excluded,
    timeZoneOffsets: zones,
    calibrationEnd: iso(cal),
    observationEnd: iso(end),
  };
  return { out, report, holdout: calGiven !== undefined ? { end, duration: (end - cal) / unit } : undefined };
}

/** Bit-for-bit equality of a column (so 0 and -0, or sums in another order, would differ). */
function sameBits(name: string, got: Float64Array, want: number[]): void {
  const w = Float64Array.from(want);
  assert.equal(got.length, w.length, `${name} length`);
  assert.deepEqual(
    [...new Uint8Array(got.buffer, got.byteOffset, got.byteLength)],
    [...new Uint8Array(w.buffer)],
    `${name}: ${[...got]} vs ${want}`,
  );
}

function compare(
  columns: SummaryColumns,
  ref: ReturnType<typeof reference>,
  tx: readonly Transaction[],
): void {
  const { out } = ref;
  assert.deepEqual(columns.customerId, out.customerId);
  for (const k of [
    "x",
    "t_x",
    "T",
    "monetary",
    "firstDay",
    "firstAmount",
    "historicRevenue",
    "orders",
  ] as const) {
    sameBits(k, columns[k], out[k]);
  }
  const hasChannel = tx.some((t) => t.channel !== undefined);
  const hasCampaign = tx.some((t) => t.campaign !== undefined);
  assert.deepEqual(columns.channel, hasChannel ? out.channel : undefined);
  assert.deepEqual(columns.campaign, hasCampaign ? out.campaign : undefined);
  if (ref.holdout) {
    assert.ok(columns.holdout);
    assert.equal(columns.holdout.observationEnd, iso(ref.holdout.end));
    assert.equal(columns.holdout.duration, ref.holdout.duration);
    sameBits("x_holdout", columns.holdout.x, out.xHoldout);
    sameBits("revenue_holdout", columns.holdout.revenue, out.revenueHoldout);
  } else assert.equal(columns.holdout, undefined);
}

const amounts = [0, 0.1, 0.2, 0.3, 1e16, 1, 3.3, -0.7, -2, 19.99, 1e-9, Number.NaN];
const transaction = fc.record(
  {
    customerId: fc.constantFrom("a", "b", "c", "7", " 7.0", "007", "", " "),
    at: fc.oneof(
      {
        weight: 20,
        arbitrary: fc.integer({ min: -3 * 24, max: 40 * 24 }).map((h) => (BASE * 24 + h) * 3_600_000),
      },
      { weight: 1, arbitrary: fc.constant(Number.NaN) },
    ),
    amount: fc.constantFrom(...amounts),
    orderId: fc.constantFrom("o1", "o2", "#3"),
    cancelled: fc.boolean(),
    quantity: fc.constantFrom(1, 2, -1),
    channel: fc.constantFrom("web", "email", "ads"),
    campaign: fc.constantFrom("x", "y"),
    utcOffsetMinutes: fc.constantFrom(0, 60, -300, 120),
  },
  { requiredKeys: ["customerId", "at", "amount"] },
);
/** Transactions plus exact copies of some of them at random places (duplicate rows). */
const log = fc
  .tuple(
    fc.array(transaction, { minLength: 1, maxLength: 40 }),
    fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }),
  )
  .map(([rows, copies]) => {
    const out: Transaction[] = [...rows];
    for (const [from, to] of copies) out.splice(to % (out.length + 1), 0, { ...rows[from % rows.length]! });
    return out;
  });
const options = fc
  .record(
    {
      timeUnit: fc.constantFrom("day" as const, "week" as const),
      cal: fc.integer({ min: -2, max: 40 }),
      obs: fc.integer({ min: 0, max: 30 }),
      mergeSameDay: fc.boolean(),
      dayBoundary: fc.constantFrom("utc" as const, "local" as const),
      zeroAmounts: fc.constantFrom("purchase" as const, "reject" as const),
      duplicates: fc.constantFrom("keep" as const, "drop" as const, "ignore" as const),
      cohort: fc.constantFrom("month" as const, "year" as const),
    },
    { requiredKeys: ["timeUnit"] },
  )
  .map(
    ({ cal, obs, ...o }): SummarizeOptions => ({
      ...o,
      ...(cal !== undefined ? { calibrationEnd: iso(BASE + cal) } : {}),
      ...(obs !== undefined ? { observationEnd: iso(BASE + (cal ?? 0) + obs) } : {}),
    }),
  );

describe("summarizeTransactions equals a plain row-list computation", () => {
  it("on random logs with duplicates, refunds, cancellations, time zones, holdout and every option (bit for bit)", () => {
    fc.assert(
      fc.property(log, options, (tx, o) => {
        const ref = reference(tx, o);
        const { columns, report } = summarizeTransactions(tx, o);
        compare(columns, ref, tx);
        assert.deepEqual(report, ref.report);
        assert.equal(JSON.stringify(report), JSON.stringify(ref.report), "same key order");
      }),
      { seed: 20261207, numRuns: 600 },
    );
  });

  it("on 3,000 customers in shuffled order (more than one radix pass over the customer index)", () => {
    let seed = 12345;
    const next = (m: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed % m;
    };
    const tx: Transaction[] = [];
    for (let i = 0; i < 9000; i++) {
      tx.push({
        customerId: `c${next(3000)}`,
        at: (BASE + next(60)) * MS_DAY + next(24) * 3_600_000,
        amount: amounts[next(amounts.length - 1)]! * (next(5) === 0 ? -1 : 1),
        ...(next(7) === 0 ? { channel: ["web", "email"][next(2)]! } : {}),
      });
    }
    for (const o of [
      { timeUnit: "week", calibrationEnd: iso(BASE + 40) },
      { timeUnit: "day", mergeSameDay: false },
    ] as SummarizeOptions[]) {
      const { columns, report } = summarizeTransactions(tx, o);
      assert.ok(columns.length > 2048);
      const ref = reference(tx, o);
      compare(columns, ref, tx);
      assert.equal(JSON.stringify(report), JSON.stringify(ref.report));
    }
  });

  it("unmerged, an order id written like a row number ('#2') is the same occasion key as row 2 without one", () => {
    const at = BASE * MS_DAY;
    const tx: Transaction[] = [
      { customerId: "a", at, amount: 1, orderId: "o1" },
      { customerId: "a", at: at + 1000, amount: 2 },
      { customerId: "a", at: at + 2000, amount: 4, orderId: "#2" },
    ];
    const o: SummarizeOptions = { timeUnit: "day", mergeSameDay: false };
    const { columns } = summarizeTransactions(tx, o);
    compare(columns, reference(tx, o), tx);
    assert.equal(columns.x[0], 1, "two occasions: o1, and '#2' (rows 2 and 3)");
    assert.equal(columns.monetary[0], 6);
  });

  it("sums amounts in input order whatever order the days come in", () => {
    // 0.1 + 0.2 + 1e16 and 1e16 + 0.1 + 0.2 differ in binary: the second day's rows come first in the input.
    const at = (d: number) => (BASE + d) * MS_DAY;
    const tx: Transaction[] = [
      { customerId: "a", at: at(5), amount: 0.1 },
      { customerId: "a", at: at(2), amount: 1e16 },
      { customerId: "a", at: at(5), amount: 0.2 },
      { customerId: "a", at: at(3), amount: 0.3 },
      { customerId: "a", at: at(5), amount: 1e16 },
      { customerId: "a", at: at(9), amount: 0.7 },
    ];
    const o: SummarizeOptions = { timeUnit: "day" };
    const { columns } = summarizeTransactions(tx, o);
    compare(columns, reference(tx, o), tx);
    assert.equal(columns.firstAmount[0], 1e16);
    assert.equal(columns.historicRevenue[0], 0.1 + 0.2 + 1e16 + 1e16 + 0.3 + 0.7);
  });
});
