import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitModel } from "../../../src/fit/fit.ts";
import { mbgnbdModel, mbgnbdPredictor, mbgnbdSpec } from "../../../src/models/mbgnbd/index.ts";
import { rfmData } from "../../../src/models/rfm-data.ts";
import { cdnowRfm } from "../bgnbd/cdnow-data.ts";

function close(actual: number, expected: number, relTol: number, what: string) {
  const err = Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(err <= relTol, `${what}: ${actual} vs ${expected} (relative error ${err.toExponential(2)})`);
}

function hyp2f1Plain(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 100_000; k++) {
    term *= ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return sum;
}

const P = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };

describe("MBG/NBD fit on CDNOW (Batislam, Denizel & Filiztekin 2007; lifetimes ModifiedBetaGeoFitter)", () => {
  const data = cdnowRfm();
  const fit = fitModel(mbgnbdSpec, data, { timeUnit: "week" });

  it("reproduces r 0.525, alpha 6.183, a 0.891, b 1.614 and LL -9582.13 (lifetimes ModifiedBetaGeoFitter on CDNOW)", () => {
    assert.equal(fit.converged, true, fit.reason);
    close(fit.params.r!, P.r, 1e-3, "r");
    close(fit.params.alpha!, P.alpha, 1e-3, "alpha");
    close(fit.params.a!, P.a, 1e-3, "a");
    close(fit.params.b!, P.b, 1e-3, "b");
    assert.ok(Math.abs(fit.logLikelihood - -9582.13) < 0.01, `LL ${fit.logLikelihood}`);
  });

  it("analytic gradient equals central finite differences", () => {
    const d = rfmData(
      [0, 1, 2, 7, 30, 0],
      [0, 3.5, 20.1, 30, 38, 0],
      [38, 38, 30.5, 31, 38.5, 12],
      [3, 1, 2, 1, 1, 5],
    );
    for (const p of [
      [0.525, 6.18, 0.89, 1.61],
      [2, 0.5, 4, 0.3],
    ]) {
      const g = new Float64Array(4);
      mbgnbdSpec.logLikelihood(Float64Array.from(p), d, g);
      for (let k = 0; k < 4; k++) {
        const h = 1e-6 * p[k]!;
        const up = Float64Array.from(p);
        const dn = Float64Array.from(p);
        up[k] = p[k]! + h;
        dn[k] = p[k]! - h;
        const fd = (mbgnbdSpec.logLikelihood(up, d) - mbgnbdSpec.logLikelihood(dn, d)) / (2 * h);
        assert.ok(Math.abs(fd - g[k]!) < 1e-6 * (1 + Math.abs(fd)), `param ${k}: ${g[k]} vs ${fd}`);
      }
    }
  });

  it("weighted unique rows equal the expanded rows", () => {
    const p = Float64Array.of(0.5, 6, 0.9, 1.6);
    const a = mbgnbdSpec.logLikelihood(p, data);
    const b = mbgnbdSpec.logLikelihood(p, mbgnbdSpec.compress!(data));
    assert.ok(Math.abs(a - b) < 1e-9 * Math.abs(a));
  });

  it("a customer without repeat purchases also carries the dropout-at-time-0 term (x = 0 individual likelihood)", () => {
    // L = B(a, b+1)/B(a,b) (α/(α+T))^r + B(a+1, b)/B(a,b) = b/(a+b) (α/(α+T))^r + a/(a+b)
    const { r, alpha, a, b } = P;
    const expected = Math.log((b / (a + b)) * (alpha / (alpha + 30)) ** r + a / (a + b));
    const ll = mbgnbdSpec.logLikelihood(Float64Array.of(r, alpha, a, b), rfmData([0], [0], [30]));
    close(ll, expected, 1e-13, "x = 0");
  });
});

describe("MBG/NBD predictions (Batislam et al. 2007 appendix; lifetimes formulas)", () => {
  const m = mbgnbdPredictor(P);
  const { r, alpha, a, b } = P;

  it("P(alive) = 1/(1 + a/(b+x) ((α+T)/(α+t_x))^(r+x)), below 1 even for x = 0", () => {
    const expected = 1 / (1 + (a / (b + 3)) * ((alpha + 39) / (alpha + 20)) ** (r + 3));
    close(m.pAlive(3, 20, 39), expected, 1e-13, "x = 3");
    close(m.pAlive(0, 0, 39), 1 / (1 + (a / b) * ((alpha + 39) / alpha) ** r), 1e-13, "x = 0");
  });

  it("CET equals the printed (a+b+x)/(a-1) [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; z)] · P(alive)", () => {
    for (const [x, tx, T] of [
      [0, 0, 39],
      [3, 20, 39],
      [26, 30.86, 31],
    ] as const) {
      const z = 52 / (alpha + T + 52);
      const bracket =
        ((a + b + x) / (a - 1)) *
        (1 - ((alpha + T) / (alpha + T + 52)) ** (r + x) * hyp2f1Plain(r + x, b + x + 1, a + b + x, z));
      close(m.conditionalExpectedPurchases(52, x, tx, T), bracket * m.pAlive(x, tx, T), 1e-10, `x ${x}`);
    }
  });

  it("E[X(t)] equals b/(a-1) [1 - (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))]", () => {
    for (const t of [1, 10, 39]) {
      const expected =
        (b / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * hyp2f1Plain(r, b + 1, a + b, t / (alpha + t)));
      close(m.expectedPurchases(t), expected, 1e-10, `t ${t}`);
    }
  });

  it("PMF sums to 1 over n, its mean is E[X(t)], and P(X(t)=0) includes dropping out at time 0", () => {
    for (const t of [5, 39, 78]) {
      let sum = 0;
      let mean = 0;
      for (let n = 0; n < 3000; n++) {
        const pn = m.probabilityOfPurchases(n, t);
        sum += pn;
        mean += n * pn;
      }
      assert.ok(Math.abs(sum - 1) < 1e-9, `sum ${sum}`);
      close(mean, m.expectedPurchases(t), 1e-6, `mean at ${t}`);
    }
    close(
      m.probabilityOfPurchases(0, 10),
      (b / (a + b)) * (alpha / (alpha + 10)) ** r + a / (a + b),
      1e-12,
      "P0",
    );
  });

  it("CET(0) = 0 and increases with t; exposed as PurchaseModel mbgnbd", () => {
    assert.equal(m.conditionalExpectedPurchases(0, 3, 20, 39), 0);
    let prev = 0;
    for (const t of [0.5, 5, 52, 520]) {
      const v = m.conditionalExpectedPurchases(t, 3, 20, 39);
      assert.ok(v > prev);
      prev = v;
    }
    assert.equal(mbgnbdModel.name, "mbgnbd");
  });
});
