import { averageRanks } from "./ranks.ts";
import { checkPaired, type NumberVector, orderBy } from "./validate.ts";

/** One row of a decile calibration table. */
export interface DecileRow {
  /** 1 = the lowest predictions, 10 = the highest. */
  readonly decile: number;
  readonly n: number;
  readonly meanPredicted: number;
  readonly meanActual: number;
}

/**
 * Decile calibration table: customers are put into ten groups by their prediction (decile d holds the
 * customers whose average prediction rank r, 1..n, has floor((r - 1/2) * 10 / n) = d - 1), and each group
 * reports its size, mean prediction and mean actual value. Tied predictions always land in the same
 * decile (a constant predictor yields one row), as pandas' qcut(..., duplicates="drop") does in the
 * reference code of Wang, Liu & Miao (2019). Empty deciles are omitted.
 * @example decileCalibration([1, 2], [10, 20]) // [{decile: 3, n: 1, ...}, {decile: 8, n: 1, ...}]
 */
export function decileCalibration(actual: NumberVector, predicted: NumberVector): DecileRow[] {
  checkPaired(actual, predicted, "decileCalibration");
  const n = actual.length;
  const ranks = averageRanks(predicted);
  const count = new Float64Array(10);
  const sumP = new Float64Array(10);
  const sumA = new Float64Array(10);
  for (let i = 0; i < n; i++) {
    const d = Math.min(9, Math.floor(((ranks[i]! - 0.5) * 10) / n));
    count[d]!++;
    sumP[d]! += predicted[i]!;
    sumA[d]! += actual[i]!;
  }
  const rows: DecileRow[] = [];
  for (let d = 0; d < 10; d++) {
    const c = count[d]!;
    if (c > 0) rows.push({ decile: d + 1, n: c, meanPredicted: sumP[d]! / c, meanActual: sumA[d]! / c });
  }
  return rows;
}

/**
 * Decile MAPE: the mean over deciles of |mean predicted - mean actual| / mean actual, with deciles formed
 * by prediction as in `decileCalibration` (Wang, Liu & Miao 2019, sec. 4.2, "decile-level MAPE").
 * Deciles whose mean actual value is 0 have no defined percentage error and are left out; when no
 * decile remains the result is 0 if every prediction is 0 too, otherwise Infinity (never NaN).
 * @example decileMape([10, 20], [12, 20]) // 0.1 (deciles {12 vs 10}, {20 vs 20})
 */
export function decileMape(actual: NumberVector, predicted: NumberVector): number {
  const rows = decileCalibration(actual, predicted);
  let sum = 0;
  let used = 0;
  let anyPredicted = false;
  for (const r of rows) {
    if (r.meanPredicted !== 0) anyPredicted = true;
    if (r.meanActual === 0) continue;
    sum += Math.abs(r.meanPredicted - r.meanActual) / Math.abs(r.meanActual);
    used++;
  }
  if (used === 0) return anyPredicted ? Number.POSITIVE_INFINITY : 0;
  return sum / used;
}

/**
 * Share of the total actual value held by the top `fraction` (default 10%) of customers by prediction:
 * the "top-decile capture". The top group holds n * fraction customers; a tie group that straddles the
 * cut counts in proportion (the expected share under a random order within the ties). Returns 0 when
 * the total actual value is 0.
 * @example topDecileCapture([0, 0, 0, 0, 0, 0, 0, 0, 0, 10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) // 1
 */
export function topDecileCapture(actual: NumberVector, predicted: NumberVector, fraction = 0.1): number {
  checkPaired(actual, predicted, "topDecileCapture");
  const n = actual.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += actual[i]!;
  if (total === 0) return 0;
  const order = orderBy(predicted, true);
  let remaining = Math.max(0, Math.min(1, fraction)) * n;
  let captured = 0;
  let start = 0;
  while (start < n && remaining > 0) {
    const v = predicted[order[start]!]!;
    let end = start;
    let s = 0;
    while (end < n && predicted[order[end]!]! === v) {
      s += actual[order[end]!]!;
      end++;
    }
    const k = end - start;
    const take = Math.min(k, remaining);
    captured += (s * take) / k;
    remaining -= take;
    start = end;
  }
  return captured / total;
}
