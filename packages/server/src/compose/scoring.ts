import {
  type CustomerScores,
  type ModelDocument,
  type ScoreSettings,
  type ScoringColumns,
  scoreWithDocument as scoreWith,
} from "@valuecast/core";
import { purchaseModel } from "./models.ts";

// Score settings, score rows and the scoring itself live in core's compose (shared with the CLI).
export {
  DEFAULT_SCORE_SETTINGS,
  type ScoreRow,
  type ScoreSettings,
  type ScoringColumns,
  scoreRow,
} from "@valuecast/core";

/**
 * Scores customers with a model document (core's `scoreWithDocument` with the document's purchase model).
 * @example scoreWithDocument(doc, columns, DEFAULT_SCORE_SETTINGS).scores.clv[0]
 */
export function scoreWithDocument(
  doc: ModelDocument,
  columns: ScoringColumns,
  settings: ScoreSettings,
): { scores: CustomerScores; hasSpend: boolean; horizonInUnits: number } {
  return scoreWith(doc, columns, settings, purchaseModel(doc.model));
}

/**
 * A stable key for a score set: model id + horizon + discount rate + margin.
 * @example scoreKey("m_1", DEFAULT_SCORE_SETTINGS) // "m_1|12 month|0.1|1"
 */
export function scoreKey(modelId: string, s: ScoreSettings): string {
  return `${modelId}|${s.horizon.value} ${s.horizon.unit}|${s.discountRate}|${s.margin}`;
}
