import { type Issue, issue } from "../../errors/issues.ts";
import type { DiscreteRfData } from "../types.ts";

/**
 * Builds `DiscreteRfData` (x transactions in n opportunities, the last at opportunity t_x) from arrays.
 * @example discreteRfData([0, 2], [0, 4], [6, 6], [3464, 155])
 */
export function discreteRfData(
  x: ArrayLike<number>,
  t_x: ArrayLike<number>,
  n: ArrayLike<number>,
  weight?: ArrayLike<number>,
): DiscreteRfData {
  const base = { x: Float64Array.from(x), t_x: Float64Array.from(t_x), n: Float64Array.from(n) };
  return weight ? { ...base, weight: Float64Array.from(weight) } : base;
}

/**
 * Every problem with BG/BB data at once (up to 20 rows, then a summary issue): equal lengths, finite
 * integer values, 0 <= x <= t_x <= n, n >= 1, x = 0 exactly when t_x = 0, and weights >= 0.
 * @example validateDiscreteRf(discreteRfData([1], [0], [6]), "bgbb") // one BAD_SUMMARY_VALUE issue
 */
export function validateDiscreteRf(data: DiscreteRfData, model: string): Issue[] {
  const rows = data.x.length;
  if (data.t_x.length !== rows || data.n.length !== rows || (data.weight && data.weight.length !== rows)) {
    return [issue("INVALID_DATA", `${model}: x, t_x, n and weight must have the same length`)];
  }
  if (rows === 0) return [issue("NOT_ENOUGH_DATA", `${model}: no customers`)];
  const issues: Issue[] = [];
  const max = 20;
  for (let i = 0; i < rows && issues.length < max; i++) {
    const x = data.x[i]!;
    const tx = data.t_x[i]!;
    const n = data.n[i]!;
    const w = data.weight ? data.weight[i]! : 1;
    const bad = (message: string) =>
      issues.push(issue("BAD_SUMMARY_VALUE", `${model}: row ${i} ${message}`, { index: i }));
    if (![x, tx, n, w].every(Number.isFinite)) bad("has a non-finite value");
    else if (!Number.isInteger(x) || !Number.isInteger(tx) || !Number.isInteger(n))
      bad(`needs whole numbers of opportunities (x = ${x}, t_x = ${tx}, n = ${n})`);
    else if (w < 0) bad(`has a negative weight ${w}`);
    else if (n < 1) bad(`needs n >= 1 transaction opportunities (n = ${n})`);
    else if (!(0 <= x && x <= tx && tx <= n))
      bad(`needs 0 <= x <= t_x <= n (x = ${x}, t_x = ${tx}, n = ${n})`);
    else if ((x === 0) !== (tx === 0)) bad(`needs t_x = 0 exactly when x = 0 (x = ${x}, t_x = ${tx})`);
  }
  if (issues.length === max) issues.push(issue("BAD_SUMMARY_VALUE", `${model}: further rows not checked`));
  return issues;
}

/**
 * Customers represented (the sum of weights, or the row count without weights).
 * @example discreteRfCount(discreteRfData([0, 1], [0, 1], [6, 6], [10, 5])) // 15
 */
export function discreteRfCount(data: DiscreteRfData): number {
  if (!data.weight) return data.x.length;
  let s = 0;
  for (let i = 0; i < data.weight.length; i++) s += data.weight[i]!;
  return s;
}

/**
 * Compresses to unique (x, t_x, n) patterns with summed weights. The BG/BB likelihood is a weighted sum
 * over customers, so the estimates are identical; with a few opportunities there are very few patterns
 * (6 opportunities give at most 22, as in the donation data).
 * @example compressDiscreteRf(discreteRfData([1, 1], [2, 2], [6, 6])).weight // Float64Array [2]
 */
export function compressDiscreteRf(data: DiscreteRfData): DiscreteRfData {
  const index = new Map<string, number>();
  const x: number[] = [];
  const tx: number[] = [];
  const n: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < data.x.length; i++) {
    const key = `${data.x[i]}|${data.t_x[i]}|${data.n[i]}`;
    const wi = data.weight ? data.weight[i]! : 1;
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, x.length);
      x.push(data.x[i]!);
      tx.push(data.t_x[i]!);
      n.push(data.n[i]!);
      w.push(wi);
    } else {
      w[at] = w[at]! + wi;
    }
  }
  return discreteRfData(x, tx, n, w);
}

/**
 * Every `stride`-th row, weights kept (warm starts on very large inputs).
 * @example subsampleDiscreteRf(data, 10)
 */
export function subsampleDiscreteRf(data: DiscreteRfData, stride: number): DiscreteRfData {
  const idx: number[] = [];
  for (let i = 0; i < data.x.length; i += Math.max(1, Math.floor(stride))) idx.push(i);
  const pick = (a: Float64Array) => Float64Array.from(idx, (i) => a[i]!);
  const weight = data.weight;
  return {
    x: pick(data.x),
    t_x: pick(data.t_x),
    n: pick(data.n),
    ...(weight ? { weight: pick(weight) } : {}),
  };
}
