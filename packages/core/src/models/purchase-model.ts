import type { ModelSpec } from "../fit/spec.ts";
import type { RfmData } from "./types.ts";

/**
 * The predictions every non-contractual purchase model (BG/NBD, Pareto/NBD, MBG/NBD) offers for a
 * customer with history (x, t_x, T), all in the model's time unit. Built from fitted parameters by the
 * model's `predictor(params)`; plain functions, no state.
 */
export interface PurchasePredictor {
  readonly model: string;
  readonly params: Readonly<Record<string, number>>;
  /** P(customer still alive at T | x, t_x, T). Always in [0, 1]. */
  pAlive(x: number, t_x: number, T: number): number;
  /** Conditional expected transactions in (T, T + t] given (x, t_x, T) ("CET"). 0 at t = 0, increasing in t. */
  conditionalExpectedPurchases(t: number, x: number, t_x: number, T: number): number;
  /** Expected repeat transactions in (0, t] for a customer acquired at time 0 (unconditional E[X(t)]). */
  expectedPurchases(t: number): number;
  /** P(X(t) = n) for a newly acquired customer. Sums to 1 over n. */
  probabilityOfPurchases(n: number, t: number): number;
}

/**
 * A purchase model: its declarative spec for fitting and a predictor factory for fitted parameters.
 * `D` is the data the spec is fitted on: `RfmData` (continuous time: BG/NBD, Pareto/NBD, MBG/NBD; the
 * default, so `PurchaseModel` alone means those) or `DiscreteRfData` (discrete opportunities: BG/BB,
 * whose predictor reads `T` as the opportunity count n and `t` as future opportunities). `P` narrows
 * the predictor for models that offer more (BG/BB's DERT). Code generic over `D` fits and predicts
 * every purchase model the same way: `model.predictor(fitModel(model.spec, data).params)`.
 * @example
 * function fitAndScore<D>(model: PurchaseModel<D>, data: D) {
 *   return model.predictor(fitModel(model.spec, data).params);
 * }
 * fitAndScore(bgnbdModel, rfm).pAlive(2, 30, 39); fitAndScore(bgbbModel, donations).pAlive(6, 6, 6);
 */
export interface PurchaseModel<D = RfmData, P extends PurchasePredictor = PurchasePredictor> {
  readonly name: string;
  readonly title: string;
  readonly paramNames: readonly string[];
  readonly spec: ModelSpec<D>;
  predictor(params: Readonly<Record<string, number>>): P;
}
