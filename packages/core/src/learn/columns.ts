import { issue, ValuecastError } from "../errors/issues.ts";
import type { FeatureRecord, FeatureSpec, FeatureValue } from "./encoder.ts";

/**
 * A categorical feature stored once per data set: each row holds the index of its label in `levels`,
 * or -1 when the value is missing (null, undefined or ""). Labels are compared once per distinct value
 * rather than once per row, which is what makes encoding and scoring a million rows cheap.
 */
export interface CategoryColumn {
  readonly levels: readonly string[];
  readonly codes: Int32Array;
}

/**
 * Features in columns: one Float64Array per numeric or amount feature (NaN = missing) and one
 * dictionary-encoded column per categorical feature. The columnar twin of `FeatureRecord[]`.
 */
export interface FeatureColumns {
  readonly rows: number;
  readonly numeric: Readonly<Record<string, Float64Array>>;
  readonly categorical: Readonly<Record<string, CategoryColumn>>;
}

/** Builds a dictionary-encoded column incrementally; `code(label)` returns the label's index. */
export interface CategoryDictionary {
  code(label: string | null | undefined): number;
  readonly levels: string[];
}

/**
 * A dictionary for building a `CategoryColumn` row by row. The last label seen is remembered, so runs
 * of one label (and the identical string objects a parser hands out) skip the hash lookup. The empty
 * string is missing (-1) unless `keepEmpty`: then it gets a level of its own, which the encoder still
 * reads as missing (so records rebuilt from the column keep the "" they had).
 * @example const d = categoryDictionary(); d.code("DE"); d.code(undefined) // 0, -1
 */
export function categoryDictionary(keepEmpty = false): CategoryDictionary {
  const index = new Map<string, number>();
  const levels: string[] = [];
  let last: string | undefined;
  let lastCode = -1;
  return {
    levels,
    code(label) {
      if (label === null || label === undefined || (label === "" && !keepEmpty)) return -1;
      if (label === last) return lastCode;
      let k = index.get(label);
      if (k === undefined) {
        k = levels.length;
        index.set(label, k);
        levels.push(label);
      }
      last = label;
      lastCode = k;
      return k;
    },
  };
}

/** Reads one feature of a record; a reader per field name keeps each property load monomorphic. */
export type FeatureReader = (record: FeatureRecord) => FeatureValue;

/**
 * Turns feature records into columns, the kinds taken from `specs` (numbers that are not finite, and
 * non-numbers, become NaN = missing; categorical values are labelled with `String(v)` as the encoder does).
 * `readers` may give a function per field name: `r.first_amount` written out is a load V8 caches for
 * the records' one shape, where `r[name]` with a changing name goes through a slow generic lookup.
 * @example const cols = featureColumns(records, EARLY_FEATURE_SPECS);
 */
export function featureColumns(
  records: readonly FeatureRecord[],
  specs: readonly FeatureSpec[],
  readers: Readonly<Record<string, FeatureReader>> = {},
): FeatureColumns {
  const n = records.length;
  const numeric: Record<string, Float64Array> = {};
  const categorical: Record<string, CategoryColumn> = {};
  for (const spec of specs) {
    const name = spec.name;
    if (spec.kind === "categorical") {
      if (Object.hasOwn(categorical, name)) continue;
      const dict = categoryDictionary();
      const codes = new Int32Array(n);
      const read = Object.hasOwn(readers, name) ? readers[name]! : (rec: FeatureRecord) => rec[name];
      for (let r = 0; r < n; r++) {
        const v = read(records[r]!);
        codes[r] = dict.code(v === null || v === undefined ? v : String(v));
      }
      categorical[name] = { levels: dict.levels, codes };
    } else {
      if (Object.hasOwn(numeric, name)) continue;
      const col = new Float64Array(n);
      const read = Object.hasOwn(readers, name) ? readers[name]! : (rec: FeatureRecord) => rec[name];
      for (let r = 0; r < n; r++) {
        const v = read(records[r]!);
        col[r] = typeof v === "number" && Number.isFinite(v) ? v : Number.NaN;
      }
      numeric[name] = col;
    }
  }
  return { rows: n, numeric, categorical };
}

/**
 * The rows `from` (inclusive) to `to` (exclusive) of columns, sharing their buffers (no copy).
 * @example sliceColumns(cols, 0, 1000)
 */
export function sliceColumns(columns: FeatureColumns, from: number, to: number): FeatureColumns {
  const numeric: Record<string, Float64Array> = {};
  const categorical: Record<string, CategoryColumn> = {};
  for (const [k, v] of Object.entries(columns.numeric)) numeric[k] = v.subarray(from, to);
  for (const [k, v] of Object.entries(columns.categorical)) {
    categorical[k] = { levels: v.levels, codes: v.codes.subarray(from, to) };
  }
  return { rows: to - from, numeric, categorical };
}

/**
 * The numeric column `name`, or an issue naming it when the columns lack it.
 * @example numericColumn(cols, "first_amount")[0]
 */
export function numericColumn(columns: FeatureColumns, name: string): Float64Array {
  const col = Object.hasOwn(columns.numeric, name) ? columns.numeric[name] : undefined;
  if (!col || col.length !== columns.rows) {
    throw new ValuecastError([
      issue(
        "INVALID_DATA",
        `feature columns lack the numeric column '${name}' (or it has the wrong length)`,
        {
          field: name,
        },
      ),
    ]);
  }
  return col;
}

/**
 * The categorical column `name`, or an issue naming it when the columns lack it.
 * @example const { levels, codes } = categoryColumn(cols, "channel");
 */
export function categoryColumn(columns: FeatureColumns, name: string): CategoryColumn {
  const col = Object.hasOwn(columns.categorical, name) ? columns.categorical[name] : undefined;
  if (!col || col.codes.length !== columns.rows) {
    throw new ValuecastError([
      issue(
        "INVALID_DATA",
        `feature columns lack the categorical column '${name}' (or it has the wrong length)`,
        { field: name },
      ),
    ]);
  }
  return col;
}

/**
 * The given rows of columns, in the given order (a copy; dictionaries are shared).
 * @example selectColumns(cols, Int32Array.of(0, 5, 9))
 */
export function selectColumns(columns: FeatureColumns, rows: ArrayLike<number>): FeatureColumns {
  const n = rows.length;
  const numeric: Record<string, Float64Array> = {};
  const categorical: Record<string, CategoryColumn> = {};
  for (const [k, v] of Object.entries(columns.numeric)) {
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) out[r] = v[rows[r]!]!;
    numeric[k] = out;
  }
  for (const [k, v] of Object.entries(columns.categorical)) {
    const codes = new Int32Array(n);
    for (let r = 0; r < n; r++) codes[r] = v.codes[rows[r]!]!;
    categorical[k] = { levels: v.levels, codes };
  }
  return { rows: n, numeric, categorical };
}
