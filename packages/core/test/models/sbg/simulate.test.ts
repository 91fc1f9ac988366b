import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitModel } from "../../../src/fit/fit.ts";
import { survivorData, validateSurvivors } from "../../../src/models/sbg/data.ts";
import { sbgSurvival } from "../../../src/models/sbg/predict.ts";
import { simulateSbgCohort, simulateSbgLifetimes } from "../../../src/models/sbg/simulate.ts";
import { sbgSpec } from "../../../src/models/sbg/spec.ts";

const REGULAR = { alpha: 0.704, beta: 1.182 };

describe("sBG simulator", () => {
  it("simulate-then-fit recovers alpha, beta within 3 standard errors (3 cohorts of different ages, 100k customers)", () => {
    const cohorts = [
      simulateSbgCohort(REGULAR, 40_000, 12, 1),
      simulateSbgCohort(REGULAR, 30_000, 8, 2),
      simulateSbgCohort(REGULAR, 30_000, 4, 3),
    ];
    const data = survivorData(cohorts);
    assert.deepEqual(validateSurvivors(data, "sbg"), []);
    const fit = fitModel(sbgSpec, data);
    assert.equal(fit.converged, true, fit.reason);
    for (const k of ["alpha", "beta"] as const) {
      const z = (fit.params[k]! - REGULAR[k]) / fit.standardErrors[k]!;
      assert.ok(Math.abs(z) < 3, `${k}: ${fit.params[k]} vs ${REGULAR[k]}, z ${z}`);
    }
  });

  it("simulated survivor shares follow S(t) (Fader & Hardie 2007, eq. 3)", () => {
    const N = 100_000;
    const curve = simulateSbgCohort(REGULAR, N, 10, 9);
    assert.equal(curve[0], N);
    for (let t = 1; t <= 10; t++) {
      const s = sbgSurvival(REGULAR, t);
      const sd = Math.sqrt(N * s * (1 - s));
      assert.ok(Math.abs(curve[t]! - N * s) < 4 * sd, `t = ${t}: ${curve[t]} vs ${N * s}`);
    }
  });

  it("lifetimes are whole periods >= 1 and reproducible for a seed", () => {
    const a = simulateSbgLifetimes({ alpha: 0.01, beta: 100 }, 1000, 4);
    assert.ok(a.every((t) => Number.isInteger(t) && t >= 1));
    assert.deepEqual(a, simulateSbgLifetimes({ alpha: 0.01, beta: 100 }, 1000, 4));
  });
});
