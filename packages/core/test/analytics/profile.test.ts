import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { customerProfile } from "../../src/analytics/profile.ts";
import type { CustomerSummary } from "../../src/summary/types.ts";

const base: CustomerSummary = {
  customer_id: "7",
  x: 2,
  t_x: 30,
  T: 60,
  monetary: 20,
  first_purchase_at: "2026-01-01",
  first_amount: 25,
  historic_revenue: 65,
  orders: 3,
};

describe("customerProfile", () => {
  it("computes historic, predicted and total CLV, spacing and the next-order date", () => {
    const p = customerProfile(
      base,
      {
        pAlive: 0.8,
        expectedPurchases: 4,
        expectedSpend: 21,
        predictedClv: 80,
        conditionalExpectedPurchases: (t) => (0.8 * t) / 30,
      },
      { timeUnit: "day" },
    );
    assert.equal(p.historicClv, 65);
    assert.equal(p.predictedClv, 80);
    assert.equal(p.totalClv, 145);
    assert.equal(p.averageDaysBetweenOrders, 15);
    assert.equal(p.lastOrderDate, "2026-01-31");
    assert.equal(p.calibrationEndDate, "2026-03-02");
    // given alive, one purchase per 30 days: the first is expected 30 days after the calibration end
    assert.equal(p.nextOrderStatus, "expected");
    assert.ok(Math.abs((p.daysToNextOrder ?? 0) - 30) < 1e-6);
    assert.equal(p.nextOrderDate, "2026-04-01");
    assert.equal(p.notEnoughData, null);
    assert.deepEqual(p.reasons, []);
  });

  it("converts weeks to days for spacing and dates", () => {
    const p = customerProfile(
      { ...base, t_x: 4, T: 10 },
      { pAlive: 1, expectedPurchases: 1, conditionalExpectedPurchases: (t) => t / 2 },
      { timeUnit: "week" },
    );
    assert.equal(p.averageDaysBetweenOrders, 14);
    assert.equal(p.nextOrderDate, "2026-03-26"); // 12 weeks = 84 days after 2026-01-01
  });

  it("says 'none within horizon' when fewer than one purchase is expected even if alive", () => {
    const p = customerProfile(
      base,
      { pAlive: 0.5, expectedPurchases: 0.2, conditionalExpectedPurchases: (t) => 0.5 * (t / 1000) },
      { timeUnit: "day", horizon: { value: 12, unit: "month" } },
    );
    assert.equal(p.nextOrderStatus, "none_within_horizon");
    assert.equal(p.nextOrderDate, null);
    assert.ok(p.reasons.some((r) => r.field === "nextOrderDate" && r.reason.includes("12 month")));
  });

  it("flags one-time buyers, short histories and customers without orders with a reason, never a zero", () => {
    const one = customerProfile(
      { ...base, x: 0, t_x: 0, orders: 1 },
      { pAlive: 1, expectedPurchases: 0.3 },
      {
        timeUnit: "day",
      },
    );
    assert.equal(one.notEnoughData?.code, "ONE_ORDER");
    assert.equal(one.averageDaysBetweenOrders, null);
    assert.ok(one.reasons.some((r) => r.field === "averageDaysBetweenOrders"));
    assert.equal(one.predictedClv, null);
    assert.ok(one.reasons.some((r) => r.field === "predictedClv"));

    const short = customerProfile({ ...base, T: 10, t_x: 5 }, undefined, { timeUnit: "day" });
    assert.equal(short.notEnoughData?.code, "SHORT_HISTORY");
    assert.equal(short.pAlive, null);

    const none = customerProfile({ ...base, x: 0, t_x: 0, orders: 0, historic_revenue: 0 }, undefined, {
      timeUnit: "day",
    });
    assert.equal(none.notEnoughData?.code, "NO_ORDERS");
    assert.equal(none.lastOrderDate, null);
  });

  it("gives no next-order date for a customer who has most likely left, and no NaN anywhere", () => {
    const p = customerProfile(
      base,
      { pAlive: 0, expectedPurchases: 0, conditionalExpectedPurchases: () => 0, predictedClv: Number.NaN },
      { timeUnit: "day" },
    );
    assert.equal(p.nextOrderStatus, "unavailable");
    assert.equal(p.predictedClv, null);
    const json = JSON.stringify(p);
    assert.ok(!json.includes("NaN") && JSON.parse(json).customerId === "7");
  });
});
