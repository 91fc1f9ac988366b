// Composition shared by the CLI and the HTTP API: model documents, fitting customers, scoring, the
// analytics' model curves and the holdout backtest. Pure functions over plain data (no Node built-ins).
export {
  type BacktestData,
  backtestModel,
  chooseModel,
  type EvaluateReport,
  expectedTracking,
  type FrequencyBucket,
  frequencyBuckets,
  type HoldoutErrors,
  holdoutErrors,
  holdoutPredictions,
  type ModelBacktest,
  type ModelChoice,
  type ModelScore,
  repeatOccasionsPerPeriod,
  TOP_BUCKET,
  type TrackingInputs,
  type TrackingPoint,
  tracking,
} from "./backtest.ts";
export { meanRepeatSpend, modelCurves } from "./curves.ts";
export { type FitColumns, fitCustomers, observedRfm } from "./fit-customers.ts";
export {
  type FittedModelJson,
  fittedJson,
  type ModelDocument,
  modelDocument,
  parseModelDocument,
} from "./model-document.ts";
export {
  DEFAULT_SCORE_SETTINGS,
  type ScoreRow,
  type ScoreSettings,
  type ScoringColumns,
  scorePurchasesWithDocument,
  scoreRow,
  scoreWithDocument,
} from "./scoring.ts";
