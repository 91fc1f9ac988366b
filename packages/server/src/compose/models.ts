import {
  bgnbdModel,
  type FitResult,
  fitModel,
  gammaGammaSpec,
  issue,
  mbgnbdModel,
  type PurchaseModel,
  pnbdModel,
  type RfmData,
  type SummaryColumns,
  spendData,
  type TimeUnit,
  ValuecastError,
} from "@valuecast/core";

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

/** A fitted sub-model as `fit --json` prints it (the CLI's `FittedModelJson`, same fields). */
export interface FittedModelJson {
  readonly model: string;
  readonly params: Readonly<Record<string, number>>;
  readonly logLikelihood: number;
  readonly standardErrors: Readonly<Record<string, number | null>>;
  readonly converged: boolean;
  readonly iterations: number;
  readonly n: number;
  readonly timeUnit: TimeUnit | null;
  readonly aic: number;
  readonly bic: number;
  readonly rows: number;
  readonly reason: string;
  readonly covariance: readonly (readonly number[])[] | null;
  readonly reference: string;
}

/** What `valuecast fit --json` prints (format "valuecast-model/1"), with the spend model under `spend`. */
export interface ModelDocument extends FittedModelJson {
  readonly format: "valuecast-model/1";
  readonly spend: FittedModelJson | null;
}

function fittedJson(fit: FitResult, timeUnit: TimeUnit | null): FittedModelJson {
  return {
    model: fit.model,
    params: fit.params,
    logLikelihood: fit.logLikelihood,
    standardErrors: fit.standardErrors,
    converged: fit.converged,
    iterations: fit.iterations,
    n: fit.n,
    timeUnit,
    aic: fit.aic,
    bic: fit.bic,
    rows: fit.rows,
    reason: fit.reason,
    covariance: fit.covariance,
    reference: fit.reference,
  };
}

/**
 * The model document of a purchase fit and an optional spend fit (the CLI's `modelDocument`, same JSON).
 * @example modelDocument(fit, null, "week").params.r
 */
export function modelDocument(
  fit: FitResult,
  spend: FitResult | null,
  timeUnit: TimeUnit | null,
): ModelDocument {
  return {
    ...fittedJson(fit, timeUnit),
    format: "valuecast-model/1",
    spend: spend ? fittedJson(spend, null) : null,
  };
}

/**
 * The (x, t_x, T) rows to fit: customers first seen on the last day (T = 0) carry no information about
 * purchase or dropout rates and are left out (they are still scored), as the CLI does.
 * @example observedRfm(columns).x.length
 */
export function observedRfm(c: Pick<SummaryColumns, "x" | "t_x" | "T">): { rfm: RfmData; leftOut: number } {
  let zero = 0;
  for (let i = 0; i < c.T.length; i++) if (c.T[i] === 0) zero++;
  if (zero === 0) return { rfm: { x: c.x, t_x: c.t_x, T: c.T }, leftOut: 0 };
  const keep = (a: Float64Array) => a.filter((_, i) => c.T[i] !== 0);
  return { rfm: { x: keep(c.x), t_x: keep(c.t_x), T: keep(c.T) }, leftOut: zero };
}

/**
 * Fits a purchase model and, when asked and possible, Gamma-Gamma on repeat buyers' mean spend (repeat
 * buyers with mean spend <= 0 are left out and counted in `notes`).
 * @example fitCustomers(columns, "bgnbd", true).doc.spend?.params.p
 */
export function fitCustomers(
  columns: Pick<SummaryColumns, "x" | "t_x" | "T" | "monetary" | "timeUnit">,
  modelName: string,
  withSpend: boolean,
): { doc: ModelDocument; notes: string[] } {
  const model = purchaseModel(modelName);
  const notes: string[] = [];
  const { rfm, leftOut } = observedRfm(columns);
  if (leftOut > 0)
    notes.push(`left out ${leftOut} customer(s) first seen on the last day (T = 0) from the fit`);
  const fit = fitModel(model.spec, rfm, { timeUnit: columns.timeUnit });
  let spend: FitResult | null = null;
  if (withSpend) {
    const { data, dropped } = spendData(columns.x, columns.monetary, undefined, { nonPositiveSpend: "drop" });
    if (dropped > 0) notes.push(`gamma-gamma: left out ${dropped} repeat buyer(s) whose mean spend is <= 0`);
    spend = fitModel(gammaGammaSpec, data);
  }
  return { doc: modelDocument(fit, spend, columns.timeUnit), notes };
}
