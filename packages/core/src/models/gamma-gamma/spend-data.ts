import { type Issue, issue, ValuecastError } from "../../errors/issues.ts";
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
  const keep: number[] = [];
  const nonPositive: number[] = [];
  let withoutRepeat = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === 0) {
      withoutRepeat++;
    } else if (zbar[i]! <= 0) {
      nonPositive.push(i);
    } else {
      keep.push(i);
    }
  }
  if (nonPositive.length > 0 && options.nonPositiveSpend !== "drop") {
    throw new ValuecastError([nonPositiveIssue(nonPositive, "gamma-gamma")]);
  }
  const pick = (a: ArrayLike<number>) => Float64Array.from(keep, (i) => a[i]!);
  const data: SpendData = weight
    ? { x: pick(x), zbar: pick(zbar), weight: pick(weight) }
    : { x: pick(x), zbar: pick(zbar) };
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

/**
 * Unique (x, zbar) rows with summed weights: the likelihood is a weighted sum, so the fit is unchanged.
 * @example compressSpendData({ x: Float64Array.of(1, 1), zbar: Float64Array.of(5, 5) }).weight // [2]
 */
export function compressSpendData(data: SpendData): SpendData {
  const at = new Map<string, number>();
  const x: number[] = [];
  const z: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < data.x.length; i++) {
    const key = `${data.x[i]}|${data.zbar[i]}`;
    const wi = data.weight ? data.weight[i]! : 1;
    const k = at.get(key);
    if (k === undefined) {
      at.set(key, x.length);
      x.push(data.x[i]!);
      z.push(data.zbar[i]!);
      w.push(wi);
    } else {
      w[k] = w[k]! + wi;
    }
  }
  return { x: Float64Array.from(x), zbar: Float64Array.from(z), weight: Float64Array.from(w) };
}
