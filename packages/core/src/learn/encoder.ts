import { issue, ValuecastError } from "../errors/issues.ts";
import type { FeatureMatrix } from "./matrix.ts";

/** One raw feature value: a number, a category label, or missing. */
export type FeatureValue = number | string | null | undefined;
/** One customer's raw features by name. */
export type FeatureRecord = Readonly<Record<string, FeatureValue>>;

/**
 * How a raw feature becomes model inputs.
 * - `numeric`: standardised, (x - mean) / sd, mean and sd from the training rows;
 * - `amount`: money, log1p(max(x, 0)) then standardised (spend is heavy-tailed; the log keeps one big
 *   order from dominating the inputs, and refunds below 0 are floored at 0);
 * - `categorical`: one-hot against a named reference level (no column of its own); levels seen fewer than
 *   `minCount` times in training (default 10), and levels first seen when scoring, share an "(other)" column.
 */
export type FeatureSpec =
  | { readonly name: string; readonly kind: "numeric" | "amount" }
  | {
      readonly name: string;
      readonly kind: "categorical";
      readonly minCount?: number;
      readonly reference?: string;
    };

/** A fitted numeric or amount feature. */
export interface NumericEncoding {
  readonly name: string;
  readonly kind: "numeric" | "amount";
  readonly mean: number;
  readonly sd: number;
}

/** A fitted categorical feature: `levels` get one column each, in order, then one "(other)" column. */
export interface CategoricalEncoding {
  readonly name: string;
  readonly kind: "categorical";
  readonly reference: string;
  readonly levels: readonly string[];
}

/** A fitted encoder: plain JSON-serialisable data. */
export interface FeatureEncoder {
  readonly features: readonly (NumericEncoding | CategoricalEncoding)[];
  /** Names of the encoded columns, in order. */
  readonly names: readonly string[];
}

/**
 * The label used for a missing categorical value.
 * @example encoder.names.includes(`channel=${MISSING_LEVEL}`)
 */
export const MISSING_LEVEL = "(missing)";
/**
 * The suffix of the column that pools rare and unseen levels.
 * @example encoder.names.indexOf(`country=${OTHER_LEVEL}`)
 */
export const OTHER_LEVEL = "(other)";

function numericValue(v: FeatureValue, kind: "numeric" | "amount"): number | undefined {
  if (typeof v !== "number" || !Number.isFinite(v)) return undefined;
  return kind === "amount" ? Math.log1p(Math.max(0, v)) : v;
}

function levelOf(v: FeatureValue): string {
  return v === null || v === undefined || v === "" ? MISSING_LEVEL : String(v);
}

/**
 * Fits the encoder on the TRAINING records only (means, sds, frequent levels, reference levels), so that
 * nothing about the scored customers leaks into how their features are read.
 * Missing numeric values are imputed with the training mean (they encode as 0).
 * @example
 * const enc = fitEncoder(train, [{ name: "first_amount", kind: "amount" }, { name: "country", kind: "categorical" }]);
 */
export function fitEncoder(records: readonly FeatureRecord[], specs: readonly FeatureSpec[]): FeatureEncoder {
  if (records.length === 0) throw new ValuecastError([issue("NOT_ENOUGH_DATA", "no training records")]);
  const features: (NumericEncoding | CategoricalEncoding)[] = [];
  const names: string[] = [];
  for (const spec of specs) {
    if (spec.kind === "categorical") {
      const counts = new Map<string, number>();
      for (const r of records) {
        const level = levelOf(r[spec.name]);
        counts.set(level, (counts.get(level) ?? 0) + 1);
      }
      // most frequent first; ties by name so the encoding does not depend on record order
      const byCount = [...counts.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
      const reference = spec.reference ?? byCount[0]![0];
      if (!counts.has(reference)) {
        throw new ValuecastError([
          issue(
            "BAD_OPTION_VALUE",
            `reference level '${reference}' of ${spec.name} does not occur in training`,
            {
              field: spec.name,
            },
          ),
        ]);
      }
      const minCount = spec.minCount ?? 10;
      const levels = byCount.filter(([l, c]) => c >= minCount && l !== reference).map(([l]) => l);
      features.push({ name: spec.name, kind: "categorical", reference, levels });
      for (const l of levels) names.push(`${spec.name}=${l}`);
      names.push(`${spec.name}=${OTHER_LEVEL}`);
    } else {
      let sum = 0;
      let n = 0;
      for (const r of records) {
        const v = numericValue(r[spec.name], spec.kind);
        if (v !== undefined) {
          sum += v;
          n++;
        }
      }
      const mean = n > 0 ? sum / n : 0;
      let ss = 0;
      for (const r of records) {
        const v = numericValue(r[spec.name], spec.kind);
        if (v !== undefined) ss += (v - mean) * (v - mean);
      }
      const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
      // a constant column would divide by 0; sd = 1 leaves it as a harmless constant 0 input
      features.push({ name: spec.name, kind: spec.kind, mean, sd: sd > 0 ? sd : 1 });
      names.push(spec.name);
    }
  }
  return { features, names };
}

/**
 * Encodes records with a fitted encoder into a dense matrix (columns as `encoder.names`).
 * @example const X = encodeFeatures(enc, scoredRecords);
 */
export function encodeFeatures(encoder: FeatureEncoder, records: readonly FeatureRecord[]): FeatureMatrix {
  const cols = encoder.names.length;
  const n = records.length;
  const values = new Float64Array(n * cols);
  const lookups = encoder.features.map((f) =>
    f.kind === "categorical" ? new Map(f.levels.map((l, k) => [l, k])) : undefined,
  );
  // Blocks of rows, features within a block: the block's slice of the matrix stays in cache while every
  // feature writes its columns (sweeping a 1M-row matrix once per feature costs GBs of memory traffic).
  const BLOCK = 2048;
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const r1 = Math.min(n, r0 + BLOCK);
    let c = 0;
    for (let k = 0; k < encoder.features.length; k++) {
      const f = encoder.features[k]!;
      const name = f.name;
      if (f.kind === "categorical") {
        const lookup = lookups[k]!;
        const other = f.levels.length;
        for (let r = r0; r < r1; r++) {
          const level = levelOf(records[r]![name]);
          if (level === f.reference) continue;
          values[r * cols + c + (lookup.get(level) ?? other)] = 1;
        }
        c += f.levels.length + 1;
      } else {
        const { kind, mean, sd } = f;
        for (let r = r0; r < r1; r++) {
          const v = numericValue(records[r]![name], kind);
          values[r * cols + c] = v === undefined ? 0 : (v - mean) / sd;
        }
        c += 1;
      }
    }
  }
  return { rows: n, cols, values, names: encoder.names };
}
