import { hyp2f1 } from "../../math/hyp2f1.ts";
import { integrate } from "../../math/quadrature.ts";
import { lbeta } from "../../math/special.ts";

/** Above this z = t/(beta + t) the series below needs too many terms; quadrature over p takes over. */
const SERIES_MAX_Z = 0.95;
const MAX_TERMS = 20_000;
/** Within this distance of a = 1 the 1/(a-1) form below cancels; quadrature is used there instead. */
const NEAR_ONE = 1e-3;

/**
 * Expected transactions in (0, t] of a customer known to be alive at the start, whose purchase rate is
 * Gamma(A, beta) and whose per-transaction dropout probability p is Beta(a, bPost):
 *
 *   G = E_p[(1 - (1 + p t/beta)^-A) / p]
 *     = (a + bPost - 1)/(a - 1) · [1 - (beta/(beta+t))^A · 2F1(A, bPost; a+bPost-1; t/(beta+t))]
 *
 * which is the bracket of FHL (2005) eq. 10 (A = r+x, beta = alpha+T, bPost = b+x), of their eq. 7 for
 * a new customer (A = r, beta = alpha, bPost = b), and of the MBG/NBD analogues (bPost = b+x+1).
 *
 * The closed form has removable singularities at a = 1 (0/0) and at c = a+bPost-1 = 0, and c < 0 when
 * a + b < 1 and x = 0. Euler's transformation 2F1(A,B;c;z) = (1-z)^(c-A-B) 2F1(c-A, c-B; c; z) with
 * c - B = a - 1 turns the bracket into a series whose factor (a-1)_k/(c)_k = (a-1)/c · (a)_(k-1)/(c+1)_(k-1)
 * cancels the prefactor exactly:
 *
 *   G = c · (1 - (1-z)^(a-1))/(a-1) - (1-z)^(a-1) · S,
 *   S = sum_{k>=1} (c-A)_k (a)_(k-1) / ((c+1)_(k-1) k!) z^k,   z = t/(beta+t),
 *
 * with c+1 = a + bPost > 0, so no term divides by zero, and (1 - (1-z)^(a-1))/(a-1) is evaluated as
 * -ln(1-z) · expm1(u)/u (u = (a-1) ln(1-z)), which is finite at a = 1. For z close to 1 the series
 * converges slowly; there S = c (2F1(c-A, a-1; c; z) - 1)/(a-1) comes from the math module's 2F1
 * (which uses the 1 - z connection formula and stays finite as c -> 0), and within 1e-3 of a = 1,
 * where that division cancels, the p-integral is computed by adaptive quadrature instead.
 * @example bgExpectedGivenAlive(0.2426 + 26, 0.793, 2.426 + 26, 4.4137 + 31, 52) // ≈ 26.58
 */
export function bgExpectedGivenAlive(A: number, a: number, bPost: number, beta: number, t: number): number {
  if (!(t > 0)) return 0;
  if (t === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  const u = t / beta;
  const z = t / (beta + t);
  if (z <= SERIES_MAX_Z) {
    const series = expectationSeries(A, a, bPost, u, z);
    if (Number.isFinite(series) && series >= 0) return series;
  }
  if (Math.abs(a - 1) >= NEAR_ONE) {
    const connected = expectationConnected(A, a, bPost, u, z);
    if (Number.isFinite(connected) && connected >= 0) return connected;
  }
  return expectationQuadrature(A, a, bPost, u);
}

/** The Euler-transformed series above; NaN when it did not converge within MAX_TERMS. */
function expectationSeries(A: number, a: number, bPost: number, u: number, z: number): number {
  const c = a + bPost - 1;
  // ln(1 - z) = -ln(1 + t/beta), computed without forming 1 - z (which loses digits for small z).
  const log1mz = -Math.log1p(u);
  const v = (a - 1) * log1mz;
  // expm1(v)/v -> 1 as v -> 0: the removable singularity at a = 1.
  const expm1OverV = Math.abs(v) < 1e-12 ? 1 + 0.5 * v : Math.expm1(v) / v;
  const E1 = -log1mz * expm1OverV;
  const pow = Math.exp(v);
  const cA = c - A;
  let term = cA * z;
  let sum = term;
  for (let k = 1; k < MAX_TERMS; k++) {
    const ratio = ((cA + k) * (a + k - 1) * z) / ((c + k) * (k + 1));
    term *= ratio;
    sum += term;
    // Tail bound: later ratios stay below max(|ratio|, z) once both are < 1 (they tend to z monotonically).
    const q = Math.max(Math.abs(ratio), z);
    if (q < 1 && (Math.abs(term) * q) / (1 - q) <= 1e-16 * Math.abs(sum) + 1e-300) {
      return c * E1 - pow * sum;
    }
  }
  return Number.NaN;
}

/**
 * The same G for z near 1 from S = c (2F1(c-A, a-1; c; z) - 1)/(a-1), with 2F1 from the math module
 * (1 - z connection formula, fast for z near 1). c · 2F1 stays finite as c -> 0 (2F1 has a simple pole
 * there), and at c = 0 exactly S = (c-A) z 2F1(c-A+1, a; 2; z) (A&S 15.1.2). Needs |a - 1| not tiny:
 * 2F1 - 1 is proportional to a - 1 and would lose digits.
 */
function expectationConnected(A: number, a: number, bPost: number, u: number, z: number): number {
  const c = a + bPost - 1;
  const log1mz = -Math.log1p(u);
  const v = (a - 1) * log1mz;
  const E1 = -Math.expm1(v) / (a - 1);
  const S =
    c === 0 ? (c - A) * z * hyp2f1(c - A + 1, a, 2, z) : (c * (hyp2f1(c - A, a - 1, c, z) - 1)) / (a - 1);
  return c * E1 - Math.exp(v) * S;
}

/**
 * G as the Beta(a, bPost) expectation of g(p) = (1 - (1 + p u)^-A)/p by adaptive quadrature. The
 * endpoint singularities of the Beta density are removed by substitution: p = s^(1/a) on [0, 1/2]
 * (p^(a-1) dp = ds/a) and 1 - p = v^(1/bPost) on [1/2, 1].
 */
function expectationQuadrature(A: number, a: number, bPost: number, u: number): number {
  // g(p) = -expm1(-A log1p(p u))/p, with its limit A u at p = 0.
  const g = (p: number) => (p > 0 ? -Math.expm1(-A * Math.log1p(p * u)) / p : A * u);
  const logB = lbeta(a, bPost);
  // Each piece is scaled by 1/B(a, bPost) inside the integrand so no intermediate over- or underflows.
  const left = (s: number) => {
    const p = s ** (1 / a);
    return (g(p) * Math.exp((bPost - 1) * Math.log1p(-p) - logB)) / a;
  };
  const right = (v: number) => {
    const q = v ** (1 / bPost);
    const p = 1 - q;
    return (g(p) * Math.exp((a - 1) * Math.log1p(-q) - logB)) / bPost;
  };
  const sLeft = 0.5 ** a;
  const sRight = 0.5 ** bPost;
  const I1 = integrate(left, 0, sLeft, { relTol: 1e-12 });
  const I2 = sRight > 0 ? integrate(right, 0, sRight, { relTol: 1e-12 }) : 0;
  const G = I1 + I2;
  return Number.isFinite(G) && G > 0 ? G : 0;
}
