import { digamma, lbeta, lgamma } from "../../math/special.ts";
import type { DiscreteRfData } from "../types.ts";
import type { BgbbParams } from "./params.ts";

/**
 * Log-likelihood of one customer with x transactions in n opportunities, the last at t_x
 * (Fader, Hardie & Shang 2010, Marketing Science 29(6), eq. 5):
 *   L = B(alpha + x, beta + n - x) / B(alpha, beta) * B(gamma, delta + n) / B(gamma, delta)
 *     + sum_{i=0}^{n - t_x - 1} B(alpha + x, beta + t_x - x + i) / B(alpha, beta)
 *                               * B(gamma + 1, delta + t_x + i) / B(gamma, delta).
 * The first term is "alive through all n opportunities", term i is "alive through t_x + i opportunities,
 * then dropped out". Evaluated in log space with log-sum-exp because each term underflows for large n.
 * Returns -Infinity (never NaN) for impossible inputs.
 * @example bgbbIndividualLogLikelihood({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }, 0, 0, 6)
 */
export function bgbbIndividualLogLikelihood(p: BgbbParams, x: number, t_x: number, n: number): number {
  const { alpha, beta, gamma, delta } = p;
  if (!(alpha > 0 && beta > 0 && gamma > 0 && delta > 0) || !(x >= 0 && x <= t_x && t_x <= n)) {
    return Number.NEGATIVE_INFINITY;
  }
  const norm = -lbeta(alpha, beta) - lbeta(gamma, delta);
  const first = lbeta(alpha + x, beta + n - x) + lbeta(gamma, delta + n) + norm;
  if (t_x >= n) return first;
  // The dropout terms decrease in m = t_x + i (ratio below 1, see bgbbLogLikelihoodRange), so the first one
  // bounds them all and the rest follow by multiplying the ratio: two lbeta calls per customer, not 2 (n - t_x).
  const firstDrop = lbeta(alpha + x, beta + t_x - x) + lbeta(gamma + 1, delta + t_x) + norm;
  const max = Math.max(first, firstDrop);
  let sum = Math.exp(first - max);
  let e = Math.exp(firstDrop - max);
  for (let m = t_x; m < n; m++) {
    sum += e;
    e *= ((beta + m - x) * (delta + m)) / ((alpha + beta + m) * (gamma + delta + 1 + m));
  }
  const ll = max + Math.log(sum);
  return Number.isNaN(ll) ? Number.NEGATIVE_INFINITY : ll;
}

/** ln Gamma(p + k) (and optionally psi(p + k)) for k = 0 .. size - 1: the opportunities are integers. */
function gammaTable(p: number, size: number, out: Float64Array, psi: Float64Array | undefined): void {
  for (let k = 0; k < size; k++) {
    out[k] = lgamma(p + k);
    if (psi) psi[k] = digamma(p + k);
  }
}

/**
 * Total weighted BG/BB log-likelihood (eq. 5) over rows [from, to), with the analytic gradient w.r.t.
 * (alpha, beta, gamma, delta) written into `grad` (d ln L / d param = the softmax-weighted sum of each
 * term's digamma derivative).
 *
 * Speed: every Beta function has integer offsets (x, n, t_x + i), so ln Gamma(alpha + k), ln Gamma(beta + k),
 * ln Gamma(alpha + beta + k), ln Gamma(delta + k), ln Gamma(gamma + delta + k) and their digammas are
 * tabulated once per evaluation for k = 0..max n; a row then costs O(n - t_x) multiplications (the
 * dropout terms follow from one another by a rational ratio), with no allocation. The common factor B(alpha + x, .)'s ln Gamma(alpha + x) and both normalisers are pulled out
 * of the log-sum-exp.
 * @example bgbbLogLikelihoodRange(Float64Array.of(1.204, 0.75, 0.657, 2.783), donations, 0, 22) // -33225.58
 */
export function bgbbLogLikelihoodRange(
  params: Float64Array,
  data: DiscreteRfData,
  from: number,
  to: number,
  grad?: Float64Array,
): number {
  const alpha = params[0]!;
  const beta = params[1]!;
  const gamma = params[2]!;
  const delta = params[3]!;
  if (grad) grad.fill(0, 0, 4);
  if (
    !(alpha > 0 && beta > 0 && gamma > 0 && delta > 0) ||
    ![alpha, beta, gamma, delta].every(Number.isFinite)
  ) {
    return Number.NEGATIVE_INFINITY;
  }
  const { x: xs, t_x: txs, n: ns, weight } = data;
  let maxN = 0;
  for (let i = from; i < to; i++) if (ns[i]! > maxN) maxN = ns[i]!;
  const size = maxN + 1;
  const withGrad = grad !== undefined;
  const la = new Float64Array(size);
  const lb = new Float64Array(size);
  const lab = new Float64Array(size);
  const ld = new Float64Array(size);
  const lgd = new Float64Array(size + 1);
  const pa = withGrad ? new Float64Array(size) : undefined;
  const pb = withGrad ? new Float64Array(size) : undefined;
  const pab = withGrad ? new Float64Array(size) : undefined;
  const pd = withGrad ? new Float64Array(size) : undefined;
  const pgd = withGrad ? new Float64Array(size + 1) : undefined;
  gammaTable(alpha, size, la, pa);
  gammaTable(beta, size, lb, pb);
  gammaTable(alpha + beta, size, lab, pab);
  gammaTable(delta, size, ld, pd);
  gammaTable(gamma + delta, size + 1, lgd, pgd);
  const lg0 = lgamma(gamma);
  const lg1 = lgamma(gamma + 1);
  // -ln B(alpha, beta) - ln B(gamma, delta), common to every term.
  const norm = -(la[0]! + lb[0]! - lab[0]!) - (lg0 + ld[0]! - lgd[0]!);
  const pg0 = withGrad ? digamma(gamma) : 0;
  const pg1 = withGrad ? digamma(gamma + 1) : 0;

  let total = 0;
  let gA = 0;
  let gB = 0;
  let gG = 0;
  let gD = 0;
  for (let r = from; r < to; r++) {
    const w = weight ? weight[r]! : 1;
    if (w === 0) continue;
    const x = xs[r]!;
    const tx = txs[r]!;
    const n = ns[r]!;
    // Log of each term without the common ln Gamma(alpha + x) + norm. The dropout terms decrease in m:
    // term(m + 1) / term(m) = (beta + m - x)(delta + m) / ((alpha + beta + m)(gamma + delta + 1 + m)) < 1,
    // so the largest is either the "alive" term or the first dropout term (m = t_x), and the others follow
    // by multiplying that ratio: no exp per term and no separate pass to find the maximum.
    const first = lb[n - x]! - lab[n]! + lg0 + ld[n]! - lgd[n]!;
    const firstDrop =
      tx < n ? lb[tx - x]! - lab[tx]! + lg1 + ld[tx]! - lgd[tx + 1]! : Number.NEGATIVE_INFINITY;
    const max = Math.max(first, firstDrop);
    const eFirst = Math.exp(first - max);
    let sum = eFirst;
    // Weighted (unnormalised) sums of each term's derivative, for the gradient.
    let sA = 0;
    let sB = 0;
    let sG = 0;
    let sD = 0;
    if (withGrad) {
      sA = eFirst * -pab![n]!;
      sB = eFirst * (pb![n - x]! - pab![n]!);
      sG = eFirst * (pg0 - pgd![n]!);
      sD = eFirst * (pd![n]! - pgd![n]!);
    }
    let e = tx < n ? Math.exp(firstDrop - max) : 0;
    for (let m = tx; m < n; m++) {
      sum += e;
      if (withGrad) {
        sA -= e * pab![m]!;
        sB += e * (pb![m - x]! - pab![m]!);
        sG += e * (pg1 - pgd![m + 1]!);
        sD += e * (pd![m]! - pgd![m + 1]!);
      }
      e *= ((beta + m - x) * (delta + m)) / ((alpha + beta + m) * (gamma + delta + 1 + m));
    }
    total += w * (la[x]! + norm + max + Math.log(sum));
    if (withGrad) {
      const inv = 1 / sum;
      gA += w * (pa![x]! + sA * inv);
      gB += w * (sB * inv);
      gG += w * (sG * inv);
      gD += w * (sD * inv);
    }
  }
  if (Number.isNaN(total)) return Number.NEGATIVE_INFINITY;
  if (grad) {
    // Terms of -ln B(alpha, beta) - ln B(gamma, delta) that every customer shares.
    let count = 0;
    for (let r = from; r < to; r++) count += weight ? weight[r]! : 1;
    grad[0] = gA + count * (-pa![0]! + pab![0]!);
    grad[1] = gB + count * (-pb![0]! + pab![0]!);
    grad[2] = gG + count * (-pg0 + pgd![0]!);
    grad[3] = gD + count * (-pd![0]! + pgd![0]!);
  }
  return total;
}

/**
 * Total weighted BG/BB log-likelihood over all rows (eq. 5), with the analytic gradient.
 * @example bgbbLogLikelihood(Float64Array.of(1.204, 0.75, 0.657, 2.783), donations) // -33225.58
 */
export function bgbbLogLikelihood(params: Float64Array, data: DiscreteRfData, grad?: Float64Array): number {
  return bgbbLogLikelihoodRange(params, data, 0, data.x.length, grad);
}

/**
 * Each row's own log-likelihood (unweighted), e.g. to flag customers the model fits badly.
 * @example bgbbLogLikelihoods({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }, donations)
 */
export function bgbbLogLikelihoods(p: BgbbParams, data: DiscreteRfData): Float64Array {
  return Float64Array.from(data.x, (x, i) => bgbbIndividualLogLikelihood(p, x, data.t_x[i]!, data.n[i]!));
}
