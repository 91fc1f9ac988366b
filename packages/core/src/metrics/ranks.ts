import { type NumberVector, orderBy } from "./validate.ts";

/**
 * Ranks 1..n of `values` in ascending order; tied values share the average of the ranks they span
 * (the "fractional ranking" Spearman's rho needs, as in scipy.stats.rankdata(method="average")).
 * @example averageRanks([10, 20, 20, 5]) // Float64Array [2, 3.5, 3.5, 1]
 */
export function averageRanks(values: NumberVector): Float64Array {
  const n = values.length;
  const order = orderBy(values, false);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    const v = values[order[start]!]!;
    while (end < n && values[order[end]!]! === v) end++;
    // positions start..end-1 (0-based) hold ranks start+1..end; their mean is (start + 1 + end) / 2
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    start = end;
  }
  return ranks;
}
