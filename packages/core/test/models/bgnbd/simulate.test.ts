import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitModel } from "../../../src/fit/fit.ts";
import { bgnbdPredictor, bgnbdSpec, simulateBgnbd } from "../../../src/models/bgnbd/index.ts";
import { gammaGammaSpec, simulateGammaGamma, spendData } from "../../../src/models/gamma-gamma/index.ts";
import { mbgnbdSpec, simulateMbgnbd } from "../../../src/models/mbgnbd/index.ts";

const N = 100_000;
/** T spread evenly over 26-78 weeks, as in the benchmark population. */
const T = Float64Array.from({ length: N }, (_, i) => 26 + (52 * (i + 0.5)) / N);
/** The same on a daily grid (weeks = days / 7), as summaries of dated transactions are. */
const T_DAILY = Float64Array.from({ length: N }, (_, i) => 26 + Math.floor((364 * i) / N) / 7);

/** Rounds simulated t_x to whole days, so that fitting runs on compressed (x, t_x, T) rows (fast). */
function daily(sim: { x: Float64Array; t_x: Float64Array; T: Float64Array }) {
  const t_x = Float64Array.from(sim.t_x, (v, i) => Math.min(sim.T[i]!, Math.round(v * 7) / 7));
  return { x: sim.x, t_x, T: sim.T };
}

function withinThreeSe(fit: ReturnType<typeof fitModel>, truth: Record<string, number>) {
  assert.equal(fit.converged, true, fit.reason);
  for (const [k, v] of Object.entries(truth)) {
    const se = fit.standardErrors[k];
    assert.ok(se !== null && se !== undefined && se > 0, `no standard error for ${k}`);
    const z = Math.abs(fit.params[k]! - v) / se;
    assert.ok(z < 3, `${k}: estimate ${fit.params[k]} vs true ${v}, ${z.toFixed(2)} standard errors away`);
  }
}

describe("BG/NBD simulator (FHL 2005 story)", () => {
  const truth = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
  const sim = simulateBgnbd(truth, T, 2026);

  it("produces consistent summaries and purchase times", () => {
    for (let i = 0; i < N; i++) {
      const from = sim.offsets[i]!;
      const to = sim.offsets[i + 1]!;
      assert.equal(to - from, sim.x[i]);
      let prev = 0;
      for (let k = from; k < to; k++) {
        assert.ok(sim.times[k]! > prev && sim.times[k]! <= sim.T[i]!);
        prev = sim.times[k]!;
      }
      assert.equal(sim.t_x[i], to > from ? sim.times[to - 1] : 0);
    }
    // Same seed, same customers.
    assert.deepEqual(simulateBgnbd(truth, T.subarray(0, 50), 2026).x, sim.x.subarray(0, 50));
  });

  it("total repeat purchases match the model's E[X(T)] summed over customers", () => {
    const bg = bgnbdPredictor(truth);
    let expected = 0;
    let actual = 0;
    for (let i = 0; i < N; i += 100) {
      // Every 100th customer: E[X(T)] is smooth in T, so this is an accurate Riemann sum.
      expected += 100 * bg.expectedPurchases(T[i]!);
    }
    for (let i = 0; i < N; i++) actual += sim.x[i]!;
    assert.ok(Math.abs(actual - expected) / expected < 0.03, `${actual} vs ${expected}`);
  });

  it("simulate 100k customers (daily grid), then fit: recovers r, alpha, a, b within 3 standard errors", () => {
    withinThreeSe(fitModel(bgnbdSpec, daily(simulateBgnbd(truth, T_DAILY, 2026))), truth);
  });
});

describe("MBG/NBD simulator (Batislam et al. 2007 story)", () => {
  it("simulate 100k customers (daily grid), then fit: recovers the parameters within 3 standard errors", () => {
    const truth = { r: 0.5, alpha: 6, a: 0.9, b: 1.6 };
    withinThreeSe(fitModel(mbgnbdSpec, daily(simulateMbgnbd(truth, T_DAILY, 7))), truth);
  });
});

describe("Gamma-Gamma simulator (Fader & Hardie note story)", () => {
  it("simulate 20k repeat buyers, then fit: recovers p, q, gamma within 3 standard errors", () => {
    const truth = { p: 6.25, q: 3.74, gamma: 15.44 };
    const x = Float64Array.from({ length: 20_000 }, (_, i) => 1 + (i % 12));
    const { zbar } = simulateGammaGamma(truth, x, 11);
    withinThreeSe(fitModel(gammaGammaSpec, spendData(x, zbar).data), truth);
  });
});
