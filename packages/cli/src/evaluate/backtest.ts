// The holdout backtest's pieces (frequency buckets, holdout errors, weekly cumulative tracking) live in
// core's composition layer, shared with the HTTP API; the CLI's evaluate and demo import them from here.
export {
  type BacktestData,
  expectedTracking,
  type FrequencyBucket,
  frequencyBuckets,
  type HoldoutErrors,
  holdoutErrors,
  holdoutPredictions,
  repeatOccasionsPerPeriod,
  TOP_BUCKET,
  type TrackingInputs,
  type TrackingPoint,
  tracking,
} from "@valuecast/core";
