import { hyp2f1, lhyp2f1 } from "../../math/hyp2f1.ts";
import { integrate } from "../../math/quadrature.ts";
import { lbeta } from "../../math/special.ts";

/** Above this z = t/(beta + t) the series below needs too many terms; quadrature over p takes over. */
const SERIES_MAX_Z = 0.95;
const MAX_TERMS = 20_000;
/** Within this distance of a = 1 the 1/(a-1) forms below cancel; other routes are used there. */
const NEAR_ONE = 1e-3;
/**
 * Largest accepted condition number (sum of the magnitudes combined / magnitude of the result) of a
 * route: 1e6 keeps ~1e-10 relative accuracy. A route that cancels worse hands over to the next one.
 */
const MAX_CONDITION = 1e6;

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
 *
 * Every route measures its own cancellation (condition number) and hands over when it would lose more
 * than ~6 digits: the Euler series cancels when c - A is large and negative (r much larger than b), where
 * the printed form 1 - (1-z)^A 2F1(A, bPost; c; z) is well conditioned instead; the quadrature is
 * always valid and is the last resort.
 * @example bgExpectedGivenAlive(0.2426 + 26, 0.793, 2.426 + 26, 4.4137 + 31, 52) // ≈ 26.58
 */
export function bgExpectedGivenAlive(A: number, a: number, bPost: number, beta: number, t: number): number {
  if (!(t > 0)) return 0;
  // t -> infinity: every purchase until dropout, E[1/p] = (a + bPost - 1)/(a - 1), infinite for a <= 1.
  if (t === Number.POSITIVE_INFINITY) return a > 1 ? (a + bPost - 1) / (a - 1) : Number.POSITIVE_INFINITY;
  const u = t / beta;
  const z = t / (beta + t);
  if (z <= SERIES_MAX_Z) {
    const series = expectationSeries(A, a, bPost, u, z);
    // (NaN fails the test: the series did not converge or cancelled.)
    if (series >= 0 && series < Number.POSITIVE_INFINITY) return series;
  }
  return expectationOtherRoutes(A, a, bPost, beta, t, u, z);
}

/**
 * The routes after the series (kept out of the hot function so that it stays small and inlinable):
 * the printed form and the connected 2F1 form in the order that suits z, then quadrature.
 */
function expectationOtherRoutes(
  A: number,
  a: number,
  bPost: number,
  beta: number,
  t: number,
  u: number,
  z: number,
) {
  if (Math.abs(a - 1) >= NEAR_ONE) {
    const printedFirst = z <= SERIES_MAX_Z;
    const g1 = printedFirst ? expectationPrinted(A, a, bPost, u, z) : expectationConnected(A, a, bPost, u, z);
    if (g1 >= 0 && g1 < Number.POSITIVE_INFINITY) return g1;
    const g2 = printedFirst ? expectationConnected(A, a, bPost, u, z) : expectationPrinted(A, a, bPost, u, z);
    if (g2 >= 0 && g2 < Number.POSITIVE_INFINITY) return g2;
  }
  return bgExpectedGivenAliveByQuadrature(A, a, bPost, beta, t);
}

/** The Euler-transformed series above; NaN when it did not converge within MAX_TERMS or cancels badly. */
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
  let sumAbs = Math.abs(term);
  for (let k = 1; k < MAX_TERMS; k++) {
    const ratio = ((cA + k) * (a + k - 1) * z) / ((c + k) * (k + 1));
    term *= ratio;
    sum += term;
    sumAbs += Math.abs(term);
    // Tail bound: later ratios stay below max(|ratio|, z) once both are < 1 (they tend to z monotonically).
    const q = Math.max(Math.abs(ratio), z);
    if (q < 1 && (Math.abs(term) * q) / (1 - q) <= 1e-16 * Math.abs(sum) + 1e-300) {
      const G = c * E1 - pow * sum;
      // Alternating terms (c - A < 0) and the final difference can cancel: refuse if they do.
      return Math.abs(c * E1) + pow * sumAbs <= MAX_CONDITION * Math.abs(G) ? G : Number.NaN;
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
  const F = c === 0 ? 0 : hyp2f1(c - A, a - 1, c, z);
  const S = c === 0 ? (c - A) * z * hyp2f1(c - A + 1, a, 2, z) : (c * (F - 1)) / (a - 1);
  const G = c * E1 - Math.exp(v) * S;
  // Cancellation in F - 1 (F close to 1) and in the final difference.
  const scale =
    Math.abs(c * E1) + Math.exp(v) * (c === 0 ? Math.abs(S) : Math.abs(c / (a - 1)) * (Math.abs(F) + 1));
  return scale <= MAX_CONDITION * Math.abs(G) ? G : Number.NaN;
}

/**
 * The bracket as printed, c/(a-1) · [1 - (1-z)^A 2F1(A, bPost; c; z)], with 2F1 in log space (it
 * overflows for large A). Well conditioned unless (1-z)^A 2F1 is close to 1; needs |a - 1| not tiny.
 */
function expectationPrinted(A: number, a: number, bPost: number, u: number, z: number): number {
  const c = a + bPost - 1;
  const F = lhyp2f1(A, bPost, c, z);
  if (F.sign === 0 || !Number.isFinite(F.log)) return Number.NaN;
  const e = F.sign * Math.exp(F.log - A * Math.log1p(u));
  const G = (c / (a - 1)) * (1 - e);
  return 1 + Math.abs(e) <= MAX_CONDITION * Math.abs(1 - e) ? G : Number.NaN;
}

/** Cut points, as multiples of the posterior mean of p and of the scale 1/(A u) where g(p) bends. */
const CUT_FACTORS = [1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 0.05, 0.2, 0.5, 1, 2, 5, 10, 30, 100, 1e3, 1e4];

/**
 * G as the Beta(a, bPost) expectation of g(p) = (1 - (1 + p u)^-A)/p by adaptive quadrature: always
 * valid, so it is the reference route and the last resort. The Beta density can be concentrated
 * anywhere in (0, 1) (near a/(a+bPost), with width ~ 1/sqrt(bPost) or less) and g bends at p ~ 1/(A u),
 * so [0, 1] is cut at multiples of both scales and each piece integrated on its own. The density's
 * endpoint singularities are removed by substitution on the first piece, p = s^(1/a)
 * (p^(a-1) dp = ds/a), and on the last, 1 - p = v^(1/bPost).
 * @example bgExpectedGivenAliveByQuadrature(1, 1, 1, 10, 20) // ln(1 + 20/10) = 1.0986...
 */
export function bgExpectedGivenAliveByQuadrature(
  A: number,
  a: number,
  bPost: number,
  beta: number,
  t: number,
): number {
  if (!(t > 0)) return 0;
  const u = t / beta;
  // g(p) = -expm1(-A log1p(p u))/p, with its limit A u at p = 0.
  const g = (p: number) => (p > 0 ? -Math.expm1(-A * Math.log1p(p * u)) / p : A * u);
  const logB = lbeta(a, bPost);
  const mean = a / (a + bPost);
  const bend = 1 / (A * u);
  const cuts = new Set<number>();
  for (const f of CUT_FACTORS) {
    for (const c of [mean * f, bend * f, 1 - (1 - mean) * f]) if (c > 0 && c < 1) cuts.add(c);
  }
  const points = [0, ...[...cuts].sort((x, y) => x - y), 1];
  const opts = { relTol: 1e-13 };
  let G = 0;
  for (let k = 1; k < points.length; k++) {
    const lo = points[k - 1]!;
    const hi = points[k]!;
    if (k === 1) {
      // Each integrand carries 1/B(a, bPost) in its exponent so nothing over- or underflows.
      const first = (s: number) => {
        const p = s ** (1 / a);
        return (g(p) * Math.exp((bPost - 1) * Math.log1p(-p) - logB)) / a;
      };
      G += integrate(first, 0, hi ** a, opts);
    } else if (k === points.length - 1) {
      const last = (v: number) => {
        const q = v ** (1 / bPost);
        return (g(1 - q) * Math.exp((a - 1) * Math.log1p(-q) - logB)) / bPost;
      };
      G += integrate(last, 0, (1 - lo) ** bPost, opts);
    } else {
      const middle = (p: number) =>
        g(p) * Math.exp((a - 1) * Math.log(p) + (bPost - 1) * Math.log1p(-p) - logB);
      G += integrate(middle, lo, hi, opts);
    }
  }
  return Number.isFinite(G) && G > 0 ? G : 0;
}
