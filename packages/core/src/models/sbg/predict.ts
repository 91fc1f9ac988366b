import { issue, ValuecastError } from "../../errors/issues.ts";
import type { SbgParams } from "./params.ts";
import { betaGeometricSurvival, betaGeometricSurvivalSum, discountedSurvivalSeries } from "./survival.ts";

function checkDiscount(d: number): number {
  if (!(d >= 0) || d === Number.POSITIVE_INFINITY) {
    throw new ValuecastError([
      issue("INVALID_PARAMETER", `sbg: the discount rate must be finite and >= 0 (got ${d})`, { field: "d" }),
    ]);
  }
  return 1 / (1 + d);
}

/**
 * P(T = t): the probability that a newly acquired customer churns in period t = 1, 2, ...
 * (Fader & Hardie 2007, eq. 6: B(alpha + 1, beta + t - 1) / B(alpha, beta)). 0 for t < 1.
 * @example sbgChurnProbability({ alpha: 0.704, beta: 1.182 }, 1) // 0.3733 = alpha / (alpha + beta)
 */
export function sbgChurnProbability(p: SbgParams, t: number): number {
  if (!(t >= 1)) return 0;
  // P(T = t) = S(t - 1) alpha / (alpha + beta + t - 1)  (eq. 7, from the recursion)
  return (betaGeometricSurvival(p.alpha, p.beta, t - 1) * p.alpha) / (p.alpha + p.beta + t - 1);
}

/**
 * S(t): the share of a cohort still active t periods after acquisition (Fader & Hardie 2007, eq. 3:
 * B(alpha, beta + t) / B(alpha, beta)). Decreasing from S(0) = 1.
 * @example sbgSurvival({ alpha: 0.704, beta: 1.182 }, 7) // 0.2417 (the "Regular" segment, year 7)
 */
export function sbgSurvival(p: SbgParams, t: number): number {
  return betaGeometricSurvival(p.alpha, p.beta, t);
}

/**
 * Retention rate r(t) = S(t) / S(t - 1) = (beta + t - 1) / (alpha + beta + t - 1) for t >= 1
 * (Fader & Hardie 2007, eq. 8). It increases with t: the customers most likely to churn leave first
 * (heterogeneity), not because any one customer becomes more loyal.
 * @example sbgRetentionRate({ alpha: 0.704, beta: 1.182 }, 1) // 0.6267
 */
export function sbgRetentionRate(p: SbgParams, t: number): number {
  if (!(t >= 1)) return 1;
  return (p.beta + t - 1) / (p.alpha + p.beta + t - 1);
}

/**
 * Projected survivors of a cohort of `size` customers for periods 0..periods: size * S(t)
 * (the retention-curve projection of Fader & Hardie 2007, Figure 3).
 * @example sbgProjectSurvivors({ alpha: 0.704, beta: 1.182 }, 1000, 12) // [1000, 626.7, ...]
 */
export function sbgProjectSurvivors(p: SbgParams, size: number, periods: number): Float64Array {
  const out = new Float64Array(Math.max(0, Math.floor(periods)) + 1);
  let s = 1;
  for (let t = 0; t < out.length; t++) {
    out[t] = size * s;
    s *= (p.beta + t) / (p.alpha + p.beta + t);
  }
  return out;
}

/**
 * Expected lifetime in periods of a newly acquired customer, counting the acquisition period:
 * E[T] = sum_{t>=0} S(t) = E[1 / theta] = (alpha + beta - 1) / (alpha - 1) for alpha > 1.
 * For alpha <= 1 the mean is infinite (enough customers have theta near 0 that the mean diverges) and
 * Infinity is returned; use `sbgExpectedLifetimeWithin` or the discounted `sbgDiscountedExpectedLifetime`.
 * @example sbgExpectedLifetime({ alpha: 2, beta: 1 }) // 2
 */
export function sbgExpectedLifetime(p: SbgParams): number {
  return p.alpha > 1 ? (p.alpha + p.beta - 1) / (p.alpha - 1) : Number.POSITIVE_INFINITY;
}

/**
 * Expected number of the first `horizon` periods (0..horizon - 1) a new customer is active:
 * E[min(T, horizon)] = sum_{t=0}^{horizon-1} S(t). Finite for every alpha.
 * @example sbgExpectedLifetimeWithin({ alpha: 0.704, beta: 1.182 }, 8) // 3.6 periods of the first 8
 */
export function sbgExpectedLifetimeWithin(p: SbgParams, horizon: number): number {
  const h = Math.floor(horizon);
  return h >= 1 ? betaGeometricSurvivalSum(p.alpha, p.beta, 0, h - 1) : 0;
}

/**
 * Discounted expected lifetime of a new customer (first payment at t = 0, undiscounted):
 * DEL(d) = sum_{t>=0} S(t) / (1 + d)^t = 2F1(1, beta; alpha + beta; 1 / (1 + d))
 * (Fader & Hardie 2010, "Customer-Base Valuation in a Contractual Setting: The Perils of Ignoring
 * Heterogeneity", Marketing Science 29(1), eq. 4). Multiply by the payment per period for the expected
 * CLV at acquisition. `d` is the discount rate per period. Decreasing in d; Infinity at d = 0 when alpha <= 1.
 * @example sbgDiscountedExpectedLifetime({ alpha: 0.704, beta: 1.182 }, 0.1)
 */
export function sbgDiscountedExpectedLifetime(p: SbgParams, d: number): number {
  return discountedSurvivalSeries(p.alpha, p.beta, 0, checkDiscount(d));
}

/**
 * Discounted expected residual lifetime of a customer who has made `renewals` = n - 1 contract renewals
 * (is active in period n - 1 and about to decide on renewal n), Fader & Hardie (2010, eq. 6):
 *   DERL(d | n - 1 renewals) = (beta + n - 1) / (alpha + beta + n - 1) * 2F1(1, beta + n; alpha + beta + n; 1 / (1 + d))
 *                            = sum_{t>=n} P(active in t | active in n - 1) / (1 + d)^(t - n).
 * The next payment (period n) is counted undiscounted, conditional on renewal. Multiply by the payment per
 * period for the residual CLV. Decreasing in d; increasing in the number of renewals (survivors are the
 * loyal ones). `d` is the discount rate per period; Infinity at d = 0 when alpha <= 1.
 * @example sbgDerl({ alpha: 0.668, beta: 3.806 }, 0.1, 7) // 7.53 (High End customer after 7 renewals)
 */
export function sbgDerl(p: SbgParams, d: number, renewals: number): number {
  const z = checkDiscount(d);
  const n = Math.max(0, Math.floor(renewals)) + 1;
  return sbgRetentionRate(p, n) * discountedSurvivalSeries(p.alpha, p.beta, n, z);
}
