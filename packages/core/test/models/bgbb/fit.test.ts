import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { ValuecastError } from "../../../src/errors/issues.ts";
import { fitModel } from "../../../src/fit/fit.ts";
import { lbeta } from "../../../src/math/special.ts";
import { compressDiscreteRf, discreteRfData, validateDiscreteRf } from "../../../src/models/bgbb/data.ts";
import {
  bgbbIndividualLogLikelihood,
  bgbbLogLikelihood,
  bgbbLogLikelihoodRange,
} from "../../../src/models/bgbb/likelihood.ts";
import { bgbbSpec } from "../../../src/models/bgbb/spec.ts";
import { DONATION_ROWS, donations, PUBLISHED } from "./donations.ts";

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);

describe("BG/BB likelihood and fit", () => {
  it("the embedded fixture equals /work/shared/data/donations.csv", (t) => {
    const path = fileURLToPath(new URL("../../../../../../shared/data/donations.csv", import.meta.url));
    if (!existsSync(path)) return t.skip("shared data folder not present");
    const rows = readFileSync(path, "utf8").trim().split("\n").slice(1);
    assert.deepEqual(
      rows.map((l) => l.split(",").map(Number)),
      DONATION_ROWS.map((r) => [...r]),
    );
  });

  it("fits donations.csv to Fader, Hardie & Shang (2010): alpha 1.204, beta 0.750, gamma 0.657, delta 2.783, LL -33225.58", () => {
    const fit = fitModel(bgbbSpec, donations);
    assert.equal(fit.converged, true, fit.reason);
    close(fit.params.alpha!, 1.204, 5e-4, "alpha");
    close(fit.params.beta!, 0.75, 5e-4, "beta");
    close(fit.params.gamma!, 0.657, 5e-4, "gamma");
    close(fit.params.delta!, 2.783, 5e-4, "delta");
    close(fit.logLikelihood, -33225.58, 5e-3, "LL");
    assert.equal(fit.n, 11104);
    assert.equal(fit.rows, 22);
    for (const k of ["alpha", "beta", "gamma", "delta"]) {
      const se = fit.standardErrors[k];
      assert.ok(se !== null && se !== undefined && se > 0 && se < 1, `SE of ${k}: ${se}`);
    }
  });

  it("LL at the published estimates is -33225.58 (Fader, Hardie & Shang 2010), total = sum of individual terms", () => {
    const p = Float64Array.of(PUBLISHED.alpha, PUBLISHED.beta, PUBLISHED.gamma, PUBLISHED.delta);
    const ll = bgbbLogLikelihood(p, donations);
    close(ll, -33225.58, 0.01, "LL");
    let sum = 0;
    for (const [x, tx, n, w] of DONATION_ROWS) sum += w * bgbbIndividualLogLikelihood(PUBLISHED, x, tx, n);
    close(ll, sum, 1e-8, "row sum");
  });

  it("the individual log-likelihood equals eq. 5 written out term by term", () => {
    for (const q of [PUBLISHED, { alpha: 0.02, beta: 40, gamma: 3, delta: 0.1 }]) {
      for (const [x, tx, n] of [
        [0, 0, 6],
        [2, 4, 6],
        [6, 6, 6],
        [3, 10, 80],
        [40, 45, 200],
      ] as const) {
        let L =
          Math.exp(lbeta(q.alpha + x, q.beta + n - x) - lbeta(q.alpha, q.beta)) *
          Math.exp(lbeta(q.gamma, q.delta + n) - lbeta(q.gamma, q.delta));
        for (let i = 0; i <= n - tx - 1; i++) {
          L +=
            Math.exp(lbeta(q.alpha + x, q.beta + tx - x + i) - lbeta(q.alpha, q.beta)) *
            Math.exp(lbeta(q.gamma + 1, q.delta + tx + i) - lbeta(q.gamma, q.delta));
        }
        const ll = bgbbIndividualLogLikelihood(q, x, tx, n);
        close(ll, Math.log(L), 1e-12 * Math.max(1, Math.abs(ll)), `(${x}, ${tx}, ${n})`);
        const p = Float64Array.of(q.alpha, q.beta, q.gamma, q.delta);
        close(
          bgbbLogLikelihood(p, discreteRfData([x], [tx], [n])),
          ll,
          1e-9 * Math.max(1, Math.abs(ll)),
          "table",
        );
      }
    }
  });

  it("analytic gradient matches central differences, at several points", () => {
    for (const p of [
      [1.204, 0.75, 0.657, 2.783],
      [0.3, 5, 2.5, 0.4],
      [12, 0.2, 1, 1],
    ]) {
      const params = Float64Array.from(p);
      const g = new Float64Array(4);
      bgbbLogLikelihood(params, donations, g);
      for (let k = 0; k < 4; k++) {
        const h = 1e-4 * p[k]!;
        const up = Float64Array.from(params);
        const down = Float64Array.from(params);
        up[k] = up[k]! + h;
        down[k] = down[k]! - h;
        const fd = (bgbbLogLikelihood(up, donations) - bgbbLogLikelihood(down, donations)) / (2 * h);
        close(g[k]!, fd, 1e-4 * Math.max(1, Math.abs(fd)), `d/dparam ${k} at ${p}`);
      }
    }
  });

  it("range sums add up to the total (for splitting work across threads)", () => {
    const p = Float64Array.of(1.2, 0.7, 0.6, 2.8);
    const g = new Float64Array(4);
    const g1 = new Float64Array(4);
    const g2 = new Float64Array(4);
    const total = bgbbLogLikelihood(p, donations, g);
    const a = bgbbLogLikelihoodRange(p, donations, 0, 9, g1);
    const b = bgbbLogLikelihoodRange(p, donations, 9, 22, g2);
    close(a + b, total, 1e-8, "LL");
    for (let k = 0; k < 4; k++) close(g1[k]! + g2[k]!, g[k]!, 1e-8, `grad ${k}`);
  });

  it("weighted rows give the same LL and fit as the expanded rows", () => {
    const x: number[] = [];
    const tx: number[] = [];
    const n: number[] = [];
    for (const [xi, ti, ni, w] of DONATION_ROWS) {
      for (let j = 0; j < w; j++) {
        x.push(xi);
        tx.push(ti);
        n.push(ni);
      }
    }
    const expanded = discreteRfData(x, tx, n);
    const p = Float64Array.of(1.1, 0.8, 0.7, 2.5);
    close(bgbbLogLikelihood(p, expanded), bgbbLogLikelihood(p, donations), 1e-6, "LL");
    const compressed = compressDiscreteRf(expanded);
    assert.equal(compressed.x.length, 22);
    const fitExpanded = fitModel(bgbbSpec, expanded);
    const fitWeighted = fitModel(bgbbSpec, donations);
    for (const k of ["alpha", "beta", "gamma", "delta"])
      close(fitExpanded.params[k]!, fitWeighted.params[k]!, 1e-6, k);
  });

  it("rejects bad rows with every issue at once", () => {
    const bad = discreteRfData([1, 0, 2, 3, 1.5, 1], [0, 2, 1, 3, 2, 1], [6, 6, 6, 2, 6, 0]);
    const issues = validateDiscreteRf(bad, "bgbb");
    assert.equal(issues.length, 6);
    assert.ok(issues.every((i) => i.code === "BAD_SUMMARY_VALUE"));
    assert.throws(() => fitModel(bgbbSpec, bad), ValuecastError);
    assert.equal(validateDiscreteRf(discreteRfData([1], [1], [6], [-1]), "bgbb").length, 1);
    assert.equal(validateDiscreteRf(discreteRfData([1], [1, 2], [6]), "bgbb")[0]?.code, "INVALID_DATA");
  });

  it("returns -Infinity, never NaN, for impossible parameters", () => {
    for (const p of [
      [0, 1, 1, 1],
      [1, -1, 1, 1],
      [Number.NaN, 1, 1, 1],
      [1, 1, Number.POSITIVE_INFINITY, 1],
    ]) {
      assert.equal(bgbbLogLikelihood(Float64Array.from(p), donations), Number.NEGATIVE_INFINITY);
    }
  });
});
