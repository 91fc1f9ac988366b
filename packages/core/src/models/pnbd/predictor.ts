import type { FactorisedPurchasePredictor } from "../../clv/factorised.ts";
import { pnbdDertFor } from "./dert.ts";
import { pnbdPAlive } from "./p-alive.ts";
import { oneMinusPowerOver, type PnbdParams, readPnbdParams } from "./params.ts";
import { pnbdPmfFor } from "./pmf.ts";

/**
 * The Pareto/NBD predictor: the common `PurchasePredictor`, the factorised E[purchases | alive, x, T]
 * (so `scoreCustomers` discounts once per distinct (x, T) pair), plus DERT.
 * @example const pred: PnbdPredictor = pnbdPredictor({ r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 });
 */
export interface PnbdPredictor extends FactorisedPurchasePredictor {
  /**
   * Discounted expected residual transactions at continuous discount rate `delta` per time unit
   * (Fader, Hardie & Lee 2005, "RFM and CLV", JMR 42(4), eq. 2 / appendix).
   */
  dert(delta: number, x: number, t_x: number, T: number): number;
}

/**
 * E[purchases in (T, T + t] | alive at T] (Schmittlein et al. 1987 eq. 22; Fader & Hardie 2005 note
 * eq. 24 without the P(alive) factor): the posterior rate (r+x)/(α+T) times the expected remaining
 * lifetime within t, (β+T)/(s-1) [1 - ((β+T)/(β+T+t))^{s-1}], written as
 * (β+T) · (1 - e^{-(s-1)L})/(s-1) with L = ln(1 + t/(β+T)) so s = 1 (the limit (β+T) L) is exact.
 */
function expectedGivenAlive(p: PnbdParams, x: number, T: number, t: number): number {
  const L = Math.log1p(t / (p.beta + T));
  return ((p.r + x) / (p.alpha + T)) * (p.beta + T) * oneMinusPowerOver(p.s - 1, L);
}

/**
 * Pareto/NBD predictions for fitted parameters (r, alpha, s, beta): P(alive), conditional expected
 * purchases (Fader & Hardie 2005 note eq. 24), unconditional E[X(t)] (Schmittlein et al. 1987 eq. 17),
 * P(X(t) = n) (Fader & Hardie 2006 note, "Deriving an Expression for P(X(t) = x) Under the Pareto/NBD
 * Model") and DERT (Fader, Hardie & Lee 2005, JMR).
 * @example
 * const pred = pnbdPredictor({ r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 });
 * pred.conditionalExpectedPurchases(52, 26, 30.86, 31); // 25.456
 */
export function pnbdPredictor(params: Readonly<Record<string, number>>): PnbdPredictor {
  const p = readPnbdParams(params);
  // U(1, 2-s, δ(β+T)) per discount rate and distinct T (s is fixed for this predictor).
  const uMemo = new Map<number, Map<number, number>>();
  return Object.freeze({
    model: "pnbd",
    params: Object.freeze({ r: p.r, alpha: p.alpha, s: p.s, beta: p.beta }),
    pAlive: (x: number, t_x: number, T: number) => pnbdPAlive(p, x, t_x, T),
    conditionalExpectedPurchases(t: number, x: number, t_x: number, T: number): number {
      const alive = pnbdPAlive(p, x, t_x, T);
      if (!(t > 0)) return 0;
      return alive * expectedGivenAlive(p, x, T, t);
    },
    // E[X(T, T+t] | alive at T, x, T] (Fader & Hardie 2005 note eq. 24 without P(alive)): independent of
    // t_x, which is what lets the scorer tabulate it per distinct (x, T).
    expectedPurchasesIfAlive(t: number, x: number, T: number): number {
      if (!(t > 0)) return 0;
      return expectedGivenAlive(p, x, T, t);
    },
    expectedPurchases(t: number): number {
      if (!(t > 0)) return 0;
      // E[X(t)] = r β / (α (s-1)) [1 - (β/(β+t))^{s-1}] (Schmittlein et al. 1987 eq. 17).
      return (p.r / p.alpha) * p.beta * oneMinusPowerOver(p.s - 1, Math.log1p(t / p.beta));
    },
    probabilityOfPurchases: (n: number, t: number) => pnbdPmfFor(p, n, t),
    dert(delta: number, x: number, t_x: number, T: number): number {
      let memo = uMemo.get(delta);
      if (!memo) {
        if (uMemo.size >= 16) uMemo.clear();
        memo = new Map();
        uMemo.set(delta, memo);
      }
      return pnbdDertFor(p, delta, x, t_x, T, memo);
    },
  });
}
