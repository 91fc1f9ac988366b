import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitModel } from "../../../src/fit/fit.ts";
import { validateDiscreteRf } from "../../../src/models/bgbb/data.ts";
import {
  bgbbConditionalExpectedTransactions,
  bgbbExpectedTransactions,
  bgbbPAlive,
  bgbbProbabilityOfTransactions,
} from "../../../src/models/bgbb/predict.ts";
import { simulateBgbb } from "../../../src/models/bgbb/simulate.ts";
import { bgbbSpec } from "../../../src/models/bgbb/spec.ts";
import { PUBLISHED } from "./donations.ts";

describe("BG/BB simulator", () => {
  it("simulate-then-fit recovers the donation parameters within 3 standard errors (100k customers, n = 6)", () => {
    const sim = simulateBgbb(PUBLISHED, 100_000, 6, { seed: 2010 });
    assert.deepEqual(validateDiscreteRf(sim.data, "bgbb"), []);
    const fit = fitModel(bgbbSpec, sim.data);
    assert.equal(fit.converged, true, fit.reason);
    assert.ok(fit.rows <= 22, `compressed to ${fit.rows} patterns`);
    for (const k of ["alpha", "beta", "gamma", "delta"] as const) {
      const se = fit.standardErrors[k]!;
      const z = (fit.params[k]! - PUBLISHED[k]) / se;
      assert.ok(Math.abs(z) < 3, `${k}: ${fit.params[k]} vs ${PUBLISHED[k]}, SE ${se}, z ${z}`);
    }
  });

  it("simulated frequencies match P(X(n) = x) (eq. 6) and the mean matches E[X(n)] (eq. 7)", () => {
    const N = 50_000;
    const sim = simulateBgbb(PUBLISHED, N, 10, { seed: 3 });
    const counts = new Float64Array(11);
    let total = 0;
    for (const x of sim.data.x) {
      counts[x] = counts[x]! + 1;
      total += x;
    }
    for (let x = 0; x <= 10; x++) {
      const q = bgbbProbabilityOfTransactions(PUBLISHED, x, 10);
      const sd = Math.sqrt((N * q * (1 - q)) | 1);
      assert.ok(Math.abs(counts[x]! - N * q) < 4 * sd + 1, `x = ${x}: ${counts[x]} vs ${N * q}`);
    }
    const mean = total / N;
    assert.ok(Math.abs(mean - bgbbExpectedTransactions(PUBLISHED, 10)) < 0.05, `${mean}`);
  });

  it("holdout counts match CET (eq. 13) and alive shares match P(alive) (eq. 11) for a common history", () => {
    const sim = simulateBgbb(PUBLISHED, 200_000, 6, { seed: 11, holdout: 5 });
    // Customers with (x, t_x) = (6, 6) and (0, 0).
    for (const [x, tx] of [
      [6, 6],
      [0, 0],
      [3, 5],
    ] as const) {
      let k = 0;
      let sumHoldout = 0;
      let sumAlive = 0;
      for (let i = 0; i < sim.data.x.length; i++) {
        if (sim.data.x[i] === x && sim.data.t_x[i] === tx) {
          k++;
          sumHoldout += sim.holdout[i]!;
          sumAlive += sim.aliveAfterCalibration[i]!;
        }
      }
      const cet = bgbbConditionalExpectedTransactions(PUBLISHED, 5, x, tx, 6);
      const pa = bgbbPAlive(PUBLISHED, x, tx, 6);
      assert.ok(k > 1000, `${k} customers with (${x}, ${tx})`);
      assert.ok(
        Math.abs(sumHoldout / k - cet) < 0.06 * Math.max(1, cet),
        `CET (${x},${tx}): ${sumHoldout / k} vs ${cet}`,
      );
      assert.ok(Math.abs(sumAlive / k - pa) < 0.03, `P(alive) (${x},${tx}): ${sumAlive / k} vs ${pa}`);
    }
  });

  it("is reproducible for a seed", () => {
    const a = simulateBgbb(PUBLISHED, 100, 6, { seed: 5 });
    const b = simulateBgbb(PUBLISHED, 100, 6, { seed: 5 });
    assert.deepEqual(a.data.x, b.data.x);
    assert.deepEqual(a.data.t_x, b.data.t_x);
  });
});
