/**
 * Numerical integration: globally adaptive Gauss-Kronrod (7-point Gauss, 15-point Kronrod, as QUADPACK's
 * QAG with key 1; Piessens et al. 1983) and Gauss-Legendre rules of any order.
 */

/** Kronrod 15-point abscissae on [-1, 1], non-negative half (QUADPACK qk15); odd indices are the G7 nodes. */
const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
  0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
  0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0,
] as const;
/** Kronrod 15-point weights matching XGK. */
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204,
  0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
  0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
] as const;
/** Gauss 7-point weights for XGK[1], XGK[3], XGK[5], XGK[7]. */
const WG = [
  0.129484966168869693270611432679082, 0.27970539148927666790146777142378,
  0.381830050505118944950369775488975, 0.417959183673469387755102040816327,
] as const;

const EPS = 2.220446049250313e-16;
const UFLOW = 2.2250738585072014e-308;

/**
 * Options of {@link integrate}.
 * @example integrate(Math.exp, 0, 1, { relTol: 1e-12 })
 */
export interface IntegrateOptions {
  /** Relative tolerance on the integral (default 1e-10). */
  readonly relTol?: number;
  /** Absolute tolerance (default 0: relative only). */
  readonly absTol?: number;
  /** Maximum number of halvings of any subinterval (default 100). */
  readonly maxDepth?: number;
  /** Maximum number of subintervals (default 500). */
  readonly maxIntervals?: number;
}

/**
 * An integral with its error estimate and the work it took.
 * @example const { value, error, converged } = integrateWithError(Math.sqrt, 0, 1)
 */
export interface IntegralEstimate {
  readonly value: number;
  /** Estimated absolute error (QUADPACK's estimate, usually pessimistic for smooth integrands). */
  readonly error: number;
  readonly evaluations: number;
  /** Whether the requested tolerance was met. */
  readonly converged: boolean;
}

/** Scratch results of one Kronrod rule application (module-level: the rule itself never re-enters). */
let ruleError = 0;
/** Integral of |f| over the rule's interval (QUADPACK's resabs), for the rounding floor. */
let ruleAbs = 0;

/**
 * Applies the 15-point Kronrod rule to f on [lo, hi] (the integrand is pulled through the infinite-range
 * map when `kind` says so). Returns the Kronrod estimate and leaves QUADPACK's error estimate in ruleError.
 */
function kronrod15(f: (t: number) => number, lo: number, hi: number, kind: number, shift: number): number {
  const centr = 0.5 * (lo + hi);
  const hlgth = 0.5 * (hi - lo);
  const fc = mapped(f, centr, kind, shift);
  let resg = fc * WG[3];
  let resk = fc * WGK[7];
  let resabs = Math.abs(resk);
  // Function values kept for the "resasc" smoothness measure; 14 off-centre values.
  let f1a = 0;
  let f1b = 0;
  let f2a = 0;
  let f2b = 0;
  let f3a = 0;
  let f3b = 0;
  let f4a = 0;
  let f4b = 0;
  let f5a = 0;
  let f5b = 0;
  let f6a = 0;
  let f6b = 0;
  let f7a = 0;
  let f7b = 0;
  for (let j = 0; j < 7; j++) {
    const dx = hlgth * XGK[j]!;
    const fa = mapped(f, centr - dx, kind, shift);
    const fb = mapped(f, centr + dx, kind, shift);
    const w = WGK[j]!;
    resk += w * (fa + fb);
    resabs += w * (Math.abs(fa) + Math.abs(fb));
    if (j & 1) resg += WG[j >> 1]! * (fa + fb);
    switch (j) {
      case 0:
        f1a = fa;
        f1b = fb;
        break;
      case 1:
        f2a = fa;
        f2b = fb;
        break;
      case 2:
        f3a = fa;
        f3b = fb;
        break;
      case 3:
        f4a = fa;
        f4b = fb;
        break;
      case 4:
        f5a = fa;
        f5b = fb;
        break;
      case 5:
        f6a = fa;
        f6b = fb;
        break;
      default:
        f7a = fa;
        f7b = fb;
    }
  }
  const reskh = resk * 0.5;
  let resasc = WGK[7] * Math.abs(fc - reskh);
  resasc += WGK[0] * (Math.abs(f1a - reskh) + Math.abs(f1b - reskh));
  resasc += WGK[1] * (Math.abs(f2a - reskh) + Math.abs(f2b - reskh));
  resasc += WGK[2] * (Math.abs(f3a - reskh) + Math.abs(f3b - reskh));
  resasc += WGK[3] * (Math.abs(f4a - reskh) + Math.abs(f4b - reskh));
  resasc += WGK[4] * (Math.abs(f5a - reskh) + Math.abs(f5b - reskh));
  resasc += WGK[5] * (Math.abs(f6a - reskh) + Math.abs(f6b - reskh));
  resasc += WGK[6] * (Math.abs(f7a - reskh) + Math.abs(f7b - reskh));
  const ah = Math.abs(hlgth);
  resk *= hlgth;
  resabs *= ah;
  resasc *= ah;
  // QUADPACK's error estimate: |K - G| scaled by the (200 |K - G| / resasc)^1.5 law, which is close to the
  // true error of the Kronrod rule for smooth integrands (|K - G| alone would be the error of the Gauss rule).
  let err = Math.abs(resk - resg * hlgth);
  if (resasc !== 0 && err !== 0) err = resasc * Math.min(1, ((200 * err) / resasc) ** 1.5);
  if (resabs > UFLOW / (50 * EPS)) err = Math.max(EPS * 50 * resabs, err);
  ruleError = err;
  ruleAbs = resabs;
  return resk;
}

/**
 * The integrand after the change of variables for infinite ranges:
 * kind 0: finite, f(t); kind 1: [shift, inf) with t = shift + u / (1 - u), dt = du / (1 - u)^2 on u in [0, 1);
 * kind 2: (-inf, shift] mirrored; kind 3: (-inf, inf) as the sum of both halves around 0.
 */
function mapped(f: (t: number) => number, u: number, kind: number, shift: number): number {
  if (kind === 0) return f(u);
  const v = 1 - u;
  const x = u / v;
  const jac = 1 / (v * v);
  if (kind === 1) return f(shift + x) * jac;
  if (kind === 2) return f(shift - x) * jac;
  return (f(x) + f(-x)) * jac;
}

/**
 * Integral of f over [a, b] with its error estimate, by globally adaptive Gauss-Kronrod (G7-K15):
 * the subinterval with the largest error is halved until the total error estimate is below
 * max(absTol, relTol |I|). a or b may be infinite (mapped to [0, 1) by t = u / (1 - u)).
 * @example integrateWithError(Math.exp, 0, 1).value // Math.E - 1
 */
export function integrateWithError(
  f: (t: number) => number,
  a: number,
  b: number,
  opts?: IntegrateOptions,
): IntegralEstimate {
  const relTol = opts?.relTol ?? 1e-10;
  const absTol = opts?.absTol ?? 0;
  const maxDepth = opts?.maxDepth ?? 100;
  const maxIntervals = opts?.maxIntervals ?? 500;
  if (a === b) return { value: 0, error: 0, evaluations: 0, converged: true };
  if (b < a) {
    const r = integrateWithError(f, b, a, opts);
    return { value: -r.value, error: r.error, evaluations: r.evaluations, converged: r.converged };
  }
  let kind = 0;
  let shift = 0;
  let lo0 = a;
  let hi0 = b;
  if (a === Number.NEGATIVE_INFINITY && b === Number.POSITIVE_INFINITY) {
    kind = 3;
    lo0 = 0;
    hi0 = 1;
  } else if (b === Number.POSITIVE_INFINITY) {
    kind = 1;
    shift = a;
    lo0 = 0;
    hi0 = 1;
  } else if (a === Number.NEGATIVE_INFINITY) {
    kind = 2;
    shift = b;
    lo0 = 0;
    hi0 = 1;
  }
  const los: number[] = [lo0];
  const his: number[] = [hi0];
  const vals: number[] = [kronrod15(f, lo0, hi0, kind, shift)];
  const errs: number[] = [ruleError];
  const abss: number[] = [ruleAbs];
  const depths: number[] = [0];
  let evaluations = 15;
  let total = vals[0]!;
  let totalErr = errs[0]!;
  let totalAbs = abss[0]!;
  let converged = false;
  for (;;) {
    // The last bound is the rounding floor: an integral that cancels to (near) 0 cannot be resolved
    // relative to itself, only relative to the integral of |f|.
    if (totalErr <= Math.max(absTol, relTol * Math.abs(total), 64 * EPS * totalAbs)) {
      converged = true;
      break;
    }
    if (!Number.isFinite(total) || los.length >= maxIntervals) break;
    // Halve the interval with the largest error that may still be halved.
    let worst = -1;
    let worstErr = -1;
    for (let i = 0; i < los.length; i++) {
      if (errs[i]! > worstErr && depths[i]! < maxDepth) {
        worstErr = errs[i]!;
        worst = i;
      }
    }
    if (worst < 0) break;
    const lo = los[worst]!;
    const hi = his[worst]!;
    const mid = 0.5 * (lo + hi);
    if (!(mid > lo && mid < hi)) {
      depths[worst] = maxDepth; // cannot be split in floating point
      continue;
    }
    const v1 = kronrod15(f, lo, mid, kind, shift);
    const e1 = ruleError;
    const a1 = ruleAbs;
    const v2 = kronrod15(f, mid, hi, kind, shift);
    const e2 = ruleError;
    const a2 = ruleAbs;
    totalAbs += a1 + a2 - abss[worst]!;
    abss[worst] = a1;
    abss.push(a2);
    evaluations += 30;
    total += v1 + v2 - vals[worst]!;
    totalErr += e1 + e2 - errs[worst]!;
    const d = depths[worst]! + 1;
    his[worst] = mid;
    vals[worst] = v1;
    errs[worst] = e1;
    depths[worst] = d;
    los.push(mid);
    his.push(hi);
    vals.push(v2);
    errs.push(e2);
    depths.push(d);
  }
  // Re-add from the pieces: the running total accumulates rounding from many updates.
  let value = 0;
  let error = 0;
  for (let i = 0; i < vals.length; i++) {
    value += vals[i]!;
    error += errs[i]!;
  }
  return { value, error, evaluations, converged };
}

/**
 * Integral of f over [a, b] (either end may be infinite) by globally adaptive Gauss-Kronrod (G7-K15),
 * to relTol (default 1e-10) relative or absTol absolute. On a smooth integrand it usually reaches 1e-14.
 * Returns the best estimate even when the tolerance was not met; use {@link integrateWithError} to know.
 * @example integrate((t) => 1 / (1 + t * t), 0, Number.POSITIVE_INFINITY) // Math.PI / 2
 */
export function integrate(f: (t: number) => number, a: number, b: number, opts?: IntegrateOptions): number {
  return integrateWithError(f, a, b, opts).value;
}

/**
 * A Gauss-Legendre rule on [-1, 1]. The arrays are shared (cached): do not modify them.
 * @example const { nodes, weights } = gaussLegendre(20); // sum_i weights[i] f(nodes[i]) ~ int_-1^1 f
 */
export interface GaussLegendreRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

const legendreCache = new Map<number, GaussLegendreRule>();

/**
 * n-point Gauss-Legendre nodes (ascending) and weights on [-1, 1], exact for polynomials of degree
 * 2n - 1. Nodes by Newton iteration on P_n from Tricomi's initial guesses cos(pi (i - 1/4) / (n + 1/2))
 * (Abramowitz & Stegun 22.16.6); weights 2 / ((1 - x^2) P_n'(x)^2) (A&S 25.4.29). Cached per n.
 * @example gaussLegendre(2).nodes // Float64Array [-0.5773502691896258, 0.5773502691896258]
 */
export function gaussLegendre(n: number): GaussLegendreRule {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`gaussLegendre: n must be a positive integer, got ${n}`);
  const cached = legendreCache.get(n);
  if (cached) return cached;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const m = (n + 1) >> 1;
  for (let i = 1; i <= m; i++) {
    let x = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      // Three-term recurrence for P_n(x); derivative from P_n and P_{n-1}.
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      const pn = n === 1 ? x : p1;
      const pnm1 = n === 1 ? 1 : p0;
      dp = (n * (x * pn - pnm1)) / (x * x - 1);
      const dx = pn / dp;
      x -= dx;
      if (Math.abs(dx) <= 1e-16 * Math.max(1, Math.abs(x))) break;
    }
    // Recompute the derivative at the converged node for the weight.
    let p0 = 1;
    let p1 = x;
    for (let k = 2; k <= n; k++) {
      const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
      p0 = p1;
      p1 = p2;
    }
    const pn = n === 1 ? x : p1;
    const pnm1 = n === 1 ? 1 : p0;
    dp = (n * (x * pn - pnm1)) / (x * x - 1);
    const w = 2 / ((1 - x * x) * dp * dp);
    nodes[i - 1] = -x;
    nodes[n - i] = x;
    weights[i - 1] = w;
    weights[n - i] = w;
  }
  if (n & 1) nodes[m - 1] = 0; // the middle node is exactly 0
  const rule = Object.freeze({ nodes, weights });
  legendreCache.set(n, rule);
  return rule;
}
