// The holdout backtest lives in core's composition layer, shared with the HTTP API; `evaluate` imports it
// from core. What the summaries need for tracking is re-exported here for sources.ts.
export { repeatOccasionsPerPeriod, type TrackingInputs } from "@valuecast/core";
