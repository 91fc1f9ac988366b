import type { PurchaseModel } from "../purchase-model.ts";
import type { DiscreteRfData } from "../types.ts";
import { BGBB_PARAM_NAMES } from "./params.ts";
import { type BgbbPredictor, bgbbPredictor } from "./predict.ts";
import { bgbbSpec } from "./spec.ts";

/**
 * A purchase model fitted on discrete-opportunity data: `PurchaseModel` over `DiscreteRfData` with the
 * BG/BB predictor (kept as a name for existing callers).
 * @example const m: DiscretePurchaseModel = bgbbModel; m.spec.count(donations)
 */
export type DiscretePurchaseModel = PurchaseModel<DiscreteRfData, BgbbPredictor>;

/**
 * BG/BB as a model object: spec for fitting plus the predictor factory.
 * @example bgbbModel.predictor(fitModel(bgbbModel.spec, donations).params).expectedPurchases(10) // 3.1798
 */
export const bgbbModel: DiscretePurchaseModel = Object.freeze({
  name: "bgbb",
  title: "BG/BB (Fader, Hardie & Shang 2010)",
  paramNames: BGBB_PARAM_NAMES,
  spec: bgbbSpec,
  predictor: bgbbPredictor,
});
