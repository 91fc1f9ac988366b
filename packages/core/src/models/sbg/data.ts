import { type Issue, issue } from "../../errors/issues.ts";

/**
 * Contractual retention data for the sBG model: one survivor curve per cohort. `cohorts[c][t]` is the
 * number of customers of cohort c still active t periods after acquisition; `cohorts[c][0]` is the cohort
 * size. Cohorts may have different ages (lengths): the multi-cohort likelihood of Fader & Hardie's note
 * "Fitting the sBG Model to Multi-Cohort Data" sums each cohort's own likelihood. Counts may be fractional
 * (e.g. rescaled percentages), they act as weights.
 */
export interface SurvivorData {
  readonly cohorts: readonly Float64Array[];
}

/**
 * Builds `SurvivorData` from plain arrays, one survivor curve per cohort.
 * @example survivorData([[1000, 631, 468, 382, 326, 289, 262, 241]])
 */
export function survivorData(cohorts: readonly ArrayLike<number>[]): SurvivorData {
  return { cohorts: cohorts.map((c) => Float64Array.from(c)) };
}

/**
 * Every problem with survivor curves at once: each cohort needs at least two finite, non-negative
 * counts (the size and one later period), a positive size, and no period with more survivors than the one
 * before (customers cannot come back in this model).
 * @example validateSurvivors(survivorData([[1000, 1100]]), "sbg") // one BAD_SUMMARY_VALUE issue
 */
export function validateSurvivors(data: SurvivorData, model: string): Issue[] {
  if (data.cohorts.length === 0) return [issue("NOT_ENOUGH_DATA", `${model}: no cohorts`)];
  const issues: Issue[] = [];
  data.cohorts.forEach((c, i) => {
    const at = { index: i };
    if (c.length < 2) {
      issues.push(
        issue("NOT_ENOUGH_DATA", `${model}: cohort ${i} needs its size and at least one period`, at),
      );
      return;
    }
    if (!c.every((v) => Number.isFinite(v) && v >= 0)) {
      issues.push(issue("BAD_SUMMARY_VALUE", `${model}: cohort ${i} has a negative or non-finite count`, at));
      return;
    }
    if (!(c[0]! > 0)) issues.push(issue("BAD_SUMMARY_VALUE", `${model}: cohort ${i} has size 0`, at));
    for (let t = 1; t < c.length; t++) {
      if (c[t]! > c[t - 1]!) {
        issues.push(
          issue(
            "BAD_SUMMARY_VALUE",
            `${model}: cohort ${i} grows from ${c[t - 1]} to ${c[t]} survivors in period ${t}; survivor counts cannot increase`,
            at,
          ),
        );
        break;
      }
    }
  });
  return issues;
}

/**
 * Customers represented: the sum of cohort sizes.
 * @example survivorCount(survivorData([[1000, 631], [500, 300, 250]])) // 1500
 */
export function survivorCount(data: SurvivorData): number {
  let s = 0;
  for (const c of data.cohorts) s += c[0] ?? 0;
  return s;
}

/**
 * Likelihood cells: one per cohort and observed period (churn counts plus the surviving remainder).
 * @example survivorCells(survivorData([[1000, 631, 468]])) // 2
 */
export function survivorCells(data: SurvivorData): number {
  let s = 0;
  for (const c of data.cohorts) s += Math.max(0, c.length - 1);
  return s;
}
