/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for real parameters and real z <= 1, as the BG/NBD,
 * MBG/NBD and Pareto/NBD expressions need it (Fader, Hardie & Lee 2005, eq. 10; Fader & Hardie 2005 note,
 * eq. 22): z up to 1 - 1e-6 and beyond, parameters in the tens of thousands (x = 10,000 repeat purchases),
 * c near zero or negative (a + b < 1 in BG/NBD gives c = a + b - 1 < 0).
 *
 * Method (see Pearson, Olver & Porter 2017, "Numerical methods for the computation of the confluent and
 * Gauss hypergeometric functions", sections 4.2-4.4):
 * - z < 0: a Pfaff transformation (Abramowitz & Stegun 15.3.4/15.3.5) maps to w = z / (z - 1) in (0, 1).
 * - The power series, either directly or after Euler's transformation
 *   2F1(a, b; c; x) = (1 - x)^(c-a-b) 2F1(c-a, c-b; c; x) (A&S 15.3.3), whichever has the smaller numerator
 *   parameters (the other one too when the first cancels). This turns the x = 10,000 BG/NBD case
 *   (a = r + x, b = b + x, c = a + b + x - 1) into a series with O(1) numerator parameters that converges
 *   in a few terms. For x <= 1/2 it is always used; for x > 1/2 it is tried for up to 400 terms (given up
 *   early when the term ratio shows it cannot finish).
 * - x > 1/2 otherwise: the 1 - x connection formula (A&S 15.3.6), two series in 1 - x, combined in log
 *   space. When c - a - b is within 0.05 of an integer m the formula degenerates (both terms blow up like
 *   1/(c - a - b - m) and cancel). There we evaluate it at 20 Chebyshev-spaced shifts of `a` (nodes on
 *   [m - R, m + R], R = min(0.2, 2 / |ln(1 - x)|)) and interpolate back (2F1 is entire in a, so the
 *   interpolant converges geometrically); this covers c - a - b = m exactly (A&S 15.3.10-15.3.12) with one
 *   code path, to about 2e-14 relative in our tests.
 * - If the connection formula cancels badly (large parameters), the series is summed to the end.
 * - If both series forms cancel (numerator parameters far larger than c, x < 0 after Pfaff), Gauss's
 *   contiguous recurrence in the larger numerator parameter is run from a well-conditioned start (as in
 *   Cephes' hyp2f1ra) and accepted when it agrees with the series within the series' error bound.
 * Known weak spot (outside the models' range, which has z >= 0): numerator parameters in the hundreds or
 * more, small c and z < 0 can still lose all digits (2 of 1,586 random mpmath cases in the tests).
 *
 * Sums are kept as (double, log scale) pairs so terms may exceed the double range; `lhyp2f1` returns the
 * logarithm and sign for values that overflow. Nothing allocates: results pass through module scratch.
 */
import { lgamma } from "./special.ts";

const BIG = 1e250;
const LN_BIG = Math.log(BIG);
/** Stop when two consecutive terms are below this fraction of the sum. */
const SERIES_EPS = 1e-17;
/** Upper bound of terms for a series that must be summed to the end. */
const MAX_TERMS = 2_000_000;
/** Terms we try before switching to the connection formula for x > 1/2. */
const QUICK_TERMS = 400;
/** ... and when the connection formula is degenerate (20 evaluations, the cost of about 4000 terms). */
const QUICK_TERMS_DEGENERATE = 3000;
/** Cancellation factor (sum |terms| / |sum|) above which a result is considered unreliable. */
const COND_LIMIT = 1e3;

/** Degenerate-case interpolation: 20 Chebyshev points on [-R, R] in e = c - a - b - m; used for |e| < W. */
const DEGENERATE_R = 0.2;
const DEGENERATE_W = 0.05;
const CHEB_N = 20;
const CHEB_NODES = new Float64Array(CHEB_N);
const CHEB_WEIGHTS = new Float64Array(CHEB_N);
for (let j = 0; j < CHEB_N; j++) {
  const theta = ((2 * j + 1) * Math.PI) / (2 * CHEB_N);
  CHEB_NODES[j] = Math.cos(theta); // on [-1, 1]; scaled by the radius per call
  // Barycentric weights of Chebyshev points of the first kind (Berrut & Trefethen 2004, eq. 5.3).
  CHEB_WEIGHTS[j] = (j & 1 ? -1 : 1) * Math.sin(theta);
}
const chebLog = new Float64Array(CHEB_N);
const chebSign = new Float64Array(CHEB_N);
const chebCond = new Float64Array(CHEB_N);

// Module scratch for results: log |value|, sign, and cancellation factor (>= 1).
let rLog = 0;
let rSign = 1;
let rCond = 1;
/** The plain sum of the last sumSeries call when it needed no rescaling (NaN otherwise). */
let rPlain = 0;

function isNonPositiveInteger(x: number): boolean {
  return x <= 0 && x === Math.floor(x);
}

/** Sign of Gamma(x) (+1 for x > 0; alternates between the poles for x < 0). */
function gammaSign(x: number): number {
  return x > 0 || Math.floor(x) % 2 === 0 ? 1 : -1;
}

/**
 * sum_{k >= k0} (p)_k (q)_k / ((c)_k k!) x^k into rLog / rSign / rCond, with c = cInt + cFrac (cInt an
 * integer, or 0 with cFrac = c). With dropC, the (c)_k is read as
 * (c+1)_{k-1} (the series of c (2F1 - 1), finite as c -> 0; only with k0 >= 1).
 * Returns whether the sum converged within maxTerms.
 */
function sumSeries(
  p: number,
  q: number,
  cInt: number,
  cFrac: number,
  x: number,
  k0: number,
  maxTerms: number,
  dropC: boolean,
): boolean {
  let scale = 0;
  let term = 1;
  let k = 0;
  for (; k < k0; k++) {
    const den = dropC && k === 0 ? 1 : cInt + k + cFrac;
    term *= ((p + k) * (q + k) * x) / (den * (k + 1));
    if (term === 0) {
      rLog = Number.NEGATIVE_INFINITY;
      rSign = 0;
      rCond = 1;
      return true;
    }
    const at = Math.abs(term);
    if (at > BIG) {
      term /= BIG;
      scale += LN_BIG;
    } else if (at < 1 / BIG) {
      term *= BIG;
      scale -= LN_BIG;
    }
  }
  let sum = term;
  let abs = Math.abs(term);
  let small = 0;
  let converged = false;
  // Past these indices no factor changes sign any more, so small terms mean convergence.
  const kSettled = Math.max(-p, -q, -(cInt + cFrac), 0);
  const kEnd = k0 + maxTerms;
  const quick = maxTerms < MAX_TERMS;
  for (; k < kEnd; k++) {
    // c + k as (integer part + k) + fraction: where it crosses zero it equals the fraction exactly, which the
    // near-degenerate connection formula relies on (its 1/(c + k) terms cancel against Gamma poles).
    const den = dropC && k === 0 ? 1 : cInt + k + cFrac;
    term *= ((p + k) * (q + k) * x) / (den * (k + 1));
    if (term === 0) {
      converged = true; // terminating series (or underflow far below the sum)
      break;
    }
    sum += term;
    abs += Math.abs(term);
    if (abs > BIG) {
      // Keep term and sums representable: the value may be far beyond the double range.
      term /= BIG;
      sum /= BIG;
      abs /= BIG;
      scale += LN_BIG;
    }
    if (quick && (k & 31) === 24 && k >= kSettled) {
      // A quick attempt gives up as soon as the term ratio says it cannot finish in budget. The ratio
      // drifts monotonically toward |x|, so within the budget it is at most the larger of its values now
      // and at the end of the budget.
      const c = cInt + cFrac;
      const ratio = Math.max(
        Math.abs((((p + k + 1) * (q + k + 1)) / ((c + k + 1) * (k + 2))) * x),
        Math.abs((((p + kEnd) * (q + kEnd)) / ((c + kEnd) * (kEnd + 1))) * x),
      );
      if (
        ratio >= 1 ||
        k + Math.log((SERIES_EPS * Math.abs(sum)) / Math.abs(term)) / Math.log(ratio) > 0.8 * kEnd
      )
        break;
    }
    if (
      Math.abs(term) <= SERIES_EPS * Math.abs(sum) &&
      k >= kSettled &&
      Math.abs(term) * tailFactor(p, q, cInt + cFrac, x, k + 1) <= 4 * SERIES_EPS * Math.abs(sum)
    ) {
      if (++small >= 2) {
        converged = true;
        break;
      }
    } else small = 0;
  }
  if (sum === 0 || !Number.isFinite(sum)) {
    rLog = sum === 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
    rSign = sum === 0 ? 0 : Number.NaN;
    rCond = Number.POSITIVE_INFINITY;
    return converged && sum === 0;
  }
  rLog = scale + Math.log(Math.abs(sum));
  rSign = sum > 0 ? 1 : -1;
  rCond = abs / Math.abs(sum);
  rPlain = scale === 0 ? sum : Number.NaN;
  return converged;
}

/**
 * Bound factor F with (tail after the current term) <= |term| F, for the terms from index k on, or Infinity
 * when the term ratio |x| (p+k)(q+k) / ((c+k)(k+1)) may still exceed 1 later: that happens iff the concave
 * quadratic |x|(p+k)(q+k) - (c+k)(k+1) is non-negative somewhere from k on. Otherwise the tail is at most
 * geometric with ratio max(current ratio, |x|). Without this, a series whose first terms are tiny (a
 * parameter near 0) would stop before its terms grow, and one with x near 1 would stop too early.
 */
function tailFactor(p: number, q: number, c: number, x: number, k: number): number {
  const ax = Math.abs(x);
  if (ax * (p + k) * (q + k) - (c + k) * (k + 1) >= 0) return Number.POSITIVE_INFINITY;
  const v = (ax * (p + q) - c - 1) / (2 * (1 - ax));
  if (v > k && ax * (p + v) * (q + v) - (c + v) * (v + 1) >= 0) return Number.POSITIVE_INFINITY;
  const rho = Math.max((ax * (p + k) * (q + k)) / ((c + k) * (k + 1)), ax);
  return rho / (1 - rho);
}

/**
 * 2F1(p, q; c; x) by the power series, directly or after Euler's transformation (A&S 15.3.3),
 * for |x| < 1 (convergent). Prefers a terminating form, then the smaller numerator product.
 */
function seriesBest(
  p: number,
  q: number,
  cInt: number,
  cFrac: number,
  x: number,
  lnY: number,
  maxTerms: number,
): boolean {
  const c = cInt + cFrac;
  const ep = c - p;
  const eq = c - q;
  const directEnds = isNonPositiveInteger(p) || isNonPositiveInteger(q);
  const eulerEnds = isNonPositiveInteger(ep) || isNonPositiveInteger(eq);
  let euler: boolean;
  if (directEnds && eulerEnds) {
    const dDirect = Math.min(
      isNonPositiveInteger(p) ? -p : Infinity,
      isNonPositiveInteger(q) ? -q : Infinity,
    );
    const dEuler = Math.min(
      isNonPositiveInteger(ep) ? -ep : Infinity,
      isNonPositiveInteger(eq) ? -eq : Infinity,
    );
    euler = dEuler < dDirect;
  } else if (directEnds || eulerEnds) {
    euler = eulerEnds;
  } else {
    euler = Math.abs(ep * eq) < Math.abs(p * q);
  }
  let ok = seriesForm(p, q, cInt, cFrac, x, lnY, maxTerms, euler);
  if ((rCond > COND_LIMIT || !ok) && !directEnds && !eulerEnds) {
    // The chosen form cancels (e.g. Euler's with two large negative parameters): try the other one and
    // keep the better conditioned of the two.
    const log1 = rLog;
    const sign1 = rSign;
    const cond1 = rCond;
    const ok2 = seriesForm(p, q, cInt, cFrac, x, lnY, maxTerms, !euler);
    if (!(ok2 && (rCond < cond1 || !ok))) {
      rLog = log1;
      rSign = sign1;
      rCond = cond1;
    } else ok = ok2;
  }
  if (rCond > COND_LIMIT && !directEnds && !eulerEnds && !inRecurrence) {
    // Both forms cancel (numerator parameters large against c, x < 0 typically): step the larger numerator
    // parameter by Gauss's contiguous relation from a value near c, as Cephes' hyp2f1ra does.
    const log1 = rLog;
    const sign1 = rSign;
    const cond1 = rCond;
    const big = Math.abs(p) >= Math.abs(q) ? p : q;
    const other = big === p ? q : p;
    if (
      Math.abs(x) <= 0.5 &&
      Math.abs(big) > Math.abs(c) + 1 &&
      recurInNumerator(big, other, c, x, lnY) &&
      // The recurrence has no cheap error estimate: accept it only where it agrees with the cancelling
      // series within that series' own error bound (cond * eps), which rejects an unstable direction.
      Math.abs(rSign * Math.exp(rLog - log1) - sign1) <= 64 * cond1 * 2.220446049250313e-16
    ) {
      return true;
    }
    rLog = log1;
    rSign = sign1;
    rCond = cond1;
  }
  return ok;
}

let inRecurrence = false;

/**
 * 2F1(a, b; c; x) by the three-term recurrence in a (A&S 15.2.10),
 * (c - a) F(a - 1) + (2a - c + (b - a) x) F(a) + a (x - 1) F(a + 1) = 0,
 * started from t = a - n and t +- 1 with n = round(a - c), where the series are well conditioned.
 * Returns false (and leaves garbage in the scratch) when the start values are not reliable either.
 */
function recurInNumerator(a: number, b: number, c: number, x: number, lnY: number): boolean {
  const n = Math.round(a - c);
  if (Math.abs(n) < 2 || Math.abs(n) > 100_000) return false;
  const t0 = a - n;
  const step = n > 0 ? 1 : -1;
  inRecurrence = true;
  const ok0 = seriesBest(t0, b, 0, c, x, lnY, MAX_TERMS);
  const l0 = rLog;
  const s0 = rSign;
  const c0 = rCond;
  const ok1 = seriesBest(t0 + step, b, 0, c, x, lnY, MAX_TERMS);
  inRecurrence = false;
  if (!ok0 || !ok1 || c0 > COND_LIMIT || rCond > COND_LIMIT || s0 === 0 || rSign === 0) return false;
  let scale = Math.max(l0, rLog);
  let fPrev = s0 * Math.exp(l0 - scale);
  let f = rSign * Math.exp(rLog - scale);
  let t = t0 + step;
  const steps = Math.abs(n) - 1;
  for (let i = 0; i < steps; i++) {
    const mid = 2 * t - c + (b - t) * x;
    let next: number;
    if (step > 0) next = -(mid * f + (c - t) * fPrev) / (t * (x - 1));
    else next = -(mid * f + t * (x - 1) * fPrev) / (c - t);
    fPrev = f;
    f = next;
    t += step;
    const af = Math.abs(f);
    if (af > BIG) {
      f /= BIG;
      fPrev /= BIG;
      scale += LN_BIG;
    } else if (af < 1 / BIG && af > 0) {
      f *= BIG;
      fPrev *= BIG;
      scale -= LN_BIG;
    }
  }
  if (!Number.isFinite(f) || f === 0) return false;
  rLog = scale + Math.log(Math.abs(f));
  rSign = f > 0 ? 1 : -1;
  rCond = 1 + Math.abs(n) * 1e-3; // no cheap error estimate; marks the result as recurrence-based
  return true;
}

/** The power series of 2F1(p, q; c; x), directly or in Euler's form. */
function seriesForm(
  p: number,
  q: number,
  cInt: number,
  cFrac: number,
  x: number,
  lnY: number,
  maxTerms: number,
  euler: boolean,
): boolean {
  if (!euler) return sumSeries(p, q, cInt, cFrac, x, 0, maxTerms, false);
  const c = cInt + cFrac;
  const ok = sumSeries(c - p, c - q, cInt, cFrac, x, 0, maxTerms, false);
  if (rSign !== 0) rLog += (c - p - q) * lnY;
  return ok;
}

/**
 * The 1 - x connection formula (A&S 15.3.6) with y = 1 - x and s = c - p - q not an integer:
 * 2F1(p,q;c;x) = G(c)G(s)/(G(c-p)G(c-q)) 2F1(p,q;1-s;y) + y^s G(c)G(-s)/(G(p)G(q)) 2F1(c-p,c-q;1+s;y).
 * s is passed in and used for every quantity the near-integer cancellation amplifies (G(s), G(-s), the
 * series denominators 1 - s and 1 + s split as integer + fraction): an inconsistent rounding of s between
 * them would cost (rounding / (s - m)^2) instead of (rounding / (s - m)).
 */
function connection(p: number, q: number, c: number, s: number, x: number, y: number): void {
  // The inner series run at argument y; their Euler factor needs ln(1 - y) = ln x.
  const lnX = Math.log(x);
  const m = Math.round(s);
  const e = s - m; // exact (Sterbenz) for |s| >= 1; for m = 0 it is s itself
  const lgc = lgamma(c);
  const sgc = gammaSign(c);
  // First term (vanishes when c - p or c - q is a pole of Gamma, i.e. 1/Gamma = 0).
  let l1 = Number.NEGATIVE_INFINITY;
  let s1 = 0;
  let c1 = 1;
  const g1 = lgc + lgamma(s) - lgamma(c - p) - lgamma(c - q);
  if (g1 > Number.NEGATIVE_INFINITY && !Number.isNaN(g1)) {
    seriesBest(p, q, 1 - m, -e, y, lnX, MAX_TERMS);
    l1 = g1 + rLog;
    s1 = sgc * gammaSign(s) * gammaSign(c - p) * gammaSign(c - q) * rSign;
    c1 = rCond;
  }
  let l2 = Number.NEGATIVE_INFINITY;
  let s2 = 0;
  let c2 = 1;
  const g2 = lgc + lgamma(-s) - lgamma(p) - lgamma(q);
  if (g2 > Number.NEGATIVE_INFINITY && !Number.isNaN(g2)) {
    seriesBest(c - p, c - q, 1 + m, e, y, lnX, MAX_TERMS);
    l2 = g2 + s * Math.log(y) + rLog;
    s2 = sgc * gammaSign(-s) * gammaSign(p) * gammaSign(q) * rSign;
    c2 = rCond;
  }
  combine(l1, s1, c1, l2, s2, c2);
}

/** rLog/rSign/rCond <- (s1 e^l1) + (s2 e^l2), with the cancellation factor of the pair. */
function combine(l1: number, s1: number, c1: number, l2: number, s2: number, c2: number): void {
  if (s1 === 0 || l1 === Number.NEGATIVE_INFINITY) {
    rLog = l2;
    rSign = s2;
    rCond = c2;
    return;
  }
  if (s2 === 0 || l2 === Number.NEGATIVE_INFINITY) {
    rLog = l1;
    rSign = s1;
    rCond = c1;
    return;
  }
  const L = Math.max(l1, l2);
  const v1 = s1 * Math.exp(l1 - L);
  const v2 = s2 * Math.exp(l2 - L);
  const v = v1 + v2;
  if (v === 0) {
    rLog = Number.NEGATIVE_INFINITY;
    rSign = 0;
    rCond = Number.POSITIVE_INFINITY;
    return;
  }
  rLog = L + Math.log(Math.abs(v));
  rSign = v > 0 ? 1 : -1;
  rCond = (Math.abs(v1) * c1 + Math.abs(v2) * c2) / Math.abs(v);
}

/**
 * Connection formula with the near-integer c - p - q case handled: with e = c - p - q - m, |e| < W,
 * evaluate at p' = p + e - e_j (so that c - p' - q - m = e_j, Chebyshev nodes on [-R, R]) and
 * interpolate back to e (barycentric formula; 2F1 is entire in its numerator parameter).
 */
function connectionStable(p: number, q: number, c: number, x: number, y: number): void {
  const s = c - p - q;
  const m = Math.round(s);
  const e = s - m;
  // The connection terms vary like y^(+-e) = exp(-+e ln y) in e: shrink the interpolation radius when
  // |ln y| is large so the degree-19 interpolant stays exact to rounding.
  const radius = Math.min(DEGENERATE_R, 2 / Math.max(1, -Math.log(y)));
  if (Math.abs(e) >= Math.min(DEGENERATE_W, radius / 2)) {
    connection(p, q, c, s, x, y);
    return;
  }
  let lmax = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < CHEB_N; j++) {
    // Shift p so that c - p - q = m + e_j; s is passed exactly, p absorbs the rounding (harmless there).
    const ej = radius * CHEB_NODES[j]!;
    connection(p + e - ej, q, c, m + ej, x, y);
    chebLog[j] = rLog;
    chebSign[j] = rSign;
    chebCond[j] = rCond;
    if (rLog > lmax) lmax = rLog;
  }
  let num = 0;
  let den = 0;
  let numAbs = 0;
  for (let j = 0; j < CHEB_N; j++) {
    const coef = CHEB_WEIGHTS[j]! / (e - radius * CHEB_NODES[j]!);
    const h = chebSign[j]! === 0 ? 0 : chebSign[j]! * Math.exp(chebLog[j]! - lmax);
    num += coef * h;
    numAbs += Math.abs(coef * h) * chebCond[j]!;
    den += coef;
  }
  const v = num / den;
  if (v === 0 || !Number.isFinite(v)) {
    rLog = v === 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
    rSign = v === 0 ? 0 : Number.NaN;
    rCond = Number.POSITIVE_INFINITY;
    return;
  }
  rLog = lmax + Math.log(Math.abs(v));
  rSign = v > 0 ? 1 : -1;
  rCond = numAbs / Math.abs(den) / Math.abs(v);
}

/** 2F1(p, q; c; x) for 0 <= x < 1 with y = 1 - x given separately (so it keeps its accuracy). */
function evalUnit(p: number, q: number, c: number, x: number, y: number): void {
  // ln(1 - x): log1p for small x, ln y for x near 1 (y may be known more accurately than 1 - x).
  const lnY = x < 0.5 ? Math.log1p(-x) : Math.log(y);
  if (isNonPositiveInteger(p) || isNonPositiveInteger(q)) {
    seriesBest(p, q, 0, c, x, lnY, MAX_TERMS);
    return;
  }
  if (x <= 0.5) {
    if ((seriesBest(p, q, 0, c, x, lnY, MAX_TERMS) && rCond < COND_LIMIT) || x === 0) return;
    // Every series form cancels (large parameters of both signs): the connection formula may not.
    const sLog = rLog;
    const sSign = rSign;
    const sCond = rCond;
    connectionStable(p, q, c, x, y);
    if (!(rCond < sCond) || Number.isNaN(rLog)) {
      rLog = sLog;
      rSign = sSign;
      rCond = sCond;
    }
    return;
  }
  // Many model cases (large c) converge in a few terms even close to 1: try that first.
  const s = c - p - q;
  const degenerate = Math.abs(s - Math.round(s)) < DEGENERATE_W;
  if (
    seriesBest(p, q, 0, c, x, lnY, degenerate ? QUICK_TERMS_DEGENERATE : QUICK_TERMS) &&
    rCond < COND_LIMIT
  ) {
    return;
  }
  connectionStable(p, q, c, x, y);
  if (rCond < COND_LIMIT && Number.isFinite(rLog)) return;
  // The connection formula cancelled (typically large parameters): sum the series to the end and keep
  // whichever of the two is better conditioned.
  const cLog = rLog;
  const cSign = rSign;
  const cCond = rCond;
  const ok = seriesBest(p, q, 0, c, x, lnY, MAX_TERMS);
  // Keep the series unless it failed or is strictly worse (a NaN condition of the connection counts as worse).
  if ((!ok || Number.isNaN(rLog) || rCond > cCond) && !Number.isNaN(cLog)) {
    rLog = cLog;
    rSign = cSign;
    rCond = cCond;
  }
}

/** Sets rLog / rSign / rCond to 2F1(a, b; c; z). NaN sign for undefined values. */
function evaluate(a: number, b: number, c: number, z: number, y: number): void {
  rCond = 1;
  if (Number.isNaN(a) || Number.isNaN(b) || Number.isNaN(c) || Number.isNaN(z) || z > 1) {
    rLog = Number.NaN;
    rSign = Number.NaN;
    return;
  }
  if (z === 0 || a === 0 || b === 0) {
    rLog = 0;
    rSign = 1;
    return;
  }
  const aEnds = isNonPositiveInteger(a);
  const bEnds = isNonPositiveInteger(b);
  if (isNonPositiveInteger(c)) {
    if (!((aEnds && a >= c) || (bEnds && b >= c))) {
      // A pole: (c)_k reaches zero before the series terminates.
      rLog = Number.POSITIVE_INFINITY;
      rSign = Number.NaN;
      return;
    }
    // The polynomial that ends before the pole. The transformations do not hold for it (their other
    // terminating forms pass through 0/0), so sum it as it stands.
    sumSeries(a, b, 0, c, z, 0, MAX_TERMS, false);
    return;
  }
  if (z === 1) {
    if (aEnds || bEnds) {
      sumSeries(a, b, 0, c, 1, 0, MAX_TERMS, false);
      return;
    }
    const s = c - a - b;
    if (s <= 0) {
      rLog = Number.POSITIVE_INFINITY;
      rSign = Number.NaN;
      return;
    }
    // Gauss's theorem (A&S 15.1.20).
    rLog = lgamma(c) + lgamma(s) - lgamma(c - a) - lgamma(c - b);
    rSign = gammaSign(c) * gammaSign(s) * gammaSign(c - a) * gammaSign(c - b);
    return;
  }
  // 2F1(a, b; b; z) = (1 - z)^-a (A&S 15.1.8).
  if (a === c || b === c) {
    rLog = -(a === c ? b : a) * (z < 0.5 ? Math.log1p(-z) : Math.log(y));
    rSign = 1;
    return;
  }
  if (z > 0) {
    evalUnit(a, b, c, z, y);
    return;
  }
  // z < 0: Pfaff (A&S 15.3.4/15.3.5), 2F1(a,b;c;z) = (1-z)^-a 2F1(a, c-b; c; z/(z-1)); keep a terminating
  // parameter in place, otherwise choose the variant with the smaller numerator product.
  const w = z / (z - 1);
  const lw = Math.log1p(-z);
  const yw = 1 / (1 - z); // 1 - w
  let first: boolean;
  if (aEnds || bEnds) first = aEnds;
  else first = Math.abs(a * (c - b)) <= Math.abs(b * (c - a));
  if (first) {
    evalUnit(a, c - b, c, w, yw);
    if (rSign !== 0) rLog -= a * lw;
  } else {
    evalUnit(b, c - a, c, w, yw);
    if (rSign !== 0) rLog -= b * lw;
  }
}

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) = sum_k (a)_k (b)_k / ((c)_k k!) z^k, analytically
 * continued to all real z <= 1 (A&S 15.1.1), about 1e-13 relative where the function is well conditioned.
 * Returns +/-Infinity on overflow (use {@link lhyp2f1}), NaN where undefined (z > 1, c a non-positive
 * integer without earlier termination, z = 1 with c - a - b <= 0 gives +Infinity).
 * `oneMinusZ` (default 1 - z) lets a caller who knows 1 - z more accurately than z pass it, e.g.
 * alpha / (alpha + t) for z = t / (alpha + t): near z = 1 the result depends on 1 - z to full relative
 * precision (through (1 - z)^(c-a-b)), which 1 - z computed from a rounded z does not have.
 * @example hyp2f1(1, 1, 2, 0.5) // -ln(1 - 0.5) / 0.5 = 1.3862943611198906
 */
export function hyp2f1(a: number, b: number, c: number, z: number, oneMinusZ: number = 1 - z): number {
  evaluate(a, b, c, z, oneMinusZ);
  if (rSign === 0) return 0;
  if (rLog === Number.POSITIVE_INFINITY && Number.isNaN(rSign))
    return z === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  return rSign * Math.exp(rLog);
}

/**
 * log |2F1| with its sign; sign 0 means the value is exactly 0 (log = -Infinity).
 * @example const { log, sign } = lhyp2f1(1, 1, 2, 0.5); sign * Math.exp(log) // 1.3862943611198906
 */
export interface LogValue {
  readonly log: number;
  readonly sign: 1 | -1 | 0;
}

/**
 * ln |2F1(a, b; c; z)| and its sign, for values beyond the double range (e.g. a = b = 10,000, c = 1).
 * Undefined cases give { log: NaN, sign: 0 }. `oneMinusZ` as in {@link hyp2f1}.
 * @example lhyp2f1(10000, 10000, 1.5, 0.5) // { log: 24546.85164350387, sign: 1 }
 */
export function lhyp2f1(a: number, b: number, c: number, z: number, oneMinusZ: number = 1 - z): LogValue {
  evaluate(a, b, c, z, oneMinusZ);
  if (Number.isNaN(rSign) || Number.isNaN(rLog)) {
    return rLog === Number.POSITIVE_INFINITY && z === 1
      ? { log: rLog, sign: 1 }
      : { log: Number.NaN, sign: 0 };
  }
  return { log: rLog, sign: rSign === 0 ? 0 : rSign > 0 ? 1 : -1 };
}

/**
 * The series tail sum_{k >= k0} (a)_k (b)_k / ((c)_k k!) z^k, summed directly so that it keeps its
 * relative accuracy where 2F1 minus its first terms would cancel (k0 = 1: 2F1 - 1 for small z or small
 * a b z / c). For |z| < 1. When the series converges too slowly (z near 1) or diverges (z <= -1), it is
 * computed as 2F1 minus its first k0 terms.
 * @example hyp2f1SeriesFrom(1, 1, 2, 1e-10, 1) // 2F1(1,1;2;1e-10) - 1 = 5.0000000003333e-11
 */
export function hyp2f1SeriesFrom(a: number, b: number, c: number, z: number, k0: number): number {
  if (k0 <= 0) return hyp2f1(a, b, c, z);
  if (Math.abs(z) < 1 && sumSeries(a, b, 0, c, z, k0, 20_000, false) && Number.isFinite(rLog)) {
    // The plain sum avoids the exp(log(.)) round trip, which would cost |log| ulps on small tails.
    return rSign === 0 ? 0 : Number.isNaN(rPlain) ? rSign * Math.exp(rLog) : rPlain;
  }
  let f = hyp2f1(a, b, c, z);
  let term = 1;
  for (let k = 0; k < k0; k++) {
    f -= term;
    term *= ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
  }
  return f;
}

/**
 * c (2F1(a, b; c; z) - 1) = sum_{k >= 1} (a)_k (b)_k / ((c + 1)_{k-1} k!) z^k, which stays finite as
 * c -> 0 (BG/NBD's E[X(t)] when a + b -> 1 has this removable singularity). At c = 0 exactly it equals
 * a b z 2F1(a + 1, b + 1; 2; z) (A&S 15.1.2).
 * @example hyp2f1MinusOneTimesC(1, 1, 1e-300, 0.5) // 0.5 * 2F1(2, 2; 2; 0.5) = 2
 */
export function hyp2f1MinusOneTimesC(a: number, b: number, c: number, z: number): number {
  if (Math.abs(z) < 1 && sumSeries(a, b, 0, c, z, 1, 20_000, true) && Number.isFinite(rLog)) {
    return rSign === 0 ? 0 : Number.isNaN(rPlain) ? rSign * Math.exp(rLog) : rPlain;
  }
  if (c === 0) return a * b * z * hyp2f1(a + 1, b + 1, 2, z);
  return c * hyp2f1(a, b, c, z) - c;
}
