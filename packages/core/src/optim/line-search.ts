/**
 * Strong-Wolfe line search (Nocedal & Wright, "Numerical Optimization", 2nd ed., Algorithms 3.5 and 3.6),
 * with cubic interpolation in the zoom phase. A non-finite objective is treated as +Infinity, so a step
 * into a region where the likelihood overflows is simply shortened instead of poisoning the iterate.
 */

/** Evaluates f and writes its gradient into `grad`; returns f. */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

export interface LineSearchResult {
  readonly ok: boolean;
  readonly step: number;
  readonly f: number;
  readonly evaluations: number;
}

const C1 = 1e-4;
const C2 = 0.9;
const MAX_EVALUATIONS = 40;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Minimiser of the cubic through (a, fa, da) and (b, fb, db), or NaN when it does not exist. */
function cubicMinimizer(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return Number.NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

/**
 * Searches along `dir` from `x0` (objective `f0`, directional derivative `d0` < 0). On return `xOut`
 * and `gOut` hold the accepted point and its gradient.
 * @example
 * const r = strongWolfeLineSearch(fg, x0, f0, g0, dir, 1, xOut, gOut);
 */
export function strongWolfeLineSearch(
  fg: ObjectiveWithGradient,
  x0: Float64Array,
  f0: number,
  g0: Float64Array,
  dir: Float64Array,
  initialStep: number,
  xOut: Float64Array,
  gOut: Float64Array,
): LineSearchResult {
  const n = x0.length;
  const d0 = dot(g0, dir);
  let evaluations = 0;
  const evalAt = (step: number): { f: number; d: number } => {
    for (let i = 0; i < n; i++) xOut[i] = x0[i]! + step * dir[i]!;
    let f = fg(xOut, gOut);
    evaluations++;
    let d = dot(gOut, dir);
    if (!Number.isFinite(f) || !Number.isFinite(d)) {
      f = Number.POSITIVE_INFINITY;
      d = Number.NaN;
    }
    return { f, d };
  };

  let prevStep = 0;
  let prevF = f0;
  let prevD = d0;
  let step = initialStep;
  let best = { step: 0, f: f0 };

  const zoom = (
    lo: number,
    flo: number,
    dlo: number,
    hi: number,
    fhi: number,
    dhi: number,
  ): LineSearchResult => {
    while (evaluations < MAX_EVALUATIONS) {
      let trial = cubicMinimizer(lo, flo, dlo, hi, fhi, dhi);
      const lower = Math.min(lo, hi);
      const upper = Math.max(lo, hi);
      const width = upper - lower;
      // Keep the trial safely inside the bracket; fall back to bisection when the cubic misbehaves.
      if (!Number.isFinite(trial) || trial <= lower + 0.1 * width || trial >= upper - 0.1 * width) {
        trial = 0.5 * (lo + hi);
      }
      const { f, d } = evalAt(trial);
      if (f < best.f) best = { step: trial, f };
      if (f > f0 + C1 * trial * d0 || f >= flo || !Number.isFinite(d)) {
        hi = trial;
        fhi = f;
        dhi = Number.isFinite(d) ? d : dlo;
      } else {
        if (Math.abs(d) <= -C2 * d0) return { ok: true, step: trial, f, evaluations };
        if (d * (hi - lo) >= 0) {
          hi = lo;
          fhi = flo;
          dhi = dlo;
        }
        lo = trial;
        flo = f;
        dlo = d;
      }
      if (Math.abs(hi - lo) < 1e-16 * Math.max(1, Math.abs(lo))) break;
    }
    return finishWithBest();
  };

  // When no point satisfies the curvature condition we still accept the best decrease found:
  // quasi-Newton updates skip pairs with s'y <= 0, so this is safe and avoids stalling near the optimum.
  const finishWithBest = (): LineSearchResult => {
    if (best.step > 0 && best.f < f0) {
      const { f } = evalAt(best.step);
      return { ok: true, step: best.step, f, evaluations };
    }
    for (let i = 0; i < n; i++) xOut[i] = x0[i]!;
    return { ok: false, step: 0, f: f0, evaluations };
  };

  for (let i = 0; evaluations < MAX_EVALUATIONS; i++) {
    const { f, d } = evalAt(step);
    if (f < best.f) best = { step, f };
    if (!Number.isFinite(f)) {
      // Overflow region: shrink towards the last good step.
      step = prevStep + 0.25 * (step - prevStep);
      continue;
    }
    if (f > f0 + C1 * step * d0 || (i > 0 && f >= prevF)) return zoom(prevStep, prevF, prevD, step, f, d);
    if (Math.abs(d) <= -C2 * d0) return { ok: true, step, f, evaluations };
    if (d >= 0) return zoom(step, f, d, prevStep, prevF, prevD);
    prevStep = step;
    prevF = f;
    prevD = d;
    step *= 2.5;
  }
  return finishWithBest();
}
