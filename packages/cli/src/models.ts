// The composition root's model registry: which model names the CLI accepts and where each comes from.
// The model folders are imported through this one file so the CLI has a single place to follow core.
import { issue, type PurchaseModel, ValuecastError } from "@valuecast/core";
import { bgbbModel, bgbbPredictor, bgbbSpec } from "../../core/src/models/bgbb/index.ts";
import { bgnbdModel } from "../../core/src/models/bgnbd/index.ts";
import { gammaGammaPredictor, gammaGammaSpec, spendData } from "../../core/src/models/gamma-gamma/index.ts";
import { mbgnbdModel } from "../../core/src/models/mbgnbd/index.ts";
import { pnbdModel } from "../../core/src/models/pnbd/index.ts";
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

/** Purchase models in the order the backtest and demo run them. */
export function purchaseModelNames(): string[] {
  return ["bgnbd", "pnbd", "mbgnbd"].filter((n) => PURCHASE_MODELS[n] !== undefined);
}

/**
 * The purchase model of that name, or an UNKNOWN_MODEL issue naming the ones available.
 * @example purchaseModel("bgnbd").spec.name // "bgnbd"
 */
export function purchaseModel(name: string): PurchaseModel {
  const m = PURCHASE_MODELS[name];
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

/** True when `name` is a continuous-time purchase model available here. */
export function isPurchaseModel(name: string): boolean {
  return PURCHASE_MODELS[name] !== undefined;
}

export { type CustomerScores, scoreCustomers } from "../../core/src/clv/index.ts";
