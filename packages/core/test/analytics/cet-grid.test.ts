import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cetGrid, cetLayout } from "../../src/analytics/cet-grid.ts";
import { existingPerPeriod, existingPerPeriodOnGrid } from "../../src/analytics/forecast.ts";
import { bgnbdModel } from "../../src/models/bgnbd/model.ts";
import { pnbdModel } from "../../src/models/pnbd/model.ts";
import type { PurchasePredictor } from "../../src/models/purchase-model.ts";
import { toRfmData } from "../../src/summary/convert.ts";
import { summarizeTransactions } from "../../src/summary/summarize.ts";
import { readCdnowRows, toTransactions } from "./cdnow-loader.ts";

// CDNOW master, weeks, calibration to 1997-09-30 (FHL 2005): 23,570 customers.
const { columns } = summarizeTransactions(toTransactions(readCdnowRows()), {
  timeUnit: "week",
  calibrationEnd: "1997-09-30",
});
const rfm = toRfmData(columns);
const layout = cetLayout(rfm);
// FHL 2005's BG/NBD estimates and Pareto/NBD estimates of the same data (Fader, Hardie & Lee 2005).
const bg = bgnbdModel.predictor({ r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.426 });
const pnbd = pnbdModel.predictor({ r: 0.5533, alpha: 10.5776, s: 0.6061, beta: 11.6691 });

/** Every customer's CET from the predictor itself, customer by customer. */
function direct(p: PurchasePredictor, t: number): Float64Array {
  return Float64Array.from(rfm.x, (x, i) => p.conditionalExpectedPurchases(t, x, rfm.t_x[i]!, rfm.T[i]!));
}

describe("cetLayout / cetGrid", () => {
  it("groups CDNOW's 23,570 customers into far fewer (x, T) pairs and (x, t_x, T) rows", () => {
    assert.equal(rfm.x.length, 23570);
    assert.ok(layout.pairs < 2000, `pairs ${layout.pairs}`);
    assert.ok(layout.rows < rfm.x.length && layout.rows > layout.pairs, `rows ${layout.rows}`);
    for (let i = 0; i < rfm.x.length; i += 97) {
      const p = layout.pairOf[i]!;
      assert.equal(layout.pairX[p], rfm.x[i]);
      assert.equal(layout.pairT[p], rfm.T[i]);
      const r = layout.rowFirst[layout.rowOf[i]!]!;
      assert.deepEqual([rfm.x[r], rfm.t_x[r], rfm.T[r]], [rfm.x[i], rfm.t_x[i], rfm.T[i]]);
    }
  });

  for (const [name, p] of [
    ["BG/NBD", bg],
    ["Pareto/NBD", pnbd],
  ] as const) {
    it(`${name}: every customer's CET and P(alive) equal the predictor's to the last bit`, () => {
      const g = cetGrid(p, layout);
      for (const t of [0, 1, 4.348, 39, 78]) {
        const want = direct(p, t);
        for (let i = 0; i < want.length; i++) assert.equal(g.cet(i, t), want[i], `customer ${i}, t ${t}`);
      }
      for (let i = 0; i < rfm.x.length; i++)
        assert.equal(g.pAlive[i], p.pAlive(rfm.x[i]!, rfm.t_x[i]!, rfm.T[i]!));
      // customer 0 of CDNOW (one purchase, x = 0) by hand: CET(39) = P(alive) x E[X | alive]
      assert.ok(g.cet(0, 39) > 0 && g.cet(0, 39) < 1);
    });
  }

  it("forecast per period on the grid equals the customer-by-customer sums exactly", () => {
    const spend = Float64Array.from(columns.monetary, (m, i) => (rfm.x[i]! > 0 ? m : 30));
    const L = 365.25 / 12 / 7;
    const a = existingPerPeriod(
      {
        kind: "curves",
        count: rfm.x.length,
        cumulativeExpectedPurchases: (i, t) =>
          bg.conditionalExpectedPurchases(t, rfm.x[i]!, rfm.t_x[i]!, rfm.T[i]!),
        expectedSpend: (i) => spend[i]!,
      },
      L,
      12,
    );
    const b = existingPerPeriodOnGrid(cetGrid(bg, layout), spend, L, 12);
    assert.deepEqual(b, a);
    // the periods telescope: their orders add up to every customer's CET at 12 months, and each month
    // expects fewer orders than the one before (customers drop out)
    const total = a.orders.reduce((s, v) => s + v, 0);
    const cet12 = direct(bg, 12 * L).reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(total - cet12) < 1e-9 * cet12, `${total} vs ${cet12}`);
    for (let k = 1; k < 12; k++) assert.ok(a.orders[k]! < a.orders[k - 1]!);
  });
});
