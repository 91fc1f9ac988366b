import { issue, ValuecastError } from "../../errors/issues.ts";
import { lbeta, lgamma } from "../../math/special.ts";
import type { PurchasePredictor } from "../purchase-model.ts";
import {
  betaGeometricSurvival,
  betaGeometricSurvivalSum,
  discountedSurvivalSeries,
} from "../sbg/survival.ts";
import { bgbbIndividualLogLikelihood } from "./likelihood.ts";
import { type BgbbParams, bgbbParams } from "./params.ts";

/** Throws BAD_SUMMARY_VALUE unless 0 <= x <= t_x <= n are whole numbers (x = 0 iff t_x = 0). */
function checkHistory(x: number, t_x: number, n: number): void {
  const ok =
    Number.isInteger(x) &&
    Number.isInteger(t_x) &&
    Number.isInteger(n) &&
    0 <= x &&
    x <= t_x &&
    t_x <= n &&
    (x === 0) === (t_x === 0);
  if (!ok) {
    throw new ValuecastError([
      issue(
        "BAD_SUMMARY_VALUE",
        `bgbb: a history needs whole numbers 0 <= x <= t_x <= n with t_x = 0 exactly when x = 0 (got x = ${x}, t_x = ${t_x}, n = ${n})`,
      ),
    ]);
  }
}

/** Whole opportunities in a horizon: BG/BB time is discrete, so a fractional horizon is rounded down. */
function wholeOpportunities(n: number): number {
  return n > 0 ? Math.floor(n) : 0;
}

/**
 * ln of E[p * 1{alive through n}] / L for a customer with history (x, t_x, n): the posterior-weighted
 * transaction probability, the factor shared by CET (eq. 13) and DERT. Equals
 * ln B(alpha + x + 1, beta + n - x) - ln B(alpha, beta) - ln L(x, t_x, n).
 */
function logTransactionFactor(p: BgbbParams, x: number, t_x: number, n: number): number {
  return (
    lbeta(p.alpha + x + 1, p.beta + n - x) -
    lbeta(p.alpha, p.beta) -
    bgbbIndividualLogLikelihood(p, x, t_x, n)
  );
}

/**
 * P(alive at opportunity n + 1 | x, t_x, n), Fader, Hardie & Shang (2010) eq. 11:
 *   B(alpha + x, beta + n - x) / B(alpha, beta) * B(gamma, delta + n + 1) / B(gamma, delta) / L(x, t_x, n).
 * Computed in log space and clamped to [0, 1] against rounding.
 * @example bgbbPAlive({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }, 6, 6, 6) // 0.93
 */
export function bgbbPAlive(p: BgbbParams, x: number, t_x: number, n: number): number {
  checkHistory(x, t_x, n);
  const log =
    lbeta(p.alpha + x, p.beta + n - x) -
    lbeta(p.alpha, p.beta) +
    lbeta(p.gamma, p.delta + n + 1) -
    lbeta(p.gamma, p.delta) -
    bgbbIndividualLogLikelihood(p, x, t_x, n);
  const v = Math.exp(log);
  return Number.isNaN(v) ? 0 : Math.min(1, Math.max(0, v));
}

/**
 * Expected transactions in the next nStar opportunities (n, n + nStar] given (x, t_x, n) ("CET"),
 * Fader, Hardie & Shang (2010) eq. 13:
 *   1/L * B(alpha + x + 1, beta + n - x) / B(alpha, beta) * delta / (gamma - 1) * Gamma(gamma + delta) / Gamma(1 + delta)
 *     * [Gamma(1 + delta + n) / Gamma(gamma + delta + n) - Gamma(1 + delta + n + nStar) / Gamma(gamma + delta + n + nStar)].
 * The bracket times delta / (gamma - 1) ... is the survival sum sum_{t=n+1}^{n+nStar} B(gamma, delta + t) / B(gamma, delta),
 * evaluated by `betaGeometricSurvivalSum`, which stays exact at gamma = 1 where eq. 13 is 0/0.
 * 0 at nStar = 0 and increasing in nStar; a fractional nStar is rounded down.
 * @example bgbbConditionalExpectedTransactions(params, 10, 4, 5, 6) // 3.6279 for the donation fit
 */
export function bgbbConditionalExpectedTransactions(
  p: BgbbParams,
  nStar: number,
  x: number,
  t_x: number,
  n: number,
): number {
  checkHistory(x, t_x, n);
  const horizon = wholeOpportunities(nStar);
  if (horizon === 0) return 0;
  const sum = betaGeometricSurvivalSum(p.gamma, p.delta, n + 1, n + horizon);
  const v = Math.exp(logTransactionFactor(p, x, t_x, n) + Math.log(sum));
  return Number.isNaN(v) ? 0 : v;
}

/**
 * Expected transactions in the first n opportunities for a newly acquired customer, E[X(n)],
 * Fader, Hardie & Shang (2010) eq. 7:
 *   alpha / (alpha + beta) * delta / (gamma - 1) * [1 - Gamma(gamma + delta) Gamma(1 + delta + n) / (Gamma(gamma + delta + n) Gamma(1 + delta))],
 * i.e. E[p] times the expected number of alive opportunities sum_{t=1}^{n} B(gamma, delta + t) / B(gamma, delta).
 * @example bgbbExpectedTransactions({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }, 10) // 3.1798
 */
export function bgbbExpectedTransactions(p: BgbbParams, n: number): number {
  const horizon = wholeOpportunities(n);
  if (horizon === 0) return 0;
  return (p.alpha / (p.alpha + p.beta)) * betaGeometricSurvivalSum(p.gamma, p.delta, 1, horizon);
}

/**
 * P(X(n) = x): the probability that a newly acquired customer makes exactly x transactions in the first n
 * opportunities, Fader, Hardie & Shang (2010) eq. 6:
 *   C(n, x) B(alpha + x, beta + n - x) / B(alpha, beta) * B(gamma, delta + n) / B(gamma, delta)
 *   + sum_{i=x}^{n-1} C(i, x) B(alpha + x, beta + i - x) / B(alpha, beta) * B(gamma + 1, delta + i) / B(gamma, delta).
 * Log-sum-exp over the terms; 0 outside 0 <= x <= n. Sums to 1 over x = 0..n.
 * @example bgbbProbabilityOfTransactions({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }, 0, 6)
 */
export function bgbbProbabilityOfTransactions(p: BgbbParams, x: number, n: number): number {
  const horizon = wholeOpportunities(n);
  if (!Number.isInteger(x) || x < 0 || x > horizon) return 0;
  const ab = lbeta(p.alpha, p.beta);
  const gd = lbeta(p.gamma, p.delta);
  const lchoose = (m: number, k: number) => lgamma(m + 1) - lgamma(k + 1) - lgamma(m - k + 1);
  const first =
    lchoose(horizon, x) +
    lbeta(p.alpha + x, p.beta + horizon - x) -
    ab +
    lbeta(p.gamma, p.delta + horizon) -
    gd;
  const term = (i: number) =>
    lchoose(i, x) + lbeta(p.alpha + x, p.beta + i - x) - ab + lbeta(p.gamma + 1, p.delta + i) - gd;
  let max = first;
  for (let i = x; i < horizon; i++) max = Math.max(max, term(i));
  let sum = Math.exp(first - max);
  for (let i = x; i < horizon; i++) sum += Math.exp(term(i) - max);
  const v = Math.exp(max + Math.log(sum));
  return Number.isNaN(v) ? 0 : Math.min(1, v);
}

/**
 * Discounted expected residual transactions: the present value, at the end of opportunity n, of the
 * customer's expected future transactions, with the opportunity n + k discounted by (1 + d)^-k
 * (Fader, Hardie & Shang 2010, section on DERT):
 *   DERT = B(alpha + x + 1, beta + n - x) / B(alpha, beta) * B(gamma, delta + n + 1) / (B(gamma, delta) (1 + d))
 *          * 2F1(1, delta + n + 1; gamma + delta + n + 1; 1 / (1 + d)) / L(x, t_x, n).
 * `d` is the discount rate per opportunity (e.g. 0.1 for annual opportunities at 10% a year). Multiply by
 * the value per transaction for the residual lifetime value. At d = 0 it is the undiscounted expected
 * number of all future transactions, Infinity when gamma <= 1 (the dropout probability can be so small
 * that the expected lifetime is infinite). Decreasing in d.
 * @example bgbbDert({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }, 0.1, 6, 6, 6)
 */
export function bgbbDert(p: BgbbParams, d: number, x: number, t_x: number, n: number): number {
  if (!(d >= 0) || d === Number.POSITIVE_INFINITY) {
    throw new ValuecastError([
      issue("INVALID_PARAMETER", `bgbb: the discount rate must be finite and >= 0 (got ${d})`, {
        field: "d",
      }),
    ]);
  }
  checkHistory(x, t_x, n);
  const z = 1 / (1 + d);
  // sum_{k>=1} S(n + k) z^k = S(n + 1) z 2F1(1, delta + n + 1; gamma + delta + n + 1; z).
  const future =
    betaGeometricSurvival(p.gamma, p.delta, n + 1) * z * discountedSurvivalSeries(p.gamma, p.delta, n + 1, z);
  if (future === Number.POSITIVE_INFINITY) return future;
  const v = Math.exp(logTransactionFactor(p, x, t_x, n) + Math.log(future));
  return Number.isNaN(v) ? 0 : v;
}

/** The BG/BB predictions for fitted parameters; `T` of `PurchasePredictor` is the opportunity count n. */
export interface BgbbPredictor extends PurchasePredictor {
  /** DERT at per-opportunity discount rate d (see `bgbbDert`). */
  dert(d: number, x: number, t_x: number, n: number): number;
}

/**
 * Builds the BG/BB predictor from fitted parameters (e.g. `fitModel(bgbbSpec, data).params`). It fits
 * the `PurchasePredictor` shape with T = n (opportunities) and t = nStar (future opportunities), so the
 * CLV and scoring code can treat BG/BB like the continuous-time models; horizons are whole opportunities.
 * @example
 * const pred = bgbbPredictor({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 });
 * pred.pAlive(6, 6, 6); // 0.93
 * pred.conditionalExpectedPurchases(10, 4, 5, 6); // 3.6279
 */
export function bgbbPredictor(params: Readonly<Record<string, number>>): BgbbPredictor {
  const p = bgbbParams(params);
  return Object.freeze({
    model: "bgbb",
    params: Object.freeze({ alpha: p.alpha, beta: p.beta, gamma: p.gamma, delta: p.delta }),
    pAlive: (x: number, t_x: number, n: number) => bgbbPAlive(p, x, t_x, n),
    conditionalExpectedPurchases: (nStar: number, x: number, t_x: number, n: number) =>
      bgbbConditionalExpectedTransactions(p, nStar, x, t_x, n),
    expectedPurchases: (n: number) => bgbbExpectedTransactions(p, n),
    probabilityOfPurchases: (x: number, n: number) => bgbbProbabilityOfTransactions(p, x, n),
    dert: (d: number, x: number, t_x: number, n: number) => bgbbDert(p, d, x, t_x, n),
  });
}
