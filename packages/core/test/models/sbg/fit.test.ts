import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValuecastError } from "../../../src/errors/issues.ts";
import { fitModel } from "../../../src/fit/fit.ts";
import { survivorData, validateSurvivors } from "../../../src/models/sbg/data.ts";
import { sbgCohortLogLikelihood, sbgLogLikelihood } from "../../../src/models/sbg/likelihood.ts";
import { sbgSpec } from "../../../src/models/sbg/spec.ts";

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);

// Fader & Hardie (2007), "How to Project Customer Retention", Table 1: survivors of 1,000 customers at the
// start of year 0 and at the end of years 1-7. The paper fits the first 7 years (the 7 churn observations
// of years 1-7 plus the survivors at the end of year 7) and projects years 8-12.
const REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241];
const HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491];

describe("sBG fit (Fader & Hardie 2007)", () => {
  it('"Regular", fitted on years 1-7 (survivors at years 0-7): alpha 0.704, beta 1.182 (Fader & Hardie 2007)', () => {
    const fit = fitModel(sbgSpec, survivorData([REGULAR]));
    assert.equal(fit.converged, true, fit.reason);
    close(fit.params.alpha!, 0.704, 5e-4, "alpha");
    close(fit.params.beta!, 1.182, 5e-4, "beta");
    assert.equal(fit.n, 1000);
    assert.equal(fit.rows, 7);
  });

  it('"High End", fitted on years 1-7 (survivors at years 0-7): alpha 0.668, beta 3.806 (Fader & Hardie 2007)', () => {
    const fit = fitModel(sbgSpec, survivorData([HIGH_END]));
    assert.equal(fit.converged, true, fit.reason);
    close(fit.params.alpha!, 0.668, 5e-4, "alpha");
    close(fit.params.beta!, 3.806, 5e-4, "beta");
    assert.ok(fit.standardErrors.alpha! > 0 && fit.standardErrors.beta! > 0);
  });

  it("LL of the High End shares at alpha = beta = 1 is -2.115 (python shifted_beta_geometric's check of eq. 9)", () => {
    close(
      sbgCohortLogLikelihood(
        { alpha: 1, beta: 1 },
        HIGH_END.map((v) => v / 1000),
      ),
      -2.115,
      1e-3,
      "LL",
    );
  });

  it("eq. 9 equals the direct sum of churn and survival log-probabilities from B() functions", () => {
    const a = 0.704;
    const b = 1.182;
    const lbeta = (x: number, y: number) => lgammaRef(x) + lgammaRef(y) - lgammaRef(x + y);
    let direct = 0;
    for (let t = 1; t < REGULAR.length; t++) {
      direct += (REGULAR[t - 1]! - REGULAR[t]!) * (lbeta(a + 1, b + t - 1) - lbeta(a, b));
    }
    direct += REGULAR[7]! * (lbeta(a, b + 7) - lbeta(a, b));
    close(sbgCohortLogLikelihood({ alpha: a, beta: b }, REGULAR), direct, 1e-9, "LL");
  });

  it("multi-cohort likelihood (Fader & Hardie, 'Fitting the sBG Model to Multi-Cohort Data') is the sum over cohorts of different ages", () => {
    const cohorts = [REGULAR, REGULAR.slice(0, 4), [800, 540, 410]];
    const p = Float64Array.of(0.9, 1.5);
    const g = new Float64Array(2);
    const total = sbgLogLikelihood(p, survivorData(cohorts), g);
    let sum = 0;
    for (const c of cohorts) sum += sbgCohortLogLikelihood({ alpha: 0.9, beta: 1.5 }, c);
    close(total, sum, 1e-9, "LL");
    const fit = fitModel(sbgSpec, survivorData(cohorts));
    assert.equal(fit.converged, true);
    assert.equal(fit.n, 2800);
    assert.equal(fit.rows, 7 + 3 + 2);
  });

  it("analytic gradient matches central differences", () => {
    const data = survivorData([REGULAR, HIGH_END.slice(0, 5)]);
    for (const point of [
      [0.704, 1.182],
      [5, 0.3],
      [0.05, 40],
    ]) {
      const p = Float64Array.from(point);
      const g = new Float64Array(2);
      sbgLogLikelihood(p, data, g);
      for (let k = 0; k < 2; k++) {
        const h = 1e-5 * point[k]!;
        const up = Float64Array.from(p);
        const down = Float64Array.from(p);
        up[k] = up[k]! + h;
        down[k] = down[k]! - h;
        const fd = (sbgLogLikelihood(up, data) - sbgLogLikelihood(down, data)) / (2 * h);
        close(g[k]!, fd, 1e-5 * Math.max(1, Math.abs(fd)), `d/dparam ${k} at ${point}`);
      }
    }
  });

  it("rejects growing curves, empty cohorts and bad counts with every issue at once", () => {
    const issues = validateSurvivors(
      survivorData([[1000, 1100], [500], [0, 0], [10, -1], [10, Number.NaN]]),
      "sbg",
    );
    assert.equal(issues.length, 5);
    assert.throws(() => fitModel(sbgSpec, survivorData([[1000, 1100]])), ValuecastError);
    assert.equal(validateSurvivors(survivorData([]), "sbg")[0]?.code, "NOT_ENOUGH_DATA");
  });

  it("returns -Infinity, never NaN, for impossible parameters and handles a cohort that all churned", () => {
    const data = survivorData([[100, 0]]);
    assert.equal(sbgLogLikelihood(Float64Array.of(0, 1), data), Number.NEGATIVE_INFINITY);
    assert.equal(sbgLogLikelihood(Float64Array.of(1, Number.NaN), data), Number.NEGATIVE_INFINITY);
    const ll = sbgLogLikelihood(Float64Array.of(1e6, 1e-6), data);
    assert.ok(Number.isFinite(ll) && ll <= 0 && ll > -1e-3, `${ll}`);
  });
});

/** Reference ln Gamma by Stirling with shift (independent of the library's Lanczos), for the direct check. */
function lgammaRef(x: number): number {
  let shift = 0;
  while (x < 30) {
    shift -= Math.log(x);
    x += 1;
  }
  const r = 1 / x;
  const series = r / 12 - r ** 3 / 360 + r ** 5 / 1260 - r ** 7 / 1680;
  return shift + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series;
}
