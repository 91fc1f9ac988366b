import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitModel } from "../../../src/fit/fit.ts";
import { pnbdPredictor } from "../../../src/models/pnbd/predictor.ts";
import { simulatePnbd } from "../../../src/models/pnbd/simulate.ts";
import { pnbdSpec } from "../../../src/models/pnbd/spec.ts";

const TRUE = { r: 0.55, alpha: 10.6, s: 0.6, beta: 11.7 };
/** Observation lengths 26..78 weeks in whole weeks (cohorts acquired weekly). */
const weeks = (n: number) => Float64Array.from({ length: n }, (_, i) => 26 + (i % 53));

describe("Pareto/NBD simulator", () => {
  it("is reproducible for a seed and gives valid summaries", () => {
    const a = simulatePnbd(TRUE, weeks(1000), { seed: 3 });
    const b = simulatePnbd(TRUE, weeks(1000), { seed: 3 });
    assert.deepEqual(a.data.x, b.data.x);
    assert.deepEqual(a.data.t_x, b.data.t_x);
    for (let i = 0; i < 1000; i++) {
      const x = a.data.x[i]!;
      const tx = a.data.t_x[i]!;
      assert.ok(Number.isInteger(x) && x >= 0 && tx >= 0 && tx <= a.data.T[i]!);
      if (x === 0) assert.equal(tx, 0);
    }
  });

  it("simulate 100k customers, then fit: every parameter within 3 standard errors of the truth", () => {
    const sim = simulatePnbd(TRUE, weeks(100_000), { seed: 20261122 });
    const fit = fitModel(pnbdSpec, sim.data, { timeUnit: "week" });
    assert.equal(fit.converged, true, fit.reason);
    for (const name of ["r", "alpha", "s", "beta"] as const) {
      const se = fit.standardErrors[name]!;
      const z = Math.abs(fit.params[name]! - TRUE[name]) / se;
      assert.ok(z < 3, `${name}: ${fit.params[name]} vs ${TRUE[name]} (se ${se}, z ${z.toFixed(2)})`);
    }
  });

  it("predictions at the true parameters match simulated outcomes: mean P(alive) and mean CET vs holdout", () => {
    const n = 40_000;
    const sim = simulatePnbd(TRUE, weeks(n), { seed: 11, holdout: 52 });
    const pred = pnbdPredictor(TRUE);
    let pAlive = 0;
    let alive = 0;
    let cet = 0;
    let held = 0;
    let heldSq = 0;
    for (let i = 0; i < n; i++) {
      const x = sim.data.x[i]!;
      const tx = sim.data.t_x[i]!;
      const T = sim.data.T[i]!;
      pAlive += pred.pAlive(x, tx, T);
      alive += sim.aliveAtT[i]!;
      cet += pred.conditionalExpectedPurchases(52, x, tx, T);
      held += sim.holdout[i]!;
      heldSq += sim.holdout[i]! ** 2;
    }
    // Binomial standard error of the alive share; sample standard error of the holdout mean.
    const pBar = alive / n;
    assert.ok(
      Math.abs(pAlive / n - pBar) < 4 * Math.sqrt((pBar * (1 - pBar)) / n),
      `${pAlive / n} vs ${pBar}`,
    );
    const mean = held / n;
    const se = Math.sqrt((heldSq / n - mean * mean) / n);
    assert.ok(Math.abs(cet / n - mean) < 4 * se, `CET ${cet / n} vs holdout ${mean} (se ${se})`);
  });
});
