import { compressRfmData, fitModel, type RfmData } from "@valuecast/core";
import { scoreCustomers } from "../../packages/core/src/clv/index.ts";
import { createRng } from "../../packages/core/src/math/random.ts";
import { bgnbdModel, simulateBgnbd } from "../../packages/core/src/models/bgnbd/model.ts";
import { pnbdModel } from "../../packages/core/src/models/pnbd/index.ts";
import { createLikelihoodPool } from "../../packages/data/src/parallel/likelihood-pool.ts";
import { type Measurement, measure, type Suite } from "../lib.ts";

const TRUE = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };

/**
 * 1M simulated BG/NBD customers (issue 2): T uniform on 26-78 weeks, purchases on whole days
 * (t_x and T rounded down to days, then in weeks), as a daily transaction log would give.
 */
export function simulatedCustomers(n: number): RfmData {
  const rng = createRng(20261122);
  const Tdays = Float64Array.from({ length: n }, () => 182 + Math.floor(rng.uniform() * (546 - 182 + 1)));
  const sim = simulateBgnbd(
    TRUE,
    Float64Array.from(Tdays, (d) => d / 7),
    7,
  );
  const t_x = Float64Array.from(sim.t_x, (t) => Math.floor(t * 7 + 1e-9) / 7);
  return { x: sim.x, t_x, T: Float64Array.from(Tdays, (d) => d / 7) };
}

const specUrl = (file: string) => new URL(`../../packages/core/src/models/${file}`, import.meta.url).href;

export const coreModels: Suite = async ({ scale }) => {
  const n = Math.round(1_000_000 * scale);
  const out: Measurement[] = [];
  const label = `${(n / 1e6).toFixed(n >= 1e6 ? 0 : 2)}M customers`;
  const { value: data, measurement: sim } = await measure("core", `simulate ${label} (BG/NBD)`, () =>
    simulatedCustomers(n),
  );
  out.push(sim);

  const bg1 = await measure(
    "core",
    `BG/NBD fit, ${label}, 1 thread (compression included)`,
    () => fitModel(bgnbdModel.spec, data),
    {
      targetSeconds: 1.5,
    },
  );
  out.push({
    ...bg1.measurement,
    note: `r ${bg1.value.params.r?.toFixed(4)}, converged ${bg1.value.converged}`,
  });

  // 2 threads: compression (main thread), worker start-up and the fit, all inside the measurement.
  const parallelFit = async (model: typeof bgnbdModel, file: string, name: string) => {
    const compressed = compressRfmData(data);
    const pool = await createLikelihoodPool(model.spec, specUrl(file), name, compressed, { threads: 2 });
    try {
      return fitModel(model.spec, compressed, { evaluator: () => pool.evaluator, compress: false });
    } finally {
      await pool.close();
    }
  };
  const bg2 = await measure(
    "core",
    `BG/NBD fit, ${label}, 2 threads (compression and worker start included)`,
    () => parallelFit(bgnbdModel, "bgnbd/model.ts", "bgnbdSpec"),
    { targetSeconds: 1.5 },
  );
  out.push({
    ...bg2.measurement,
    note: `r ${bg2.value.params.r?.toFixed(4)}, converged ${bg2.value.converged}`,
  });

  const pn1 = await measure(
    "core",
    `Pareto/NBD fit, ${label}, 1 thread (compression included)`,
    () => fitModel(pnbdModel.spec, data),
    { targetSeconds: 3 },
  );
  out.push({ ...pn1.measurement, note: `converged ${pn1.value.converged}` });
  const pn2 = await measure(
    "core",
    `Pareto/NBD fit, ${label}, 2 threads (compression and worker start included)`,
    () => parallelFit(pnbdModel, "pnbd/spec.ts", "pnbdSpec"),
    { targetSeconds: 3 },
  );
  out.push({ ...pn2.measurement, note: `converged ${pn2.value.converged}` });

  const predictor = bgnbdModel.predictor(bg1.value.params);
  const score = await measure(
    "core",
    `score ${label}: P(alive), E[X(52 w)], CLV (no discounting)`,
    () => scoreCustomers(predictor, 35, data, { horizon: 52, timeUnit: "week", margin: 0.3 }),
    { targetSeconds: 0.5 },
  );
  out.push(score.measurement);
  const scoreD = await measure("core", `score ${label}: the same with a 10% annual discount rate`, () =>
    scoreCustomers(predictor, 35, data, { horizon: 52, timeUnit: "week", margin: 0.3, discountRate: 0.1 }),
  );
  out.push(scoreD.measurement);
  return out;
};
