// Customers come out of a DuckDB file summary in the order of their first input row: the query gives each
// customer's first row number and the collector orders by it (no sort inside the query). Invariants of that
// ordering, over random keys.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSummaryColumnsBuilder, emptyCustomerAggregate } from "@valuecast/core";
import fc from "fast-check";
import { ascendingOrder } from "../src/engine/collect.ts";

const byKeys = (keys: number[]) =>
  keys
    .map((k, i) => [k, i] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([, i]) => i);

describe("ascendingOrder (first-row order of summarized customers)", () => {
  it("orders distinct row numbers like a comparison sort (table route)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 5000 }), { maxLength: 800 }), (keys) => {
        const order = ascendingOrder(Float64Array.from(keys), keys.length);
        assert.deepEqual(Array.from(order), byKeys(keys));
      }),
    );
  });

  it("falls back to sorting for huge, fractional, negative or repeated keys", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.double({ min: -1e12, max: 1e12, noNaN: true }), fc.integer({ min: 0, max: 9 })),
          {
            maxLength: 300,
          },
        ),
        (keys) => {
          const order = ascendingOrder(Float64Array.from(keys), keys.length);
          assert.deepEqual(Array.from(order), byKeys(keys));
        },
      ),
    );
  });

  it("reads only the first n keys of a larger buffer", () => {
    const order = ascendingOrder(Float64Array.from([30, 10, 20, 0, 0, 0]), 3);
    assert.deepEqual(Array.from(order), [1, 2, 0]);
  });
});

describe("summary columns builder with an output order", () => {
  it("puts every field of the pushed customers in the given order", () => {
    const b = createSummaryColumnsBuilder({ timeUnit: "day", channel: true, campaign: true });
    const a = emptyCustomerAggregate();
    for (let i = 0; i < 4; i++) {
      Object.assign(a, {
        customerId: `c${i}`,
        firstDay: 100 + i,
        lastDay: 110 + i,
        x: i,
        firstAmount: 10 + i,
        repeatSum: 20 * i,
        historicRevenue: 30 + i,
        channel: `ch${i}`,
        campaign: i === 2 ? null : `cp${i}`,
        xHoldout: i + 1,
        revenueHoldout: 5 * i,
      });
      b.push(a);
    }
    const order = Int32Array.from([2, 0, 3, 1]);
    const c = b.finish({ calibrationEndDay: 120, observationEndDay: 130, order });
    assert.deepEqual(c.customerId, ["c2", "c0", "c3", "c1"]);
    assert.deepEqual(Array.from(c.x), [2, 0, 3, 1]);
    assert.deepEqual(Array.from(c.t_x), [10, 10, 10, 10]);
    assert.deepEqual(Array.from(c.T), [18, 20, 17, 19]);
    assert.deepEqual(Array.from(c.monetary), [20, 0, 20, 20]);
    assert.deepEqual(Array.from(c.firstDay), [102, 100, 103, 101]);
    assert.deepEqual(Array.from(c.firstAmount), [12, 10, 13, 11]);
    assert.deepEqual(Array.from(c.historicRevenue), [32, 30, 33, 31]);
    assert.deepEqual(Array.from(c.orders), [3, 1, 4, 2]);
    assert.deepEqual(c.channel, ["ch2", "ch0", "ch3", "ch1"]);
    assert.deepEqual(c.campaign, [null, "cp0", "cp3", "cp1"]);
    assert.deepEqual(Array.from(c.holdout!.x), [3, 1, 4, 2]);
    assert.deepEqual(Array.from(c.holdout!.revenue), [10, 0, 15, 5]);
    assert.throws(() => b.finish({ calibrationEndDay: 120, order: Int32Array.from([0, 1]) }), /order of 2/);
  });
});
