import { issue, ValuecastError } from "../errors/issues.ts";

/**
 * A dense row-major feature matrix: value (row r, column c) is `values[r * cols + c]`. Plain data, so it
 * can cross a worker boundary or be built straight from a columnar reader.
 */
export interface FeatureMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly values: Float64Array;
  /** One name per column (e.g. "first_amount", "country=France"). */
  readonly names: readonly string[];
}

/**
 * Builds a FeatureMatrix from an array of rows; every row must have the same length.
 * @example featureMatrix([[1, 2], [3, 4]], ["a", "b"]) // { rows: 2, cols: 2, values: [1, 2, 3, 4], ... }
 */
export function featureMatrix(
  rows: readonly (readonly number[])[],
  names?: readonly string[],
): FeatureMatrix {
  const cols = rows[0]?.length ?? names?.length ?? 0;
  const values = new Float64Array(rows.length * cols);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.length !== cols) {
      throw new ValuecastError([
        issue("INVALID_DATA", `feature row ${r} has ${row.length} values, expected ${cols}`, { index: r }),
      ]);
    }
    values.set(row, r * cols);
  }
  return { rows: rows.length, cols, values, names: names ?? Array.from({ length: cols }, (_, c) => `x${c}`) };
}

/**
 * The rows `from` (inclusive) to `to` (exclusive) of a matrix, sharing its buffer (no copy).
 * @example sliceRows(m, 0, 10) // the first ten rows
 */
export function sliceRows(m: FeatureMatrix, from: number, to: number): FeatureMatrix {
  return {
    rows: to - from,
    cols: m.cols,
    values: m.values.subarray(from * m.cols, to * m.cols),
    names: m.names,
  };
}
