import { checkPaired, type NumberVector, orderBy } from "./validate.ts";

/**
 * Gini coefficient of an ordering: customers are sorted by `score` (highest first), G_i is the share of
 * the total actual value held by the first i customers (the cumulative gain / Lorenz curve), and
 * gini = 2 * (area under the gain curve) - 1, the area taken with the trapezoid rule so that a random
 * (constant) score gives exactly 0 and the reversed perfect order exactly -1 times the perfect one.
 *
 * Ties in `score` are resolved by expectation over a random order within the tie group: inside a group
 * of k customers holding share s that starts at cumulative share C, E[G] rises linearly, so the group
 * adds k*C + s*(k+1)/2 to sum G_i. This makes the result independent of input order (a baseline that
 * ranks by first order value has many ties).
 *
 * Wang, Liu & Miao (2019), "A Deep Probabilistic Model for Customer Lifetime Value Prediction", sec. 4.2
 * (their reference code `gini_from_gain` uses the left Riemann sum 2*mean(G) - 1, which differs from
 * ours by 1/n before normalization).
 * Returns 0 when the total actual value is 0 (no ordering can be judged).
 * @example giniOfOrdering([0, 0, 10], [1, 2, 3]) // 2/3
 */
export function giniOfOrdering(actual: NumberVector, score: NumberVector): number {
  checkPaired(actual, score, "gini");
  const n = actual.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += actual[i]!;
  if (total === 0) return 0;
  const order = orderBy(score, true);
  let sumG = 0; // sum over i of E[G_i]
  let cum = 0; // cumulative share before the current tie group
  let start = 0;
  while (start < n) {
    const v = score[order[start]!]!;
    let end = start;
    let s = 0;
    while (end < n && score[order[end]!]! === v) {
      s += actual[order[end]!]!;
      end++;
    }
    s /= total;
    const k = end - start;
    // a single tie group (a constant score) ranks nobody: exactly 0, not a rounding residue
    if (k === n) return 0;
    sumG += k * cum + (s * (k + 1)) / 2;
    cum += s;
    start = end;
  }
  // trapezoid area = (1/n) sum_i (G_{i-1} + G_i)/2 = mean(G) - 1/(2n), with G_0 = 0 and G_n = 1
  return 2 * (sumG / n - 1 / (2 * n)) - 1;
}

/**
 * Normalized Gini: the Gini of the model's ordering divided by the Gini of the perfect ordering (customers
 * sorted by their actual value), so 1 is a perfect ranking, 0 is random, -1 the reversed perfect ranking.
 * Wang, Liu & Miao (2019), sec. 4.2 ("normalized model Gini coefficient"). Returns 0 when every actual
 * value is the same (the perfect ordering has Gini 0 and nothing can be ranked).
 * @example normalizedGini([5, 1, 3], [50, 10, 30]) // 1
 */
export function normalizedGini(actual: NumberVector, predicted: NumberVector): number {
  checkPaired(actual, predicted, "normalizedGini");
  const perfect = giniOfOrdering(actual, actual);
  if (perfect <= 0) return 0;
  const g = giniOfOrdering(actual, predicted) / perfect;
  return Math.max(-1, Math.min(1, g));
}
