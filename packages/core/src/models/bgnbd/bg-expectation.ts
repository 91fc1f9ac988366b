import { hyp2f1, lhyp2f1 } from "../../math/hyp2f1.ts";
import { gaussLegendre, integrate } from "../../math/quadrature.ts";
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
  const lo = expectationLowerBound(A, a, bPost, u);
  const hi = expectationUpperBound(A, a, bPost, u);
  if (Math.min(a, bPost) >= CONCENTRATED_MIN) {
    const spike = expectationConcentrated(A, a, bPost, u);
    if (withinBounds(spike, lo, hi)) return spike;
  }
  if (z <= SERIES_MAX_Z) {
    const series = expectationSeries(A, a, bPost, u, z);
    // (NaN fails the test: the series did not converge or cancelled.)
    if (withinBounds(series, lo, hi)) return series;
  }
  return expectationOtherRoutes(A, a, bPost, beta, t, u, z, lo, hi);
}

/** From this min(a, bPost) on, the Beta posterior of p is a near-Gaussian spike: see expectationConcentrated. */
const CONCENTRATED_MIN = 1e4;
/** Piece boundaries of expectationConcentrated, in standard deviations from the mean. */
const SPIKE_CUTS = [-13, -9, -6, -4, -2.5, -1.2, 0, 1.2, 2.5, 4, 6, 9, 13];
const SPIKE_NODES = 20;

/**
 * G when a and bPost are both large (>= 1e4): the dropout probability barely varies across customers
 * (the degenerate-dropout case; as a, b -> infinity with a/(a+b) fixed the BG/NBD's dropout becomes
 * geometric with one p for all). The Euler series then needs ~a z terms, the 2F1 routes meet
 * parameters ~1e6-1e8 where they lose all accuracy, and the old fallback quadrature over [0, 1] missed
 * the spike: G came out 0 at a = b = 1.6e6 (and wrong or 0 for larger a, b).
 *
 * The Beta(a, bPost) density is near-Gaussian here (skewness ~ 2/sqrt(min(a, bPost)) <= 0.02), so
 * mean ± 13 sd holds all but ~1e-35 of its mass and lies inside (0, 1) (mean/sd >= sqrt(a) >= 100).
 * That window is cut into pieces of at most 3 sd with a 20-point Gauss-Legendre rule on each.
 * Why the ratio: the density's exponent (a-1) ln p + (bPost-1) ln(1-p) - ln B(a, bPost) subtracts
 * numbers of size ~a + bPost, so ln B alone would cost ~(a+bPost)·1e-16 of relative accuracy (1e-8 at
 * 1e8). Instead the exponent is taken relative to the mean, (a-1) log1p(d/mean) + (bPost-1)
 * log1p(-d/(1-mean)) with d = p - mean (terms of size ~d²/sd², no cancellation), and the unnormalised
 * density is integrated with the same nodes: G = Σ w g f / Σ w f, normalised exactly.
 * @example expectationConcentrated(26.2, 1.6e6, 1.6e6 + 26, 35.4 / 52) // close to g(1/2)
 */
export function expectationConcentrated(A: number, a: number, bPost: number, u: number): number {
  const mean = a / (a + bPost);
  const sd = Math.sqrt((mean * (1 - mean)) / (a + bPost + 1));
  const rule = gaussLegendre(SPIKE_NODES);
  let num = 0;
  let den = 0;
  for (let k = 1; k < SPIKE_CUTS.length; k++) {
    const lo = SPIKE_CUTS[k - 1]! * sd;
    const half = 0.5 * (SPIKE_CUTS[k]! - SPIKE_CUTS[k - 1]!) * sd;
    for (let i = 0; i < SPIKE_NODES; i++) {
      const d = lo + half * (rule.nodes[i]! + 1);
      const p = mean + d;
      const f = Math.exp((a - 1) * Math.log1p(d / mean) + (bPost - 1) * Math.log1p(-d / (1 - mean)));
      const g = -Math.expm1(-A * Math.log1p(p * u)) / p;
      // (half: the pieces differ in width, so each rule's weights carry its own half-length.)
      const w = rule.weights[i]! * half * f;
      num += w * g;
      den += w;
    }
  }
  return num / den;
}

/** Relative slack on the bounds below: the routes are accurate to ~1e-10, the bounds are exact. */
const BOUND_SLACK = 1e-9;

/**
 * Jensen's lower bound on G: g(p) = (1 - (1 + p u)^-A)/p = ∫_0^u A (1 + p s)^-(A+1) ds is convex in p
 * (each integrand is), so G = E[g(p)] >= g(E[p]) = g(a/(a + bPost)). For a concentrated Beta (a and
 * bPost both large, the degenerate-dropout case) G is within O(1/(a + bPost)) of this bound.
 * @example expectationLowerBound(1, 1, 1, 2) // g(1/2) = 2 (1 - 1/2) = 1 <= ln 3
 */
export function expectationLowerBound(A: number, a: number, bPost: number, u: number): number {
  const mean = a / (a + bPost);
  return -Math.expm1(-A * Math.log1p(mean * u)) / mean;
}

/**
 * Upper bound on G: g(p) <= A u (its value at p = 0; g decreases in p) and g(p) <= 1/p, so
 * G <= min(A u, E[1/p]) with E[1/p] = (a + bPost - 1)/(a - 1) for a > 1 (infinite otherwise).
 * @example expectationUpperBound(1, 3, 1, 2) // min(2, 3/2) = 1.5
 */
export function expectationUpperBound(A: number, a: number, bPost: number, u: number): number {
  const meanInverse = a > 1 ? (a + bPost - 1) / (a - 1) : Number.POSITIVE_INFINITY;
  return Math.min(A * u, meanInverse);
}

/**
 * Whether a route's result is a number inside the exact bounds. The closed-form routes measure their
 * own cancellation, but a 2F1 evaluated far outside its accurate range (parameters ~1e6 and more) can
 * return a wrong value of any size without cancelling (seen: 1e210 where G ≈ 38); the bounds catch it.
 */
function withinBounds(G: number, lo: number, hi: number): boolean {
  return G >= lo * (1 - BOUND_SLACK) && G <= hi * (1 + BOUND_SLACK);
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
  lo: number,
  hi: number,
) {
  if (Math.abs(a - 1) >= NEAR_ONE) {
    const printedFirst = z <= SERIES_MAX_Z;
    const g1 = printedFirst ? expectationPrinted(A, a, bPost, u, z) : expectationConnected(A, a, bPost, u, z);
    if (withinBounds(g1, lo, hi)) return g1;
    const g2 = printedFirst ? expectationConnected(A, a, bPost, u, z) : expectationPrinted(A, a, bPost, u, z);
    if (withinBounds(g2, lo, hi)) return g2;
  }
  // The quadrature is exact to ~1e-13 but rounding can still put it a hair outside the exact bounds.
  return Math.min(hi, Math.max(lo, bgExpectedGivenAliveByQuadrature(A, a, bPost, beta, t)));
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
/** Cut points around the mean, in standard deviations of the Beta(a, bPost) posterior of p. */
const SD_CUTS = [0.5, 1, 2, 4, 8, 16, 40];

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
  // When a and bPost are both large (the dropout probability barely varies across customers) the Beta
  // density is a spike of width sd ~ 1/sqrt(a + bPost) around the mean: at a = b = 1e8 it is 1e-4
  // of the piece [mean, 2 mean], and all fifteen Kronrod nodes of that piece can fall where the density
  // underflows, so the piece "converges" to 0 and G came out 0 (or half its value). Cuts at multiples
  // of sd put nodes on the spike. (The mean*f cuts alone are enough while sd is not much below mean.)
  const sd = Math.sqrt((mean * (1 - mean)) / (a + bPost + 1));
  for (const k of SD_CUTS) {
    for (const c of [mean - k * sd, mean + k * sd]) if (c > 0 && c < 1) cuts.add(c);
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
