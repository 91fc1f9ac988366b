import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { fitModel } from "../../../src/fit/fit.ts";
import { lhyp2f1 } from "../../../src/math/hyp2f1.ts";
import { lgamma } from "../../../src/math/special.ts";
import { pnbdLogLikelihood } from "../../../src/models/pnbd/likelihood.ts";
import { pnbdSpec } from "../../../src/models/pnbd/spec.ts";
import { tailIntegral } from "../../../src/models/pnbd/tail-integral.ts";
import { rfmData } from "../../../src/models/rfm-data.ts";
import { cdnow, close } from "./cdnow.ts";

const P = (r: number, alpha: number, s: number, beta: number) => Float64Array.of(r, alpha, s, beta);

/**
 * Richardson-extrapolated central differences of the total log-likelihood (steps 1e-3 and 5e-4 relative):
 * truncation O(h^4) and round-off ~1e-16 |LL| / h, both far below the 1e-7 being tested.
 */
function fdGradient(p: Float64Array, d: ReturnType<typeof cdnow>): number[] {
  const central = (j: number, h: number) => {
    const up = Float64Array.from(p);
    const dn = Float64Array.from(p);
    up[j] = p[j]! + h;
    dn[j] = p[j]! - h;
    return (pnbdLogLikelihood(up, d) - pnbdLogLikelihood(dn, d)) / (2 * h);
  };
  return [0, 1, 2, 3].map((j) => {
    const h = 1e-3 * p[j]!;
    return (4 * central(j, h / 2) - central(j, h)) / 3;
  });
}

function assertGradient(p: Float64Array, d: ReturnType<typeof cdnow>, tol: number, what: string) {
  const g = new Float64Array(4);
  const ll = pnbdLogLikelihood(p, d, g);
  assert.ok(Number.isFinite(ll), `${what}: ll ${ll}`);
  const fd = fdGradient(p, d);
  // Scale: the gradient entry or, when it is near zero, the size of the likelihood per unit parameter.
  for (let j = 0; j < 4; j++) {
    const scale = Math.max(Math.abs(fd[j]!), Math.abs(ll / p[j]!) * 1e-3);
    const err = Math.abs(g[j]! - fd[j]!) / scale;
    assert.ok(
      err < tol,
      `${what} d/d${["r", "alpha", "s", "beta"][j]}: ${g[j]} vs FD ${fd[j]} (${err.toExponential(2)})`,
    );
  }
}

describe("Pareto/NBD log-likelihood", () => {
  const data = cdnow();

  it("fits CDNOW to r 0.5533, alpha 10.578, s 0.6062, beta 11.67, LL -9594.98 (Fader, Hardie & Lee 2005 / Fader & Hardie 2005 note)", () => {
    const fit = fitModel(pnbdSpec, data, { timeUnit: "week" });
    assert.equal(fit.converged, true, fit.reason);
    close(fit.params.r!, 0.5533, 2e-4, "r");
    close(fit.params.alpha!, 10.578, 2e-4, "alpha");
    close(fit.params.s!, 0.6062, 5e-4, "s");
    close(fit.params.beta!, 11.67, 1e-3, "beta");
    assert.ok(Math.abs(fit.logLikelihood - -9594.98) < 0.01, `LL ${fit.logLikelihood}`);
    // Standard errors as published for this data (issue reference values from fitModel's delta method).
    close(fit.standardErrors.r!, 0.0476, 0.01, "se r");
    close(fit.standardErrors.alpha!, 0.843, 0.01, "se alpha");
    close(fit.standardErrors.s!, 0.187, 0.01, "se s");
    close(fit.standardErrors.beta!, 6.21, 0.01, "se beta");
  });

  it("analytic gradient agrees with finite differences to 1e-7 on CDNOW for alpha > beta, alpha < beta and alpha = beta", () => {
    assertGradient(P(0.5533, 10.578, 0.6062, 11.67), data, 1e-7, "CDNOW optimum (alpha < beta)");
    assertGradient(P(0.5533, 14, 0.6062, 6), data, 1e-7, "alpha > beta");
    assertGradient(P(0.7, 9, 1.3, 9), data, 1e-7, "alpha = beta exactly");
    assertGradient(P(0.3, 0.05, 0.4, 60), data, 1e-7, "z near 1 (quadrature branch), alpha << beta");
    assertGradient(P(2.5, 80, 0.2, 0.02), data, 1e-7, "z near 1 (quadrature branch), alpha >> beta");
    assertGradient(P(1, 10, 1, 10.000001), data, 1e-7, "alpha within 1e-7 of beta");
  });

  it("is continuous across alpha = beta (the Fader-Hardie branch switch and its limit)", () => {
    const at = pnbdLogLikelihood(P(0.55, 11, 0.6, 11), data);
    const above = pnbdLogLikelihood(P(0.55, 11 * (1 + 1e-9), 0.6, 11), data);
    const below = pnbdLogLikelihood(P(0.55, 11 * (1 - 1e-9), 0.6, 11), data);
    assert.ok(Math.abs(at - above) < 1e-6 && Math.abs(at - below) < 1e-6, `${below} ${at} ${above}`);
  });

  it("agrees between the series and the quadrature evaluation of the tail integral", () => {
    // z = 0.9 +- epsilon sits on the switch; both sides must agree to ~1e-12 in ln J.
    const out1 = new Float64Array(5);
    const out2 = new Float64Array(5);
    const beta = 1;
    const alpha = 10; // z = (alpha - beta)/(alpha + u) = 0.9 at u = 0
    tailIntegral(0.7, alpha, 0.9, beta, 3, 0, out2); // z = 0.9: series edge
    tailIntegral(0.7, alpha, 0.9, beta * (1 - 1e-12), 3, 0, out1); // z just above: quadrature
    for (let j = 0; j < 5; j++)
      assert.ok(
        Math.abs(out1[j]! - out2[j]!) < 1e-9 * (1 + Math.abs(out2[j]!)),
        `${j}: ${out1[j]} vs ${out2[j]}`,
      );
  });

  it("weighted compressed rows give exactly the expanded likelihood and gradient", () => {
    const expanded = rfmData([0, 0, 0, 3, 3, 7], [0, 0, 0, 10, 10, 30], [39, 39, 20, 39, 39, 31]);
    const weighted = rfmData([0, 0, 3, 7], [0, 0, 10, 30], [39, 20, 39, 31], [2, 1, 2, 1]);
    const p = P(0.55, 10.6, 0.61, 11.7);
    const g1 = new Float64Array(4);
    const g2 = new Float64Array(4);
    const a = pnbdLogLikelihood(p, expanded, g1);
    const b = pnbdLogLikelihood(p, weighted, g2);
    assert.ok(Math.abs(a - b) < 1e-12 * Math.abs(a), `${a} vs ${b}`);
    for (let j = 0; j < 4; j++) assert.ok(Math.abs(g1[j]! - g2[j]!) < 1e-10 * (1 + Math.abs(g1[j]!)));
    // Range split sums to the total (what a worker pool relies on).
    const g3 = new Float64Array(4);
    const g4 = new Float64Array(4);
    const split = pnbdLogLikelihood(p, expanded, g3, 0, 2) + pnbdLogLikelihood(p, expanded, g4, 2, 6);
    assert.ok(Math.abs(split - a) < 1e-12 * Math.abs(a));
    for (let j = 0; j < 4; j++)
      assert.ok(Math.abs(g3[j]! + g4[j]! - g1[j]!) < 1e-10 * (1 + Math.abs(g1[j]!)));
  });

  it("stays finite at the extreme published inputs (10.465, 0.00798565181, 3.0516, 2.820), x 400/500/500 (lifetimes issue)", () => {
    const d = rfmData([400, 500, 500], [5, 1, 4], [6, 37, 37]);
    const p = P(10.465, 0.00798565181, 3.0516, 2.82);
    const g = new Float64Array(4);
    const ll = pnbdLogLikelihood(p, d, g);
    // A density in t_x, so it can exceed 1 (ln L > 0) when alpha is tiny (a very high purchase rate).
    assert.ok(Number.isFinite(ll), `${ll}`);
    assert.ok(g.every(Number.isFinite), `${g}`);
    assertGradient(p, d, 1e-6, "extreme");
  });

  it("handles x = 10,000, t_x = T and alpha = beta exactly without NaN", () => {
    const d = rfmData([10_000, 5, 0], [50, 20, 0], [52, 20, 52]);
    for (const p of [P(0.55, 10.6, 0.61, 11.7), P(0.55, 11.7, 0.61, 10.6), P(0.55, 11, 0.61, 11)]) {
      const g = new Float64Array(4);
      const ll = pnbdLogLikelihood(p, d, g);
      assert.ok(Number.isFinite(ll) && g.every(Number.isFinite), `${ll} ${g}`);
      assertGradient(p, d, 1e-6, `x = 10,000 at ${p}`);
    }
  });

  it("returns -Infinity for parameters outside (0, inf)", () => {
    assert.equal(pnbdLogLikelihood(P(0, 1, 1, 1), data), Number.NEGATIVE_INFINITY);
    assert.equal(pnbdLogLikelihood(P(1, Number.NaN, 1, 1), data), Number.NEGATIVE_INFINITY);
  });

  it("property: finite log-likelihood and gradient over wide random parameters and data", () => {
    const pos = (min: number, max: number) =>
      fc.double({ min: Math.log(min), max: Math.log(max), noNaN: true }).map((v) => Math.exp(v));
    const row = fc.tuple(
      fc.integer({ min: 0, max: 20_000 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      pos(1e-2, 1e4),
    );
    fc.assert(
      fc.property(
        pos(1e-3, 1e3),
        pos(1e-3, 1e4),
        pos(1e-3, 1e3),
        pos(1e-3, 1e4),
        fc.array(row, { minLength: 1, maxLength: 8 }),
        (r, alpha, s, beta, rows) => {
          const d = rfmData(
            rows.map(([x]) => x),
            rows.map(([x, f, T]) => (x === 0 ? 0 : f * T)),
            rows.map(([, , T]) => T),
          );
          const g = new Float64Array(4);
          const ll = pnbdLogLikelihood(P(r, alpha, s, beta), d, g);
          assert.ok(Number.isFinite(ll), `LL ${ll}`);
          assert.ok(g.every(Number.isFinite), `gradient ${g}`);
        },
      ),
      { numRuns: 400, seed: 20261122 },
    );
  });

  it("row loop (linear-space fast path) equals eq. 22 evaluated term by term in log space", () => {
    const p = P(0.5533, 10.578, 0.6062, 11.67);
    const [r, alpha, s, beta] = [0.5533, 10.578, 0.6062, 11.67];
    const out = new Float64Array(5);
    let expected = 0;
    for (let i = 0; i < data.x.length; i++) {
      const x = data.x[i]!;
      const tx = data.t_x[i]!;
      const T = data.T[i]!;
      tailIntegral(r, alpha, s, beta, x, tx, out);
      const lJtx = out[0]!;
      tailIntegral(r, alpha, s, beta, x, T, out);
      const lJT = out[0]!;
      const L1 = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
      const L2 =
        lJT < lJtx ? Math.log(s) + lJtx + Math.log(-Math.expm1(lJT - lJtx)) : Number.NEGATIVE_INFINITY;
      const top = Math.max(L1, L2);
      expected +=
        lgamma(r + x) -
        lgamma(r) +
        r * Math.log(alpha) +
        s * Math.log(beta) +
        top +
        Math.log(Math.exp(L1 - top) + Math.exp(L2 - top));
    }
    const ll = pnbdLogLikelihood(p, data);
    assert.ok(Math.abs(ll - expected) < 1e-11 * Math.abs(expected), `${ll} vs ${expected}`);
  });

  it("tail integral equals the Fader-Hardie note's 2F1 branches (eq. 19-21) computed by math/hyp2f1", () => {
    // (r+s+x) J(u) = 2F1(a, s+1; a+1; (α-β)/(α+u)) / (α+u)^a for α >= β, 2F1(a, r+x; a+1; (β-α)/(β+u)) / (β+u)^a else.
    const out = new Float64Array(5);
    const cases: [number, number, number, number, number, number][] = [
      [0.5533, 10.578, 0.6062, 11.67, 2, 30.43],
      [0.5533, 14, 0.6062, 6, 7, 12],
      [0.3, 0.05, 0.4, 60, 0, 0],
      [2.5, 80, 0.2, 0.02, 5, 0.5],
      [10.465, 0.00798565181, 3.0516, 2.82, 400, 5],
      [0.7, 9, 1.3, 9, 3, 20],
    ];
    for (const [r, alpha, s, beta, x, u] of cases) {
      tailIntegral(r, alpha, s, beta, x, u, out);
      const a = r + s + x;
      const ref =
        alpha >= beta
          ? lhyp2f1(a, s + 1, a + 1, (alpha - beta) / (alpha + u)).log - a * Math.log(alpha + u)
          : lhyp2f1(a, r + x, a + 1, (beta - alpha) / (beta + u)).log - a * Math.log(beta + u);
      const mine = Math.log(a) + out[0]!;
      assert.ok(
        Math.abs(mine - ref) < 1e-11 * Math.max(1, Math.abs(ref)),
        `${[r, alpha, s, beta, x, u]}: ${mine} vs ${ref}`,
      );
    }
  });

  it("property: analytic gradient agrees with finite differences over wide random parameters and data", () => {
    const pos = (min: number, max: number) =>
      fc.double({ min: Math.log(min), max: Math.log(max), noNaN: true }).map((v) => Math.exp(v));
    const row = fc.tuple(
      fc.integer({ min: 0, max: 2000 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      pos(0.1, 1e3),
    );
    fc.assert(
      fc.property(
        pos(1e-2, 1e2),
        pos(1e-2, 1e3),
        pos(1e-2, 1e2),
        pos(1e-2, 1e3),
        fc.array(row, { minLength: 1, maxLength: 6 }),
        (r, alpha, s, beta, rows) => {
          const d = rfmData(
            rows.map(([x]) => x),
            rows.map(([x, f, T]) => (x === 0 ? 0 : f * T)),
            rows.map(([, , T]) => T),
          );
          const p = P(r, alpha, s, beta);
          const g = new Float64Array(4);
          const ll = pnbdLogLikelihood(p, d, g);
          const fd = fdGradient(p, d);
          for (let j = 0; j < 4; j++) {
            const scale = Math.max(Math.abs(fd[j]!), Math.abs(g[j]!), (Math.abs(ll) / p[j]!) * 1e-4);
            assert.ok(Math.abs(fd[j]! - g[j]!) <= 1e-6 * scale, `d/dp${j}: ${g[j]} vs FD ${fd[j]}`);
          }
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });
});
