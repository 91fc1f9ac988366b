import { issue, ValuecastError } from "../../errors/issues.ts";
import { type FitOptions, fitModel } from "../../fit/fit.ts";
import type { FitResult } from "../../fit/result.ts";
import type { ModelSpec } from "../../fit/spec.ts";
import { invertSymmetricPD } from "../../math/linalg.ts";
import { bgnbdSpec } from "../bgnbd/model.ts";
import { pnbdSpec } from "../pnbd/spec.ts";
import { chiSquareUpperTail } from "./chi-square.ts";
import { type CovariateDesign, compressCovariateDesign, designRfm } from "./design.ts";
import { type CovariateModelName, covariateLogLikelihood } from "./likelihood.ts";
import { type CovariatePenalty, covariateSpec } from "./spec.ts";

/**
 * One coefficient with its Wald test: z = estimate / standard error, two-sided p = P(χ²_1 > z²).
 * @example const c: CoefficientTest = { name: "trans.uk", estimate: 0.3, standardError: 0.05, z: 6, pValue: 2e-9 };
 */
export interface CoefficientTest {
  readonly name: string;
  readonly estimate: number;
  readonly standardError: number | null;
  readonly z: number | null;
  readonly pValue: number | null;
}

/**
 * Result of `fitCovariateModel`: the fit with covariates (its `logLikelihood` is the UNPENALISED
 * log-likelihood at the estimates, aic/bic from it), the no-covariate fit on the same customers, the
 * likelihood-ratio test of "all coefficients 0" and a Wald test per coefficient.
 * @example const { fit, base, likelihoodRatio }: CovariateFit = fitCovariateModel("pnbd", design);
 */
export interface CovariateFit {
  readonly fit: FitResult;
  readonly base: FitResult;
  /** The penalised objective's value at the estimates (equals fit.logLikelihood when unpenalised). */
  readonly penalisedLogLikelihood: number;
  readonly penalty: CovariatePenalty;
  /** 2 (LL_cov - LL_base), its degrees of freedom (number of coefficients) and p-value. */
  readonly likelihoodRatio: { readonly statistic: number; readonly df: number; readonly pValue: number };
  /**
   * Standard errors of every parameter: the fit's own (delta method from the full Hessian) when that
   * Hessian is invertible; otherwise CONDITIONAL ones, from the Hessian with the parameters in
   * `conditionalOn` held at their estimates (null for those). This happens when the data cannot pin a
   * parameter down, e.g. Online Retail's Pareto/NBD dropout rate runs to its boundary (s → 0,
   * beta → ∞: no dropout seen), so the likelihood is flat in s, beta and the lifetime coefficients,
   * while the transaction-process coefficients remain well determined.
   */
  readonly standardErrors: Readonly<Record<string, number | null>>;
  /** Parameters held fixed for the conditional standard errors (empty when the full Hessian inverts). */
  readonly conditionalOn: readonly string[];
  readonly coefficients: readonly CoefficientTest[];
}

/**
 * Options of `fitCovariateModel`: `fitModel`'s options (its all-parameter `l2` is refused: use
 * `penalty`, the CLVTools-style penalty on the coefficients only).
 * @example const o: CovariateFitOptions = { timeUnit: "week", penalty: { trans: 0.1 } };
 */
export interface CovariateFitOptions extends Omit<FitOptions<CovariateDesign>, "l2" | "evaluator"> {
  readonly penalty?: CovariatePenalty;
}

/**
 * Fits the Pareto/NBD or BG/NBD with static covariates: first the no-covariate model on the same
 * customers, then the covariate model started from those estimates with zero coefficients (the base
 * optimum is a point of the larger model, so the covariate fit can only gain), then the tests.
 * Throws a ValuecastError with every issue when the design is not usable.
 * @example
 * const res = fitCovariateModel("pnbd", design, { timeUnit: "week" });
 * res.fit.params["trans.uk"]; res.fit.standardErrors["trans.uk"]; res.likelihoodRatio.pValue;
 */
export function fitCovariateModel(
  model: CovariateModelName,
  design: CovariateDesign,
  options: CovariateFitOptions = {},
): CovariateFit {
  if ((options as { l2?: unknown }).l2 !== undefined) {
    throw new ValuecastError([
      issue(
        "BAD_OPTION_VALUE",
        "covariates: use `penalty` ({ trans, life }), which penalises the coefficients only",
      ),
    ]);
  }
  const penalty = options.penalty ?? {};
  const spec = covariateSpec(model, design, { l2: penalty });
  const issues = spec.validate(design);
  if (issues.length > 0) throw new ValuecastError(issues);
  const { penalty: _p, starts: userStarts, ...fitOptions } = options;
  const base = fitModel(model === "pnbd" ? pnbdSpec : bgnbdSpec, designRfm(design), fitOptions);
  const baseStart = [
    ...base.paramNames.map((name) => base.params[name]!),
    ...new Array<number>(design.trans.length + design.life.length).fill(0),
  ];
  const starts = userStarts ?? [baseStart, ...spec.starts(design)];
  const fitted = fitModel(spec, design, { ...fitOptions, starts });
  const natural = Float64Array.from(fitted.paramNames, (name) => fitted.params[name]!);
  const penalised = fitted.logLikelihood;
  const ll = covariateLogLikelihood(model, natural, design);
  const k = fitted.paramNames.length;
  const fit: FitResult = Object.freeze({
    ...fitted,
    logLikelihood: ll,
    aic: 2 * k - 2 * ll,
    bic: k * Math.log(fitted.n) - 2 * ll,
  });
  const df = design.trans.length + design.life.length;
  // The covariate model nests the base model; a negative difference can only be optimiser noise.
  const statistic = Math.max(0, 2 * (ll - base.logLikelihood));
  const conditional =
    fitted.covariance === null
      ? conditionalStandardErrors(spec, design, fitted)
      : { se: fitted.standardErrors, fixed: [] };
  const coefficients = fitted.paramNames.slice(4).map((name): CoefficientTest => {
    const estimate = fitted.params[name]!;
    const se = conditional.se[name] ?? null;
    const z = se !== null && se > 0 ? estimate / se : null;
    return { name, estimate, standardError: se, z, pValue: z === null ? null : chiSquareUpperTail(z * z, 1) };
  });
  return Object.freeze({
    fit,
    base,
    penalisedLogLikelihood: penalised,
    penalty,
    likelihoodRatio: Object.freeze({ statistic, df, pValue: chiSquareUpperTail(statistic, df) }),
    standardErrors: Object.freeze({ ...conditional.se }),
    conditionalOn: Object.freeze([...conditional.fixed]),
    coefficients: Object.freeze(coefficients),
  });
}

/**
 * Standard errors when the full Hessian is singular: the Hessian of -LL on the optimiser's scale (log for
 * the base parameters, identity for coefficients) by central differences of the analytic gradient, then
 * the parameter with the smallest curvature is held fixed, repeatedly, until the rest inverts. The
 * resulting errors are conditional on the fixed parameters (the usual "profile at the boundary" reading).
 */
function conditionalStandardErrors(
  spec: ModelSpec<CovariateDesign>,
  design: CovariateDesign,
  fitted: FitResult,
): { se: Record<string, number | null>; fixed: string[] } {
  const names = fitted.paramNames;
  const k = names.length;
  const data = compressCovariateDesign(design);
  const isLog = spec.params.map((d) => d.transform === "log");
  const theta = Float64Array.from(names, (n, i) =>
    isLog[i] ? Math.log(fitted.params[n]!) : fitted.params[n]!,
  );
  const p = new Float64Array(k);
  const g = new Float64Array(k);
  const gradTheta = (t: Float64Array, out: Float64Array) => {
    for (let i = 0; i < k; i++) p[i] = isLog[i] ? Math.exp(t[i]!) : t[i]!;
    spec.logLikelihood(p, data, g);
    for (let i = 0; i < k; i++) out[i] = isLog[i] ? g[i]! * p[i]! : g[i]!;
  };
  const H = new Float64Array(k * k);
  const up = new Float64Array(k);
  const dn = new Float64Array(k);
  const t = Float64Array.from(theta);
  for (let j = 0; j < k; j++) {
    const h = 1e-5 * Math.max(1, Math.abs(theta[j]!));
    t[j] = theta[j]! + h;
    gradTheta(t, up);
    t[j] = theta[j]! - h;
    gradTheta(t, dn);
    t[j] = theta[j]!;
    for (let i = 0; i < k; i++) H[i * k + j] = -(up[i]! - dn[i]!) / (2 * h);
  }
  const active = names.map((_, i) => i);
  const fixed: string[] = [];
  const se: Record<string, number | null> = Object.fromEntries(names.map((n) => [n, null]));
  while (active.length > 0) {
    const m = active.length;
    const sub = new Float64Array(m * m);
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) {
        const i = active[a]!;
        const j = active[b]!;
        sub[a * m + b] = 0.5 * (H[i * k + j]! + H[j * k + i]!);
      }
    }
    const inv = invertSymmetricPD(sub, m);
    const ok = inv && active.every((_, a) => inv[a * m + a]! > 0 && Number.isFinite(inv[a * m + a]!));
    if (inv && ok) {
      active.forEach((i, a) => {
        const v = inv[a * m + a]!;
        se[names[i]!] = Math.sqrt(v) * (isLog[i] ? fitted.params[names[i]!]! : 1);
      });
      break;
    }
    // Hold fixed the direction the data say least about (smallest curvature, negative included).
    let worst = 0;
    for (let a = 1; a < m; a++) if (H[active[a]! * (k + 1)]! < H[active[worst]! * (k + 1)]!) worst = a;
    fixed.push(names[active[worst]!]!);
    active.splice(worst, 1);
  }
  return { se, fixed };
}
