import type { ModelSpec } from "../../fit/spec.ts";
import type { DiscreteRfData } from "../types.ts";
import { compressDiscreteRf, discreteRfCount, subsampleDiscreteRf, validateDiscreteRf } from "./data.ts";
import { bgbbLogLikelihood, bgbbLogLikelihoodRange } from "./likelihood.ts";

/**
 * The BG/BB model as a declarative spec for `fitModel` (Fader, Hardie & Shang 2010, "Customer-Base
 * Analysis in a Discrete-Time Noncontractual Setting", Marketing Science 29(6), eq. 5). All four parameters
 * are positive and optimised on the log scale.
 * @example
 * const fit = fitModel(bgbbSpec, discreteRfData(x, t_x, n, weights));
 * fit.params.alpha; // 1.204 on the donation data
 */
export const bgbbSpec: ModelSpec<DiscreteRfData> = Object.freeze<ModelSpec<DiscreteRfData>>({
  name: "bgbb",
  reference:
    "Fader, Hardie & Shang (2010), Customer-Base Analysis in a Discrete-Time Noncontractual Setting, Marketing Science 29(6), eq. 5",
  params: [
    { name: "alpha", transform: "log" },
    { name: "beta", transform: "log" },
    { name: "gamma", transform: "log" },
    { name: "delta", transform: "log" },
  ],
  validate: (data: DiscreteRfData) => validateDiscreteRf(data, "bgbb"),
  count: discreteRfCount,
  rows: (data: DiscreteRfData) => data.x.length,
  // (1, 1, 1, 1) is BTYD's default start (uniform p and theta); the others cover strongly skewed bases.
  starts: () => [
    [1, 1, 1, 1],
    [0.5, 2, 0.5, 2],
    [2, 0.5, 2, 0.5],
  ],
  logLikelihood: bgbbLogLikelihood,
  logLikelihoodRange: bgbbLogLikelihoodRange,
  compress: compressDiscreteRf,
  subsample: subsampleDiscreteRf,
});
