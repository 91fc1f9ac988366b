import { type CustomerScores, type PurchaseScores, scoreCustomers, scorePurchases } from "../clv/score.ts";
import { issue, ValuecastError } from "../errors/issues.ts";
import { gammaGammaPredictor } from "../models/gamma-gamma/model.ts";
import type { PurchaseModel } from "../models/purchase-model.ts";
import { convertDuration, type Duration, type TimeUnit } from "../time.ts";
import type { ModelDocument } from "./model-document.ts";

/** What the user chose for scoring (the CLI's `--horizon`, `--discount-rate`, `--margin`). */
export interface ScoreSettings {
  readonly horizon: Duration;
  /** Annual discount rate (continuous discounting over the horizon). */
  readonly discountRate: number;
  readonly margin: number;
}

/** The defaults of the CLI and the API: 12 months, 10% a year, margin 1 (revenue). */
export const DEFAULT_SCORE_SETTINGS: ScoreSettings = {
  horizon: { value: 12, unit: "month" },
  discountRate: 0.1,
  margin: 1,
};

/** Customers to score: (x, t_x, T) in `timeUnit` and the mean repeat spend when known. */
export interface ScoringColumns {
  readonly timeUnit: TimeUnit;
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly T: Float64Array;
  readonly monetary: Float64Array | null;
}

/**
 * Scores customers with a model document: P(alive), expected purchases, expected spend and CLV over the
 * horizon, converted exactly to the model's unit. `model` is the purchase model the document names
 * (`doc.model`), looked up by the caller, which knows which models it offers. A document fitted in another
 * time unit than the customers' is an INVALID_DATA issue, never a silent rescale. `purchases`: this
 * document's `scorePurchasesWithDocument` on the same columns and settings, computed earlier.
 * @example scoreWithDocument(doc, columns, DEFAULT_SCORE_SETTINGS, bgnbdModel).scores.clv[0]
 */
export function scoreWithDocument(
  doc: ModelDocument,
  columns: ScoringColumns,
  settings: ScoreSettings,
  model: PurchaseModel,
  purchases?: PurchaseScores,
): { scores: CustomerScores; hasSpend: boolean; horizonInUnits: number } {
  const { predictor, data, options, horizonInUnits } = scoringInputs(doc, columns, settings, model);
  const hasSpend = doc.spend !== null && columns.monetary !== null;
  const spend = hasSpend ? gammaGammaPredictor(doc.spend!.params) : 0;
  const scores = scoreCustomers(predictor, spend, data, options, purchases);
  return { scores, hasSpend, horizonInUnits };
}

/**
 * The purchase half of `scoreWithDocument` from the purchase model alone (its parameters and time unit),
 * e.g. while the spend model is still being fitted: passed back to `scoreWithDocument` as `purchases` for
 * the finished document, it gives the same scores.
 * @example scoreWithDocument(doc, columns, settings, bgnbdModel, scorePurchasesWithDocument(doc, columns, settings, bgnbdModel))
 */
export function scorePurchasesWithDocument(
  doc: Pick<ModelDocument, "params" | "timeUnit">,
  columns: ScoringColumns,
  settings: ScoreSettings,
  model: PurchaseModel,
): PurchaseScores {
  const { predictor, data, options } = scoringInputs(doc, columns, settings, model);
  return scorePurchases(predictor, data, options);
}

function scoringInputs(
  doc: Pick<ModelDocument, "params" | "timeUnit">,
  columns: ScoringColumns,
  settings: ScoreSettings,
  model: PurchaseModel,
) {
  const unit = doc.timeUnit ?? columns.timeUnit;
  if (doc.timeUnit && doc.timeUnit !== columns.timeUnit)
    throw new ValuecastError([
      issue(
        "INVALID_DATA",
        `the model was fitted in ${doc.timeUnit}s but the customers are summarised in ${columns.timeUnit}s; use --time-unit ${doc.timeUnit}`,
        { field: "timeUnit" },
      ),
    ]);
  const predictor = model.predictor(doc.params);
  const horizonInUnits = convertDuration(settings.horizon, unit);
  return {
    predictor,
    horizonInUnits,
    data: {
      x: columns.x,
      t_x: columns.t_x,
      T: columns.T,
      ...(columns.monetary ? { zbar: columns.monetary } : {}),
    },
    options: {
      horizon: horizonInUnits,
      discountRate: settings.discountRate,
      timeUnit: unit,
      margin: settings.margin,
    },
  };
}

/** One score-file row (the CLI's score columns, the API's `score`). */
export interface ScoreRow {
  readonly customer_id: string;
  readonly x: number;
  readonly t_x: number;
  readonly T: number;
  readonly p_alive: number;
  readonly expected_purchases: number;
  readonly expected_spend: number | null;
  readonly clv: number | null;
  readonly clv_undiscounted: number | null;
}

/**
 * Customer i's score row (`customer_id, x, t_x, T, p_alive, expected_purchases, expected_spend, clv,
 * clv_undiscounted`); the spend columns are null without a spend model.
 * @example scoreRow("42", columns, scores, true, 0).p_alive
 */
export function scoreRow(
  id: string,
  c: Pick<ScoringColumns, "x" | "t_x" | "T">,
  s: Pick<CustomerScores, "pAlive" | "expectedPurchases" | "expectedSpend" | "clv" | "clvUndiscounted">,
  hasSpend: boolean,
  i: number,
): ScoreRow {
  return {
    customer_id: id,
    x: c.x[i]!,
    t_x: c.t_x[i]!,
    T: c.T[i]!,
    p_alive: s.pAlive[i]!,
    expected_purchases: s.expectedPurchases[i]!,
    expected_spend: hasSpend ? s.expectedSpend[i]! : null,
    clv: hasSpend ? s.clv[i]! : null,
    clv_undiscounted: hasSpend ? s.clvUndiscounted[i]! : null,
  };
}
