import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cohortForecastFromCustomers, cohortTable } from "../../src/analytics/cohorts.ts";
import { customerHistories } from "../../src/analytics/histories.ts";
import type { Transaction } from "../../src/summary/types.ts";
import { readCdnowRows, toTransactions } from "./cdnow-loader.ts";

const at = (iso: string): number => Date.parse(`${iso}T12:00:00Z`);

// Hand-made fixture, monthly cohorts, data end 2026-03-31.
const fixture: Transaction[] = [
  { customerId: "a", at: at("2026-01-05"), amount: 10 },
  { customerId: "a", at: at("2026-01-05"), amount: 5 }, // same day: one order of 15
  { customerId: "a", at: at("2026-02-10"), amount: 20 },
  { customerId: "a", at: at("2026-02-12"), amount: -4 }, // refund
  { customerId: "b", at: at("2026-01-20"), amount: 30 },
  { customerId: "b", at: at("2026-03-31"), amount: 30 },
  { customerId: "c", at: at("2026-02-01"), amount: 50 },
  { customerId: "c", at: at("2026-02-15"), amount: 25, cancelled: true },
  { customerId: "d", at: at("2026-03-01"), amount: -9 }, // refund only: no order, left out
];

describe("cohortTable on a hand-made fixture", () => {
  const data = customerHistories(fixture, { end: "2026-03-31" });

  it("counts customers, orders, revenue, retention and repeat rate per cell", () => {
    assert.equal(data.customersWithoutOrders, 1);
    const t = cohortTable(data, { grain: "month" });
    assert.deepEqual(
      t.rows.map((r) => [r.cohort, r.customers]),
      [
        ["2026-01", 2],
        ["2026-02", 1],
      ],
    );
    const jan = t.rows[0]!;
    assert.deepEqual(
      jan.cells.map((c) => [c.activeCustomers, c.orders, c.revenue]),
      [
        [2, 2, 45],
        [1, 1, 16],
        [1, 1, 30],
      ],
    );
    assert.deepEqual(
      jan.cells.map((c) => c.cumulativeRevenuePerCustomer),
      [22.5, 30.5, 45.5],
    );
    assert.deepEqual(
      jan.cells.map((c) => c.repeatRate),
      [0, 0.5, 1],
    );
    assert.deepEqual(
      jan.cells.map((c) => c.retention),
      [1, 0.5, 0.5],
    );
    assert.ok(jan.cells.every((c) => c.complete && !c.forecast)); // March ends on the last day
    const feb = t.rows[1]!;
    assert.deepEqual(
      feb.cells.map((c) => [c.orders, c.revenue]),
      [
        [1, 25],
        [0, 0],
      ],
    );
  });

  it("computes N-day LTV and leaves it null until the youngest customer is N days old", () => {
    const t = cohortTable(data, { grain: "month", ltvDays: [0, 30, 60, 90] });
    const jan = t.rows[0]!;
    // a: day 0 = 15, by day 30 (Feb 4) still 15, by day 60 (Mar 6) 15 + 20 - 4 = 31; b: 30, 30, 30
    assert.deepEqual(
      jan.nDayLtv.map((x) => x.ltv),
      [22.5, 22.5, 30.5, null],
    );
    assert.ok(jan.nDayLtv[3]?.reason?.includes("2026-01-20"));
  });

  it("fills unobserved cells from the model and marks them forecast", () => {
    const model = cohortForecastFromCustomers({
      conditionalExpectedPurchases: (_id, t) => t / 30, // one order per 30 days after the end
      expectedSpend: () => 10,
    });
    const t = cohortTable(data, { grain: "month", periods: 4, forecast: model });
    const jan = t.rows[0]!;
    assert.equal(jan.cells.length, 4);
    const apr = jan.cells[3]!;
    assert.equal(apr.forecast, true);
    assert.equal(apr.periodLabel, "2026-04");
    // April has 30 days: 2 customers x 1 expected order x 10
    assert.ok(Math.abs(apr.orders - 2) < 1e-12);
    assert.ok(Math.abs(apr.revenue - 20) < 1e-12);
    assert.ok(Math.abs(apr.cumulativeRevenuePerCustomer - 55.5) < 1e-12);
    assert.equal(apr.repeatRate, null);
    const feb = t.rows[1]!;
    assert.deepEqual(
      feb.cells.map((c) => c.forecast),
      [false, false, true, true],
    );
    // May (31 days) for the February cohort's single customer
    assert.ok(Math.abs((feb.cells[3]?.orders ?? 0) - 31 / 30) < 1e-12);
  });

  it("supports week and quarter grains", () => {
    const w = cohortTable(data, { grain: "week" });
    assert.equal(w.rows[0]?.cohort, "2026-01-05"); // the Monday
    const q = cohortTable(data, { grain: "quarter" });
    assert.equal(q.rows.length, 1);
    assert.equal(q.rows[0]?.cohort, "2026-Q1");
    assert.equal(q.rows[0]?.cells[0]?.orders, 5);
    assert.equal(q.rows[0]?.cells[0]?.revenue, 116); // 15 + 20 - 4 + 30 + 30 + 50 - 25
  });
});

describe("cohortTable on CDNOW_master.txt equals a direct count", () => {
  const rows = readCdnowRows();
  const data = customerHistories(toTransactions(rows));
  const t = cohortTable(data, { grain: "month" });

  it("has the three 1997 acquisition months and all 23,570 customers (Fader, Hardie & Lee 2005 cohort)", () => {
    assert.equal(data.histories.length, 23570);
    assert.deepEqual(
      t.rows.map((r) => r.cohort),
      ["1997-01", "1997-02", "1997-03"],
    );
    assert.equal(
      t.rows.reduce((s, r) => s + r.customers, 0),
      23570,
    );
    assert.equal(t.endDate, "1998-06-30");
  });

  it("every cell equals a direct count from the raw rows", () => {
    // direct: first purchase month per customer; then distinct (customer, day) orders and revenue by month
    const first = new Map<string, string>();
    for (const r of rows) {
      const f = first.get(r.id);
      if (f === undefined || r.ymd < f) first.set(r.id, r.ymd);
    }
    const monthIdx = (ymd: string): number => Number(ymd.slice(0, 4)) * 12 + Number(ymd.slice(4, 6)) - 1;
    const orderDays = new Set<string>();
    const active = new Map<string, Set<string>>();
    const orders = new Map<string, number>();
    const revenue = new Map<string, number>();
    const sizes = new Map<number, number>();
    for (const [, f] of first) sizes.set(monthIdx(f), (sizes.get(monthIdx(f)) ?? 0) + 1);
    for (const r of rows) {
      const c = monthIdx(first.get(r.id) as string);
      const key = `${c}:${monthIdx(r.ymd) - c}`;
      revenue.set(key, (revenue.get(key) ?? 0) + r.dollars);
      const dayKey = `${r.id}:${r.ymd}`;
      if (!orderDays.has(dayKey)) {
        orderDays.add(dayKey);
        orders.set(key, (orders.get(key) ?? 0) + 1);
      }
      let s = active.get(key);
      if (!s) {
        s = new Set();
        active.set(key, s);
      }
      s.add(r.id);
    }
    let cells = 0;
    for (const row of t.rows) {
      const c = Number(row.cohort.slice(0, 4)) * 12 + Number(row.cohort.slice(5, 7)) - 1;
      assert.equal(row.customers, sizes.get(c));
      for (const cell of row.cells) {
        const key = `${c}:${cell.period}`;
        assert.equal(cell.activeCustomers, active.get(key)?.size ?? 0, key);
        assert.equal(cell.orders, orders.get(key) ?? 0, key);
        assert.ok(Math.abs(cell.revenue - (revenue.get(key) ?? 0)) < 1e-6, key);
        cells++;
      }
    }
    assert.equal(cells, 18 + 17 + 16); // Jan 1997 .. Jun 1998 for the January cohort, and so on
    // same-day merging: 69,659 rows, 2,068 repeat a (customer, day) pair
    assert.equal(
      t.rows.reduce((s, r) => s + r.cells.reduce((a, c) => a + c.orders, 0), 0),
      69659 - 2068,
    );
  });

  it("the 365-day LTV of every cohort equals a direct sum", () => {
    const first = new Map<string, number>();
    const dayOf = (ymd: string): number =>
      Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(4, 6)) - 1, Number(ymd.slice(6, 8))) / 86400000;
    for (const r of rows) first.set(r.id, Math.min(first.get(r.id) ?? Infinity, dayOf(r.ymd)));
    const sum = new Map<string, number>();
    for (const r of rows) {
      const f = first.get(r.id) as number;
      const cohort = new Date(f * 86400000).toISOString().slice(0, 7);
      if (dayOf(r.ymd) - f <= 365) sum.set(cohort, (sum.get(cohort) ?? 0) + r.dollars);
    }
    for (const row of t.rows) {
      const ltv365 = row.nDayLtv.find((x) => x.days === 365)?.ltv;
      assert.ok(ltv365 !== null && ltv365 !== undefined);
      assert.ok(Math.abs(ltv365 - (sum.get(row.cohort) as number) / row.customers) < 1e-9);
    }
  });
});
