import type { ModelSpec } from "../../fit/spec.ts";
import { BG_PARAM_NAMES } from "../bgnbd/bg-params.ts";
import { type BgFamilyPredictor, bgFamilyPredictor } from "../bgnbd/bg-predictor.ts";
import { bgFamilySimulate, type SimulatedRfm } from "../bgnbd/bg-simulate.ts";
import { bgFamilySpec } from "../bgnbd/bg-spec.ts";
import type { PurchaseModel } from "../purchase-model.ts";
import type { RfmData } from "../types.ts";

/**
 * The MBG/NBD spec for `fitModel` (Batislam, Denizel & Filiztekin 2007, IJRM 24(3); the model of
 * lifetimes' `ModifiedBetaGeoFitter`): as the BG/NBD, but a customer may also drop out right after the
 * first purchase, so every customer (x = 0 included) carries the dropout term:
 *   L = B(a, b+x+1)/B(a,b) · Γ(r+x)/Γ(r) · α^r/(α+T)^(r+x) + B(a+1, b+x)/B(a,b) · Γ(r+x)/Γ(r) · α^r/(α+t_x)^(r+x)
 * @example fitModel(mbgnbdSpec, rfmData(x, t_x, T)).params.r // 0.525 on CDNOW
 */
export const mbgnbdSpec: ModelSpec<RfmData> = bgFamilySpec(
  1,
  "mbgnbd",
  "Batislam, Denizel & Filiztekin (2007), IJRM 24(3), appendix A; Wagner & Hoppe (2008) erratum",
);

/**
 * MBG/NBD predictions for fitted parameters: P(alive) = 1/(1 + a/(b+x) ((α+T)/(α+t_x))^(r+x)),
 * conditional expected purchases (a+b+x)/(a-1) [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; t/(α+T+t))]
 * times P(alive), unconditional b/(a-1) [1 - (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))], and P(X(t) = n).
 * @example mbgnbdPredictor({ r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 }).expectedPurchases(52)
 */
export function mbgnbdPredictor(params: Readonly<Record<string, number>>): BgFamilyPredictor {
  return bgFamilyPredictor(1, "mbgnbd", params);
}

/**
 * The MBG/NBD as a `PurchaseModel`.
 * @example mbgnbdModel.predictor(fitModel(mbgnbdModel.spec, data).params).pAlive(0, 0, 39)
 */
export const mbgnbdModel: PurchaseModel = Object.freeze({
  name: "mbgnbd",
  title: "MBG/NBD (Batislam, Denizel & Filiztekin 2007)",
  paramNames: BG_PARAM_NAMES,
  spec: mbgnbdSpec,
  predictor: mbgnbdPredictor,
});

/**
 * Simulates MBG/NBD customers (the BG/NBD story plus a dropout chance right after the first purchase).
 * @example simulateMbgnbd({ r: 0.5, alpha: 6, a: 0.9, b: 1.6 }, new Float64Array(1000).fill(39), 1).x
 */
export function simulateMbgnbd(
  params: Readonly<Record<string, number>>,
  T: ArrayLike<number>,
  seed = 1,
): SimulatedRfm {
  return bgFamilySimulate(1, params, T, seed, "mbgnbd");
}
