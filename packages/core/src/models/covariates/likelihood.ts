import { bgFamilyLogLikelihoodRange } from "../bgnbd/bg-likelihood.ts";
import { pnbdLogLikelihood } from "../pnbd/likelihood.ts";
import type { RfmData } from "../types.ts";
import { type CovariateDesign, covariateGroups } from "./design.ts";

/**
 * The two models with static covariates, in R CLVTools' parameterisation.
 * @example const m: CovariateModelName = "pnbd";
 */
export type CovariateModelName = "pnbd" | "bgnbd";

/**
 * Names of the four base parameters in parameter order: (r, alpha, s, beta) for the Pareto/NBD,
 * (r, alpha, a, b) for the BG/NBD. The coefficients follow: first γ_trans, then γ_life.
 * @example COVARIATE_BASE_PARAMS.bgnbd[2] // "a"
 */
export const COVARIATE_BASE_PARAMS = Object.freeze({
  pnbd: Object.freeze(["r", "alpha", "s", "beta"] as const),
  bgnbd: Object.freeze(["r", "alpha", "a", "b"] as const),
});

/**
 * The four individual parameters of a customer with covariates z (CLVTools, static covariates):
 *   both models:  alpha_i = alpha · exp(-γ_trans · z_i)
 *   Pareto/NBD:   beta_i  = beta  · exp(-γ_life · z_i)
 *   BG/NBD:       a_i = a · exp(γ_life · z_i),  b_i = b · exp(γ_life · z_i)
 * (Pareto/NBD: Gamma(r, alpha_i) purchase rates, Gamma(s, beta_i) dropout rates; BG/NBD: the dropout
 * probability's Beta(a_i, b_i) keeps its mean a/(a+b) and its "sample size" a_i + b_i scales.)
 * `params` is the full vector [base 4, γ_trans (trans.length), γ_life (life.length)]; `z` one customer's
 * K covariates; writes [r, alpha_i, s|a_i, beta|b_i] into `out`.
 * @example
 * const out = new Float64Array(4);
 * individualParamsInto("pnbd", Float64Array.of(0.5, 10, 0.6, 12, Math.LN2), [0], [], Float64Array.of(1), out);
 * out[1]; // 5: alpha halves when γ_trans = ln 2 and z = 1
 */
export function individualParamsInto(
  model: CovariateModelName,
  params: ArrayLike<number>,
  trans: readonly number[],
  life: readonly number[],
  z: ArrayLike<number>,
  out: Float64Array,
): void {
  let etaT = 0;
  for (let j = 0; j < trans.length; j++) etaT += params[4 + j]! * z[trans[j]!]!;
  let etaL = 0;
  for (let j = 0; j < life.length; j++) etaL += params[4 + trans.length + j]! * z[life[j]!]!;
  out[0] = params[0]!;
  out[1] = params[1]! * Math.exp(-etaT);
  if (model === "pnbd") {
    out[2] = params[2]!;
    out[3] = params[3]! * Math.exp(-etaL);
  } else {
    const e = Math.exp(etaL);
    out[2] = params[2]! * e;
    out[3] = params[3]! * e;
  }
}

/** Base-model log-likelihood of one group at its individual parameters, gradient into g4. */
function groupLogLikelihood(
  model: CovariateModelName,
  p4: Float64Array,
  rows: RfmData,
  g4: Float64Array | undefined,
): number {
  return model === "pnbd"
    ? pnbdLogLikelihood(p4, rows, g4)
    : bgFamilyLogLikelihoodRange(0, p4, rows, 0, rows.x.length, g4);
}

const p4 = new Float64Array(4);
const g4 = new Float64Array(4);

/**
 * Total weighted log-likelihood of a design under the Pareto/NBD or BG/NBD with static covariates,
 * with the analytic gradient w.r.t. the natural-scale parameters [base 4, γ_trans, γ_life].
 *
 * Customers with the same covariate vector share their individual parameters, so the total is a sum
 * over covariate groups of the no-covariate likelihood (Pareto/NBD: Fader & Hardie 2005 note eq. 22;
 * BG/NBD: Fader, Hardie & Lee 2005 eq. 6) at the group's (r, alpha_g, ·, ·): the existing, tabulated
 * row loops do the work. The gradient follows by the chain rule, e.g. for the Pareto/NBD
 *   ∂LL/∂alpha = Σ_g ∂LL_g/∂alpha_g · alpha_g/alpha,   ∂LL/∂γ_trans,k = -Σ_g ∂LL_g/∂alpha_g · alpha_g z_gk,
 *   ∂LL/∂γ_life,k = -Σ_g ∂LL_g/∂beta_g · beta_g z_gk;
 * for the BG/NBD ∂LL/∂γ_life,k = Σ_g (∂LL_g/∂a_g · a_g + ∂LL_g/∂b_g · b_g) z_gk.
 * With every coefficient 0 all groups have the base parameters and the sum is the no-covariate
 * log-likelihood (up to summation order). Returns -Infinity (gradient zero) for impossible parameters.
 * @example covariateLogLikelihood("pnbd", Float64Array.of(0.55, 10.6, 0.61, 11.7, 0.2), design, grad)
 */
export function covariateLogLikelihood(
  model: CovariateModelName,
  params: Float64Array,
  design: CovariateDesign,
  grad?: Float64Array,
): number {
  const Kt = design.trans.length;
  const Kl = design.life.length;
  const P = 4 + Kt + Kl;
  if (grad) grad.fill(0, 0, P);
  for (let j = 0; j < P; j++) if (!Number.isFinite(params[j]!)) return Number.NEGATIVE_INFINITY;
  if (!(params[0]! > 0 && params[1]! > 0 && params[2]! > 0 && params[3]! > 0))
    return Number.NEGATIVE_INFINITY;
  const groups = covariateGroups(design);
  const K = design.z.names.length;
  let ll = 0;
  let llc = 0;
  for (let g = 0; g < groups.rows.length; g++) {
    const zg = groups.z.subarray(g * K, g * K + K);
    individualParamsInto(model, params, design.trans, design.life, zg, p4);
    const lg = groupLogLikelihood(model, p4, groups.rows[g]!, grad ? g4 : undefined);
    if (!Number.isFinite(lg)) {
      if (grad) grad.fill(0, 0, P);
      return Number.NEGATIVE_INFINITY;
    }
    // Neumaier-compensated: group totals differ by orders of magnitude (a big reference group, small ones).
    const sum = ll + lg;
    llc += Math.abs(ll) >= Math.abs(lg) ? ll - sum + lg : lg - sum + ll;
    ll = sum;
    if (!grad) continue;
    const dAlphaG = g4[1]! * p4[1]!; // ∂LL_g/∂ln alpha_g
    grad[0] = grad[0]! + g4[0]!;
    grad[1] = grad[1]! + dAlphaG / params[1]!;
    for (let j = 0; j < Kt; j++) grad[4 + j] = grad[4 + j]! - dAlphaG * zg[design.trans[j]!]!;
    let dLife: number; // ∂LL_g/∂(γ_life · z_g)
    if (model === "pnbd") {
      const dBetaG = g4[3]! * p4[3]!;
      grad[2] = grad[2]! + g4[2]!;
      grad[3] = grad[3]! + dBetaG / params[3]!;
      dLife = -dBetaG;
    } else {
      const dAG = g4[2]! * p4[2]!;
      const dBG = g4[3]! * p4[3]!;
      grad[2] = grad[2]! + dAG / params[2]!;
      grad[3] = grad[3]! + dBG / params[3]!;
      dLife = dAG + dBG;
    }
    for (let j = 0; j < Kl; j++) grad[4 + Kt + j] = grad[4 + Kt + j]! + dLife * zg[design.life[j]!]!;
  }
  return ll + llc;
}
