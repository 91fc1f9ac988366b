import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { lifecycleStates } from "../../src/analytics/lifecycle.ts";
import { quintileScores, rfmScores } from "../../src/analytics/rfm-scores.ts";
import { expectedConfusion, scoreHistogram } from "../../src/analytics/threshold.ts";
import { valueTiers } from "../../src/analytics/value-tiers.ts";
import type { CustomerSummary } from "../../src/summary/types.ts";

function summary(id: string, over: Partial<CustomerSummary>): CustomerSummary {
  return {
    customer_id: id,
    x: 1,
    t_x: 10,
    T: 200,
    monetary: 10,
    first_purchase_at: "2026-01-01",
    first_amount: 10,
    historic_revenue: 20,
    orders: 2,
    ...over,
  };
}

describe("valueTiers", () => {
  it("cuts the default top 10% / next 40% / rest with value shares", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1
    const r = valueTiers(values);
    assert.deepEqual(
      r.tiers.map((t) => t.customers),
      [10, 40, 50],
    );
    const total = (100 * 101) / 2;
    assert.equal(r.totalValue, total);
    // top 10: 100..91 sums to 955
    assert.ok(Math.abs((r.tiers[0]?.shareOfValue ?? 0) - 955 / total) < 1e-12);
    assert.deepEqual(
      r.tiers.map((t) => t.shareOfCustomers),
      [0.1, 0.4, 0.5],
    );
    assert.equal(r.tiers[0]?.minValue, 91);
    assert.equal(r.tierOf[0], 0);
    assert.equal(r.tierOf[99], 2);
  });

  it("keeps tied values in one tier (ties at a boundary go down) and supports absolute thresholds", () => {
    const r = valueTiers([50, 10, 5, 1, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(
      r.tiers.map((t) => t.customers),
      [1, 3, 6],
    );
    const a = valueTiers([5, 200, 1000, 199.99], { rule: { kind: "thresholds", minValues: [1000, 200] } });
    assert.deepEqual(a.tierOf, [2, 1, 0, 2]);
    const zero = valueTiers([0, 0, 0]);
    assert.equal(zero.tiers[0]?.shareOfValue, null);
    assert.ok(zero.reasons.length === 1);
  });

  it("tiers partition the customers, ties share a tier, and no quantile tier exceeds its target (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 1e6, noNaN: true })), {
          minLength: 1,
          maxLength: 300,
        }),
        (values) => {
          const r = valueTiers(values);
          assert.equal(
            r.tiers.reduce((s, t) => s + t.customers, 0),
            values.length,
          );
          const counts = [0, 0, 0];
          r.tierOf.forEach((t) => {
            counts[t] = (counts[t] ?? 0) + 1;
          });
          assert.deepEqual(
            counts,
            r.tiers.map((t) => t.customers),
          );
          assert.ok((r.tiers[0]?.customers ?? 0) <= Math.round(0.1 * values.length));
          assert.ok(
            (r.tiers[0]?.customers ?? 0) + (r.tiers[1]?.customers ?? 0) <= Math.round(0.5 * values.length),
          );
          for (let i = 0; i < values.length; i++)
            for (let j = 0; j < values.length; j++)
              if ((values[i] as number) > (values[j] as number))
                assert.ok((r.tierOf[i] as number) <= (r.tierOf[j] as number));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("RFM quintile scores", () => {
  it("gives each fifth of distinct values one score and equal values one score", () => {
    assert.deepEqual(quintileScores([10, 20, 30, 40, 50]), [1, 2, 3, 4, 5]);
    const s = quintileScores(Array.from({ length: 20 }, (_, i) => i));
    for (let q = 1; q <= 5; q++) assert.equal(s.filter((v) => v === q).length, 4);
    // 6 of 10 tied at 0: mid-rank share 0.3 -> score 2 for all of them
    assert.deepEqual(quintileScores([0, 0, 0, 0, 0, 0, 7, 8, 9, 10]), [2, 2, 2, 2, 2, 2, 4, 4, 5, 5]);
  });

  it("scores recency by days since the last purchase (fewer is better)", () => {
    const cs = [
      summary("a", { T: 10, t_x: 9, orders: 5, historic_revenue: 500 }),
      summary("b", { T: 10, t_x: 1, orders: 1, historic_revenue: 5 }),
      summary("c", { T: 10, t_x: 5, orders: 3, historic_revenue: 50 }),
      summary("d", { T: 10, t_x: 7, orders: 4, historic_revenue: 100 }),
      summary("e", { T: 10, t_x: 3, orders: 2, historic_revenue: 10 }),
    ];
    const r = rfmScores(cs, "week");
    assert.deepEqual(
      r.map((x) => x.code),
      ["555", "111", "333", "444", "222"],
    );
    assert.equal(r[0]?.daysSinceLastPurchase, 7);
  });
});

describe("lifecycleStates", () => {
  it("applies the documented rules in order", () => {
    const cs = [
      summary("new", { T: 60, historic_revenue: 1000 }),
      summary("lapsed", { historic_revenue: 1000 }),
      summary("risk", { historic_revenue: 960 }),
      summary("lowvalue", { historic_revenue: 10 }),
      summary("fine", { historic_revenue: 950 }),
    ];
    const r = lifecycleStates(cs, "day", [0.01, 0.1, 0.5, 0.5, 0.9], { highValueQuantile: 0.5 });
    assert.equal(r.highValueCut, 960); // median of 10, 950, 960, 1000, 1000
    assert.deepEqual(r.stateOf, ["new", "lapsed", "at_risk", "active", "active"]);
    assert.deepEqual(r.counts, { new: 1, active: 2, at_risk: 1, lapsed: 1 });
    assert.equal(r.rules.length, 4);
  });
});

describe("expected hits and misses at a cut-off", () => {
  it("sums probabilities on each side of the cut (hand computation)", () => {
    const c = expectedConfusion([0.9, 0.6, 0.1, 0.3], 0.5);
    assert.equal(c.flagged, 2);
    assert.ok(Math.abs(c.expectedTruePositives - 1.5) < 1e-12);
    assert.ok(Math.abs(c.expectedFalsePositives - 0.5) < 1e-12);
    assert.ok(Math.abs(c.expectedFalseNegatives - 0.4) < 1e-12);
    assert.ok(Math.abs(c.expectedTrueNegatives - 1.6) < 1e-12);
    assert.ok(Math.abs((c.expectedRecall ?? 0) - 1.5 / 1.9) < 1e-12);
    assert.equal(expectedConfusion([0.2], 0.5).expectedPrecision, null);
  });

  it("histogram edge values equal the direct computation at every edge (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.25, 0.5, 1)), {
          maxLength: 200,
        }),
        fc.integer({ min: 1, max: 40 }),
        (scores, bins) => {
          const h = scoreHistogram(scores, bins);
          assert.equal(
            h.bins.reduce((s, b) => s + b.customers, 0),
            scores.length,
          );
          for (const e of h.atEdges) {
            const d = expectedConfusion(scores, e.cut);
            assert.equal(e.flagged, d.flagged);
            assert.ok(Math.abs(e.expectedTruePositives - d.expectedTruePositives) < 1e-9);
            assert.ok(Math.abs(e.expectedTrueNegatives - d.expectedTrueNegatives) < 1e-9);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
