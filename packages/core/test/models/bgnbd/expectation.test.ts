import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { integrate } from "../../../src/math/quadrature.ts";
import { lbeta } from "../../../src/math/special.ts";
import {
  bgExpectedGivenAlive,
  bgExpectedGivenAliveByQuadrature,
  bgnbdPredictor,
  bgnbdSpec,
} from "../../../src/models/bgnbd/index.ts";
import { mbgnbdPredictor, mbgnbdSpec } from "../../../src/models/mbgnbd/index.ts";
import { rfmData } from "../../../src/models/rfm-data.ts";

/** Plain Gauss series for 2F1 (test-side, independent of the Euler-transformed series under test). */
function hyp2f1Plain(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 200_000; k++) {
    term *= ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return sum;
}

/** FHL (2005) eq. 10's bracket exactly as printed: needs a != 1 and c = a + bPost - 1 > 0. */
function bracketAsPrinted(A: number, a: number, bPost: number, beta: number, t: number): number {
  const c = a + bPost - 1;
  return (c / (a - 1)) * (1 - (beta / (beta + t)) ** A * hyp2f1Plain(A, bPost, c, t / (beta + t)));
}

/**
 * E over p ~ Beta(a, bPost) of (1 - (1 + p t/beta)^-A)/p, by brute-force quadrature. The Beta density's
 * endpoint singularities are removed by p = s^(1/a) near 0 and 1 - p = v^(1/bPost) near 1, and the
 * range is cut at many points so each piece is smooth.
 */
function bruteForce(A: number, a: number, bPost: number, beta: number, t: number): number {
  const u = t / beta;
  const lb = lbeta(a, bPost);
  const g = (p: number) => (p > 0 ? -Math.expm1(-A * Math.log1p(p * u)) / p : A * u);
  const left = (s: number) => {
    const p = s ** (1 / a);
    return (g(p) * Math.exp((bPost - 1) * Math.log1p(-p) - lb)) / a;
  };
  const right = (v: number) => {
    const q = v ** (1 / bPost);
    return (g(1 - q) * Math.exp((a - 1) * Math.log1p(-q) - lb)) / bPost;
  };
  const piecewise = (f: (v: number) => number, hi: number) => {
    let s = 0;
    let lo = 0;
    for (const cut of [1e-12, 1e-9, 1e-6, 1e-4, 1e-3, 1e-2, 0.1, 0.3, 1].map((c) => c * hi)) {
      s += integrate(f, lo, cut, { relTol: 1e-13 });
      lo = cut;
    }
    return s;
  };
  return piecewise(left, 0.5 ** a) + (0.5 ** bPost > 0 ? piecewise(right, 0.5 ** bPost) : 0);
}

function close(actual: number, expected: number, relTol: number, what: string) {
  const err = Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(err <= relTol, `${what}: ${actual} vs ${expected} (relative error ${err.toExponential(2)})`);
}

describe("expected purchases given alive (FHL 2005 eq. 10 bracket)", () => {
  it("equals the printed hypergeometric formula where it is regular, for z from 0.1 to 0.99", () => {
    for (const [A, a, bPost, beta] of [
      [0.2426, 0.793, 2.426, 4.4137],
      [26.24, 0.793, 28.43, 35.41],
      [3, 2.5, 4, 10],
      [0.7, 5, 0.9, 1],
    ] as const) {
      for (const t of [0.1 * beta, beta, 5 * beta, 19 * beta, 30 * beta, 99 * beta]) {
        const expected = bracketAsPrinted(A, a, bPost, beta, t);
        close(
          bgExpectedGivenAlive(A, a, bPost, beta, t),
          expected,
          1e-9,
          `A ${A} a ${a} b' ${bPost} t/beta ${t / beta}`,
        );
      }
    }
  });

  it("is continuous through the removable singularity a = 1", () => {
    for (const t of [1, 52, 2000]) {
      const at1 = bgExpectedGivenAlive(2.2, 1, 3.4, 20, t);
      const mid =
        0.5 *
        (bgExpectedGivenAlive(2.2, 1 + 1e-5, 3.4, 20, t) + bgExpectedGivenAlive(2.2, 1 - 1e-5, 3.4, 20, t));
      close(at1, mid, 1e-8, `t ${t}`);
      close(at1, bruteForce(2.2, 1, 3.4, 20, t), 1e-8, `brute force, t ${t}`);
    }
  });

  it("handles c = a + b - 1 <= 0 (a + b < 1, x = 0), matching brute-force quadrature", () => {
    for (const [a, b] of [
      [0.3, 0.4],
      [0.4, 0.6],
      [0.05, 0.1],
      [0.9, 0.1],
    ] as const) {
      for (const t of [0.5, 4, 52, 500, 5e4]) {
        const g = bgExpectedGivenAlive(0.25, a, b, 4, t);
        close(g, bruteForce(0.25, a, b, 4, t), 1e-8, `a ${a} b ${b} t ${t}`);
      }
    }
  });

  it("tends to E[1/p] = (a + b + x - 1)/(a - 1) as t grows (a > 1), infinite for a <= 1", () => {
    close(bgExpectedGivenAlive(3, 2.5, 4, 10, Number.POSITIVE_INFINITY), 5.5 / 1.5, 1e-15, "t = Infinity");
    close(bgExpectedGivenAlive(3, 2.5, 4, 10, 1e9), 5.5 / 1.5, 1e-6, "t = 1e9");
    assert.equal(bgExpectedGivenAlive(3, 0.8, 4, 10, Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
  });

  it("stays finite and accurate for x = 10,000", () => {
    const g = bgExpectedGivenAlive(0.25 + 1e4, 0.8, 2.5 + 1e4, 4 + 40, 52);
    close(g, bruteForce(0.25 + 1e4, 0.8, 2.5 + 1e4, 44, 52), 1e-8, "x = 1e4");
    const far = bgExpectedGivenAlive(0.25 + 1e4, 0.8, 2.5 + 1e4, 4.01, 5e4);
    assert.ok(Number.isFinite(far) && far > 0, `${far}`);
  });
});

describe("expected purchases given alive: every route against the quadrature reference", () => {
  it("the quadrature reference is exact where a closed form exists: A = a = bPost = 1 gives ln(1 + t/beta)", () => {
    for (const t of [0.5, 5, 20, 1e3, 1e6]) {
      close(bgExpectedGivenAliveByQuadrature(1, 1, 1, 10, t), Math.log1p(t / 10), 1e-12, `t ${t}`);
      close(bgExpectedGivenAlive(1, 1, 1, 10, t), Math.log1p(t / 10), 1e-12, `t ${t} (production route)`);
    }
  });

  it("agrees to 1e-7 over 600 random extreme inputs (A 0.01-3000, a 0.02-50, bPost 0.02-3000, z up to 1 - 1e-7)", () => {
    let seed = 20261122;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const lu = (lo: number, hi: number) => Math.exp(Math.log(lo) + rnd() * (Math.log(hi) - Math.log(lo)));
    let worst = 0;
    for (let i = 0; i < 600; i++) {
      const [A, a, b, beta] = [lu(0.01, 3000), lu(0.02, 50), lu(0.02, 3000), lu(0.01, 1000)];
      const z = i % 3 === 0 ? 1 - lu(1e-7, 0.05) : i % 3 === 1 ? 0.95 * rnd() : 1 - lu(0.05, 0.5);
      const t = (beta * z) / (1 - z);
      const g = bgExpectedGivenAlive(A, a, b, beta, t);
      const ref = bgExpectedGivenAliveByQuadrature(A, a, b, beta, t);
      const err = Math.abs(g - ref) / ref;
      worst = Math.max(worst, err);
      assert.ok(err <= 1e-7, `A ${A} a ${a} b' ${b} beta ${beta} z ${z}: ${g} vs ${ref}`);
    }
    assert.ok(worst < 1e-7);
  });
});

describe("BG/NBD and MBG/NBD never return NaN or Inf (property test over wide random inputs)", () => {
  const logUniform = (lo: number, hi: number) =>
    fc.double({ min: Math.log(lo), max: Math.log(hi), noNaN: true }).map((v) => Math.exp(v));
  const params = fc.record({
    r: logUniform(1e-3, 1e3),
    alpha: logUniform(1e-3, 1e3),
    a: logUniform(1e-3, 1e3),
    b: logUniform(1e-3, 1e3),
  });
  const customer = fc
    .record({
      x: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 10_000 })),
      T: logUniform(1e-2, 1e3),
      frac: fc.double({ min: 0, max: 1, noNaN: true }),
      t: logUniform(1e-3, 1e4),
    })
    .map(({ x, T, frac, t }) => ({ x, T, t_x: x === 0 ? 0 : frac * T, t }));

  for (const [name, predictor, spec] of [
    ["bgnbd", bgnbdPredictor, bgnbdSpec],
    ["mbgnbd", mbgnbdPredictor, mbgnbdSpec],
  ] as const) {
    it(`${name}: P(alive) in [0, 1], CET and E[X(t)] finite and >= 0, log-likelihood and gradient finite`, () => {
      fc.assert(
        fc.property(params, customer, (p, c) => {
          const pr = predictor(p);
          const alive = pr.pAlive(c.x, c.t_x, c.T);
          assert.ok(alive >= 0 && alive <= 1, `P(alive) ${alive}`);
          const cet = pr.conditionalExpectedPurchases(c.t, c.x, c.t_x, c.T);
          assert.ok(Number.isFinite(cet) && cet >= 0, `CET ${cet}`);
          const ex = pr.expectedPurchases(c.t);
          assert.ok(Number.isFinite(ex) && ex >= 0, `E[X] ${ex}`);
          const pmf = pr.probabilityOfPurchases(Math.min(c.x, 50), c.t);
          assert.ok(pmf >= 0 && pmf <= 1, `pmf ${pmf}`);
          const g = new Float64Array(4);
          const ll = spec.logLikelihood(
            Float64Array.of(p.r, p.alpha, p.a, p.b),
            rfmData([c.x], [c.t_x], [c.T]),
            g,
          );
          assert.ok(Number.isFinite(ll), `LL ${ll}`);
          for (const v of g) assert.ok(Number.isFinite(v), `gradient ${g}`);
        }),
        { numRuns: 400, seed: 20261122 },
      );
    });
  }
});
