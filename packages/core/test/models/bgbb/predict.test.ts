import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ValuecastError } from "../../../src/errors/issues.ts";
import { fitModel } from "../../../src/fit/fit.ts";
import { lbeta, lgamma } from "../../../src/math/special.ts";
import { bgbbIndividualLogLikelihood } from "../../../src/models/bgbb/likelihood.ts";
import { bgbbModel } from "../../../src/models/bgbb/model.ts";
import {
  bgbbConditionalExpectedTransactions,
  bgbbDert,
  bgbbExpectedTransactions,
  bgbbPAlive,
  bgbbPredictor,
  bgbbProbabilityOfTransactions,
} from "../../../src/models/bgbb/predict.ts";
import { bgbbSpec } from "../../../src/models/bgbb/spec.ts";
import { donations, PUBLISHED } from "./donations.ts";

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);

// The published predictions were computed at the full-precision MLE, so use our fit (which matches the
// published 4-digit estimates) rather than the rounded values.
const fitted = fitModel(bgbbSpec, donations).params;
const pred = bgbbPredictor(fitted);
const p = { alpha: fitted.alpha!, beta: fitted.beta!, gamma: fitted.gamma!, delta: fitted.delta! };

describe("BG/BB predictions on the donation data (Fader, Hardie & Shang 2010)", () => {
  it("P(alive in 2002) for (x, t_x) = (0,0), (2,4), (6,6), n = 6 is 0.11, 0.59, 0.93 (Fader, Hardie & Shang 2010)", () => {
    close(pred.pAlive(0, 0, 6), 0.11, 0.005, "(0,0)");
    close(pred.pAlive(2, 4, 6), 0.59, 0.005, "(2,4)");
    close(pred.pAlive(6, 6, 6), 0.93, 0.005, "(6,6)");
  });

  it("E[X(10)] for a new donor is 3.1798 (Fader, Hardie & Shang 2010, eq. 7)", () => {
    close(pred.expectedPurchases(10), 3.1798, 1e-4, "E[X(10)]");
  });

  it("10-period CET is 0.13022 for (0,0) and 3.6279 for (4,5), n = 6 (Fader, Hardie & Shang 2010, eq. 13)", () => {
    close(pred.conditionalExpectedPurchases(10, 0, 0, 6), 0.13022, 1e-5, "CET (0,0)");
    close(pred.conditionalExpectedPurchases(10, 4, 5, 6), 3.6279, 1e-4, "CET (4,5)");
  });

  it("eq. 7 and eq. 13 closed forms equal brute-force sums over the survival probabilities", () => {
    // E[X(n)] = E[p] * sum_{t=1}^{n} B(gamma, delta + t) / B(gamma, delta)
    const S = (t: number) => {
      let s = 1;
      for (let j = 0; j < t; j++) s *= (p.delta + j) / (p.gamma + p.delta + j);
      return s;
    };
    let sum = 0;
    for (let t = 1; t <= 10; t++) sum += S(t);
    close(pred.expectedPurchases(10), (p.alpha / (p.alpha + p.beta)) * sum, 1e-12, "E[X(10)]");
    // The paper's closed forms, with gamma != 1 (0.657 here).
    const { alpha, beta, gamma, delta } = p;
    const eq7 =
      (alpha / (alpha + beta)) *
      (delta / (gamma - 1)) *
      (1 -
        Math.exp(
          lgamma(gamma + delta) - lgamma(gamma + delta + 10) + lgamma(1 + delta + 10) - lgamma(1 + delta),
        ));
    close(pred.expectedPurchases(10), eq7, 1e-12, "eq. 7");
    const [x, tx, n, nStar] = [4, 5, 6, 10];
    const L = Math.exp(bgbbIndividualLogLikelihood(p, x, tx, n));
    const eq13 =
      (1 / L) *
      Math.exp(lbeta(alpha + x + 1, beta + n - x) - lbeta(alpha, beta)) *
      (delta / (gamma - 1)) *
      Math.exp(lgamma(gamma + delta) - lgamma(1 + delta)) *
      (Math.exp(lgamma(1 + delta + n) - lgamma(gamma + delta + n)) -
        Math.exp(lgamma(1 + delta + n + nStar) - lgamma(gamma + delta + n + nStar)));
    close(pred.conditionalExpectedPurchases(nStar, x, tx, n), eq13, 1e-12, "eq. 13");
  });

  it("CET(0) = 0, CET increases with the horizon, and matches P(alive)-weighted increments", () => {
    for (const [x, tx] of [
      [0, 0],
      [2, 4],
      [6, 6],
      [1, 1],
    ] as const) {
      assert.equal(pred.conditionalExpectedPurchases(0, x, tx, 6), 0);
      let prev = 0;
      for (let h = 1; h <= 30; h++) {
        const v = pred.conditionalExpectedPurchases(h, x, tx, 6);
        assert.ok(v > prev, `CET(${h}) for (${x},${tx})`);
        prev = v;
      }
      // The first future opportunity: E[p | alive] * P(alive at n + 1).
      const pAlive = pred.pAlive(x, tx, 6);
      const cet1 = pred.conditionalExpectedPurchases(1, x, tx, 6);
      assert.ok(cet1 < pAlive && cet1 > 0);
    }
  });

  it("P(X(n) = x) (eq. 6) sums to 1 over x and its mean is E[X(n)] (eq. 7)", () => {
    for (const n of [1, 6, 10, 40]) {
      let total = 0;
      let mean = 0;
      for (let x = 0; x <= n; x++) {
        const q = pred.probabilityOfPurchases(x, n);
        assert.ok(q >= 0 && q <= 1);
        total += q;
        mean += x * q;
      }
      close(total, 1, 1e-12, `sum of P(X(${n}) = x)`);
      close(mean, pred.expectedPurchases(n), 1e-10, `mean of X(${n})`);
      assert.equal(pred.probabilityOfPurchases(n + 1, n), 0);
    }
  });

  it("P(X(6) = x) reproduces the donation frequency distribution the model fits (eq. 6 vs the data)", () => {
    // 3464 of 11104 donors never gave again; the model's expected count is close (Fader, Hardie & Shang 2010, Figure 3).
    const expected0 = 11104 * bgbbProbabilityOfTransactions(p, 0, 6);
    assert.ok(Math.abs(expected0 - 3464) < 60, `${expected0}`);
  });

  it("DERT equals a brute-force discounted sum of CET increments and falls as the discount rate rises", () => {
    for (const [x, tx] of [
      [0, 0],
      [3, 5],
      [6, 6],
    ] as const) {
      let brute = 0;
      let prev = 0;
      for (let k = 1; k <= 3000; k++) {
        const c = bgbbConditionalExpectedTransactions(p, k, x, tx, 6);
        brute += (c - prev) / 1.1 ** k;
        prev = c;
      }
      close(bgbbDert(p, 0.1, x, tx, 6), brute, 1e-9 * brute, `DERT (${x},${tx})`);
      let last = Number.POSITIVE_INFINITY;
      for (const d of [0.01, 0.05, 0.1, 0.2, 0.5, 1]) {
        const v = pred.dert(d, x, tx, 6);
        assert.ok(v < last && v > 0, `DERT at d = ${d}`);
        last = v;
      }
    }
    // gamma < 1: the undiscounted expected number of all future transactions is infinite.
    assert.equal(bgbbDert(p, 0, 6, 6, 6), Number.POSITIVE_INFINITY);
    assert.throws(() => bgbbDert(p, -0.1, 6, 6, 6), ValuecastError);
  });

  it("rejects impossible histories and parameters as data", () => {
    assert.throws(() => bgbbPAlive(p, 3, 2, 6), ValuecastError);
    assert.throws(() => bgbbPAlive(p, 1, 0, 6), ValuecastError);
    assert.throws(() => bgbbPredictor({ alpha: 1, beta: 1, gamma: 0, delta: 1 }), ValuecastError);
  });

  it("P(alive) ranks donors sensibly: giving in every year beats lapsing; E[X(0)] = 0", () => {
    assert.ok(bgbbPAlive(p, 6, 6, 6) > bgbbPAlive(p, 5, 5, 6));
    assert.ok(bgbbPAlive(p, 5, 5, 6) > bgbbPAlive(p, 1, 1, 6));
    close(bgbbExpectedTransactions(p, 0), 0, 0, "E[X(0)]");
  });
});

describe("BG/BB numerical safety", () => {
  const positive = fc.double({ min: 1e-3, max: 1e3, noNaN: true });
  it("property: no NaN or Infinity anywhere, P(alive) in [0, 1], over wide parameters and histories", () => {
    fc.assert(
      fc.property(
        positive,
        positive,
        positive,
        positive,
        fc.integer({ min: 1, max: 400 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 60 }),
        (alpha, beta, gamma, delta, n, a, b, horizon) => {
          const tx = a % (n + 1);
          const x = tx === 0 ? 0 : 1 + (b % tx);
          const q = { alpha, beta, gamma, delta };
          const ll = bgbbIndividualLogLikelihood(q, x, tx, n);
          const pa = bgbbPAlive(q, x, tx, n);
          const cet = bgbbConditionalExpectedTransactions(q, horizon, x, tx, n);
          const e = bgbbExpectedTransactions(q, horizon);
          const pmf = bgbbProbabilityOfTransactions(q, Math.min(x, horizon), horizon);
          const dert = bgbbDert(q, 0.1, x, tx, n);
          return (
            Number.isFinite(ll) &&
            ll <= 1e-12 &&
            pa >= 0 &&
            pa <= 1 &&
            Number.isFinite(cet) &&
            cet >= 0 &&
            cet <= horizon + 1e-9 &&
            Number.isFinite(e) &&
            e >= 0 &&
            e <= horizon + 1e-9 &&
            pmf >= 0 &&
            pmf <= 1 &&
            Number.isFinite(dert) &&
            dert >= 0
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("stays finite for long histories (n = 10,000) and gamma near 1", () => {
    for (const gamma of [0.999999, 1, 1.000001, 1.3]) {
      const q = { ...PUBLISHED, gamma };
      const v = bgbbConditionalExpectedTransactions(q, 5000, 9000, 9990, 10000);
      assert.ok(Number.isFinite(v) && v > 0 && v < 5000, `${gamma}: ${v}`);
      assert.ok(Number.isFinite(bgbbExpectedTransactions(q, 100000)));
      const pa = bgbbPAlive(q, 10, 20, 10000);
      assert.ok(pa >= 0 && pa < 1e-3, `P(alive) after 9,980 silent opportunities: ${pa}`);
    }
    // Continuity across gamma = 1, where eq. 7 and eq. 13 are 0/0.
    const e = (gamma: number) => bgbbExpectedTransactions({ ...PUBLISHED, gamma }, 5000);
    close(e(1 - 1e-9), e(1), 1e-8 * e(1), "E[X(5000)] at gamma = 1");
    close(e(1 + 1e-9), e(1), 1e-8 * e(1), "E[X(5000)] at gamma = 1");
  });
});

describe("bgbbModel object", () => {
  it("fits and predicts through the model object (E[X(10)] = 3.1798, Fader, Hardie & Shang 2010)", () => {
    const params = fitModel(bgbbModel.spec, donations).params;
    const predictor = bgbbModel.predictor(params);
    assert.equal(bgbbModel.name, "bgbb");
    assert.deepEqual([...bgbbModel.paramNames], ["alpha", "beta", "gamma", "delta"]);
    close(predictor.expectedPurchases(10), 3.1798, 1e-4, "E[X(10)]");
    assert.ok(Object.isFrozen(predictor));
  });
});
