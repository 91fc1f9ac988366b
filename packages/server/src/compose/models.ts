import {
  bgnbdModel,
  fitCustomers as fitWith,
  issue,
  type ModelDocument,
  mbgnbdModel,
  type PurchaseModel,
  pnbdModel,
  type SummaryColumns,
  ValuecastError,
} from "@valuecast/core";

// The model document, its JSON and the fitting rules live in core's compose (shared with the CLI).
export { type FittedModelJson, type ModelDocument, modelDocument, observedRfm } from "@valuecast/core";

/** The continuous-time purchase models the API fits on (x, t_x, T), as the CLI's `fit --model` names them. */
export const PURCHASE_MODELS: Readonly<Record<string, PurchaseModel>> = {
  bgnbd: bgnbdModel,
  pnbd: pnbdModel,
  mbgnbd: mbgnbdModel,
};

/** Model names in backtest order. */
export const PURCHASE_MODEL_NAMES = ["bgnbd", "pnbd", "mbgnbd"] as const;
export type PurchaseModelName = (typeof PURCHASE_MODEL_NAMES)[number];

/**
 * The purchase model of that name, or an UNKNOWN_MODEL issue naming the ones available.
 * @example purchaseModel("pnbd").spec.name // "pnbd"
 */
export function purchaseModel(name: string): PurchaseModel {
  const m = PURCHASE_MODELS[name];
  if (!m)
    throw new ValuecastError([
      issue("UNKNOWN_MODEL", `no purchase model '${name}' (available: ${PURCHASE_MODEL_NAMES.join(", ")})`, {
        field: "model",
      }),
    ]);
  return m;
}

/**
 * Fits the named purchase model and, when asked, Gamma-Gamma (core's `fitCustomers`; left-out customers
 * are counted in `notes`).
 * @example fitCustomers(columns, "bgnbd", true).doc.spend?.params.p
 */
export function fitCustomers(
  columns: Pick<SummaryColumns, "x" | "t_x" | "T" | "monetary" | "timeUnit">,
  modelName: string,
  withSpend: boolean,
): { doc: ModelDocument; notes: string[] } {
  const { doc, notes } = fitWith(columns, purchaseModel(modelName), withSpend);
  return { doc, notes };
}
