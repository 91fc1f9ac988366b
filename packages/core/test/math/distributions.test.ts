import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chiSquareUpperTail } from "../../src/math/distributions.ts";
import { chiSquareUpperTail as fromCovariates } from "../../src/models/covariates/chi-square.ts";

describe("chiSquareUpperTail (P(chi2_df > x), regularised upper incomplete gamma)", () => {
  it("matches mpmath gammainc(df/2, x/2, inf, regularized=True) at 30 digits (1e-12 relative; 1e-10 at df 1e5)", () => {
    for (const [x, df, want] of [
      // The textbook 5% critical values (A&S table 26.8): 3.841459 (1 df), 5.991465 (2 df).
      [3.841459, 1, 0.049999994653195766],
      [5.991465, 2, 0.04999998867770083],
      [3.841458820694124, 1, 0.05000000000000006],
      [5.991464547107979, 2, 0.05000000000000007],
      [124.342113404, 100, 0.050000000000025746],
      // Large df: the median sits near df (series side, continued-fraction side and far tail).
      [1000, 1000, 0.49405285382923964],
      [1100, 1000, 0.014614408126295194],
      [900, 1000, 0.98928276190871026],
      [1e5, 1e5, 0.49940529189520669],
      [0.5, 7, 0.99944648139042497],
      [1e-10, 1, 0.9999920211543921],
      [1e-3, 4, 0.9999998750416589],
    ] as const) {
      const got = chiSquareUpperTail(x, df);
      // At df = 1e5 the prefix a ln h - h - lgamma(a) subtracts terms of size 5e5, so its rounding
      // (~5e5 x 1e-16) limits the result to ~1e-11 relative (measured 1.9e-11): ample for a p-value.
      const tol = df >= 1e4 ? 1e-10 : 1e-12;
      assert.ok(Math.abs(got - want) <= tol * want, `Q(${df}/2, ${x}/2): ${got} vs ${want}`);
    }
  });

  it("is 1 without evidence, 0 at infinity and underflows to 0 (never NaN) far in the tail", () => {
    assert.equal(chiSquareUpperTail(0, 2), 1);
    assert.equal(chiSquareUpperTail(Number.NaN, 2), 1);
    assert.equal(chiSquareUpperTail(5, 0), 1);
    assert.equal(chiSquareUpperTail(Number.POSITIVE_INFINITY, 3), 0);
    // mpmath: 1.81e-433, below the smallest double.
    assert.equal(chiSquareUpperTail(2000, 3), 0);
  });

  it("is the function the covariate models use (re-exported from their old place)", () => {
    assert.equal(fromCovariates, chiSquareUpperTail);
  });
});
