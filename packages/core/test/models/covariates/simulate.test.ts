import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { simulateBgnbd } from "../../../src/models/bgnbd/model.ts";
import { covariateDesign } from "../../../src/models/covariates/design.ts";
import { fitCovariateModel } from "../../../src/models/covariates/fit.ts";
import { covariateIndividualParams } from "../../../src/models/covariates/predict.ts";
import { simulatePnbd } from "../../../src/models/pnbd/simulate.ts";

/** Observation lengths uniform on 26-78 weeks, on a daily grid. */
function lengths(n: number, seed: number): Float64Array {
  let u = seed;
  return Float64Array.from({ length: n }, () => {
    u = (u * 0.6180339887498949 + 0.1) % 1;
    return Math.round((26 + 52 * u) * 7) / 7;
  });
}

/**
 * Customers in four groups: z_buy (0/1) enters the transaction process, z_stay (0/1) the lifetime
 * process. Each group is simulated with the no-covariate simulator at its individual parameters
 * (CLVTools parameterisation), so a correct covariate likelihood must recover the coefficients.
 */
function simulateGroups(
  model: "pnbd" | "bgnbd",
  params: Record<string, number>,
  perGroup: number,
): ReturnType<typeof covariateDesign>["design"] {
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const z: number[] = [];
  let seed = 11;
  for (const zBuy of [0, 1]) {
    for (const zStay of [0, 1]) {
      const ind = covariateIndividualParams(model, params, { z_buy: zBuy, z_stay: zStay });
      const Ts = lengths(perGroup, seed / 97);
      const sim =
        model === "pnbd"
          ? simulatePnbd(ind as { r: number; alpha: number; s: number; beta: number }, Ts, { seed }).data
          : simulateBgnbd(ind, Ts, seed);
      seed += 1;
      for (let i = 0; i < perGroup; i++) {
        x.push(sim.x[i]!);
        tx.push(sim.t_x[i]!);
        T.push(sim.T[i]!);
        z.push(zBuy, zStay);
      }
    }
  }
  const rfm = { x: Float64Array.from(x), t_x: Float64Array.from(tx), T: Float64Array.from(T) };
  return covariateDesign(
    rfm,
    { names: ["z_buy", "z_stay"], values: Float64Array.from(z) },
    {
      trans: ["z_buy"],
      life: ["z_stay"],
    },
  ).design;
}

describe("static covariates: simulate with known coefficients, then fit", () => {
  const cases = [
    ["pnbd", { r: 0.55, alpha: 10.6, s: 0.6, beta: 11.7, "trans.z_buy": 0.5, "life.z_stay": 0.6 }],
    ["bgnbd", { r: 0.25, alpha: 4, a: 0.8, b: 2.5, "trans.z_buy": 0.5, "life.z_stay": 0.8 }],
  ] as const;
  for (const [model, truth] of cases) {
    it(`${model}: 40k customers, every parameter within 3 standard errors; LR test rejects "no covariates"`, () => {
      const design = simulateGroups(model, truth, 10_000);
      const t0 = performance.now();
      const res = fitCovariateModel(model, design, { timeUnit: "week" });
      const ms = performance.now() - t0;
      const { fit } = res;
      assert.ok(fit.converged, `${model} did not converge: ${fit.reason}`);
      const lines: string[] = [];
      for (const [name, value] of Object.entries(truth)) {
        const est = fit.params[name]!;
        const se = fit.standardErrors[name];
        assert.ok(se !== null && se !== undefined && se > 0, `${name}: no standard error`);
        lines.push(`${name} ${value} -> ${est.toFixed(4)} (se ${se.toFixed(4)})`);
        assert.ok(Math.abs(est - value) <= 3 * se, `${name}: ${est} vs ${value}, se ${se}`);
      }
      const lr = res.likelihoodRatio;
      assert.ok(lr.pValue < 1e-6, `LR p-value ${lr.pValue}`);
      assert.equal(lr.df, 2);
      console.log(
        `# ${model} simulate-then-fit (${ms.toFixed(0)} ms): ${lines.join("; ")}; LL ${fit.logLikelihood.toFixed(2)} vs base ${res.base.logLikelihood.toFixed(2)}, LR ${lr.statistic.toFixed(1)} on ${lr.df} df, p ${lr.pValue.toExponential(2)}`,
      );
    });
  }
});
