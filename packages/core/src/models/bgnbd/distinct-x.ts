/**
 * The distinct values of a frequency column and, per row, the index of its value. Likelihoods tabulate
 * their x-dependent special-function terms (lgamma(r + x), digamma(b + x), ...) once per distinct x per
 * evaluation instead of once per row: real data have a few hundred distinct x over millions of rows.
 * @example const { values, index }: DistinctX = distinctX(data.x); // values[index[i]] === data.x[i]
 */
export interface DistinctX {
  /** The distinct values, in first-seen order. */
  readonly values: Float64Array;
  /** For each row, the position of its x in `values`. */
  readonly index: Int32Array;
}

// Cached per x column: the data object is immutable during a fit, and the index costs one pass.
const cache = new WeakMap<Float64Array, DistinctX>();

/**
 * Distinct values of `x` with a per-row index, computed once per array and cached. Callers compare
 * `values[index[i]]` with `x[i]` as they go and pass `rebuild = true` if the array was changed in place
 * since (a reused buffer), so a stale cache can never give a wrong likelihood.
 * @example distinctX(Float64Array.of(0, 2, 0)).values // Float64Array [0, 2]
 */
export function distinctX(x: Float64Array, rebuild = false): DistinctX {
  const hit = rebuild ? undefined : cache.get(x);
  if (hit && hit.index.length === x.length) return hit;
  const at = new Map<number, number>();
  const values: number[] = [];
  const index = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    let k = at.get(v);
    if (k === undefined) {
      k = values.length;
      at.set(v, k);
      values.push(v);
    }
    index[i] = k;
  }
  const result = { values: Float64Array.from(values), index };
  cache.set(x, result);
  return result;
}
