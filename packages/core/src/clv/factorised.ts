import type { PurchasePredictor } from "../models/purchase-model.ts";

/**
 * A predictor whose conditional expected purchases factorise as
 *   CET(t | x, t_x, T) = P(alive | x, t_x, T) · E[purchases in (T, T+t] | alive at T, x, T],
 * which holds for the BG/NBD, MBG/NBD and Pareto/NBD: given that the customer is alive at T, the
 * posterior of the purchase and dropout rates depends on (x, T) only, not on t_x. The scorer then
 * computes (and discounts) the second factor once per distinct (x, T) pair instead of once per
 * customer, which is what makes scoring millions of customers fast: real and simulated customer bases
 * have far fewer distinct (x, T) pairs than customers.
 * @example const p: FactorisedPurchasePredictor = bgnbdPredictor(params); p.expectedPurchasesIfAlive(52, 3, 39)
 */
export interface FactorisedPurchasePredictor extends PurchasePredictor {
  /** Expected purchases in (T, T + t] for a customer known to be alive at T with x repeat purchases. */
  expectedPurchasesIfAlive(t: number, x: number, T: number): number;
}

/**
 * True when the predictor offers `expectedPurchasesIfAlive`.
 * @example isFactorised(bgnbdPredictor(params)) // true
 */
export function isFactorised(p: PurchasePredictor): p is FactorisedPurchasePredictor {
  return typeof (p as Partial<FactorisedPurchasePredictor>).expectedPurchasesIfAlive === "function";
}
