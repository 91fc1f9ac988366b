import { lgamma } from "./special.ts";

/**
 * Upper tail P(χ²_df > x) of the chi-square distribution: the regularised upper incomplete gamma
 * Q(df/2, x/2), by its power series when x/2 < df/2 + 1 and by Lentz's continued fraction otherwise
 * (Numerical Recipes 3rd ed. §6.2; Abramowitz & Stegun 6.5.29 and 6.5.31). Each form is used where it
 * converges fast and without cancellation: the series gives P (so Q = 1 - P is taken only when P is not
 * close to 1), the fraction gives Q directly, keeping tiny p-values accurate.
 * Used for likelihood-ratio tests (df = number of coefficients) and Wald tests (df 1) of the covariate
 * models; lives in math/ because nothing in it is specific to them.
 * @example chiSquareUpperTail(3.841458820694124, 1) // 0.05
 */
export function chiSquareUpperTail(x: number, df: number): number {
  // No evidence (x <= 0, NaN statistic, no degrees of freedom): p = 1 rather than NaN.
  if (!(df > 0) || !(x > 0)) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  const a = df / 2;
  const h = x / 2;
  const logPrefix = a * Math.log(h) - h - lgamma(a);
  if (h < a + 1) {
    // P(a, h) = e^{-h} h^a / Γ(a) Σ_n h^n / (a (a+1) ... (a+n))
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= h / (a + n);
      sum += term;
      if (term < sum * 1e-16) break;
    }
    return Math.min(1, Math.max(0, 1 - sum * Math.exp(logPrefix)));
  }
  // Q(a, h) = e^{-h} h^a / Γ(a) · 1/(h+1-a- 1·(1-a)/(h+3-a- 2·(2-a)/(h+5-a- ...))) by modified Lentz.
  const tiny = 1e-300;
  let b = h + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let f = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.min(1, Math.max(0, Math.exp(logPrefix) * f));
}
