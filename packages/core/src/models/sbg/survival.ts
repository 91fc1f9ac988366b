import { hyp2f1 } from "../../math/hyp2f1.ts";
import { digamma, lbeta } from "../../math/special.ts";

/**
 * The beta-geometric survival function shared by the sBG model (Fader & Hardie 2007, J. Interactive
 * Marketing 21(1), eq. 3: alpha, beta) and the BG/BB dropout process (Fader, Hardie & Shang 2010,
 * Marketing Science 29(6): gamma, delta, same algebra). With churn probability theta ~ Beta(a, b), the
 * share of a cohort still active after t periods is
 *   S(t) = E[(1 - theta)^t] = B(a, b + t) / B(a, b).
 * `lbeta` cancels the large Stirling terms analytically, so this stays accurate for large b + t.
 * @example betaGeometricSurvival(0.704, 1.182, 1) // 0.6266... (the "Regular" segment after one year)
 */
export function betaGeometricSurvival(a: number, b: number, t: number): number {
  if (t <= 0) return 1;
  if (t === Number.POSITIVE_INFINITY) return 0;
  return Math.exp(lbeta(a, b + t) - lbeta(a, b));
}

/**
 * ln Gamma(x + h) - ln Gamma(x) for x > 0, x + h > 0, accurate relative to the (possibly tiny) result
 * even when h is small and x large, where subtracting two lgamma values would lose |lgamma(x)| * eps.
 * Shifts x up to >= 10 with ln Gamma(y + 1) = ln y + ln Gamma(y) (each step a log1p(h / y)), then uses
 * Stirling's series with the leading terms differenced analytically:
 * (x - 1/2) log1p(h / x) + h ln(x + h) - h + cor(x + h) - cor(x) (Abramowitz & Stegun 6.1.41).
 */
function logGammaRatio(x: number, h: number): number {
  let acc = 0;
  while (x < 10) {
    acc -= Math.log1p(h / x);
    x += 1;
  }
  return (
    acc +
    (x - 0.5) * Math.log1p(h / x) +
    h * Math.log(x + h) -
    h +
    stirlingCorrection(x + h) -
    stirlingCorrection(x)
  );
}

/** ln Gamma(x) - [(x - 1/2) ln x - x + ln sqrt(2 pi)] for x >= 10, through x^-9 (error < 3e-14 at x = 10). */
function stirlingCorrection(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 / 1188))));
}

/** Terms above which a survival sum switches from direct summation to the telescoped closed form. */
const DIRECT_SUM_TERMS = 1000;

/**
 * Sum of survival probabilities S(from) + ... + S(to) (inclusive, `to` may be Infinity).
 *
 * Short ranges are summed directly with the exact recursion S(t + 1) = S(t) (b + t) / (a + b + t)
 * (Fader & Hardie 2007, eq. 7), which is exact up to rounding. Long ranges use the telescoping identity
 *   (a + b + t - 1) S(t) - (a + b + t) S(t + 1) = (a - 1) S(t),
 * so (a - 1) sum_{t=f}^{u} S(t) = (a + b + f - 1) S(f) - (a + b + u) S(u + 1). This is the same closed form
 * as Fader, Hardie & Shang (2010) eq. 7 for E[X(n)], rewritten as (a + b + f - 1) S(f) (1 - R) / (a - 1)
 * with ln R / (a - 1) computed from log-gamma ratios that keep their relative accuracy as a -> 1, because
 * the difference of the two terms, divided by a - 1, cancels badly when a is near 1 (eq. 7 is 0/0 at
 * gamma = 1). For a <= 1 the infinite sum diverges: Infinity.
 * @example betaGeometricSurvivalSum(2, 1, 0, Infinity) // 2 = (a + b - 1) / (a - 1), the mean lifetime
 */
export function betaGeometricSurvivalSum(a: number, b: number, from: number, to: number): number {
  from = Math.max(0, Math.ceil(from));
  if (to < from) return 0;
  if (to !== Number.POSITIVE_INFINITY) to = Math.floor(to);
  if (to - from < DIRECT_SUM_TERMS) {
    let s = betaGeometricSurvival(a, b, from);
    let sum = 0;
    for (let t = from; t <= to; t++) {
      sum += s;
      s *= (b + t) / (a + b + t);
    }
    return sum;
  }
  // S(0) = 1 is added separately so the closed form below only sees from >= 1, where every log-gamma
  // argument (c + b + from - 1 with c in [min(a, 1), max(a, 1)]) is positive even when a + b < 1.
  let head = 0;
  if (from === 0) {
    head = 1;
    from = 1;
  }
  const sFrom = betaGeometricSurvival(a, b, from);
  const lead = (a + b + from - 1) * sFrom;
  if (to === Number.POSITIVE_INFINITY) {
    return a > 1 ? head + lead / (a - 1) : Number.POSITIVE_INFINITY;
  }
  // G(c) = ln Gamma(c + b + to) - ln Gamma(c + b + from - 1); ln R = G(1) - G(a), and
  // slope = (G(a) - G(1)) / (a - 1) from two log-gamma ratios computed without cancellation (at a = 1
  // exactly, its limit G'(1), a digamma difference).
  const h = a - 1;
  const slope =
    h === 0
      ? digamma(1 + b + to) - digamma(b + from)
      : (logGammaRatio(1 + b + to, h) - logGammaRatio(b + from, h)) / h;
  const logR = -slope * h;
  // (1 - R) / (a - 1) = -expm1(ln R) / (a - 1) = slope * expm1(ln R) / ln R.
  const ratio = logR === 0 ? 1 : Math.expm1(logR) / logR;
  return head + lead * slope * ratio;
}

/**
 * Discounted survival series sum_{k >= 0} [S(from + k) / S(from)] z^k = 2F1(1, b + from; a + b + from; z)
 * for 0 <= z <= 1 (z = 1 / (1 + d) for a per-period discount rate d). This is the hypergeometric factor of
 * the sBG DEL/DERL (Fader & Hardie 2010, Marketing Science 29(1), eqs. 4 and 6) and of the BG/BB DERT
 * (Fader, Hardie & Shang 2010).
 *
 * Summed as the series itself: every term is positive (no cancellation), the term ratio
 * z (b + from + k) / (a + b + from + k) is below z, so the remainder after a term u is below u z / (1 - z)
 * and the loop stops once that bound is under 1e-16 of the sum (about 37 / d terms). At z = 1 it is the
 * undiscounted survival sum (closed form above; Infinity when a <= 1). For d below ~7e-4 the series would
 * need over 50,000 terms and math/hyp2f1 is used instead.
 * @example discountedSurvivalSeries(0.668, 3.806, 8, 1 / 1.1)
 */
export function discountedSurvivalSeries(a: number, b: number, from: number, z: number): number {
  if (!(z > 0)) return 1;
  if (z >= 1) {
    const s = betaGeometricSurvival(a, b, from);
    const total = betaGeometricSurvivalSum(a, b, from, Number.POSITIVE_INFINITY);
    return total === Number.POSITIVE_INFINITY || !(s > 0) ? Number.POSITIVE_INFINITY : total / s;
  }
  const bb = b + from;
  const cc = a + b + from;
  // The series needs about ln(1e-16) / ln z terms (37 / d): fine down to d ~ 1e-3, but millions of terms for
  // tiny d, where math/hyp2f1's transformations near z = 1 are much faster (the two agree to ~1e-12).
  if (-36.8 / Math.log(z) > 50_000) {
    const h = hyp2f1(1, bb, cc, z);
    if (Number.isFinite(h) && h >= 1) return h;
  }
  const tailFactor = z / (1 - z);
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 100_000_000; k++) {
    term *= (z * (bb + k)) / (cc + k);
    sum += term;
    if (term * tailFactor <= 1e-16 * sum) break;
  }
  return sum;
}
