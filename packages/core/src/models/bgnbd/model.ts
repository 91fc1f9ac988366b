import type { ModelSpec } from "../../fit/spec.ts";
import type { PurchaseModel } from "../purchase-model.ts";
import type { RfmData } from "../types.ts";
import { BG_PARAM_NAMES } from "./bg-params.ts";
import { type BgFamilyPredictor, bgFamilyPredictor } from "./bg-predictor.ts";
import { bgFamilySimulate, type SimulatedRfm } from "./bg-simulate.ts";
import { bgFamilySpec } from "./bg-spec.ts";

/**
 * The BG/NBD spec for `fitModel`: parameters r, alpha, a, b (all log-transformed), the likelihood of
 * Fader, Hardie & Lee (2005) eq. 6 with its analytic gradient.
 * @example
 * const fit = fitModel(bgnbdSpec, rfmData(x, t_x, T), { timeUnit: "week" });
 * fit.params.r; // 0.2426 on CDNOW
 */
export const bgnbdSpec: ModelSpec<RfmData> = bgFamilySpec(
  0,
  "bgnbd",
  'Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", Marketing Science 24(2), eq. 6',
);

/**
 * BG/NBD predictions for fitted parameters: P(alive), conditional expected purchases (eq. 10),
 * unconditional E[X(t)] (eq. 7) and P(X(t) = n) (eq. 8).
 * @example bgnbdPredictor({ r: 0.2425982, alpha: 4.413684, a: 0.7929899, b: 2.426167 }).pAlive(26, 30.86, 31) // 0.96885
 */
export function bgnbdPredictor(params: Readonly<Record<string, number>>): BgFamilyPredictor {
  return bgFamilyPredictor(0, "bgnbd", params);
}

/**
 * The BG/NBD as a `PurchaseModel`: spec for fitting plus the predictor factory.
 * @example bgnbdModel.predictor(fitModel(bgnbdModel.spec, data).params).expectedPurchases(52)
 */
export const bgnbdModel: PurchaseModel = Object.freeze({
  name: "bgnbd",
  title: "BG/NBD (Fader, Hardie & Lee 2005)",
  paramNames: BG_PARAM_NAMES,
  spec: bgnbdSpec,
  predictor: bgnbdPredictor,
});

/**
 * Simulates BG/NBD customers with known parameters, each observed for T[i] time units after the first
 * purchase: summaries (x, t_x, T) and every repeat-purchase time. Deterministic for a given seed.
 * @example
 * const sim = simulateBgnbd({ r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, new Float64Array(1000).fill(52), 1);
 * fitModel(bgnbdSpec, sim).params; // close to the true parameters
 */
export function simulateBgnbd(
  params: Readonly<Record<string, number>>,
  T: ArrayLike<number>,
  seed = 1,
): SimulatedRfm {
  return bgFamilySimulate(0, params, T, seed, "bgnbd");
}
