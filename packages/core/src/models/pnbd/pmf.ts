import { issue, ValuecastError } from "../../errors/issues.ts";
import { lgamma } from "../../math/special.ts";
import { integrateLogConcave } from "./log-concave-quadrature.ts";
import type { PnbdParams } from "./params.ts";

/**
 * P(X(t) = n) for a customer acquired at time 0 (Fader & Hardie 2006, "Deriving an Expression for
 * P(X(t) = x) Under the Pareto/NBD Model", eq. 8). Conditioning on the lifetime τ:
 *
 *   P(X(t) = n) = NB(n; r, α/(α+t)) (β/(β+t))^s                                  (alive through t)
 *               + Γ(r+n)/(Γ(r) n!) α^r s β^s ∫_0^t τ^n (α+τ)^{-(r+n)} (β+τ)^{-(s+1)} dτ  (died at τ < t)
 *
 * The note evaluates the integral as B1 - Σ_{j=0}^{n} (...) B2_j with 2F1 terms, a difference of
 * positive quantities that cancels badly once n is large. We integrate instead: with y = ln τ the
 * integrand e^{(n+1)y} (α+e^y)^{-(r+n)} (β+e^y)^{-(s+1)} is log-concave (its log has second derivative
 * -(r+n) α e^y/(α+e^y)^2 - (s+1) β e^y/(β+e^y)^2 < 0), so the panel Gauss-Legendre rule of
 * log-concave-quadrature.ts is accurate to ~1e-14 relative. Everything is combined in log space.
 * @example pnbdPmfFor({ r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 }, 0, 39) // ≈ 0.60
 */
export function pnbdPmfFor(p: PnbdParams, n: number, t: number): number {
  if (!Number.isInteger(n) || !(t >= 0) || !Number.isFinite(t)) {
    throw new ValuecastError([
      issue("INVALID_DATA", `pnbd: P(X(t) = n) needs a whole n and finite t >= 0, got n = ${n}, t = ${t}`),
    ]);
  }
  if (n < 0) return 0;
  if (t === 0) return n === 0 ? 1 : 0;
  const { r, alpha, s, beta } = p;
  const lcoef = lgamma(r + n) - lgamma(r) - lgamma(n + 1);
  const lAlive =
    lcoef +
    r * Math.log(alpha / (alpha + t)) +
    n * Math.log(t / (alpha + t)) +
    s * Math.log(beta / (beta + t));
  const k = n + 1;
  const h = (y: number) =>
    k * y - (r + n) * Math.log(alpha + Math.exp(y)) - (s + 1) * Math.log(beta + Math.exp(y));
  const dh = (y: number) => {
    const e = Math.exp(y);
    return k - ((r + n) * e) / (alpha + e) - ((s + 1) * e) / (beta + e);
  };
  const hi = Math.log(t);
  // Far enough left that h'(lo) ~ n + 1 > 0 and the integrand there is < e^-60 of its value at ln min(α, β, t).
  const lo = Math.min(hi, Math.log(Math.min(alpha, beta))) - 60 / k - 5;
  let sum = 0;
  const hRef = integrateLogConcave(h, dh, lo, hi, (_y, w) => {
    sum += w;
  });
  const lDied = lcoef + r * Math.log(alpha) + Math.log(s) + s * Math.log(beta) + hRef + Math.log(sum);
  const top = Math.max(lAlive, lDied);
  const v = Math.exp(top) * (Math.exp(lAlive - top) + Math.exp(lDied - top));
  return Math.min(v, 1);
}
