import type { PurchaseModel } from "../purchase-model.ts";
import { pnbdPredictor } from "./predictor.ts";
import { PNBD_PARAM_NAMES, pnbdSpec } from "./spec.ts";

/**
 * The Pareto/NBD as a `PurchaseModel`: spec for fitting plus the predictor factory (whose predictors
 * also offer `dert`).
 * @example pnbdModel.predictor(fitModel(pnbdModel.spec, data).params).expectedPurchases(52)
 */
export const pnbdModel: PurchaseModel = Object.freeze({
  name: "pnbd",
  title: "Pareto/NBD (Schmittlein, Morrison & Colombo 1987)",
  paramNames: PNBD_PARAM_NAMES,
  spec: pnbdSpec,
  predictor: pnbdPredictor,
});
