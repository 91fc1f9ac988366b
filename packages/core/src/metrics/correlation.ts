import { averageRanks } from "./ranks.ts";
import { checkPaired, type NumberVector } from "./validate.ts";

/**
 * Pearson's product-moment correlation of `actual` and `predicted`. When either vector is constant the
 * correlation is undefined; we return 0 (no linear association can be shown) instead of NaN.
 * Uses centred two-pass sums, which stay accurate when the values carry a large common offset.
 * @example pearson([1, 2, 3], [2, 4, 7]) // 0.9933992677987828
 */
export function pearson(actual: NumberVector, predicted: NumberVector): number {
  checkPaired(actual, predicted, "pearson");
  const n = actual.length;
  let ma = 0;
  let mp = 0;
  for (let i = 0; i < n; i++) {
    ma += actual[i]!;
    mp += predicted[i]!;
  }
  ma /= n;
  mp /= n;
  let saa = 0;
  let spp = 0;
  let sap = 0;
  for (let i = 0; i < n; i++) {
    const da = actual[i]! - ma;
    const dp = predicted[i]! - mp;
    saa += da * da;
    spp += dp * dp;
    sap += da * dp;
  }
  if (saa <= 0 || spp <= 0) return 0;
  const r = sap / Math.sqrt(saa * spp);
  // rounding can push |r| a hair past 1
  return Math.max(-1, Math.min(1, r));
}

/**
 * Spearman's rank correlation: Pearson's correlation of the average ranks (ties share their mean rank),
 * which equals scipy.stats.spearmanr. A constant vector gives 0.
 * @example spearman([1, 2, 3, 4], [10, 20, 30, 40]) // 1
 */
export function spearman(actual: NumberVector, predicted: NumberVector): number {
  checkPaired(actual, predicted, "spearman");
  return pearson(averageRanks(actual), averageRanks(predicted));
}
