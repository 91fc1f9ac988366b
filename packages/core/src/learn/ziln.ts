/**
 * The zero-inflated lognormal (ZILN) loss of Wang, Liu & Miao (2019), "A Deep Probabilistic Model for
 * Customer Lifetime Value Prediction" (arXiv:1912.07753), sec. 3.1, eq. (1)-(3), as in their reference
 * implementation (github.com/google/lifetime_value, `zero_inflated_lognormal.py`).
 *
 * A model emits three logits per customer: l_p (the probability of any future value,
 * p = sigmoid(l_p)), mu (the lognormal location) and l_sigma (the scale, sigma = softplus(l_sigma)).
 * With y the customer's value over the horizon,
 *   loss = BCE(1[y > 0], p) + 1[y > 0] * ( log y + log sigma + log(2 pi)/2 + (log y - mu)^2 / (2 sigma^2) )
 * and the predicted mean is E[Y] = p * exp(mu + sigma^2 / 2).
 */

/**
 * Lower bound on sigma: sqrt(Keras epsilon = 1e-7), as the reference implementation clamps it.
 * @example ZILN_SIGMA_MIN // 3.1622776601683794e-4
 */
export const ZILN_SIGMA_MIN = Math.sqrt(1e-7);
/**
 * Upper bound on sigma. exp(mu + sigma^2/2) overflows near sigma = 37; a lognormal with sigma = 10 already
 * spreads value over 1e8-fold, so clipping there keeps the mean finite without limiting any real fit.
 * @example ZILN_SIGMA_MAX // 10
 */
export const ZILN_SIGMA_MAX = 10;
/** Largest log-mean we exponentiate: exp(700) is finite in double precision, exp(710) is not. */
const MAX_LOG_MEAN = 700;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * softplus(x) = log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) so that neither e^x overflows for
 * large x nor log(1 + tiny) loses digits for very negative x.
 * @example softplus(0) // Math.LN2
 */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * sigmoid(x) = 1 / (1 + e^-x), branching on the sign so e^|x| is never formed (no overflow to Infinity/NaN).
 * @example sigmoid(0) // 0.5
 */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * Inverse of softplus, log(e^y - 1) = y + log(1 - e^-y), for y > 0 (used to initialise the sigma logit).
 * @example inverseSoftplus(softplus(0.3)) // 0.3 (to rounding)
 */
export function inverseSoftplus(y: number): number {
  const v = Math.max(y, 1e-12);
  // for large y, expm1(y) overflows; y + log(-expm1(-y)) is the same value, computed safely
  return v > 20 ? v + Math.log(-Math.expm1(-v)) : Math.log(Math.expm1(v));
}

/** sigma = softplus(l_sigma) clamped to [ZILN_SIGMA_MIN, ZILN_SIGMA_MAX]. */
function sigmaOf(lSigma: number): number {
  return Math.min(ZILN_SIGMA_MAX, Math.max(ZILN_SIGMA_MIN, softplus(lSigma)));
}

/**
 * ZILN loss of one customer with label y >= 0 (Wang, Liu & Miao 2019, eq. 3). When `grad` is given,
 * writes d loss / d(l_p, mu, l_sigma) into grad[offset .. offset + 2]:
 *   d/dl_p = p - 1[y > 0];  d/dmu = -(log y - mu) / sigma^2;
 *   d/dl_sigma = (1/sigma - (log y - mu)^2 / sigma^3) * sigmoid(l_sigma)  (0 where sigma is clamped).
 * The BCE terms use softplus: -log p = softplus(-l_p), -log(1 - p) = softplus(l_p), exact for any l_p.
 * @example zilnRowLoss(0.4, 0.5, 0.6, 1.5) // 1.878373 (google/lifetime_value test case)
 */
export function zilnRowLoss(
  lP: number,
  mu: number,
  lSigma: number,
  y: number,
  grad?: Float64Array,
  offset = 0,
): number {
  const p = sigmoid(lP);
  if (!(y > 0)) {
    if (grad) {
      grad[offset] = p;
      grad[offset + 1] = 0;
      grad[offset + 2] = 0;
    }
    return softplus(lP);
  }
  const raw = softplus(lSigma);
  const sigma = Math.min(ZILN_SIGMA_MAX, Math.max(ZILN_SIGMA_MIN, raw));
  const logY = Math.log(y);
  const z = logY - mu;
  const inv2 = 1 / (sigma * sigma);
  if (grad) {
    grad[offset] = p - 1;
    grad[offset + 1] = -z * inv2;
    const clamped = raw < ZILN_SIGMA_MIN || raw > ZILN_SIGMA_MAX;
    grad[offset + 2] = clamped ? 0 : (1 / sigma - (z * z * inv2) / sigma) * sigmoid(lSigma);
  }
  return softplus(-lP) + logY + Math.log(sigma) + HALF_LOG_2PI + 0.5 * z * z * inv2;
}

/**
 * Predicted mean p * exp(mu + sigma^2 / 2) of one customer's ZILN logits (Wang, Liu & Miao 2019, eq. 4).
 * The exponent is capped at 700 so the mean is always finite.
 * @example zilnMean(0.1, 0.2, 0.3) // 0.923638
 */
export function zilnMean(lP: number, mu: number, lSigma: number): number {
  return zilnMeanOf(sigmoid(lP), mu, lSigma);
}

/**
 * `zilnMean` given p = sigmoid(l_p) already computed (a scorer reports p too: one exp fewer per row).
 * @example zilnMeanOf(sigmoid(0.1), 0.2, 0.3) // 0.923638, the same number as zilnMean(0.1, 0.2, 0.3)
 */
export function zilnMeanOf(p: number, mu: number, lSigma: number): number {
  const sigma = sigmaOf(lSigma);
  return p * Math.exp(Math.min(MAX_LOG_MEAN, mu + 0.5 * sigma * sigma));
}

/**
 * Per-row ZILN losses of a batch of logit triples, the form the reference implementation returns.
 * @example zilnLosses([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [0, 1.5]) // Float64Array [0.744397, 1.878373]
 */
export function zilnLosses(
  logits: readonly (readonly [number, number, number])[],
  labels: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) {
    const [lP, mu, lSigma] = logits[i]!;
    out[i] = zilnRowLoss(lP, mu, lSigma, labels[i]!);
  }
  return out;
}
