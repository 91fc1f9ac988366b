import type { ModelSpec } from "../../fit/spec.ts";
import type { DiscreteRfData } from "../types.ts";
import { BGBB_PARAM_NAMES } from "./params.ts";
import { type BgbbPredictor, bgbbPredictor } from "./predict.ts";
import { bgbbSpec } from "./spec.ts";

/**
 * A purchase model fitted on discrete-opportunity data: the `PurchaseModel` shape with a
 * `ModelSpec<DiscreteRfData>` instead of `ModelSpec<RfmData>`.
 */
export interface DiscretePurchaseModel {
  readonly name: string;
  readonly title: string;
  readonly paramNames: readonly string[];
  readonly spec: ModelSpec<DiscreteRfData>;
  predictor(params: Readonly<Record<string, number>>): BgbbPredictor;
}

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
