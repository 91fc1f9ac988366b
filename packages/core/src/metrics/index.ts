// Ranking and error metrics for value predictions (issue 4 "Ranking metrics", issue 6 evaluation).
export { pearson, spearman } from "./correlation.ts";
export { type DecileRow, decileCalibration, decileMape, topDecileCapture } from "./deciles.ts";
export { mae, rmse } from "./errors.ts";
export { giniOfOrdering, normalizedGini } from "./gini.ts";
export { averageRanks } from "./ranks.ts";
export { checkPaired, type NumberVector, orderBy } from "./validate.ts";
