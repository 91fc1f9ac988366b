import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  budgetScenario,
  channelEconomics,
  cohortTable,
  customerHistories,
  customerIntervals,
  customerProfile,
  dataReadiness,
  expectedConfusion,
  forecastIntervals,
  lifecycleStates,
  revenueForecast,
  rfmScores,
  scoreHistogram,
  simpleLtv,
  valueTiers,
} from "../../src/analytics/index.ts";
import type { CustomerSummary } from "../../src/summary/types.ts";

/** Every number in a result is finite, and the result survives a JSON round trip unchanged. */
function assertFiniteJson(value: unknown, path = "result"): void {
  const walk = (v: unknown, p: string): void => {
    if (typeof v === "number") assert.ok(Number.isFinite(v), `${p} is ${v}`);
    else if (Array.isArray(v)) for (const [i, x] of v.entries()) walk(x, `${p}[${i}]`);
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${p}.${k}`);
  };
  walk(value, path);
  assert.deepEqual(JSON.parse(JSON.stringify(value)), value);
}

const odd: CustomerSummary = {
  customer_id: "z",
  x: 0,
  t_x: 0,
  T: 0,
  monetary: 0,
  first_purchase_at: "not a date",
  first_amount: 0,
  historic_revenue: Number.NaN,
  orders: 0,
};

describe("analytics on empty and extreme inputs: finite numbers, nulls with reasons, JSON-safe", () => {
  it("empty inputs", () => {
    const h = customerHistories([]);
    assertFiniteJson(h);
    assertFiniteJson(cohortTable(h));
    assertFiniteJson(channelEconomics(h, { spend: [{ month: "2026-01", channel: "x", spend: 10 }] }));
    assertFiniteJson(valueTiers([]));
    assertFiniteJson(rfmScores([], "day"));
    assertFiniteJson(lifecycleStates([], "day", []));
    assertFiniteJson(scoreHistogram([]));
    assertFiniteJson(expectedConfusion([], 0.5));
    assertFiniteJson(simpleLtv([], "week"));
    assertFiniteJson(dataReadiness([], "week"));
    assertFiniteJson(revenueForecast({ timeUnit: "week", periodLength: 1, periods: 0 }));
    assert.equal(
      forecastIntervals(0, () => []),
      null,
    );
    assertFiniteJson(customerIntervals({ customers: 0, draws: 10, fill: () => {} }));
    assertFiniteJson(budgetScenario([], { totalBudget: 0, proposedShares: {} }));
  });

  it("odd values: NaN revenue, unparseable dates, infinite scores, a zero budget", () => {
    assertFiniteJson(
      customerProfile(
        odd,
        { pAlive: Number.NaN, expectedPurchases: Number.POSITIVE_INFINITY },
        { timeUnit: "day" },
      ),
    );
    assertFiniteJson(valueTiers([Number.NaN, Number.POSITIVE_INFINITY, -1, 5]));
    assertFiniteJson(rfmScores([odd, odd], "day"));
    assertFiniteJson(lifecycleStates([odd], "day", [Number.NaN]));
    assertFiniteJson(scoreHistogram([Number.NaN, -3, 7, 0.5], 0));
    assertFiniteJson(simpleLtv([odd], "day"));
    assertFiniteJson(dataReadiness([odd], "day"));
    const h = customerHistories([
      { customerId: "a", at: Number.NaN, amount: 1 },
      { customerId: "a", at: 0, amount: Number.POSITIVE_INFINITY },
      { customerId: "a", at: 0, amount: 5 },
    ]);
    assert.equal(h.issues.length, 2);
    assertFiniteJson(h);
    assertFiniteJson(cohortTable(h, { grain: "week" }));
    assertFiniteJson(
      budgetScenario([{ channel: "a", observedSpend: 10, observedNewCustomers: 1, ltvPerCustomer: 50 }], {
        totalBudget: 0,
        proposedShares: { a: 1 },
        exponent: 0.5,
      }),
    );
  });
});
