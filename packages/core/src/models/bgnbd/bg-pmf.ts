import { lbeta, lgamma } from "../../math/special.ts";
import type { DropoutShift } from "./bg-likelihood.ts";

/**
 * P(X(t) = n) for a newly acquired customer under the BG/NBD (shift 0, FHL 2005 eq. 8) or the MBG/NBD
 * (shift 1). For an individual (lambda, p) the customer either survives the first n + k dropout chances
 * and makes exactly n purchases, or drops out at the (n+k)-th chance having reached n purchases:
 *
 *   P(X(t)=n) = E[(1-p)^(n+k)] · NB(n) + [n > 0 or k = 1] · E[p (1-p)^(n+k-1)] · P(NB >= n)
 *
 * where NB(j) = Γ(r+j)/(Γ(r) j!) (α/(α+t))^r (t/(α+t))^j is the negative binomial that mixes the
 * Poisson count over Gamma(r, α), E[(1-p)^m] = B(a, b+m)/B(a, b), E[p(1-p)^m] = B(a+1, b+m)/B(a, b).
 * P(NB >= n) is summed over its tail once the head passes 1/2, so tiny probabilities keep their digits
 * (1 - head would cancel them away).
 * @example bgFamilyPmf(0, [0.243, 4.414, 0.793, 2.426], 0, 39) // 0.5737864 (BTYD)
 */
export function bgFamilyPmf(shift: DropoutShift, params: ArrayLike<number>, n: number, t: number): number {
  const r = params[0]!;
  const alpha = params[1]!;
  const a = params[2]!;
  const b = params[3]!;
  if (!Number.isInteger(n) || n < 0) return 0;
  if (!(t > 0)) return n === 0 ? 1 : 0;
  const logQ = Math.log(alpha / (alpha + t)); // log(1 - z)
  const logZ = Math.log(t / (alpha + t));
  const lgR = lgamma(r);
  const logNb = (j: number) => lgamma(r + j) - lgR - lgamma(j + 1) + r * logQ + j * logZ;
  const lB = lbeta(a, b);
  const survive = Math.exp(lbeta(a, b + n + shift) - lB + logNb(n));
  if (n === 0 && shift === 0) return clamp01(survive);
  const dropAtN = Math.exp(lbeta(a + 1, b + n + shift - 1) - lB);
  return clamp01(survive + dropAtN * negBinomialTail(n, r, logNb, t / (alpha + t)));
}

/** P(NB >= n): 1 - the head when the head is small, else the tail summed directly. */
function negBinomialTail(n: number, r: number, logNb: (j: number) => number, z: number): number {
  if (n === 0) return 1;
  let head = 0;
  for (let j = 0; j < n; j++) {
    head += Math.exp(logNb(j));
    if (head > 0.5) break;
  }
  if (head <= 0.5) return 1 - head;
  let term = Math.exp(logNb(n));
  let tail = term;
  for (let j = n; j < n + 10_000_000; j++) {
    term *= ((r + j) * z) / (j + 1);
    tail += term;
    if (term <= 1e-17 * tail && (r + j) * z < j + 1) break;
  }
  return Math.min(1, tail);
}

/** Clamps to [0, 1]; NaN (impossible for valid parameters, but never passed on) becomes 0. */
function clamp01(v: number): number {
  if (!(v >= 0)) return 0;
  return Math.min(v, 1);
}
