// The composition root's model registry: which model names the CLI accepts and where each comes from.
// The model folders are imported through this one file so the CLI has a single place to follow core.
import {
  bgnbdModel,
  gammaGammaPredictor,
  gammaGammaSpec,
  issue,
  mbgnbdModel,
  type PurchaseModel,
  pnbdModel,
  spendData,
  ValuecastError,
} from "@valuecast/core";
// BG/BB and sBG are not re-exported from core's root (yet): imported from their folders.
import { bgbbModel, bgbbPredictor, bgbbSpec } from "../../core/src/models/bgbb/index.ts";
import { sbgModel, sbgSpec, survivorData } from "../../core/src/models/sbg/index.ts";

export {
  bgbbModel,
  bgbbPredictor,
  bgbbSpec,
  gammaGammaPredictor,
  gammaGammaSpec,
  sbgModel,
  sbgSpec,
  spendData,
  survivorData,
};

/** Continuous-time purchase models fitted on (x, t_x, T). */
const PURCHASE_MODELS: Readonly<Record<string, PurchaseModel>> = {
  bgnbd: bgnbdModel,
  pnbd: pnbdModel,
  mbgnbd: mbgnbdModel,
};

/** Every model name `fit --model` accepts (bgbb and sbg take their own summary forms). */
export const FIT_MODEL_NAMES = ["bgnbd", "pnbd", "mbgnbd", "bgbb", "sbg"] as const;

/**
 * Purchase models in the order the backtest and demo run them.
 * @example purchaseModelNames() // ["bgnbd", "pnbd", "mbgnbd"]
 */
export function purchaseModelNames(): string[] {
  return ["bgnbd", "pnbd", "mbgnbd"].filter((n) => PURCHASE_MODELS[n] !== undefined);
}

/**
 * The purchase model of that name, or an UNKNOWN_MODEL issue naming the ones available.
 * @example purchaseModel("bgnbd").spec.name // "bgnbd"
 */
export function purchaseModel(name: string): PurchaseModel {
  const m = PURCHASE_MODELS[name];
  if (!m && name.endsWith("+covariates")) {
    // A model file written by `fit --covariates`: only predict scores it (each customer at its own parameters).
    throw new ValuecastError([
      issue(
        "UNKNOWN_MODEL",
        `the model file holds ${name}, a model fitted with covariates: \`valuecast predict --model-file\` scores it; for this command fit the model without --covariates`,
        { field: "--model-file" },
      ),
    ]);
  }
  if (!m) {
    throw new ValuecastError([
      issue(
        "UNKNOWN_MODEL",
        `no continuous-time purchase model '${name}' (available: ${purchaseModelNames().join(", ")})`,
        { field: "--model" },
      ),
    ]);
  }
  return m;
}

/**
 * True when `name` is a continuous-time purchase model available here.
 * @example isPurchaseModel("bgbb") // false
 */
export function isPurchaseModel(name: string): boolean {
  return PURCHASE_MODELS[name] !== undefined;
}

export { type CustomerScores, scoreCustomers } from "@valuecast/core";
