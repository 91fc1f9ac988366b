/**
 * Special functions for the likelihoods: log-gamma, log-beta, digamma, trigamma and the log-space
 * arithmetic (log-sum-exp and friends) that keeps probabilities of rare events representable.
 *
 * Everything is allocation-free and closure-free: these run once per distinct count in every
 * likelihood evaluation over up to a million customers.
 */

/** ln(sqrt(2 pi)). */
const LN_SQRT_2PI = 0.9189385332046727418;
const LN_PI = 1.1447298858494002;

/**
 * Lanczos coefficients of Numerical Recipes, 3rd ed. (Press et al. 2007, section 6.1, `gammln`):
 * 14 terms with g = 671/128, about 5e-15 relative over x > 0. (The widely copied 9-term, g = 7 set is only
 * about 1e-8 accurate, not enough for likelihood gradients.)
 */
const LANCZOS_G_PLUS_HALF = 5.2421875; // 671/128 + 1/2, exact in binary
const LANCZOS_C0 = 0.999999999999997092;
const LANCZOS = [
  57.1562356658629235, -59.5979603554754912, 14.1360979747417471, -0.491913816097620199,
  0.339946499848118887e-4, 0.465236289270485756e-4, -0.983744753048795646e-4, 0.158088703224912494e-3,
  -0.210264441724104883e-3, 0.217439618115212643e-3, -0.16431810653676389e-3, 0.844182239838527433e-4,
  -0.261908384015814087e-4, 0.368991826595316234e-5,
] as const;
const L0 = LANCZOS[0];
const L1 = LANCZOS[1];
const L2 = LANCZOS[2];
const L3 = LANCZOS[3];
const L4 = LANCZOS[4];
const L5 = LANCZOS[5];
const L6 = LANCZOS[6];
const L7 = LANCZOS[7];
const L8 = LANCZOS[8];
const L9 = LANCZOS[9];
const L10 = LANCZOS[10];
const L11 = LANCZOS[11];
const L12 = LANCZOS[12];
const L13 = LANCZOS[13];

/**
 * Taylor coefficients of ln Gamma(2 + e) = (1 - gamma_E) e + sum_{k>=2} (-1)^k (zeta(k) - 1) / k e^k
 * (Abramowitz & Stegun 6.1.33, shifted by one), k = 1..30, computed with mpmath at 40 digits.
 * Used on 1.5 <= x <= 2.5 and (via Gamma(x + 1) = x Gamma(x)) on 0.5 <= x < 1.5: ln Gamma has its zeros
 * at 1 and 2, and there the Lanczos sum's two large terms cancel (absolute error about 7e-16, i.e. no
 * relative accuracy near the zeros). The coefficients fall like 2^-k / k, so at |e| = 1/2 the first
 * omitted term is below 1e-20.
 */
const LGAMMA_NEAR2 = [
  0.42278433509846713, 0.3224670334241132, -0.0673523010531981, 0.020580808427784546, -0.007385551028673986,
  0.0028905103307415234, -0.001192753911703261, 0.0005096695247430425, -0.00022315475845357939,
  9.945751278180853e-5, -4.492623673813314e-5, 2.050721277567069e-5, -9.439488275268397e-6,
  4.374866789907488e-6, -2.039215753801366e-6, 9.55141213040742e-7, -4.492469198764566e-7,
  2.1207184805554665e-7, -1.0043224823968099e-7, 4.7698101693639804e-8, -2.2711094608943164e-8,
  1.0838659214896955e-8, -5.183475041970047e-9, 2.4836745438024785e-9, -1.1921401405860912e-9,
  5.731367241678862e-10, -2.7595228851242334e-10, 1.330476437424449e-10, -6.4229645638381e-11,
  3.1044247747322276e-11,
] as const;
const LGAMMA_NEAR2_LAST = LGAMMA_NEAR2.length - 1;

/** ln Gamma(2 + e) for |e| <= 1/2 by its Taylor series (Horner form). */
function lgammaNear2(e: number): number {
  let p: number = LGAMMA_NEAR2[LGAMMA_NEAR2_LAST]!;
  for (let k = LGAMMA_NEAR2_LAST - 1; k >= 0; k--) p = LGAMMA_NEAR2[k]! + e * p;
  return e * p;
}

/** Lanczos sum for x > 0 (Numerical Recipes 3rd ed., eq. 6.1.5). */
function lgammaLanczos(x: number): number {
  let tmp = x + LANCZOS_G_PLUS_HALF;
  tmp = (x + 0.5) * Math.log(tmp) - tmp;
  const ser =
    LANCZOS_C0 +
    L0 / (x + 1) +
    L1 / (x + 2) +
    L2 / (x + 3) +
    L3 / (x + 4) +
    L4 / (x + 5) +
    L5 / (x + 6) +
    L6 / (x + 7) +
    L7 / (x + 8) +
    L8 / (x + 9) +
    L9 / (x + 10) +
    L10 / (x + 11) +
    L11 / (x + 12) +
    L12 / (x + 13) +
    L13 / (x + 14);
  // 2.5066282746310005 = sqrt(2 pi). For subnormal-range x, ser / x would overflow: split the log.
  if (x < 1e-300) return tmp + Math.log(2.5066282746310005 * ser) - Math.log(x);
  return tmp + Math.log((2.5066282746310005 * ser) / x);
}

/**
 * Natural log of |Gamma(x)|.
 *
 * x > 0: Lanczos approximation (Numerical Recipes 3rd ed., `gammln`, 14 terms, g = 671/128), with a
 * Taylor series on [0.5, 2.5], around the zeros at x = 1 and x = 2, so that the result keeps its relative accuracy there.
 * x < 0: reflection, ln|Gamma(x)| = ln(pi / |sin(pi x)|) - ln Gamma(1 - x). Returns +Infinity at the poles
 * (x = 0, -1, -2, ...) and for x = +Infinity; NaN only for NaN.
 * @example lgamma(10) // 12.801827480081469 (= ln 9!)
 */
export function lgamma(x: number): number {
  if (x > 0) {
    if (x < 0.5 || x > 2.5) {
      if (x === Number.POSITIVE_INFINITY) return x;
      return lgammaLanczos(x);
    }
    if (x >= 1.5) return lgammaNear2(x - 2);
    // ln Gamma(x) = ln Gamma(x + 1) - ln x; x - 1 is exact here (Sterbenz), so log1p keeps ln x exact.
    return lgammaNear2(x - 1) - Math.log1p(x - 1);
  }
  if (x === 0) return Number.POSITIVE_INFINITY;
  if (Number.isNaN(x)) return x;
  if (x === Number.NEGATIVE_INFINITY) return Number.POSITIVE_INFINITY;
  // Reflection (Abramowitz & Stegun 6.1.17). sin(pi x) via the distance to the nearest integer keeps
  // the argument small so the pole is located exactly.
  const frac = x - Math.floor(x);
  if (frac === 0) return Number.POSITIVE_INFINITY;
  const s = Math.sin(Math.PI * (frac < 0.5 ? frac : 1 - frac));
  return LN_PI - Math.log(s) - lgamma(1 - x);
}

/**
 * Stirling-series remainder: lgamma(x) - [(x - 1/2) ln x - x + ln sqrt(2 pi)] for x >= 10
 * (Abramowitz & Stegun 6.1.41, terms through x^-15; the first omitted term is < 2e-18 at x = 10).
 */
function lgammaCorrection(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return (
    r *
    (1 / 12 +
      r2 *
        (-1 / 360 +
          r2 *
            (1 / 1260 +
              r2 *
                (-1 / 1680 +
                  r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156 + r2 * (-3617 / 122400))))))))
  );
}

/**
 * ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b) for a, b > 0.
 *
 * When an argument is large the three log-gammas are huge and nearly cancel (lbeta(0.79, 1e4) is about
 * -7 while each lgamma is about 8e4, so the naive sum loses 4 digits). There we cancel the leading
 * Stirling terms analytically, as R's `lbeta` does (TOMS 708 style): with p = min, q = max,
 *   q >= 10, p < 10:  lgamma(p) + p - p ln(p+q) + (q - 1/2) log1p(-p/(p+q)) + cor(q) - cor(p+q)
 *   p >= 10:          -ln(q)/2 + ln sqrt(2 pi) + cor(p) + cor(q) - cor(p+q)
 *                     + (p - 1/2) ln(p/(p+q)) + q log1p(-p/(p+q))
 * @example lbeta(2, 3) // ln(1/12) = -2.4849066497880004
 */
export function lbeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (!(p > 0)) {
    if (p === 0) return Number.POSITIVE_INFINITY;
    return Number.isNaN(p) || Number.isNaN(q) ? Number.NaN : lgamma(a) + lgamma(b) - lgamma(a + b);
  }
  if (q === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  const pq = p + q;
  if (p >= 10) {
    const corr = lgammaCorrection(p) + lgammaCorrection(q) - lgammaCorrection(pq);
    return -0.5 * Math.log(q) + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(p / pq) + q * Math.log1p(-p / pq);
  }
  if (q >= 10) {
    const corr = lgammaCorrection(q) - lgammaCorrection(pq);
    return lgamma(p) + corr + p - p * Math.log(pq) + (q - 0.5) * Math.log1p(-p / pq);
  }
  return lgamma(p) + lgamma(q) - lgamma(pq);
}

/**
 * Digamma psi(x) = d/dx ln Gamma(x).
 *
 * Recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10, then the asymptotic series
 * psi(x) = ln x - 1/(2x) - sum B_2k / (2k x^2k) (Abramowitz & Stegun 6.3.18) through x^-14; at x = 10 the
 * first omitted term is 4e-17 (from x >= 6, as often used, the series cannot reach 1e-15).
 * x < 0: reflection psi(x) = psi(1 - x) - pi / tan(pi x); NaN at the poles 0, -1, -2, ...
 * @example digamma(1) // -0.5772156649015329 (minus the Euler-Mascheroni constant)
 */
export function digamma(x: number): number {
  if (!(x > 0)) {
    if (Number.isNaN(x) || x === Number.NEGATIVE_INFINITY) return Number.NaN;
    if (x === Math.floor(x)) return Number.NaN;
    const frac = x - Math.floor(x);
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * frac);
  }
  if (x === Number.POSITIVE_INFINITY) return x;
  let acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  const r = 1 / x;
  const r2 = r * r;
  const series =
    r2 *
    (1 / 12 -
      r2 * (1 / 120 - r2 * (1 / 252 - r2 * (1 / 240 - r2 * (1 / 132 - r2 * (691 / 32760 - r2 * (1 / 12)))))));
  return acc + Math.log(x) - 0.5 * r - series;
}

/**
 * Trigamma psi'(x) = d^2/dx^2 ln Gamma(x).
 *
 * Recurrence psi'(x) = psi'(x + 1) + 1/x^2 up to x >= 10, then the asymptotic series
 * psi'(x) = 1/x + 1/(2x^2) + sum B_2k / x^(2k+1) (Abramowitz & Stegun 6.4.12) through x^-17.
 * x < 0: reflection psi'(1 - x) + psi'(x) = pi^2 / sin^2(pi x); +Infinity at the poles.
 * @example trigamma(1) // pi^2 / 6 = 1.6449340668482264
 */
export function trigamma(x: number): number {
  if (!(x > 0)) {
    if (Number.isNaN(x) || x === Number.NEGATIVE_INFINITY) return Number.NaN;
    const frac = x - Math.floor(x);
    if (frac === 0) return Number.POSITIVE_INFINITY;
    const s = Math.sin(Math.PI * (frac < 0.5 ? frac : 1 - frac));
    return (Math.PI * Math.PI) / (s * s) - trigamma(1 - x);
  }
  if (x === Number.POSITIVE_INFINITY) return 0;
  let acc = 0;
  while (x < 10) {
    acc += 1 / (x * x);
    x += 1;
  }
  const r = 1 / x;
  const r2 = r * r;
  const series =
    1 +
    r *
      (0.5 +
        r *
          (1 / 6 +
            r2 *
              (-1 / 30 +
                r2 *
                  (1 / 42 +
                    r2 *
                      (-1 / 30 + r2 * (5 / 66 + r2 * (-691 / 2730 + r2 * (7 / 6 - r2 * (3617 / 510)))))))));
  return acc + r * series;
}

/**
 * ln(e^a + e^b) without overflow or underflow: max + log1p(e^-|a - b|).
 * @example logSumExp2(Math.log(2), Math.log(3)) // Math.log(5)
 */
export function logSumExp2(a: number, b: number): number {
  const m = Math.max(a, b);
  if (m === Number.NEGATIVE_INFINITY || m === Number.POSITIVE_INFINITY)
    return Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : m;
  const d = a > b ? b - a : a - b;
  return m + Math.log1p(Math.exp(d));
}

/**
 * ln(sum_i e^(v_i)) without overflow: shift by the maximum. -Infinity entries contribute zero;
 * an empty input or all -Infinity gives -Infinity.
 * @example logSumExp([Math.log(1), Math.log(2), Number.NEGATIVE_INFINITY]) // Math.log(3)
 */
export function logSumExp(values: ArrayLike<number>): number {
  const n = values.length;
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) return v;
    if (v > m) m = v;
  }
  if (m === Number.NEGATIVE_INFINITY || m === Number.POSITIVE_INFINITY) return m;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(values[i]! - m);
  return m + Math.log(s);
}

/**
 * ln(1 - e^x) for x <= 0, accurate at both ends (Maechler 2012, "Accurately Computing log(1 - exp(-|a|))",
 * eq. 7): log(-expm1(x)) for x > -ln 2 where 1 - e^x is small, log1p(-e^x) below where e^x is small.
 * Returns -Infinity at x = 0 and NaN for x > 0 (no real value).
 * @example log1mexp(-1e-20) // ln(1e-20) = -46.051701859880914
 */
export function log1mexp(x: number): number {
  if (x > -Math.LN2) return x > 0 ? Number.NaN : Math.log(-Math.expm1(x));
  return Math.log1p(-Math.exp(x));
}

/**
 * ln(e^a - e^b) for a >= b: a + log1mexp(b - a). -Infinity when a = b; a when b = -Infinity.
 * @example logDiffExp(Math.log(5), Math.log(3)) // Math.log(2)
 */
export function logDiffExp(a: number, b: number): number {
  if (b === Number.NEGATIVE_INFINITY) return a;
  if (a === b) return a === Number.POSITIVE_INFINITY ? Number.NaN : Number.NEGATIVE_INFINITY;
  return a + log1mexp(b - a);
}

/**
 * ln(1 + e^x) (softplus) without overflow, accurate for all x (Maechler 2012, eq. 10 cut-offs):
 * e^x below -37, log1p(e^x) up to 18, x + e^-x up to 33.3, x beyond.
 * @example log1pexp(0) // Math.LN2
 */
export function log1pexp(x: number): number {
  if (x <= -37) return Math.exp(x);
  if (x <= 18) return Math.log1p(Math.exp(x));
  if (x <= 33.3) return x + Math.exp(-x);
  return x;
}
