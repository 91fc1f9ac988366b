import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { discreteRfData } from "../../src/models/bgbb/data.ts";
import { bgbbLogLikelihood } from "../../src/models/bgbb/likelihood.ts";
import { bgbbPredictor } from "../../src/models/bgbb/predict.ts";
import { bgnbdPredictor, bgnbdSpec } from "../../src/models/bgnbd/index.ts";
import { gammaGammaPredictor, gammaGammaSpec } from "../../src/models/gamma-gamma/model.ts";
import { mbgnbdPredictor, mbgnbdSpec } from "../../src/models/mbgnbd/index.ts";
import { pnbdPredictor, pnbdSpec } from "../../src/models/pnbd/index.ts";
import { rfmData } from "../../src/models/rfm-data.ts";
import { sbgPredictor, sbgSpec, survivorData } from "../../src/models/sbg/index.ts";

// Property tests: for random valid parameters over 1e-3..1e4 and valid data (x up to 1e4,
// 0 <= t_x <= T up to 1e4) every model returns P(alive) in [0, 1], finite non-negative expectations
// and a finite log-likelihood. Seeds are fixed so a failure reproduces.

const logUniform = (lo: number, hi: number) =>
  fc.double({ min: Math.log(lo), max: Math.log(hi), noNaN: true }).map((v) => Math.exp(v));
const param = logUniform(1e-3, 1e4);
const RUNS = { numRuns: 300, seed: 20261123 };

/** Continuous-time history: x up to 1e4 (small counts more often), 0 <= t_x <= T <= 1e4, t_x = 0 when x = 0. */
const history = fc
  .record({
    x: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10_000 })),
    T: logUniform(1e-2, 1e4),
    frac: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
    t: logUniform(1e-2, 1e4),
  })
  .map(({ x, T, frac, t }) => ({ x, T, t_x: x === 0 ? 0 : frac * T, t }));

function assertProbability(v: number, what: string) {
  assert.ok(v >= 0 && v <= 1, `${what} = ${v}`);
}
function assertFiniteNonNegative(v: number, what: string) {
  assert.ok(Number.isFinite(v) && v >= 0, `${what} = ${v}`);
}

describe("no NaN anywhere: every model over wide random parameters and data", () => {
  for (const [name, predictor, spec, third, fourth] of [
    ["bgnbd", bgnbdPredictor, bgnbdSpec, "a", "b"],
    ["mbgnbd", mbgnbdPredictor, mbgnbdSpec, "a", "b"],
    ["pnbd", pnbdPredictor, pnbdSpec, "s", "beta"],
  ] as const) {
    it(`${name}: P(alive) in [0, 1]; CET, E[X(t)] finite and >= 0; PMF in [0, 1]; LL and gradient finite`, () => {
      fc.assert(
        fc.property(fc.tuple(param, param, param, param), history, ([r, alpha, c3, c4], h) => {
          const params = { r, alpha, [third]: c3, [fourth]: c4 };
          const what = `${name} ${JSON.stringify(params)} ${JSON.stringify(h)}`;
          const pr = predictor(params);
          assertProbability(pr.pAlive(h.x, h.t_x, h.T), `P(alive) ${what}`);
          assertFiniteNonNegative(pr.conditionalExpectedPurchases(h.t, h.x, h.t_x, h.T), `CET ${what}`);
          assertFiniteNonNegative(pr.expectedPurchases(h.t), `E[X] ${what}`);
          assertProbability(pr.probabilityOfPurchases(Math.min(h.x, 30), h.t), `PMF ${what}`);
          const g = new Float64Array(4);
          const ll = spec.logLikelihood(Float64Array.of(r, alpha, c3, c4), rfmData([h.x], [h.t_x], [h.T]), g);
          assert.ok(Number.isFinite(ll), `LL ${ll} ${what}`);
          for (const v of g) assert.ok(Number.isFinite(v), `gradient ${g} ${what}`);
        }),
        RUNS,
      );
    });
  }

  for (const [name, predictor, shift] of [
    ["bgnbd", bgnbdPredictor, 0],
    ["mbgnbd", mbgnbdPredictor, 1],
  ] as const) {
    it(`${name}: expected purchases if alive lie within exact bounds for a, b up to 1e9 (degenerate dropout)`, () => {
      // G = E[g(p)], g(p) = (1 - (1 + p u)^-A)/p convex and decreasing in p, so Jensen gives
      // g(E p) <= G, and g <= A u, g <= 1/p give G <= min(A u, E[1/p]). Before the fix G was half its
      // value at a = 1e8, b = 4e8 (caught here by the lower bound).
      const big = logUniform(1e-3, 1e9);
      fc.assert(
        fc.property(fc.tuple(param, param, big, big), history, ([r, alpha, a, b], h) => {
          const what = `${name} ${JSON.stringify({ r, alpha, a, b })} ${JSON.stringify(h)}`;
          const G = predictor({ r, alpha, a, b }).expectedPurchasesIfAlive(h.t, h.x, h.T);
          const [A, bPost, u] = [r + h.x, b + h.x + shift, h.t / (alpha + h.T)];
          const mean = a / (a + bPost);
          const lower = -Math.expm1(-A * Math.log1p(mean * u)) / mean;
          const upper = Math.min(A * u, a > 1 ? (a + bPost - 1) / (a - 1) : Number.POSITIVE_INFINITY);
          assert.ok(
            G >= lower * (1 - 1e-9) && G <= upper * (1 + 1e-9),
            `G ${G} not in [${lower}, ${upper}] ${what}`,
          );
        }),
        RUNS,
      );
    });
  }

  it("bgbb: P(alive) in [0, 1]; CET, E[X(n)], DERT finite and >= 0; PMF in [0, 1]; LL finite (n up to 1e4)", () => {
    const discrete = fc
      .record({ n: fc.integer({ min: 1, max: 10_000 }), u: fc.double({ min: 0, max: 1, noNaN: true }) })
      .chain(({ n, u }) =>
        fc.integer({ min: 0, max: n }).map((x) => {
          // t_x between x and n (t_x = 0 exactly when x = 0).
          const t_x = x === 0 ? 0 : x + Math.floor(u * (n - x));
          return { x, t_x, n, nStar: 1 + Math.floor(u * 1000) };
        }),
      );
    fc.assert(
      fc.property(fc.tuple(param, param, param, param), discrete, ([alpha, beta, gamma, delta], h) => {
        const what = `bgbb ${JSON.stringify({ alpha, beta, gamma, delta })} ${JSON.stringify(h)}`;
        const pr = bgbbPredictor({ alpha, beta, gamma, delta });
        assertProbability(pr.pAlive(h.x, h.t_x, h.n), `P(alive) ${what}`);
        assertFiniteNonNegative(pr.conditionalExpectedPurchases(h.nStar, h.x, h.t_x, h.n), `CET ${what}`);
        assertFiniteNonNegative(pr.expectedPurchases(h.nStar), `E[X] ${what}`);
        assertProbability(pr.probabilityOfPurchases(Math.min(h.x, h.nStar), h.nStar), `PMF ${what}`);
        assertFiniteNonNegative(pr.dert(0.1, h.x, h.t_x, h.n), `DERT ${what}`);
        const g = new Float64Array(4);
        const ll = bgbbLogLikelihood(
          Float64Array.of(alpha, beta, gamma, delta),
          discreteRfData([h.x], [h.t_x], [h.n]),
          g,
        );
        assert.ok(Number.isFinite(ll), `LL ${ll} ${what}`);
        for (const v of g) assert.ok(Number.isFinite(v), `gradient ${g} ${what}`);
      }),
      RUNS,
    );
  });

  it("sbg: survival and retention in [0, 1], lifetimes finite and >= 0 (d > 0), LL finite", () => {
    const curve = fc
      .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 })
      .map((fractions) => {
        const survivors = [10_000];
        for (const f of fractions) survivors.push(Math.floor(survivors[survivors.length - 1]! * f));
        return survivors;
      });
    fc.assert(
      fc.property(param, param, curve, fc.integer({ min: 0, max: 10_000 }), (alpha, beta, survivors, t) => {
        const what = `sbg ${JSON.stringify({ alpha, beta })} t ${t}`;
        const pr = sbgPredictor({ alpha, beta });
        assertProbability(pr.survival(t), `survival ${what}`);
        assertProbability(pr.retentionRate(Math.max(1, t)), `retention ${what}`);
        assertProbability(pr.churnProbability(Math.max(1, t)), `churn ${what}`);
        assertFiniteNonNegative(pr.expectedLifetimeWithin(t), `lifetime within ${what}`);
        assertFiniteNonNegative(pr.discountedExpectedLifetime(0.1), `discounted lifetime ${what}`);
        assertFiniteNonNegative(pr.derl(0.1, t), `DERL ${what}`);
        const ll = sbgSpec.logLikelihood(Float64Array.of(alpha, beta), survivorData([survivors]));
        assert.ok(Number.isFinite(ll), `LL ${ll} ${what} ${survivors}`);
      }),
      RUNS,
    );
  });

  it("gamma-gamma: conditional expected spend finite and > 0 (q > 1), LL finite", () => {
    const spender = fc.record({ x: fc.integer({ min: 1, max: 10_000 }), zbar: logUniform(1e-3, 1e6) });
    fc.assert(
      fc.property(param, param, param, spender, (p, q, gamma, s) => {
        const what = `gamma-gamma ${JSON.stringify({ p, q, gamma })} ${JSON.stringify(s)}`;
        if (q > 1) {
          const m = gammaGammaPredictor({ p, q, gamma }).conditionalExpectedSpend(s.x, s.zbar);
          assert.ok(Number.isFinite(m) && m > 0, `E[M] ${m} ${what}`);
        }
        const g = new Float64Array(3);
        const data = { x: Float64Array.of(s.x), zbar: Float64Array.of(s.zbar) };
        const ll = gammaGammaSpec.logLikelihood(Float64Array.of(p, q, gamma), data, g);
        assert.ok(Number.isFinite(ll), `LL ${ll} ${what}`);
        for (const v of g) assert.ok(Number.isFinite(v), `gradient ${g} ${what}`);
      }),
      RUNS,
    );
  });
});
