import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { customerHistories } from "../../src/analytics/histories.ts";
import { dataReadiness } from "../../src/analytics/readiness.ts";
import { simpleLtv } from "../../src/analytics/simple-ltv.ts";
import type { CustomerSummary } from "../../src/summary/types.ts";
import { readCdnowRows, toTransactions } from "./cdnow-loader.ts";

function c(id: string, x: number, t_x: number, T: number, orders: number, revenue: number): CustomerSummary {
  return {
    customer_id: id,
    x,
    t_x,
    T,
    monetary: 0,
    first_purchase_at: "2025-01-01",
    first_amount: 0,
    historic_revenue: revenue,
    orders,
  };
}

const fixture = [
  c("A", 2, 300, 400, 3, 300),
  c("B", 1, 50, 500, 2, 100),
  c("C", 0, 0, 100, 1, 50),
  c("D", 0, 0, 730, 1, 50),
];

describe("simpleLtv", () => {
  it("computes AOV, frequency, ARPU, churn and both formulas by hand", () => {
    const r = simpleLtv(fixture, "day", { margin: 0.5 });
    const years = (401 + 501 + 101 + 731) / 365.25;
    const close = (a: number | null, b: number): void =>
      assert.ok(a !== null && Math.abs(a - b) < 1e-12 * Math.max(1, b));
    close(r.aov, 500 / 7);
    close(r.purchaseFrequencyPerYear, 7 / years);
    close(r.arpuPerYear, 500 / years);
    // eligible (observed >= 365 days): A, B, D; churned (no purchase in 365 days): B, D
    const churn = (2 / 3) * (365.25 / 365);
    close(r.annualChurnRate, churn);
    close(r.lifespanYears, 1 / churn);
    close(r.aovFrequencyLifespan, (500 / 7) * (7 / years) * (1 / churn));
    close(r.arpuMarginOverChurn, ((500 / years) * 0.5) / churn);
    assert.equal(r.definitions.length, 7);
  });

  it("returns null with reasons when churn cannot be estimated", () => {
    const r = simpleLtv([c("A", 1, 10, 20, 2, 40)], "day");
    assert.equal(r.annualChurnRate, null);
    assert.equal(r.arpuMarginOverChurn, null);
    assert.ok(r.reasons.some((x) => x.field === "annualChurnRate"));
    const given = simpleLtv([c("A", 1, 10, 20, 2, 40)], "day", { lifespanYears: 3 });
    assert.ok(
      given.aovFrequencyLifespan !== null &&
        Math.abs(given.aovFrequencyLifespan - (40 / 21) * 365.25 * 3) < 1e-9,
    );
    const empty = simpleLtv([], "week");
    assert.equal(empty.aov, null);
  });
});

describe("dataReadiness", () => {
  it("reports each check with its value, threshold and message", () => {
    const r = dataReadiness(fixture, "day");
    assert.equal(r.ready, true);
    const byId = Object.fromEntries(r.checks.map((x) => [x.id, x]));
    assert.equal(byId.customers_with_orders?.value, 4);
    assert.equal(byId.customers_with_orders?.passed, false);
    assert.ok(byId.customers_with_orders?.message.includes("below 500"));
    assert.equal(byId.history_days?.value, 730);
    assert.equal(byId.history_days?.passed, true);
    assert.equal(byId.repeat_buyer_share?.value, 0.5);
  });

  it("blocks when nobody bought twice", () => {
    const r = dataReadiness([c("A", 0, 0, 10, 1, 5)], "week", { minCustomersWithOrders: 1 });
    assert.equal(r.ready, false);
    assert.equal(r.checks.find((x) => x.id === "repeat_buyers")?.passed, false);
    assert.equal(r.thresholds.minCustomersWithOrders, 1);
  });

  it("on CDNOW_master: 23,570 customers, 545 days of history and the repeat-buyer share equal a direct count", () => {
    const rows = readCdnowRows();
    const h = customerHistories(toTransactions(rows));
    // test-only summaries in days from the histories
    const summaries = h.histories.map((x) => {
      const last = x.orderDays[x.orderDays.length - 1] as number;
      return c(
        x.customerId,
        x.orderDays.length - 1,
        last - x.firstDay,
        h.endDay - x.firstDay,
        x.orderDays.length,
        0,
      );
    });
    const r = dataReadiness(summaries, "day");
    const byId = Object.fromEntries(r.checks.map((x) => [x.id, x]));
    assert.equal(byId.customers_with_orders?.value, 23570);
    assert.equal(byId.history_days?.value, 545); // 1997-01-01 to 1998-06-30
    const days = new Map<string, Set<string>>();
    for (const row of rows) {
      let s = days.get(row.id);
      if (!s) {
        s = new Set();
        days.set(row.id, s);
      }
      s.add(row.ymd);
    }
    const repeaters = [...days.values()].filter((s) => s.size > 1).length;
    assert.equal(byId.repeat_buyers?.value, repeaters);
    assert.ok(Math.abs((byId.repeat_buyer_share?.value ?? 0) - repeaters / 23570) < 1e-15);
    assert.equal(r.ready, true);
  });
});
