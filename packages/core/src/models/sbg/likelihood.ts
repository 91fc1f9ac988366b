import type { SurvivorData } from "./data.ts";
import type { SbgParams } from "./params.ts";

/**
 * ln P(T = t), ln S(t) and their derivatives for t = 0..maxT (index t), by the recursions of
 * Fader & Hardie (2007, eq. 7): S(t) = S(t - 1) (beta + t - 1) / (alpha + beta + t - 1) and
 * P(T = t) = S(t - 1) alpha / (alpha + beta + t - 1). Accumulating logs of these exact ratios avoids
 * the cancellation of ln B(alpha, beta + t) - ln B(alpha, beta) from large log-gammas; log1p keeps
 * ln(1 - alpha / (alpha + beta + j)) accurate when beta is large.
 */
export interface SbgTables {
  readonly logP: Float64Array;
  readonly logS: Float64Array;
  readonly dLogPdAlpha: Float64Array;
  readonly dLogPdBeta: Float64Array;
  readonly dLogSdAlpha: Float64Array;
  readonly dLogSdBeta: Float64Array;
}

/**
 * Builds the sBG log-probability tables for periods 0..maxT (entry 0 of the P tables is unused).
 * @example sbgTables({ alpha: 0.704, beta: 1.182 }, 7).logS[7] // ln S(7)
 */
export function sbgTables(p: SbgParams, maxT: number): SbgTables {
  const { alpha, beta } = p;
  const size = maxT + 1;
  const logP = new Float64Array(size);
  const logS = new Float64Array(size);
  const dPa = new Float64Array(size);
  const dPb = new Float64Array(size);
  const dSa = new Float64Array(size);
  const dSb = new Float64Array(size);
  logP[0] = Number.NEGATIVE_INFINITY;
  for (let t = 1; t < size; t++) {
    const ab = alpha + beta + t - 1;
    logP[t] = logS[t - 1]! + Math.log(alpha / ab);
    dPa[t] = dSa[t - 1]! + 1 / alpha - 1 / ab;
    dPb[t] = dSb[t - 1]! - 1 / ab;
    logS[t] = logS[t - 1]! - Math.log1p(alpha / (beta + t - 1));
    dSa[t] = dSa[t - 1]! - 1 / ab;
    dSb[t] = dSb[t - 1]! + 1 / (beta + t - 1) - 1 / ab;
  }
  return { logP, logS, dLogPdAlpha: dPa, dLogPdBeta: dPb, dLogSdAlpha: dSa, dLogSdBeta: dSb };
}

/**
 * Total sBG log-likelihood of one or several cohorts' survivor curves (Fader & Hardie 2007, eq. 9;
 * for cohorts of different ages, Fader & Hardie, "Fitting the sBG Model to Multi-Cohort Data", which sums
 * the cohorts' log-likelihoods):
 *   LL = sum_c [ sum_{t=1}^{T_c} (n_c,t-1 - n_c,t) ln P(T = t) + n_c,T_c ln S(T_c) ],
 * customers lost in period t contribute P(T = t), those still active at the end of the cohort's
 * observation contribute S(T_c). With `grad`, writes d LL / d(alpha, beta). Never NaN: -Infinity for
 * impossible parameters.
 * @example sbgLogLikelihood(Float64Array.of(0.704, 1.182), survivorData([[1000, 631, 468, 382, 326, 289, 262, 241]]))
 */
export function sbgLogLikelihood(params: Float64Array, data: SurvivorData, grad?: Float64Array): number {
  const alpha = params[0]!;
  const beta = params[1]!;
  if (grad) grad.fill(0, 0, 2);
  if (!(alpha > 0 && beta > 0 && Number.isFinite(alpha) && Number.isFinite(beta))) {
    return Number.NEGATIVE_INFINITY;
  }
  let maxT = 0;
  for (const c of data.cohorts) maxT = Math.max(maxT, c.length - 1);
  const tab = sbgTables({ alpha, beta }, maxT);
  let ll = 0;
  let gA = 0;
  let gB = 0;
  for (const c of data.cohorts) {
    const T = c.length - 1;
    for (let t = 1; t <= T; t++) {
      const lost = c[t - 1]! - c[t]!;
      // Skipping empty cells avoids 0 * (-Infinity) when a probability underflows.
      if (lost === 0) continue;
      ll += lost * tab.logP[t]!;
      gA += lost * tab.dLogPdAlpha[t]!;
      gB += lost * tab.dLogPdBeta[t]!;
    }
    const alive = T >= 1 ? c[T]! : 0;
    if (alive !== 0) {
      ll += alive * tab.logS[T]!;
      gA += alive * tab.dLogSdAlpha[T]!;
      gB += alive * tab.dLogSdBeta[T]!;
    }
  }
  if (Number.isNaN(ll)) return Number.NEGATIVE_INFINITY;
  if (grad) {
    grad[0] = gA;
    grad[1] = gB;
  }
  return ll;
}

/**
 * One cohort's log-likelihood (Fader & Hardie 2007, eq. 9).
 * @example sbgCohortLogLikelihood({ alpha: 1, beta: 1 }, [1000, 869, 743, 653, 593, 551, 517, 491])
 */
export function sbgCohortLogLikelihood(p: SbgParams, survivors: ArrayLike<number>): number {
  return sbgLogLikelihood(Float64Array.of(p.alpha, p.beta), { cohorts: [Float64Array.from(survivors)] });
}
