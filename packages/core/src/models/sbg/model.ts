import type { ModelSpec } from "../../fit/spec.ts";
import type { SurvivorData } from "./data.ts";
import { sbgParams } from "./params.ts";
import {
  sbgChurnProbability,
  sbgDerl,
  sbgDiscountedExpectedLifetime,
  sbgExpectedLifetime,
  sbgExpectedLifetimeWithin,
  sbgProjectSurvivors,
  sbgRetentionRate,
  sbgSurvival,
} from "./predict.ts";
import { sbgSpec } from "./spec.ts";

/** The sBG predictions for fitted parameters (periods are the model's renewal periods). */
export interface SbgPredictor {
  readonly model: "sbg";
  readonly params: Readonly<{ alpha: number; beta: number }>;
  survival(t: number): number;
  retentionRate(t: number): number;
  churnProbability(t: number): number;
  projectSurvivors(size: number, periods: number): Float64Array;
  expectedLifetime(): number;
  expectedLifetimeWithin(horizon: number): number;
  discountedExpectedLifetime(d: number): number;
  derl(d: number, renewals: number): number;
}

/**
 * Builds the sBG predictor from fitted parameters (e.g. `fitModel(sbgSpec, data).params`).
 * @example sbgPredictor({ alpha: 0.668, beta: 3.806 }).derl(0.1, 7) // 7.53
 */
export function sbgPredictor(params: Readonly<Record<string, number>>): SbgPredictor {
  const p = sbgParams(params);
  return Object.freeze({
    model: "sbg" as const,
    params: Object.freeze({ alpha: p.alpha, beta: p.beta }),
    survival: (t: number) => sbgSurvival(p, t),
    retentionRate: (t: number) => sbgRetentionRate(p, t),
    churnProbability: (t: number) => sbgChurnProbability(p, t),
    projectSurvivors: (size: number, periods: number) => sbgProjectSurvivors(p, size, periods),
    expectedLifetime: () => sbgExpectedLifetime(p),
    expectedLifetimeWithin: (horizon: number) => sbgExpectedLifetimeWithin(p, horizon),
    discountedExpectedLifetime: (d: number) => sbgDiscountedExpectedLifetime(p, d),
    derl: (d: number, renewals: number) => sbgDerl(p, d, renewals),
  });
}

/** The sBG as a model object: spec for fitting on survivor curves plus the predictor factory. */
export interface RetentionModel {
  readonly name: string;
  readonly title: string;
  readonly paramNames: readonly string[];
  readonly spec: ModelSpec<SurvivorData>;
  predictor(params: Readonly<Record<string, number>>): SbgPredictor;
}

/**
 * sBG model object.
 * @example sbgModel.predictor(fitModel(sbgModel.spec, survivorData([[1000, 631, 468]])).params).survival(5)
 */
export const sbgModel: RetentionModel = Object.freeze({
  name: "sbg",
  title: "shifted-beta-geometric (Fader & Hardie 2007)",
  paramNames: ["alpha", "beta"],
  spec: sbgSpec,
  predictor: sbgPredictor,
});
