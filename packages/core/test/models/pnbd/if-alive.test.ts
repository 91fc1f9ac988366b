import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isFactorised } from "../../../src/clv/factorised.ts";
import { scoreCustomers } from "../../../src/clv/score.ts";
import { pnbdPredictor } from "../../../src/models/pnbd/predictor.ts";
import { simulatePnbd } from "../../../src/models/pnbd/simulate.ts";
import type { PurchasePredictor } from "../../../src/models/purchase-model.ts";

/** The parameters printed in the BTYD walkthrough (Pareto/NBD on CDNOW). */
const BTYD = { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 };

/** The closed form of the brief: (r+x)(β+T)/((α+T)(s-1)) [1 - ((β+T)/(β+T+t))^{s-1}], s = 1 its log limit. */
function closedForm(p: typeof BTYD, t: number, x: number, T: number): number {
  const { r, alpha, s, beta } = p;
  if (s === 1) return ((r + x) / (alpha + T)) * (beta + T) * Math.log((beta + T + t) / (beta + T));
  return (((r + x) * (beta + T)) / ((alpha + T) * (s - 1))) * (1 - ((beta + T) / (beta + T + t)) ** (s - 1));
}

describe("Pareto/NBD expectedPurchasesIfAlive (factorised scoring)", () => {
  const pred = pnbdPredictor(BTYD);

  it("is offered, so scoreCustomers takes the per-(x, T) path", () => {
    assert.equal(isFactorised(pred), true);
  });

  it("CET = P(alive) x E[purchases | alive] (BTYD walkthrough customer x 26, t_x 30.86, T 31: CET 25.456)", () => {
    const cet = pred.conditionalExpectedPurchases(52, 26, 30.86, 31);
    const fact = pred.pAlive(26, 30.86, 31) * pred.expectedPurchasesIfAlive(52, 26, 31);
    assert.ok(Math.abs(cet - fact) <= 1e-12 * cet);
    assert.ok(Math.abs(cet / 25.456 - 1) < 1e-4, `CET ${cet}`); // 4 printed digits
    for (const [x, tx, T, t] of [
      [0, 0, 39, 52],
      [2, 30.43, 38.86, 10],
      [10, 20, 39, 52],
      [400, 5, 6, 1],
    ] as const) {
      const c = pred.conditionalExpectedPurchases(t, x, tx, T);
      const f = pred.pAlive(x, tx, T) * pred.expectedPurchasesIfAlive(t, x, T);
      assert.ok(Math.abs(c - f) <= 1e-12 * Math.max(c, 1e-300), `(${x}, ${tx}, ${T}, ${t}): ${c} vs ${f}`);
    }
  });

  it("matches the closed form, including the s = 1 limit, and is 0 at t = 0", () => {
    for (const s of [0.6061, 1, 1 + 1e-13, 2.5]) {
      const p = { ...BTYD, s };
      const pr = pnbdPredictor(p);
      for (const [t, x, T] of [
        [52, 0, 39],
        [1, 5, 10],
        [1000, 26, 31],
      ] as const) {
        const got = pr.expectedPurchasesIfAlive(t, x, T);
        const want = closedForm(s === 1 + 1e-13 ? { ...p, s: 1 } : p, t, x, T);
        assert.ok(Math.abs(got - want) <= 1e-9 * want, `s ${s} (${t}, ${x}, ${T}): ${got} vs ${want}`);
      }
      assert.equal(pr.expectedPurchasesIfAlive(0, 3, 39), 0);
    }
  });

  it("discounted scores equal the per-customer (generic) path", () => {
    const T = Float64Array.from({ length: 2000 }, (_, i) => 26 + (i % 53));
    const { data } = simulatePnbd(BTYD, T, { seed: 5 });
    // The same predictor without the factorised method: scoreCustomers falls back to per-customer CET.
    const generic: PurchasePredictor = {
      model: pred.model,
      params: pred.params,
      pAlive: pred.pAlive,
      conditionalExpectedPurchases: pred.conditionalExpectedPurchases,
      expectedPurchases: pred.expectedPurchases,
      probabilityOfPurchases: pred.probabilityOfPurchases,
    };
    const opts = { horizon: 52, discountRate: 0.1, timeUnit: "week" as const };
    const a = scoreCustomers(pred, 35, data, opts);
    const b = scoreCustomers(generic, 35, data, opts);
    for (let i = 0; i < T.length; i++) {
      const da = a.discountedPurchases[i]!;
      const db = b.discountedPurchases[i]!;
      assert.ok(Math.abs(da - db) <= 1e-8 * Math.max(db, 1e-12), `row ${i}: ${da} vs ${db}`);
      assert.ok(da < a.expectedPurchases[i]! || a.expectedPurchases[i] === 0);
    }
  });
});
