import { issue, ValuecastError } from "../../errors/issues.ts";
import { type FitOptions, fitModel } from "../../fit/fit.ts";
import type { FitResult } from "../../fit/result.ts";
import { bgnbdSpec } from "../bgnbd/model.ts";
import { pnbdSpec } from "../pnbd/spec.ts";
import { chiSquareUpperTail } from "./chi-square.ts";
import { type CovariateDesign, rfmOf } from "./design.ts";
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
  const base = fitModel(model === "pnbd" ? pnbdSpec : bgnbdSpec, rfmOf(design), fitOptions);
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
  const coefficients = fitted.paramNames.slice(4).map((name): CoefficientTest => {
    const estimate = fitted.params[name]!;
    const se = fitted.standardErrors[name] ?? null;
    const z = se !== null && se > 0 ? estimate / se : null;
    return { name, estimate, standardError: se, z, pValue: z === null ? null : chiSquareUpperTail(z * z, 1) };
  });
  return Object.freeze({
    fit,
    base,
    penalisedLogLikelihood: penalised,
    penalty,
    likelihoodRatio: Object.freeze({ statistic, df, pValue: chiSquareUpperTail(statistic, df) }),
    coefficients: Object.freeze(coefficients),
  });
}
