import type { Issue } from "../errors/issues.ts";

/**
 * How a parameter is optimised: "log" for positive parameters (r, alpha, a, b, ...), "identity" for
 * real-valued ones (covariate coefficients). The optimiser works on the transformed scale; results and
 * standard errors are reported on the natural scale (delta method).
 */
export type ParamTransform = "log" | "identity";

export interface ParamDef {
  readonly name: string;
  readonly transform: ParamTransform;
}

/**
 * A model as a declarative spec: parameter names and transforms, start values, validation, optional
 * compression, and the total weighted log-likelihood with its analytic gradient. The generic `fitModel`
 * pipeline does everything else (validate, compress, optimise, Hessian, standard errors).
 */
export interface ModelSpec<D> {
  /** Short name used on the command line and in JSON, e.g. "bgnbd". */
  readonly name: string;
  /** The paper the likelihood comes from, e.g. "Fader, Hardie & Lee (2005), Marketing Science 24(2), eq. 6". */
  readonly reference: string;
  readonly params: readonly ParamDef[];
  /** Every problem with the data, all at once (empty when the data are usable). */
  validate(data: D): Issue[];
  /** Number of customers represented (the sum of weights). */
  count(data: D): number;
  /** Number of rows (unique patterns after compression). */
  rows(data: D): number;
  /** Natural-scale start points, tried in order until one converges. */
  starts(data: D): readonly (readonly number[])[];
  /**
   * Total weighted log-likelihood at natural-scale `params`. When `grad` is given, write
   * d LL / d param (natural scale) into it. Must never return NaN: return -Infinity for impossible values.
   */
  logLikelihood(params: Float64Array, data: D, grad?: Float64Array): number;
  /**
   * The same sum restricted to rows [from, to), so a caller can split the work across threads. When
   * given, `logLikelihood(p, d, g)` must equal the sum of the ranges.
   */
  logLikelihoodRange?(params: Float64Array, data: D, from: number, to: number, grad?: Float64Array): number;
  /**
   * d LL / d param alone (natural scale) into `grad`, equal to what `logLikelihood` writes: the Hessian's
   * finite differences need only gradients, and skipping the log-likelihood's own terms makes them cheaper.
   */
  gradient?(params: Float64Array, data: D, grad: Float64Array): void;
  /** Unique rows with weights; fitting on them gives the same likelihood as the expanded rows. */
  compress?(data: D): D;
  /** Every `stride`-th row (weights kept), used to find a warm start on very large inputs. */
  subsample?(data: D, stride: number): D;
}
