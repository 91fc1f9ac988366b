import { issue, ValuecastError } from "../errors/issues.ts";

/** A read-only vector of numbers: a plain array or any typed array. */
export type NumberVector = ArrayLike<number>;

/**
 * Checks that `actual` and `predicted` are non-empty, of equal length and finite; throws a
 * `ValuecastError` listing the first problems found otherwise (errors are data, never a NaN metric).
 * @example checkPaired([1, 2], [1.5, 2.5], "mae") // ok, returns nothing
 */
export function checkPaired(actual: NumberVector, predicted: NumberVector, metric: string): void {
  if (actual.length === 0) {
    throw new ValuecastError([issue("NOT_ENOUGH_DATA", `${metric} needs at least one customer`)]);
  }
  if (actual.length !== predicted.length) {
    throw new ValuecastError([
      issue("INVALID_DATA", `${metric}: ${actual.length} actual values but ${predicted.length} predictions`),
    ]);
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const p = predicted[i]!;
    if (!Number.isFinite(a) || !Number.isFinite(p)) {
      throw new ValuecastError([
        issue(
          "INVALID_DATA",
          `${metric}: ${Number.isFinite(a) ? "prediction" : "actual value"} at index ${i} is not a finite number`,
          { index: i },
        ),
      ]);
    }
  }
}

/**
 * Indices 0..n-1 ordered by `key` (descending when `descending`), ties kept in input order.
 * @example orderBy([3, 1, 2], false) // Uint32Array [1, 2, 0]
 */
export function orderBy(key: NumberVector, descending: boolean): Uint32Array {
  const n = key.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const sign = descending ? -1 : 1;
  // Typed-array sort with a comparator is stable in V8 for Uint32Array since Node 12 (TimSort).
  idx.sort((i, j) => sign * (key[i]! - key[j]!) || i - j);
  return idx;
}
