import {
  type CustomerScores,
  convertDuration,
  type Duration,
  gammaGammaPredictor,
  issue,
  scoreCustomers,
  type TimeUnit,
  ValuecastError,
} from "@valuecast/core";
import type { ModelDocument } from "./models.ts";
import { purchaseModel } from "./models.ts";

/** What the user chose for scoring (the CLI's `--horizon`, `--discount-rate`, `--margin`). */
export interface ScoreSettings {
  readonly horizon: Duration;
  readonly discountRate: number;
  readonly margin: number;
}

/** The CLI's defaults: 12 months, 10% a year, margin 1 (revenue). */
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
 * Scores customers with a model document (the CLI's `scoreWithModel`): P(alive), expected purchases,
 * expected spend and CLV over the horizon converted exactly to the model's unit.
 * @example scoreWithDocument(doc, columns, DEFAULT_SCORE_SETTINGS).scores.clv[0]
 */
export function scoreWithDocument(
  doc: ModelDocument,
  columns: ScoringColumns,
  settings: ScoreSettings,
): { scores: CustomerScores; hasSpend: boolean; horizonInUnits: number } {
  const unit = doc.timeUnit ?? columns.timeUnit;
  if (doc.timeUnit && doc.timeUnit !== columns.timeUnit)
    throw new ValuecastError([
      issue(
        "INVALID_DATA",
        `the model was fitted in ${doc.timeUnit}s but the customers are summarised in ${columns.timeUnit}s`,
        { field: "timeUnit" },
      ),
    ]);
  const predictor = purchaseModel(doc.model).predictor(doc.params);
  const horizonInUnits = convertDuration(settings.horizon, unit);
  const hasSpend = doc.spend !== null && columns.monetary !== null;
  const spend = hasSpend ? gammaGammaPredictor(doc.spend!.params) : 0;
  const scores = scoreCustomers(
    predictor,
    spend,
    { x: columns.x, t_x: columns.t_x, T: columns.T, ...(columns.monetary ? { zbar: columns.monetary } : {}) },
    { horizon: horizonInUnits, discountRate: settings.discountRate, timeUnit: unit, margin: settings.margin },
  );
  return { scores, hasSpend, horizonInUnits };
}

/** One score-file row (the CLI's score columns). */
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
 * Customer i's row of the score file (`customer_id, x, t_x, T, p_alive, expected_purchases, expected_spend,
 * clv, clv_undiscounted`); spend columns are null without a spend model.
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

/**
 * A stable key for a score set: model id + horizon + discount rate + margin.
 * @example scoreKey("m_1", DEFAULT_SCORE_SETTINGS) // "m_1|12 month|0.1|1"
 */
export function scoreKey(modelId: string, s: ScoreSettings): string {
  return `${modelId}|${s.horizon.value} ${s.horizon.unit}|${s.discountRate}|${s.margin}`;
}
