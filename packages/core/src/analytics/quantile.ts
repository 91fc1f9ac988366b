/**
 * Quantile of sorted values by linear interpolation between order statistics (Hyndman & Fan 1996
 * type 7, the default of R's `quantile` and NumPy's `percentile`). `sorted` must be ascending and
 * non-empty; `p` is clamped to [0, 1].
 * @example quantileSorted([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  const q = Math.min(1, Math.max(0, p));
  const raw = (n - 1) * q;
  // snap float noise such as (1 - 0.9) / 2 = 0.04999999999999999 to the order statistic it means
  const h = Math.abs(raw - Math.round(raw)) < 1e-9 ? Math.round(raw) : raw;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

/**
 * Quantiles of unsorted values (copied and sorted once); null for an empty input.
 * @example quantiles([3, 1, 2], [0, 0.5, 1]) // [1, 2, 3]
 */
export function quantiles(values: ArrayLike<number>, ps: readonly number[]): number[] | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return ps.map((p) => quantileSorted(sorted, p));
}
