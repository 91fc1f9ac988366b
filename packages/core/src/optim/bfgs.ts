import { type ObjectiveWithGradient, strongWolfeLineSearch } from "./line-search.ts";

export type { ObjectiveWithGradient } from "./line-search.ts";

export type StopReason =
  | "gradient" // max |gradient| below gradientTolerance
  | "function-change" // relative decrease below functionTolerance with a small gradient
  | "precision-limit" // no further decrease possible in floating point, gradient small
  | "max-iterations"
  | "line-search-failed"
  | "non-finite-start";

export interface BfgsOptions {
  /** Converged when max |g_i| <= this. Default 1e-9 (objective is a per-customer mean). */
  readonly gradientTolerance?: number;
  /** Relative decrease of f below which (with a small gradient) we stop. Default 1e-15. */
  readonly functionTolerance?: number;
  /** Gradient size counted as "small" for the function-change and precision-limit stops. Default 1e-5. */
  readonly looseGradientTolerance?: number;
  readonly maxIterations?: number;
  /**
   * Starting inverse-Hessian approximation (n x n, row-major), e.g. from a fit on a subsample: with a
   * good one the first steps are Newton steps and a warm start converges in a few iterations.
   */
  readonly initialInverseHessian?: Float64Array;
}

export interface BfgsResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly gradient: Float64Array;
  readonly gradientNorm: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
  readonly reason: StopReason;
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
}

/**
 * Minimises a smooth function with the BFGS quasi-Newton method (Nocedal & Wright 2006, Algorithm 6.1)
 * and a strong-Wolfe line search. The inverse-Hessian approximation is reset to a scaled identity when
 * it stops giving descent directions, which makes restarts inside one run cheap.
 * @example
 * const r = bfgs((x, g) => { g[0] = 2 * (x[0]! - 3); return (x[0]! - 3) ** 2; }, Float64Array.of(0));
 * // r.x[0] ≈ 3, r.converged === true
 */
export function bfgs(
  fg: ObjectiveWithGradient,
  x0: ArrayLike<number>,
  options: BfgsOptions = {},
): BfgsResult {
  const gtol = options.gradientTolerance ?? 1e-9;
  const ftol = options.functionTolerance ?? 1e-15;
  const looseGtol = options.looseGradientTolerance ?? 1e-5;
  const maxIterations = options.maxIterations ?? 500;
  const n = x0.length;

  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  const done = (reason: StopReason, converged: boolean, iterations: number): BfgsResult => ({
    x,
    f,
    gradient: g,
    gradientNorm: maxAbs(g),
    iterations,
    evaluations,
    converged,
    reason,
  });
  if (!Number.isFinite(f) || !g.every(Number.isFinite)) return done("non-finite-start", false, 0);

  const H = new Float64Array(n * n);
  const resetH = (scale: number): void => {
    H.fill(0);
    for (let i = 0; i < n; i++) H[i * n + i] = scale;
  };
  resetH(1);
  let freshH = true;
  if (options.initialInverseHessian && options.initialInverseHessian.length === n * n) {
    H.set(options.initialInverseHessian);
    freshH = false;
  }
  const dir = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);

  /**
   * Near the optimum f changes by about |g|^2, which drops below f's rounding error long before the
   * gradient test is met, so the line search can no longer see progress. Full quasi-Newton steps,
   * accepted while they shrink the gradient, finish the job (parameters then agree to ~1e-12).
   */
  const polish = (): void => {
    for (let step = 0; step < 8 && maxAbs(g) > gtol; step++) {
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v -= H[i * n + j]! * g[j]!;
        xNew[i] = x[i]! + v;
      }
      const fTrial = fg(xNew, gNew);
      evaluations++;
      if (!Number.isFinite(fTrial) || !(maxAbs(gNew) < maxAbs(g))) return;
      [x, xNew] = [xNew, x];
      [g, gNew] = [gNew, g];
      f = fTrial;
    }
  };

  for (let iter = 1; iter <= maxIterations; iter++) {
    if (maxAbs(g) <= gtol) return done("gradient", true, iter - 1);
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= H[i * n + j]! * g[j]!;
      dir[i] = v;
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += dir[i]! * g[i]!;
    if (!(slope < 0)) {
      resetH(1);
      freshH = true;
      for (let i = 0; i < n; i++) dir[i] = -g[i]!;
    }
    // First step of a fresh (identity) metric: keep it short so it cannot jump out of the basin.
    const initialStep = freshH ? Math.min(1, 1 / Math.max(maxAbs(g), 1e-12)) : 1;
    const ls = strongWolfeLineSearch(fg, x, f, g, dir, initialStep, xNew, gNew);
    evaluations += ls.evaluations;
    if (!ls.ok) {
      if (!freshH) {
        resetH(1);
        freshH = true;
        continue;
      }
      const small = maxAbs(g) <= looseGtol;
      return done(small ? "precision-limit" : "line-search-failed", small, iter);
    }
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
      sy += s[i]! * y[i]!;
      yy += y[i]! * y[i]!;
    }
    const fOld = f;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = ls.f;
    if (fOld - f <= ftol * Math.max(1, Math.abs(f)) && maxAbs(g) <= looseGtol) {
      polish();
      return done(maxAbs(g) <= gtol ? "gradient" : "function-change", true, iter);
    }
    // Skip the update when curvature is not positive (keeps H positive definite).
    if (sy > 1e-12 * Math.sqrt(yy) * Math.sqrt(s.reduce((a, v) => a + v * v, 0))) {
      if (freshH) {
        resetH(sy / yy);
        freshH = false;
      }
      const rho = 1 / sy;
      let yHy = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j]! * y[j]!;
        Hy[i] = v;
        yHy += y[i]! * v;
      }
      // H <- H - rho (Hy s' + s y'H) + (rho^2 y'Hy + rho) s s'
      const coef = rho * rho * yHy + rho;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] = H[i * n + j]! - rho * (Hy[i]! * s[j]! + s[i]! * Hy[j]!) + coef * s[i]! * s[j]!;
        }
      }
    }
  }
  return done("max-iterations", false, maxIterations);
}
