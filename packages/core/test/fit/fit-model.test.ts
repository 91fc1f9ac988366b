import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { issue, ValuecastError } from "../../src/errors/issues.ts";
import { fitModel } from "../../src/fit/fit.ts";
import type { ModelSpec } from "../../src/fit/spec.ts";

/** Normal(mu, sigma) MLE: closed-form answer and standard errors sigma/sqrt(n), sigma/sqrt(2n). */
const normalSpec: ModelSpec<Float64Array> = {
  name: "normal",
  reference: "textbook",
  params: [
    { name: "mu", transform: "identity" },
    { name: "sigma", transform: "log" },
  ],
  validate: (d) => (d.length > 1 ? [] : [issue("NOT_ENOUGH_DATA", "need 2 values")]),
  count: (d) => d.length,
  rows: (d) => d.length,
  starts: () => [[0, 1]],
  logLikelihood(p, d, g) {
    const mu = p[0]!;
    const s = p[1]!;
    let ll = 0;
    let dmu = 0;
    let ds = 0;
    for (const v of d) {
      const z = (v - mu) / s;
      ll += -0.5 * Math.log(2 * Math.PI) - Math.log(s) - 0.5 * z * z;
      dmu += z / s;
      ds += -1 / s + (z * z) / s;
    }
    if (g) {
      g[0] = dmu;
      g[1] = ds;
    }
    return ll;
  },
};

describe("fitModel (generic pipeline)", () => {
  const data = Float64Array.from(
    { length: 1000 },
    (_, i) => 5 + 2 * Math.sin(i * 1.7) + 0.5 * Math.cos(i * 0.31),
  );
  const n = data.length;
  const mean = data.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(data.reduce((a, b) => a + (b - mean) ** 2, 0) / n);

  it("recovers the closed-form MLE and its standard errors", () => {
    const r = fitModel(normalSpec, data, { timeUnit: "week" });
    assert.equal(r.converged, true, r.reason);
    assert.ok(Math.abs(r.params.mu! - mean) < 1e-9, `mu ${r.params.mu} vs ${mean}`);
    assert.ok(Math.abs(r.params.sigma! - sd) < 1e-9);
    assert.ok(Math.abs(r.standardErrors.mu! - sd / Math.sqrt(n)) < 1e-6);
    assert.ok(Math.abs(r.standardErrors.sigma! - sd / Math.sqrt(2 * n)) < 1e-6);
    assert.equal(r.n, n);
    assert.equal(r.timeUnit, "week");
    assert.ok(Object.isFrozen(r) && Object.isFrozen(r.params));
    assert.ok(Math.abs(r.aic - (4 - 2 * r.logLikelihood)) < 1e-9);
  });

  it("skips the Hessian with standardErrors: false: same parameters and log-likelihood, no standard errors", () => {
    let calls = 0;
    const counted: ModelSpec<Float64Array> = {
      ...normalSpec,
      logLikelihood: (p, d, g) => {
        calls++;
        return normalSpec.logLikelihood(p, d, g);
      },
    };
    const full = fitModel(counted, data);
    const withSe = calls;
    calls = 0;
    const r = fitModel(counted, data, { standardErrors: false });
    assert.deepEqual(r.params, full.params);
    assert.equal(r.logLikelihood, full.logLikelihood);
    assert.equal(r.iterations, full.iterations);
    assert.deepEqual(r.standardErrors, { mu: null, sigma: null });
    assert.equal(r.covariance, null);
    // The Hessian differences the gradient twice per parameter (k = 2): four evaluations saved.
    assert.equal(withSe - calls, 4);
  });

  it("shrinks towards zero with an L2 penalty", () => {
    const r = fitModel(normalSpec, data, { l2: 100 });
    assert.ok(r.params.mu! < mean - 0.01);
  });

  it("throws every validation issue as data", () => {
    assert.throws(
      () => fitModel(normalSpec, Float64Array.of(1)),
      (e: unknown) => e instanceof ValuecastError && e.issues[0]?.code === "NOT_ENOUGH_DATA",
    );
  });

  it("uses a warm start on a subsample for very large inputs and reaches the same optimum", () => {
    const spec = {
      ...normalSpec,
      subsample: (d: Float64Array, stride: number) => d.filter((_, i) => i % stride === 0),
    };
    const r = fitModel(spec, data, { warmStartRows: 100 });
    assert.equal(r.converged, true);
    assert.ok(Math.abs(r.params.mu! - mean) < 1e-9);
  });
});
