// Marketing analytics: pure functions over summaries, predictions, transactions and spend rows.

export * from "./acquisition.ts";
export * from "./budget.ts";
export * from "./cet-grid.ts";
export * from "./channels.ts";
export * from "./cohorts.ts";
export * from "./dates.ts";
export * from "./forecast.ts";
export * from "./histories.ts";
export * from "./intervals.ts";
export * from "./lifecycle.ts";
export * from "./ltv-curve.ts";
export * from "./null-reason.ts";
export * from "./parameter-draws.ts";
export * from "./profile.ts";
export * from "./quantile.ts";
export * from "./readiness.ts";
export * from "./rfm-scores.ts";
export * from "./simple-ltv.ts";
export * from "./spend.ts";
export * from "./threshold.ts";
export * from "./value-tiers.ts";
