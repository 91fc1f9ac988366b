import { type Issue, issue } from "../../errors/issues.ts";
import type { ModelSpec } from "../../fit/spec.ts";
import { bgFamilyStarts } from "../bgnbd/bg-spec.ts";
import { pnbdStarts } from "../pnbd/spec.ts";
import { rfmCount } from "../rfm-data.ts";
import {
  type CovariateDesign,
  compressCovariateDesign,
  designRfm,
  subsampleCovariateDesign,
  validateCovariateDesign,
} from "./design.ts";
import { COVARIATE_BASE_PARAMS, type CovariateModelName, covariateLogLikelihood } from "./likelihood.ts";

/**
 * L2 penalty on the covariate coefficients only, with R CLVTools' `reg.lambdas = c(trans, life)` meaning:
 * CLVTools minimises  -LL/n + λ_trans Σ γ_trans² + λ_life Σ γ_life²  (its `interlayer_regularization`
 * adds the penalty to the AVERAGE negative log-likelihood), so here the total log-likelihood is
 * penalised by n (λ_trans Σ γ_trans² + λ_life Σ γ_life²), n = number of customers. The base parameters
 * are never penalised (fitModel's own `l2` would shrink r, alpha, ... too, which no peer does).
 * @example const l2: CovariatePenalty = { trans: 10, life: 8 };
 */
export interface CovariatePenalty {
  readonly trans?: number;
  readonly life?: number;
}

/**
 * Parameter names of a design: the base four, then `trans.<covariate>` for each transaction-process
 * column and `life.<covariate>` for each lifetime-process column.
 * @example covariateParamNames("pnbd", design) // ["r", "alpha", "s", "beta", "trans.uk", "life.uk"]
 */
export function covariateParamNames(
  model: CovariateModelName,
  design: Pick<CovariateDesign, "z" | "trans" | "life">,
): string[] {
  return [
    ...COVARIATE_BASE_PARAMS[model],
    ...design.trans.map((k) => `trans.${design.z.names[k]}`),
    ...design.life.map((k) => `life.${design.z.names[k]}`),
  ];
}

const countCache = new WeakMap<CovariateDesign, number>();
function countOf(d: CovariateDesign): number {
  let n = countCache.get(d);
  if (n === undefined) {
    n = rfmCount(d);
    countCache.set(d, n);
  }
  return n;
}

/**
 * The penalty n (λ_trans Σ γ_trans² + λ_life Σ γ_life²) at `params`, its gradient subtracted from `grad`.
 * Returns the penalty (to subtract from the log-likelihood).
 */
function applyPenalty(
  penalty: CovariatePenalty,
  params: Float64Array,
  Kt: number,
  Kl: number,
  n: number,
  grad?: Float64Array,
): number {
  const lt = penalty.trans ?? 0;
  const lL = penalty.life ?? 0;
  if (lt === 0 && lL === 0) return 0;
  let pen = 0;
  for (let j = 0; j < Kt + Kl; j++) {
    const lambda = j < Kt ? lt : lL;
    const g = params[4 + j]!;
    pen += n * lambda * g * g;
    if (grad) grad[4 + j] = grad[4 + j]! - 2 * n * lambda * g;
  }
  return pen;
}

/**
 * A `ModelSpec` for the Pareto/NBD or BG/NBD with static covariates over designs shaped like `design`
 * (same covariate names and process assignment). Parameters: the base four ("log"), then the
 * coefficients ("identity"). Starts: each base start of the no-covariate spec with zero coefficients
 * (so a caller that already fitted the no-covariate model passes its estimates plus zeros in
 * `fitModel`'s `starts`). Compression keeps unique (x, t_x, T, z) rows.
 * @example
 * const fit = fitModel(covariateSpec("pnbd", design), design, { timeUnit: "week" });
 * fit.params["trans.uk"]; // γ_trans of the uk covariate
 */
export function covariateSpec(
  model: CovariateModelName,
  design: Pick<CovariateDesign, "z" | "trans" | "life">,
  options: { readonly l2?: CovariatePenalty } = {},
): ModelSpec<CovariateDesign> {
  const names = covariateParamNames(model, design);
  const Kt = design.trans.length;
  const Kl = design.life.length;
  const penalty = options.l2 ?? {};
  const penaltyIssues: Issue[] = [];
  for (const [k, v] of Object.entries(penalty)) {
    if (!(Number.isFinite(v) && v >= 0)) {
      penaltyIssues.push(issue("BAD_OPTION_VALUE", `covariates: l2.${k} must be a number >= 0 (got ${v})`));
    }
  }
  const zeros = new Array<number>(Kt + Kl).fill(0);
  return Object.freeze({
    name: `${model}+covariates`,
    reference:
      model === "pnbd"
        ? "Pareto/NBD (Schmittlein, Morrison & Colombo 1987; Fader & Hardie 2005 note eq. 22) with static covariates as in R CLVTools (Meierer, Bachmann et al.): alpha_i = alpha exp(-γ_trans·z), beta_i = beta exp(-γ_life·z)"
        : "BG/NBD (Fader, Hardie & Lee 2005 eq. 6) with static covariates as in R CLVTools: alpha_i = alpha exp(-γ_trans·z), a_i = a exp(γ_life·z), b_i = b exp(γ_life·z)",
    params: Object.freeze(
      names.map((name, i) =>
        Object.freeze({ name, transform: i < 4 ? ("log" as const) : ("identity" as const) }),
      ),
    ),
    validate(d: CovariateDesign): Issue[] {
      const issues = [...penaltyIssues, ...validateCovariateDesign(d, model)];
      if (d.trans.length !== Kt || d.life.length !== Kl) {
        issues.push(
          issue("INVALID_DATA", `${model}: the data's covariate selection differs from the spec's`),
        );
      }
      return issues;
    },
    count: countOf,
    rows: (d: CovariateDesign) => d.x.length,
    starts: (d: CovariateDesign) => {
      const base = model === "pnbd" ? pnbdStarts(designRfm(d)) : bgFamilyStarts(designRfm(d));
      return base.map((s) => [...s, ...zeros]);
    },
    logLikelihood(p: Float64Array, d: CovariateDesign, g?: Float64Array): number {
      const ll = covariateLogLikelihood(model, p, d, g);
      if (!Number.isFinite(ll)) return ll;
      return ll - applyPenalty(penalty, p, Kt, Kl, countOf(d), g);
    },
    compress: compressCovariateDesign,
    subsample: subsampleCovariateDesign,
  });
}
