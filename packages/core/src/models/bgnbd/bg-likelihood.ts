import { digamma, lgamma } from "../../math/special.ts";
import type { RfmData } from "../types.ts";
import { distinctX } from "./distinct-x.ts";

/**
 * Which member of the beta-geometric family: 0 for BG/NBD (Fader, Hardie & Lee 2005), where a customer
 * can only drop out after a repeat purchase; 1 for MBG/NBD (Batislam, Denizel & Filiztekin 2007), where
 * the customer can also drop out right after the first purchase (at time 0).
 * @example const shift: DropoutShift = 1; // MBG/NBD
 */
export type DropoutShift = 0 | 1;

/**
 * Total weighted log-likelihood of rows [from, to) for the BG/NBD (shift 0) or MBG/NBD (shift 1), with
 * the analytic gradient with respect to (r, alpha, a, b) added into `grad` when given.
 *
 * Individual likelihood (FHL 2005 eq. 6 for shift 0; Batislam et al. 2007 appendix for shift 1):
 *   L = B(a, b+x+k)/B(a,b) · Γ(r+x)/Γ(r) · α^r/(α+T)^(r+x)
 *     + [x > 0 or k = 1] · B(a+1, b+x+k-1)/B(a,b) · Γ(r+x)/Γ(r) · α^r/(α+t_x)^(r+x)
 * The two terms share every factor but B(a+1, b+x+k-1)/B(a, b+x+k) = a/(b+x+k-1), so
 *   log L = D(x) + log( (α+T)^-(r+x) + [..] · a/(b+x+k-1) · (α+t_x)^-(r+x) )
 * with D(x) = lnΓ(r+x) - lnΓ(r) + r ln α + lnΓ(b+x+k) - lnΓ(b) + lnΓ(a+b) - lnΓ(a+b+x+k).
 * The sum is taken with log-sum-exp: both powers underflow for large x (x = 10,000 gives exponents
 * near -40,000) while their ratio stays representable.
 * @example bgFamilyLogLikelihoodRange(0, Float64Array.of(0.25, 4, 0.8, 2.5), rfmData([0], [0], [40]), 0, 1) // -0.59947382
 */
export function bgFamilyLogLikelihoodRange(
  shift: DropoutShift,
  params: Float64Array,
  data: RfmData,
  from: number,
  to: number,
  grad?: Float64Array,
  rebuildIndex = false,
  gradientOnly = false,
): number {
  const r = params[0]!;
  const alpha = params[1]!;
  const a = params[2]!;
  const b = params[3]!;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0) || !Number.isFinite(r + alpha + a + b)) {
    if (grad) grad.fill(0);
    return Number.NEGATIVE_INFINITY;
  }
  const { values, index } = distinctX(data.x, rebuildIndex);
  const m = values.length;
  // ln(α+T) and ln(α+t_x) per distinct T and t_x (the same logs of the same sums, so the same numbers):
  // summaries at a daily resolution have a few hundred distinct values of each over 1e5-1e6 rows, and
  // the two logs per row were a third of the cost of an evaluation.
  const distinctT = distinctX(data.T, rebuildIndex);
  const distinctTx = distinctX(data.t_x, rebuildIndex);
  const tValues = distinctT.values;
  const tIndex = distinctT.index;
  const txValues = distinctTx.values;
  const txIndex = distinctTx.index;
  const alphaT = new Float64Array(tValues.length);
  const logAlphaT = new Float64Array(tValues.length);
  for (let k = 0; k < tValues.length; k++) {
    alphaT[k] = alpha + tValues[k]!;
    logAlphaT[k] = Math.log(alphaT[k]!);
  }
  const alphaTx = new Float64Array(txValues.length);
  const logAlphaTx = new Float64Array(txValues.length);
  for (let k = 0; k < txValues.length; k++) {
    alphaTx[k] = alpha + txValues[k]!;
    logAlphaTx[k] = Math.log(alphaTx[k]!);
  }
  // Per distinct x: D(x) and its partial derivatives, log(a/(b+x+k-1)) and 1/(b+x+k-1).
  const D = new Float64Array(m);
  const dDr = new Float64Array(m);
  const dDa = new Float64Array(m);
  const dDb = new Float64Array(m);
  const logRatio = new Float64Array(m);
  const invB = new Float64Array(m);
  const lgR = lgamma(r);
  const lgB = lgamma(b);
  const lgAB = lgamma(a + b);
  const logAlpha = Math.log(alpha);
  const logA = Math.log(a);
  const psiR = grad ? digamma(r) : 0;
  const psiB = grad ? digamma(b) : 0;
  const psiAB = grad ? digamma(a + b) : 0;
  for (let j = 0; j < m; j++) {
    const x = values[j]!;
    const bx = b + x + shift;
    D[j] = lgamma(r + x) - lgR + r * logAlpha + lgamma(bx) - lgB + lgAB - lgamma(a + bx);
    const second = x > 0 || shift === 1;
    const bm1 = bx - 1;
    // For valid data (integer x) b+x+k-1 >= b > 0 whenever the second term is present.
    logRatio[j] = second && bm1 > 0 ? logA - Math.log(bm1) : Number.NEGATIVE_INFINITY;
    invB[j] = second && bm1 > 0 ? 1 / bm1 : 0;
    if (grad) {
      const psiABx = digamma(a + bx);
      dDr[j] = digamma(r + x) - psiR + logAlpha;
      dDa[j] = psiAB - psiABx;
      dDb[j] = digamma(bx) - psiB + psiAB - psiABx;
    }
  }

  const xs = data.x;
  const txs = data.t_x;
  const Ts = data.T;
  const ws = data.weight;
  let ll = 0;
  let llComp = 0;
  let gr = 0;
  let gAlpha = 0;
  let ga = 0;
  let gb = 0;
  for (let i = from; i < to; i++) {
    const w = ws ? ws[i]! : 1;
    if (w === 0) continue;
    const j = index[i]!;
    const kT = tIndex[i]!;
    const kTx = txIndex[i]!;
    // A column was changed in place since it was indexed: index them again and start over.
    // (NaN never equals itself: after one rebuild, give up with -Infinity rather than loop.)
    if (values[j] !== xs[i] || tValues[kT] !== Ts[i] || txValues[kTx] !== txs[i]) {
      return rebuildIndex
        ? Number.NEGATIVE_INFINITY
        : bgFamilyLogLikelihoodRange(shift, params, data, from, to, grad, true, gradientOnly);
    }
    const rx = r + xs[i]!;
    const logAT = logAlphaT[kT]!;
    const u1 = -rx * logAT;
    const lr = logRatio[j]!;
    let lse = u1;
    let w2 = 0;
    let logAtx = 0;
    if (lr !== Number.NEGATIVE_INFINITY) {
      logAtx = logAlphaTx[kTx]!;
      const u2 = lr - rx * logAtx;
      // log-sum-exp of (u1, u2) and the softmax weight of u2, stable for any gap between them.
      if (u2 > u1) {
        const e = Math.exp(u1 - u2);
        if (!gradientOnly) lse = u2 + Math.log1p(e);
        w2 = 1 / (1 + e);
      } else {
        const e = Math.exp(u2 - u1);
        if (!gradientOnly) lse = u1 + Math.log1p(e);
        w2 = e / (1 + e);
      }
    }
    // Neumaier-compensated sum: with 1e5-1e6 rows the plain sum is noisy at ~1e-13 relative, enough for
    // the optimiser's line search to stall near the optimum; compensation makes it exact to ~1e-16.
    if (!gradientOnly) {
      const term = w * (D[j]! + lse);
      const next = ll + term;
      llComp += Math.abs(ll) >= Math.abs(term) ? ll - next + term : term - next + ll;
      ll = next;
    }
    if (grad) {
      const w1 = 1 - w2;
      gr += w * (dDr[j]! - w1 * logAT - w2 * logAtx);
      gAlpha += w * (r / alpha - rx * (w1 / alphaT[kT]! + w2 / alphaTx[kTx]!));
      ga += w * (dDa[j]! + w2 / a);
      gb += w * (dDb[j]! - w2 * invB[j]!);
    }
  }
  if (grad) {
    grad[0] = gr;
    grad[1] = gAlpha;
    grad[2] = ga;
    grad[3] = gb;
  }
  const total = ll + llComp;
  return Number.isNaN(total) ? Number.NEGATIVE_INFINITY : total;
}

/**
 * The gradient of `bgFamilyLogLikelihoodRange` alone (the same numbers, bit for bit), for the Hessian's
 * finite differences: without the log-likelihood's log1p and compensated sum, about a third cheaper.
 * @example bgFamilyGradientRange(0, Float64Array.of(0.25, 4, 0.8, 2.5), rfmData([0], [0], [40]), 0, 1, g)
 */
export function bgFamilyGradientRange(
  shift: DropoutShift,
  params: Float64Array,
  data: RfmData,
  from: number,
  to: number,
  grad: Float64Array,
): void {
  bgFamilyLogLikelihoodRange(shift, params, data, from, to, grad, false, true);
}
