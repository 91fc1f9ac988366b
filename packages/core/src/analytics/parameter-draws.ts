import { cholesky } from "../math/linalg.ts";
import type { NullReason } from "./null-reason.ts";

/** The parts of a fit result the draws need (`FitResult` has them). */
export interface FittedParameters {
  readonly params: Readonly<Record<string, number>>;
  readonly paramNames: readonly string[];
  /** Natural-scale covariance in `paramNames` order (null when the Hessian was not positive definite). */
  readonly covariance: readonly (readonly number[])[] | null;
}

export interface ParameterDraws {
  /** "log": log theta ~ Normal(log theta-hat, D^-1 Sigma D^-1), D = diag(theta-hat), always positive. */
  readonly scale: "log" | "natural";
  readonly draws: readonly Readonly<Record<string, number>>[];
  /** Natural-scale draws with a non-positive or non-finite value, rejected and redrawn. */
  readonly rejected: number;
  readonly reasons: readonly NullReason[];
}

/**
 * Parameter draws from the fitted (asymptotic normal) covariance, for intervals from parameter
 * uncertainty: pass each draw to the model's predictor, aggregate per draw, and hand the per-draw totals
 * to `forecastIntervals` (or per-customer values to `customerIntervals`).
 * By default the draws are on the log scale: the delta method gives Cov(log theta) = D^-1 Sigma D^-1 with
 * D = diag(theta-hat), and exponentiating keeps every draw positive, as the models' parameters must be
 * (natural-scale normal draws can cross zero when a standard error is large). `standardNormal` is the
 * caller's N(0, 1) generator (e.g. the math module's seeded `normal(rng)`), so runs are reproducible.
 * @example parameterDraws(fit, 100, () => normal(rng)).draws.length // 100, each { r, alpha, a, b } > 0
 */
export function parameterDraws(
  fit: FittedParameters,
  count: number,
  standardNormal: () => number,
  options: { readonly scale?: "log" | "natural"; readonly maxRejections?: number } = {},
): ParameterDraws {
  const scale = options.scale ?? "log";
  const names = fit.paramNames;
  const k = names.length;
  const mean = names.map((n) => fit.params[n] as number);
  const reasons: NullReason[] = [];
  if (!fit.covariance) {
    reasons.push({
      field: "draws",
      reason: "the fit has no covariance (Hessian not positive definite): no draws",
    });
    return { scale, draws: [], rejected: 0, reasons };
  }
  if (scale === "log" && mean.some((m) => !(m > 0))) {
    reasons.push({ field: "draws", reason: "log-scale draws need positive parameters" });
    return { scale, draws: [], rejected: 0, reasons };
  }
  const cov = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const s = fit.covariance[i]?.[j] ?? Number.NaN;
      cov[i * k + j] = scale === "log" ? s / ((mean[i] as number) * (mean[j] as number)) : s;
    }
  const L = cholesky(cov, k);
  if (!L) {
    reasons.push({ field: "draws", reason: "the covariance is not positive definite: no draws" });
    return { scale, draws: [], rejected: 0, reasons };
  }
  const center = scale === "log" ? mean.map(Math.log) : mean;
  const maxRejections = options.maxRejections ?? 100 * Math.max(1, count);
  const draws: Record<string, number>[] = [];
  const z = new Float64Array(k);
  let rejected = 0;
  while (draws.length < count && rejected <= maxRejections) {
    for (let i = 0; i < k; i++) z[i] = standardNormal();
    const d: Record<string, number> = {};
    let ok = true;
    for (let i = 0; i < k; i++) {
      let v = center[i] as number;
      for (let j = 0; j <= i; j++) v += (L[i * k + j] as number) * (z[j] as number);
      const value = scale === "log" ? Math.exp(v) : v;
      if (!(value > 0) || !Number.isFinite(value)) ok = false;
      d[names[i] as string] = value;
    }
    if (ok) draws.push(d);
    else rejected++;
  }
  if (draws.length < count)
    reasons.push({
      field: "draws",
      reason: `only ${draws.length} of ${count} draws were positive and finite`,
    });
  return { scale, draws, rejected, reasons };
}
