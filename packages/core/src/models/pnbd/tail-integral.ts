import { integrateLogConcave } from "./log-concave-quadrature.ts";

/**
 * The one special function the Pareto/NBD needs: the tail integral
 *
 *   J(u) = ∫_u^∞ (alpha + τ)^-(r + x) (beta + τ)^-(s + 1) dτ,
 *
 * with its gradient. It is the Fader & Hardie (2005) note's A0 in disguise: their A0 term equals
 * (r + s + x) [J(t_x) - J(T)], because the likelihood's "died at τ in (t_x, T]" part is
 * s ∫_{t_x}^T E[λ^x e^{-λτ}] E[μ e^{-μτ}] dτ / (Γ(r+x) α^r β^s / Γ(r)) (note, eq. 13-18).
 * Their two branches, 2F1(a, s+1; a+1; (α-β)/(α+u)) for α >= β and 2F1(a, r+x; a+1; (β-α)/(β+u)) for
 * α < β with a = r + s + x, are the same integral expanded around the larger of α + u, β + u.
 *
 * Write M = max(α, β), m = min(α, β), P the exponent of the (M + τ) factor, Q that of the (m + τ) factor
 * (P + Q = a + 1), f(u) = (α+u)^-(r+x) (β+u)^-(s+1), z = (M - m)/(M + u). Then
 *
 *   J(u) = f(u) (m + u) / a · 2F1(1, P; a + 1; z)                                        (*)
 *
 * which is the note's 2F1(a, ·; a+1; z) after Euler's transformation 2F1(a,b;c;z) =
 * (1-z)^{c-a-b} 2F1(c-a, c-b; c; z) (Abramowitz & Stegun 15.3.3) with c = a + 1. Why this form: its series
 * Σ_k (P)_k / (a+1)_k z^k has positive terms and term ratio (P + k) z / (a + 1 + k) < z, so it never
 * cancels, never overflows (the note's form has (r+x)_k / k! terms that grow like x^k before they fall),
 * and it converges in a handful of terms when the other exponent Q is large (x = 10,000 with α < β).
 * At α = β, z = 0 and J = f(u)(α + u)/a exactly, so no separate limit is needed.
 *
 * For z > 0.9 the series needs ~40/(1-z) terms, so there we split J(u) = ∫_u^{u1} f dτ + J(u1) at the
 * u1 where z(u1) = 1/2, take the finite part by Gauss-Legendre panels in y = ln(m + τ) (the integrand is
 * log-concave in y, see log-concave-quadrature.ts) and J(u1) by the series.
 *
 * Writes [ln J, ∂ln J/∂r, ∂ln J/∂α, ∂ln J/∂s, ∂ln J/∂β] into `out`.
 * @example
 * const out = new Float64Array(5);
 * tailIntegral(0.55, 10.58, 0.61, 11.67, 2, 30.43, out); // out[0] = ln J(30.43)
 */
export function tailIntegral(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  u: number,
  out: Float64Array,
): void {
  const M = Math.max(alpha, beta);
  const m = Math.min(alpha, beta);
  // 1 - z = (m + u)/(M + u) computed directly: forming 1 - z by subtraction would lose digits near z = 1.
  const z = (M - m) / (M + u);
  if (z <= SERIES_MAX_Z) {
    seriesTail(r, alpha, s, beta, x, u, z, out);
    return;
  }
  quadratureTail(r, alpha, s, beta, x, u, out);
}

/** Beyond this z the power series is replaced by quadrature plus the series at z = 1/2. */
const SERIES_MAX_Z = 0.9;
const MAX_TERMS = 5000;

/**
 * ln J(u) and its gradient from (*): ln J = -(r+x) ln(α+u) - (s+1) ln(β+u) + ln(m+u) - ln a + ln S with
 * S = 2F1(1, P; a+1; z). The parameter derivatives of S are summed in the same loop ("series
 * differentiation"): ∂t_k/∂P = t_k Σ_{j<k} 1/(P+j), ∂t_k/∂(a+1) = -t_k Σ_{j<k} 1/(a+1+j),
 * ∂t_k/∂z = k t_k / z.
 */
function seriesTail(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  u: number,
  z: number,
  out: Float64Array,
): void {
  const alphaGe = alpha >= beta;
  const a = r + s + x;
  const P = alphaGe ? r + x : s + 1;
  const c = a + 1;
  let t = 1;
  let S = 1;
  let SP = 0; // Σ t_k H^P_k
  let SC = 0; // Σ t_k H^c_k
  let SZ = 0; // Σ k t_k / z, kept without dividing by z (t_k / z = t_{k-1} (P+k-1)/(c+k-1))
  let hP = 0;
  let hC = 0;
  for (let k = 0; k < MAX_TERMS; k++) {
    const pk = P + k;
    const invP = 1 / pk;
    const invC = 1 / (c + k);
    const ratio = pk * invC;
    // k+1 term: t_{k+1} = t_k (P+k) z / (c+k); t_{k+1}/z is finite even when z = 0.
    const tOverZ = t * ratio;
    SZ += (k + 1) * tOverZ;
    t = tOverZ * z;
    hP += invP;
    hC += invC;
    S += t;
    SP += t * hP;
    SC += t * hC;
    // Stop once the next terms cannot matter: the ratio rises towards z, so the tail after term k is
    // below t (k + 1) / (1 - z)^2 (the k-weighted sums have the heaviest tail).
    if (t * (k + 2) < 1e-17 * (1 - z) * (1 - z) * S) break;
  }
  const dS_dP = SP / S;
  const dS_dc = -SC / S;
  const dS_dz = SZ / S;
  const la = Math.log(alpha + u);
  const lb = Math.log(beta + u);
  // ln(m + u) is ln(β+u) or ln(α+u), already at hand.
  out[0] = -(r + x) * la - (s + 1) * lb + (alphaGe ? lb : la) - Math.log(a) + Math.log(S);
  const dA = -1 / a + dS_dc; // ∂/∂a of [-ln a + ln S] through c = a + 1 (a depends on r and s)
  if (alphaGe) {
    // z = (α-β)/(α+u): ∂z/∂α = (β+u)/(α+u)^2, ∂z/∂β = -1/(α+u); P = r + x; m = β.
    out[1] = -la + dA + dS_dP;
    out[2] = -(r + x) / (alpha + u) + (dS_dz * (beta + u)) / ((alpha + u) * (alpha + u));
    out[3] = -lb + dA;
    out[4] = -(s + 1) / (beta + u) + 1 / (beta + u) - dS_dz / (alpha + u);
  } else {
    // z = (β-α)/(β+u): ∂z/∂β = (α+u)/(β+u)^2, ∂z/∂α = -1/(β+u); P = s + 1; m = α.
    out[1] = -la + dA;
    out[2] = -(r + x) / (alpha + u) + 1 / (alpha + u) - dS_dz / (beta + u);
    out[3] = -lb + dA + dS_dP;
    out[4] = -(s + 1) / (beta + u) + (dS_dz * (alpha + u)) / ((beta + u) * (beta + u));
  }
}

const tail1 = new Float64Array(5);

/**
 * J(u) = ∫_u^{u1} f(τ) dτ + J(u1) for z(u) > 0.9. With y = ln(m + τ) the finite part's integrand
 * f(τ)(m + τ) = e^{(1-Q) y} (M - m + e^y)^{-P} is log-concave in y (second derivative
 * -P (M-m) e^y / (M-m+e^y)^2 < 0), which is what the panel rule needs. The gradient is integrated under
 * the sign with u1 held fixed (J(u) = ∫_u^{u1} + J(u1) holds for every u1, so u1's own dependence on α, β
 * cancels). Everything is scaled by the integrand's maximum to stay in range.
 */
function quadratureTail(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  u: number,
  out: Float64Array,
): void {
  const alphaGe = alpha >= beta;
  const M = alphaGe ? alpha : beta;
  const mm = alphaGe ? beta : alpha;
  const P = alphaGe ? r + x : s + 1;
  const Q = alphaGe ? s + 1 : r + x;
  const D = M - mm;
  const u1 = D - mm; // m + u1 = M - m  <=>  z(u1) = 1/2
  seriesTail(r, alpha, s, beta, x, u1, 0.5, tail1);
  const y0 = Math.log(mm + u);
  const y1 = Math.log(D);
  const h = (y: number) => (1 - Q) * y - P * Math.log(D + Math.exp(y));
  const dh = (y: number) => {
    const e = Math.exp(y);
    return 1 - Q - (P * e) / (D + e);
  };
  let I = 0;
  let Ir = 0;
  let Ia = 0;
  let Is = 0;
  let Ib = 0;
  const hRef = integrateLogConcave(h, dh, y0, y1, (y, w) => {
    const e = Math.exp(y);
    const lBig = Math.log(D + e); // ln(M + τ)
    // ln(α+τ), ln(β+τ), 1/(α+τ), 1/(β+τ) from the small (m) and big (M) factors.
    const lAlpha = alphaGe ? lBig : y;
    const lBeta = alphaGe ? y : lBig;
    const invAlpha = alphaGe ? 1 / (D + e) : 1 / e;
    const invBeta = alphaGe ? 1 / e : 1 / (D + e);
    I += w;
    Ir -= w * lAlpha;
    Is -= w * lBeta;
    Ia -= w * (r + x) * invAlpha;
    Ib -= w * (s + 1) * invBeta;
  });
  // J = e^{hRef} I + e^{tail1[0]}: combine in log space.
  const lI = hRef + Math.log(I);
  const top = Math.max(lI, tail1[0]!);
  const wI = Math.exp(hRef - top);
  const w1 = Math.exp(tail1[0]! - top);
  const J = wI * I + w1;
  out[0] = top + Math.log(J);
  out[1] = (wI * Ir + w1 * tail1[1]!) / J;
  out[2] = (wI * Ia + w1 * tail1[2]!) / J;
  out[3] = (wI * Is + w1 * tail1[3]!) / J;
  out[4] = (wI * Ib + w1 * tail1[4]!) / J;
}
