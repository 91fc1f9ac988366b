import type { ModelSpec } from "../../fit/spec.ts";
import { type SurvivorData, survivorCells, survivorCount, validateSurvivors } from "./data.ts";
import { sbgLogLikelihood } from "./likelihood.ts";

/**
 * The shifted-beta-geometric (sBG) retention model as a declarative spec for `fitModel`, fitted on one or
 * several cohorts' survivor curves (Fader & Hardie 2007, "How to Project Customer Retention", Journal of
 * Interactive Marketing 21(1), eq. 9; multi-cohort: Fader & Hardie, "Fitting the sBG Model to Multi-Cohort
 * Data"). alpha and beta are positive and optimised on the log scale.
 * @example
 * const fit = fitModel(sbgSpec, survivorData([[1000, 631, 468, 382, 326, 289, 262, 241]]));
 * fit.params; // { alpha: 0.704, beta: 1.182 } (the paper's "Regular" segment)
 */
export const sbgSpec: ModelSpec<SurvivorData> = Object.freeze<ModelSpec<SurvivorData>>({
  name: "sbg",
  reference:
    "Fader & Hardie (2007), How to Project Customer Retention, Journal of Interactive Marketing 21(1), eq. 9",
  params: [
    { name: "alpha", transform: "log" },
    { name: "beta", transform: "log" },
  ],
  validate: (data: SurvivorData) => validateSurvivors(data, "sbg"),
  count: survivorCount,
  rows: survivorCells,
  starts: () => [
    [1, 1],
    [0.5, 2],
    [2, 0.5],
  ],
  logLikelihood: sbgLogLikelihood,
});
