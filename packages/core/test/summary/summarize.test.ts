import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compressRfm, customerSummaries, toRfmData, toSpendData } from "../../src/summary/convert.ts";
import { isoDateToDay } from "../../src/summary/days.ts";
import { summarizeTransactions } from "../../src/summary/summarize.ts";
import type { Transaction } from "../../src/summary/types.ts";
import { cdnowSampleTransactions, readSummaryCsv } from "./cdnow.ts";

const round2 = (v: number) => Math.round(v * 100) / 100;

describe("summarizeTransactions on CDNOW_sample (Fader & Hardie's 1/10 sample)", () => {
  const tx = cdnowSampleTransactions();
  const { columns, report } = summarizeTransactions(tx, { timeUnit: "week", calibrationEnd: "1997-09-30" });
  const byId = new Map(columns.customerId.map((id, i) => [String(Number(id)), i]));

  it("reads every row and summarizes all 2,357 customers", () => {
    assert.equal(tx.length, 6919);
    assert.equal(report.rowsRead, 6919);
    assert.equal(report.rowsUsed, 6919);
    assert.equal(report.rowsRejected, 0);
    assert.equal(columns.length, 2357);
    assert.equal(report.customers, 2357);
    assert.equal(report.calibrationEnd, "1997-09-30");
    assert.equal(report.observationEnd, "1998-06-30");
    assert.equal(
      report.notes.DUPLICATE_ROW,
      21,
      "21 lines repeat an earlier line exactly (sort | uniq -c); kept",
    );
  });

  it("x, t_x, T equal cdnow_customers_summary.csv (lifetimes) to its 2 decimals for every customer", () => {
    const ref = readSummaryCsv("cdnow_customers_summary.csv");
    assert.equal(ref.size, 2357);
    let checked = 0;
    for (const [id, r] of ref) {
      const i = byId.get(id);
      assert.ok(i !== undefined, `customer ${id} missing`);
      assert.equal(columns.x[i], r.frequency, `x of ${id}`);
      assert.equal(round2(columns.t_x[i]!), r.recency, `t_x of ${id}`);
      assert.equal(round2(columns.T[i]!), r.T, `T of ${id}`);
      checked++;
    }
    assert.equal(checked, 2357);
    assert.equal(round2(columns.T[byId.get("1")!]!), 38.86, "first purchase 1997-01-01: 272 days / 7");
  });

  it("zbar of cdnow_customers_summary_with_transactions.csv is the mean net value of the repeat purchase days", () => {
    const ref = readSummaryCsv("cdnow_customers_summary_with_transactions.csv");
    let repeaters = 0;
    for (const [id, r] of ref) {
      const i = byId.get(id)!;
      assert.equal(columns.x[i], r.x);
      assert.ok(
        Math.abs(columns.monetary[i]! - r.zbar!) <= 0.005 + 1e-9,
        `zbar of ${id}: ${columns.monetary[i]} vs ${r.zbar}`,
      );
      if (r.x! > 0) repeaters++;
    }
    assert.equal(repeaters, 946);
    const spend = toSpendData(columns);
    assert.equal(spend.x.length, 946);
  });

  it("holdout actuals count purchase days from 1997-10-01 to the last day in the data (1998-06-30)", () => {
    const h = columns.holdout!;
    assert.equal(h.observationEnd, "1998-06-30");
    assert.ok(Math.abs(h.duration - 273 / 7) < 1e-12);
    // Independent count: distinct (customer, day) pairs after the calibration end.
    const cut = Date.UTC(1997, 9, 1);
    const pairs = new Set(tx.filter((t) => t.at >= cut).map((t) => `${t.customerId}|${t.at}`));
    let total = 0;
    for (let i = 0; i < columns.length; i++) total += h.x[i]!;
    assert.equal(total, pairs.size);
    const revenue = tx.filter((t) => t.at >= cut).reduce((s, t) => s + t.amount, 0);
    const got = h.revenue.reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(got - revenue) < 1e-6);
    // Calibration + holdout occasions = all distinct purchase days (6,696 after merging same-day rows).
    let occasions = 0;
    for (let i = 0; i < columns.length; i++) occasions += columns.orders[i]! + h.x[i]!;
    assert.equal(occasions, 6696);
  });

  it("weighted compression equals the expanded rows", () => {
    const full = toRfmData(columns);
    const c = compressRfm(columns);
    assert.ok(c.x.length < full.x.length);
    const expanded = (d: typeof c) => {
      const m = new Map<string, number>();
      for (let i = 0; i < d.x.length; i++) {
        const k = `${d.x[i]}|${d.t_x[i]}|${d.T[i]}`;
        m.set(k, (m.get(k) ?? 0) + (d.weight ? d.weight[i]! : 1));
      }
      return m;
    };
    assert.deepEqual(expanded(c), expanded(full));
    assert.equal(
      c.weight!.reduce((s, v) => s + v, 0),
      2357,
    );
  });

  it("customerSummaries gives the peers' field names, cohort and holdout", () => {
    const s = customerSummaries(columns)[byId.get("1")!]!;
    assert.equal(s.first_purchase_at, "1997-01-01");
    assert.equal(s.cohort, "1997-01");
    assert.equal(s.x, 2);
    assert.equal(s.orders, 3);
    assert.equal(s.first_amount, 29.33);
    assert.ok(Math.abs(s.historic_revenue - (29.33 + 29.73 + 14.96)) < 1e-9);
    assert.ok(Math.abs(s.monetary - 22.345) < 1e-9);
    assert.equal(s.x_holdout, 1);
  });
});

const day = (iso: string, h = 0) => isoDateToDay(iso)! * 86_400_000 + h * 3_600_000;

describe("summarizeTransactions refund, rejection and edge policies", () => {
  const tx: Transaction[] = [
    { customerId: "a", at: day("2011-01-01", 10), amount: 100, channel: "email", campaign: "x" },
    { customerId: "a", at: day("2011-01-01", 9), amount: 20, channel: "web" },
    { customerId: "a", at: day("2011-01-01", 12), amount: -30, cancelled: true },
    { customerId: "a", at: day("2011-01-05"), amount: 50 },
    { customerId: "a", at: day("2011-01-05"), amount: -10, quantity: -1 },
    { customerId: "a", at: day("2011-01-07"), amount: -5 },
    { customerId: "a", at: day("2011-02-10"), amount: 40 },
    { customerId: "b", at: day("2010-12-30"), amount: -15 },
    { customerId: "b", at: day("2011-01-02"), amount: 0 },
    { customerId: "c", at: day("2011-01-03"), amount: -8, cancelled: true },
    { customerId: "d", at: day("2011-02-03"), amount: 9 },
    { customerId: " ", at: day("2011-01-03"), amount: 9 },
    { customerId: "e", at: Number.NaN, amount: 9 },
    { customerId: "e", at: day("2011-01-03"), amount: Number.NaN },
    { customerId: "e", at: day("2011-03-03"), amount: 1 },
    { customerId: "17850.0", at: day("2011-01-04"), amount: 3 },
    { customerId: "17850", at: day("2011-01-06"), amount: 4 },
  ];
  const { columns, report } = summarizeTransactions(tx, {
    timeUnit: "day",
    calibrationEnd: "2011-01-31",
    observationEnd: "2011-02-28",
  });
  const s = new Map(customerSummaries(columns).map((c) => [c.customer_id, c]));

  it("nets refunds and cancellations against the day and the revenue, never counting them as purchases", () => {
    const a = s.get("a")!;
    assert.equal(a.x, 1);
    assert.equal(a.t_x, 4);
    assert.equal(a.T, 30);
    assert.equal(a.first_amount, 90, "100 + 20 - 30 on the first day");
    assert.equal(a.monetary, 40, "50 - 10 on the repeat day");
    assert.equal(a.historic_revenue, 125, "90 + 40 - 5 (refund-only day counts in revenue)");
    assert.equal(a.channel, "web", "channel of the earliest purchase that day (09:00)");
    assert.equal(a.campaign, undefined, "campaign of the earliest purchase (none)");
    assert.equal(a.x_holdout, 1);
    assert.equal(a.revenue_holdout, 40);
    assert.equal(a.duration_holdout, 28);
  });

  it("rejects refunds before the first purchase and customers with refunds only; excludes late first purchases", () => {
    const b = s.get("b")!;
    assert.equal(b.first_purchase_at, "2011-01-02", "a zero-amount purchase is a purchase by default");
    assert.equal(b.historic_revenue, 0);
    assert.equal(s.has("c"), false);
    assert.equal(s.has("d"), false);
    assert.equal(report.customersExcluded.REFUND_WITHOUT_PURCHASE, 1);
    assert.equal(report.customersExcluded.FIRST_PURCHASE_AFTER_CALIBRATION, 1);
    assert.equal(report.rejected.REFUND_WITHOUT_PURCHASE, 2, "b's refund before its first purchase, and c");
    assert.equal(report.rejected.FIRST_PURCHASE_AFTER_CALIBRATION, 1);
  });

  it("counts every row: rejected by reason plus used equals read", () => {
    assert.equal(report.rowsRead, tx.length);
    assert.deepEqual(report.rejected, {
      MISSING_CUSTOMER_ID: 1,
      BAD_DATE: 1,
      BAD_AMOUNT: 1,
      DATE_AFTER_END: 1,
      REFUND_WITHOUT_PURCHASE: 2,
      FIRST_PURCHASE_AFTER_CALIBRATION: 1,
    });
    assert.equal(report.rowsUsed + report.rowsRejected, report.rowsRead);
    assert.equal(report.rowsUsed, 10);
    assert.deepEqual(report.notes, { ZERO_AMOUNT: 1, NEGATIVE_AMOUNT: 2, CANCELLED_ORDER: 1 });
    assert.equal(report.refundsNetted, -45);
  });

  it("normalizes float-written ids like UCI's 17850.0", () => {
    const c = s.get("17850")!;
    assert.equal(c.x, 1);
    assert.equal(c.first_amount, 3);
    assert.equal(c.monetary, 4);
  });

  it("rejects zero amounts and drops exact duplicates on request", () => {
    const r = summarizeTransactions(
      [
        { customerId: "z", at: day("2011-01-01"), amount: 0 },
        { customerId: "z", at: day("2011-01-02"), amount: 5, rowKey: "l1" },
        { customerId: "z", at: day("2011-01-02"), amount: 5, rowKey: "l1" },
      ],
      { timeUnit: "day", zeroAmounts: "reject", duplicates: "drop" },
    );
    assert.deepEqual(r.report.rejected, { ZERO_AMOUNT: 1, DUPLICATE_ROW: 1 });
    assert.equal(r.columns.firstAmount[0], 5);
    assert.equal(r.columns.T[0], 0, "calibration end defaults to the last day in the data");
    assert.equal(r.columns.holdout, undefined);
  });

  it("counts offsets and takes days in UTC unless asked for local days", () => {
    const at = Date.UTC(2011, 0, 1, 23, 30); // 2011-01-02 01:30 at +02:00
    const rows: Transaction[] = [
      { customerId: "t", at, amount: 1, utcOffsetMinutes: 120 },
      { customerId: "t", at: at + 86_400_000, amount: 1, utcOffsetMinutes: 120 },
      { customerId: "t", at: at + 2 * 86_400_000, amount: 1, utcOffsetMinutes: 0 },
    ];
    const utc = summarizeTransactions(rows, { timeUnit: "day" });
    assert.equal(customerSummaries(utc.columns)[0]!.first_purchase_at, "2011-01-01");
    assert.deepEqual(utc.report.timeZoneOffsets, { "120": 2, "0": 1 });
    assert.equal(utc.report.notes.MIXED_TIME_ZONES, 1);
    const local = summarizeTransactions(rows, { timeUnit: "day", dayBoundary: "local" });
    assert.equal(customerSummaries(local.columns)[0]!.first_purchase_at, "2011-01-02");
  });

  it("counts each order as a transaction when same-day purchases are not merged", () => {
    const rows: Transaction[] = [
      { customerId: "m", at: day("2011-01-01", 9), amount: 10, orderId: "o1" },
      { customerId: "m", at: day("2011-01-01", 9), amount: 5, orderId: "o1" },
      { customerId: "m", at: day("2011-01-01", 15), amount: 7, orderId: "o2" },
      { customerId: "m", at: day("2011-01-03"), amount: 3, orderId: "o3" },
    ];
    const r = summarizeTransactions(rows, { timeUnit: "day", mergeSameDay: false });
    assert.equal(r.columns.x[0], 2);
    assert.equal(r.columns.firstAmount[0], 15);
    assert.equal(r.columns.monetary[0], 5);
    assert.equal(r.columns.t_x[0], 2);
  });

  it("rejects bad option dates with BAD_OPTION_VALUE", () => {
    assert.throws(
      () => summarizeTransactions([], { timeUnit: "week", calibrationEnd: "1997-02-30" }),
      (e: Error & { issues?: { code: string }[] }) => e.issues?.[0]?.code === "BAD_OPTION_VALUE",
    );
  });
});
