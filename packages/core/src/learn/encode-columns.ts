import { issue, ValuecastError } from "../errors/issues.ts";
import { type CategoryColumn, categoryColumn, type FeatureColumns, numericColumn } from "./columns.ts";
import {
  type CategoricalEncoding,
  type FeatureEncoder,
  type FeatureSpec,
  MISSING_LEVEL,
  type NumericEncoding,
  OTHER_LEVEL,
} from "./encoder.ts";

/**
 * Encoded features in sparse form: each row has one slot per feature, holding the dense column the
 * feature writes to and the value written there (the standardised number, or 1 for the row's one-hot
 * column, or 0 for a categorical at its reference level). Every other dense column of the row is 0, so
 * a layer's product with the row needs `slots` multiply-adds instead of `cols`, and a slot row is a
 * quarter the size of a dense one-hot row. Slots are in column order, so sums over them add the same
 * non-zero terms in the same order as the dense product: results are bit-identical to the dense path.
 */
export interface EncodedFeatures {
  readonly rows: number;
  /** Number of dense columns (`encoder.names.length`). */
  readonly cols: number;
  readonly names: readonly string[];
  /** Slots per row: the number of encoded features. */
  readonly slots: number;
  /** rows x slots values, row-major. */
  readonly values: Float64Array;
  /** rows x slots dense column indices, row-major, ascending within a row. */
  readonly columns: Int32Array;
}

/** The encoder's label of a code: missing (-1) and "" are both the missing level, as in `encodeFeatures`. */
const levelLabel = (levels: readonly string[], code: number): string =>
  code < 0 || levels[code] === "" ? MISSING_LEVEL : levels[code]!;

/**
 * `fitEncoder` on columns: the same encoder (means, sds, levels, references, in the same floating-point
 * order), counting each categorical level once per distinct code instead of once per row.
 * @example const enc = fitEncoderColumns(featureColumns(train, EARLY_FEATURE_SPECS), EARLY_FEATURE_SPECS);
 */
export function fitEncoderColumns(columns: FeatureColumns, specs: readonly FeatureSpec[]): FeatureEncoder {
  const n = columns.rows;
  if (n === 0) throw new ValuecastError([issue("NOT_ENOUGH_DATA", "no training records")]);
  const features: (NumericEncoding | CategoricalEncoding)[] = [];
  const names: string[] = [];
  for (const spec of specs) {
    if (spec.kind === "categorical") {
      const { levels: dict, codes } = categoryColumn(columns, spec.name);
      const perCode = new Float64Array(dict.length + 1); // slot 0 = missing, k + 1 = code k
      for (let r = 0; r < n; r++) perCode[codes[r]! + 1]!++;
      const counts = new Map<string, number>();
      for (let k = -1; k < dict.length; k++) {
        const c = perCode[k + 1]!;
        if (c === 0) continue;
        // a literal "(missing)" label and a missing value are the same level, as in fitEncoder
        const label = levelLabel(dict, k);
        counts.set(label, (counts.get(label) ?? 0) + c);
      }
      // most frequent first; ties by name (the rule of fitEncoder)
      const byCount = [...counts.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
      const reference = spec.reference ?? byCount[0]![0];
      if (!counts.has(reference)) {
        throw new ValuecastError([
          issue(
            "BAD_OPTION_VALUE",
            `reference level '${reference}' of ${spec.name} does not occur in training`,
            { field: spec.name },
          ),
        ]);
      }
      const minCount = spec.minCount ?? 10;
      const levels = byCount.filter(([l, c]) => c >= minCount && l !== reference).map(([l]) => l);
      features.push({ name: spec.name, kind: "categorical", reference, levels });
      for (const l of levels) names.push(`${spec.name}=${l}`);
      names.push(`${spec.name}=${OTHER_LEVEL}`);
    } else {
      const col = numericColumn(columns, spec.name);
      const amount = spec.kind === "amount";
      let sum = 0;
      let m = 0;
      for (let r = 0; r < n; r++) {
        const x = col[r]!;
        // x - x is 0 exactly for finite x (NaN for NaN and +-Infinity): the encoder's "missing"
        if (x - x === 0) {
          sum += amount ? Math.log1p(Math.max(0, x)) : x;
          m++;
        }
      }
      const mean = m > 0 ? sum / m : 0;
      let ss = 0;
      for (let r = 0; r < n; r++) {
        const x = col[r]!;
        if (x - x === 0) {
          const v = amount ? Math.log1p(Math.max(0, x)) : x;
          ss += (v - mean) * (v - mean);
        }
      }
      const sd = m > 1 ? Math.sqrt(ss / (m - 1)) : 0;
      // a constant column would divide by 0; sd = 1 leaves it as a harmless constant 0 input
      features.push({ name: spec.name, kind: spec.kind, mean, sd: sd > 0 ? sd : 1 });
      names.push(spec.name);
    }
  }
  return { features, names };
}

/**
 * For one categorical feature, the dense column of each code of `column` (index code + 1; index 0 is
 * the missing value), or -1 for the reference level: computed once per distinct label, not per row.
 */
function columnOfCode(f: CategoricalEncoding, column: CategoryColumn, first: number): Int32Array {
  const lookup = new Map(f.levels.map((l, k) => [l, k]));
  const other = f.levels.length;
  const out = new Int32Array(column.levels.length + 1);
  for (let k = -1; k < column.levels.length; k++) {
    const label = levelLabel(column.levels, k);
    out[k + 1] = label === f.reference ? -1 : first + (lookup.get(label) ?? other);
  }
  return out;
}

/**
 * Writes the slot rows `from .. to` of `columns` into `values` / `cols` (from index 0), `S` =
 * `encoder.features.length` slots per row. Made once per (encoder, columns): the category-to-column maps
 * are built here, so a caller can encode a million rows chunk by chunk into one small reused buffer.
 */
export type SlotWriter = (from: number, to: number, values: Float64Array, cols: Int32Array) => void;

/**
 * A `SlotWriter` for `columns` under `encoder` (see `encodeColumns` for the values written).
 * @example const write = slotWriter(encoder, columns); write(0, 1024, values, cols);
 */
export function slotWriter(encoder: FeatureEncoder, columns: FeatureColumns): SlotWriter {
  const S = encoder.features.length;
  type Step = (from: number, to: number, values: Float64Array, cols: Int32Array) => void;
  const steps: Step[] = [];
  let c = 0;
  for (let s = 0; s < S; s++) {
    const f = encoder.features[s]!;
    const first = c;
    if (f.kind === "categorical") {
      const column = categoryColumn(columns, f.name);
      const map = columnOfCode(f, column, first);
      const codes = column.codes;
      steps.push((from, to, values, cols) => {
        for (let r = from, at = s; r < to; r++, at += S) {
          const col = map[codes[r]! + 1]!;
          // the reference level has no column: value 0 at the feature's first column adds nothing
          if (col < 0) {
            cols[at] = first;
            values[at] = 0;
          } else {
            cols[at] = col;
            values[at] = 1;
          }
        }
      });
      c += f.levels.length + 1;
    } else {
      const x = numericColumn(columns, f.name);
      const { mean, sd } = f;
      if (f.kind === "amount") {
        steps.push((from, to, values, cols) => {
          for (let r = from, at = s; r < to; r++, at += S) {
            const v = x[r]!;
            cols[at] = first;
            values[at] = v - v === 0 ? (Math.log1p(Math.max(0, v)) - mean) / sd : 0;
          }
        });
      } else {
        steps.push((from, to, values, cols) => {
          for (let r = from, at = s; r < to; r++, at += S) {
            const v = x[r]!;
            cols[at] = first;
            values[at] = v - v === 0 ? (v - mean) / sd : 0;
          }
        });
      }
      c += 1;
    }
  }
  if (c !== encoder.names.length) {
    throw new ValuecastError([
      issue("INVALID_DATA", `encoder has ${encoder.names.length} names but its features make ${c} columns`),
    ]);
  }
  // each step writes row r at (r - from) * S + its slot: buffers start at the chunk's first row
  return (from, to, values, cols) => {
    for (const step of steps) step(from, to, values, cols);
  };
}

/**
 * Encodes feature columns with a fitted encoder into the sparse slot form: the same values as
 * `encodeFeatures` on the equivalent records, one tight loop per feature over typed arrays.
 * @example const E = encodeColumns(encoder, featureColumns(records, EARLY_FEATURE_SPECS));
 */
export function encodeColumns(encoder: FeatureEncoder, columns: FeatureColumns): EncodedFeatures {
  const n = columns.rows;
  const S = encoder.features.length;
  const values = new Float64Array(n * S);
  const cols = new Int32Array(n * S);
  slotWriter(encoder, columns)(0, n, values, cols);
  return { rows: n, cols: encoder.names.length, names: encoder.names, slots: S, values, columns: cols };
}

/**
 * The rows `from` (inclusive) to `to` (exclusive) of encoded features, sharing the buffers.
 * @example sliceEncoded(E, 0, 1000)
 */
export function sliceEncoded(e: EncodedFeatures, from: number, to: number): EncodedFeatures {
  return {
    ...e,
    rows: to - from,
    values: e.values.subarray(from * e.slots, to * e.slots),
    columns: e.columns.subarray(from * e.slots, to * e.slots),
  };
}
