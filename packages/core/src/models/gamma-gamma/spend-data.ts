import { type Issue, issue, ValuecastError } from "../../errors/issues.ts";
import { finishHash, mixWord, ROW_HASH_SEED, rehash } from "../row-hash.ts";
import type { SpendData } from "../types.ts";

/**
 * What to do with repeat buyers whose mean spend is zero or negative (refunds, free orders).
 * @example spendData(x, zbar, undefined, { nonPositiveSpend: "drop" satisfies NonPositiveSpendPolicy })
 */
export type NonPositiveSpendPolicy = "reject" | "drop";

/**
 * The Gamma-Gamma input and what was left out of it.
 * @example const { data, withoutRepeat, dropped }: SpendDataResult = spendData(x, zbar);
 */
export interface SpendDataResult {
  readonly data: SpendData;
  /** Rows with x = 0 (no repeat purchase, so no mean repeat spend): never part of the Gamma-Gamma fit. */
  readonly withoutRepeat: number;
  /** Rows with x > 0 and mean spend <= 0 that were dropped (only with `nonPositiveSpend: "drop"`). */
  readonly dropped: number;
  /** Input positions of the dropped rows. */
  readonly droppedIndices: readonly number[];
}

const SHOWN = 10;

/** One NON_POSITIVE_SPEND issue saying how many rows and which (the first few). */
function nonPositiveIssue(where: readonly number[], model: string): Issue {
  const shown = where.slice(0, SHOWN).join(", ");
  const more = where.length > SHOWN ? ` and ${where.length - SHOWN} more` : "";
  return issue(
    "NON_POSITIVE_SPEND",
    `${model}: ${where.length} repeat buyer(s) have a mean spend <= 0 (rows ${shown}${more}); ` +
      'Gamma-Gamma needs positive spends: fix the amounts, or pass nonPositiveSpend: "drop" to leave them out',
    { index: where[0]! },
  );
}

/**
 * Builds Gamma-Gamma input from per-customer (x, zbar[, weight]). Customers with x = 0 have no mean
 * repeat spend and are left out (counted in `withoutRepeat`), as in Fader, Hardie & Lee (2005), who fit
 * the 946 CDNOW repeat buyers. A repeat buyer with zbar <= 0 is an error (NON_POSITIVE_SPEND, with the
 * count and rows) unless the caller asks explicitly to drop such rows.
 * @example spendData([0, 2, 1], [0, 22.35, 11.77]).data.zbar // Float64Array [22.35, 11.77]
 */
export function spendData(
  x: ArrayLike<number>,
  zbar: ArrayLike<number>,
  weight?: ArrayLike<number>,
  options: { readonly nonPositiveSpend?: NonPositiveSpendPolicy } = {},
): SpendDataResult {
  if (x.length !== zbar.length || (weight && weight.length !== x.length)) {
    throw new ValuecastError([
      issue("INVALID_DATA", "gamma-gamma: x, zbar and weight must have the same length"),
    ]);
  }
  // Typed arrays filled in one pass (a list of kept indices and Float64Array.from with a map function
  // boxed every element: about 0.1 s per million customers).
  const n = x.length;
  const keptX = new Float64Array(n);
  const keptZ = new Float64Array(n);
  const keptW = weight ? new Float64Array(n) : undefined;
  const nonPositive: number[] = [];
  let withoutRepeat = 0;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    if (xi === 0) {
      withoutRepeat++;
    } else if (zbar[i]! <= 0) {
      nonPositive.push(i);
    } else {
      keptX[m] = xi;
      keptZ[m] = zbar[i]!;
      if (keptW) keptW[m] = weight![i]!;
      m++;
    }
  }
  if (nonPositive.length > 0 && options.nonPositiveSpend !== "drop") {
    throw new ValuecastError([nonPositiveIssue(nonPositive, "gamma-gamma")]);
  }
  const data: SpendData = keptW
    ? { x: keptX.slice(0, m), zbar: keptZ.slice(0, m), weight: keptW.slice(0, m) }
    : { x: keptX.slice(0, m), zbar: keptZ.slice(0, m) };
  return { data, withoutRepeat, dropped: nonPositive.length, droppedIndices: nonPositive };
}

/**
 * Every problem with Gamma-Gamma input at once: lengths, non-finite values, x that is not a positive
 * whole number, and (as one issue with the count and rows) mean spends <= 0.
 * @example validateSpend({ x: Float64Array.of(1), zbar: Float64Array.of(-5) }, "gamma-gamma")[0].code // "NON_POSITIVE_SPEND"
 */
export function validateSpend(data: SpendData, model: string): Issue[] {
  const n = data.x.length;
  if (data.zbar.length !== n || (data.weight && data.weight.length !== n)) {
    return [issue("INVALID_DATA", `${model}: x, zbar and weight must have the same length`)];
  }
  if (n === 0) return [issue("NOT_ENOUGH_DATA", `${model}: no repeat buyers`)];
  const issues: Issue[] = [];
  const nonPositive: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = data.x[i]!;
    const z = data.zbar[i]!;
    const w = data.weight ? data.weight[i]! : 1;
    if (!Number.isFinite(x) || !Number.isFinite(z) || !Number.isFinite(w) || w < 0) {
      if (issues.length < 20)
        issues.push(
          issue("BAD_SUMMARY_VALUE", `${model}: row ${i} has a non-finite value or negative weight`, {
            index: i,
          }),
        );
    } else if (!(x >= 1) || !Number.isInteger(x)) {
      if (issues.length < 20)
        issues.push(
          issue(
            "INVALID_DATA",
            `${model}: row ${i} has x = ${x}; Gamma-Gamma uses repeat buyers only (x a whole number >= 1)`,
            { index: i },
          ),
        );
    } else if (z <= 0) {
      nonPositive.push(i);
    }
  }
  if (nonPositive.length > 0) issues.push(nonPositiveIssue(nonPositive, model));
  return issues;
}

/**
 * Sum of weights (customers represented).
 * @example spendCount({ x: Float64Array.of(1, 2), zbar: Float64Array.of(5, 6) }) // 2
 */
export function spendCount(data: SpendData): number {
  if (!data.weight) return data.x.length;
  let s = 0;
  for (let i = 0; i < data.weight.length; i++) s += data.weight[i]!;
  return s;
}

/** Equal as the old "x|zbar" string keys were: -0 equals 0 and NaN equals NaN. */
function sameKey(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * Unique (x, zbar) rows with summed weights: the likelihood is a weighted sum, so the fit is unchanged.
 * @example compressSpendData({ x: Float64Array.of(1, 1), zbar: Float64Array.of(5, 5) }).weight // [2]
 */
export function compressSpendData(data: SpendData): SpendData {
  // An open-addressing hash table over the raw bits of (x, zbar), as in compressRfmData: a Map keyed by
  // "x|zbar" strings took about 0.4 s per million rows. Slots hold (row + 1, full hash) side by side and
  // the distinct rows are stored interleaved, so a probe touches one cache line of the table and, only
  // when the hashes agree, one row; the table grows with the distinct rows (it stays in cache longer).
  // Same rows, same first-seen order, same weights.
  const n = data.x.length;
  let capacity = 1024;
  let mask = capacity - 1;
  let table = new Int32Array(2 * capacity);
  const keys = new Float64Array(2 * n);
  const w = new Float64Array(n);
  const bits = new Float64Array(2);
  const words = new Uint32Array(bits.buffer);
  const ws = data.weight;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const xi = data.x[i]!;
    const zi = data.zbar[i]!;
    const wi = ws ? ws[i]! : 1;
    // Keys as the string key had them: -0 is 0 (adding 0 folds it) and every NaN is one NaN.
    bits[0] = Number.isNaN(xi) ? Number.NaN : xi + 0;
    bits[1] = Number.isNaN(zi) ? Number.NaN : zi + 0;
    let h = ROW_HASH_SEED;
    h = mixWord(h, words[0]!);
    h = mixWord(h, words[1]!);
    h = mixWord(h, words[2]!);
    h = finishHash(h, words[3]!);
    let slot = h & mask;
    for (;;) {
      const at = table[2 * slot]! - 1;
      if (at < 0) {
        table[2 * slot] = m + 1;
        table[2 * slot + 1] = h;
        keys[2 * m] = xi;
        keys[2 * m + 1] = zi;
        w[m] = wi;
        m++;
        if (2 * m > capacity) {
          capacity *= 2;
          mask = capacity - 1;
          table = rehash(table, capacity);
        }
        break;
      }
      if (table[2 * slot + 1] === h && sameKey(keys[2 * at]!, xi) && sameKey(keys[2 * at + 1]!, zi)) {
        w[at] = w[at]! + wi;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  const x = new Float64Array(m);
  const z = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    x[k] = keys[2 * k]!;
    z[k] = keys[2 * k + 1]!;
  }
  return { x, zbar: z, weight: w.slice(0, m) };
}

/**
 * Every `stride`-th row, weights kept: the subsample `fitModel` finds a warm start on for large inputs.
 * @example subsampleSpendData({ x: Float64Array.of(1, 2, 3), zbar: Float64Array.of(5, 6, 7) }, 2).x // [1, 3]
 */
export function subsampleSpendData(data: SpendData, stride: number): SpendData {
  const step = Math.max(1, Math.floor(stride));
  const m = Math.ceil(data.x.length / step);
  const x = new Float64Array(m);
  const zbar = new Float64Array(m);
  const w = data.weight ? new Float64Array(m) : undefined;
  for (let k = 0, i = 0; k < m; k++, i += step) {
    x[k] = data.x[i]!;
    zbar[k] = data.zbar[i]!;
    if (w) w[k] = data.weight![i]!;
  }
  return w ? { x, zbar, weight: w } : { x, zbar };
}
