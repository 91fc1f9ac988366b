import type { PurchasePredictor } from "../purchase-model.ts";
import { bgExpectedGivenAlive } from "./bg-expectation.ts";
import type { DropoutShift } from "./bg-likelihood.ts";
import { readBgParams } from "./bg-params.ts";
import { bgFamilyPmf } from "./bg-pmf.ts";

/**
 * log of the odds "dropped out" : "alive" given (x, t_x, T): log(a/(b+x+k-1)) + (r+x) log((α+T)/(α+t_x)),
 * or -Infinity when dropping out is impossible (BG/NBD with x = 0: no repeat purchase, no dropout chance).
 * The log ratio is formed with log1p((T - t_x)/(α + t_x)) so that t_x close to T keeps its digits.
 * @example bgLogOddsDead(0, 0.2426, 4.4137, 0.793, 2.426, 0, 0, 39) // -Infinity: x = 0 cannot have dropped out
 */
export function bgLogOddsDead(
  shift: DropoutShift,
  r: number,
  alpha: number,
  a: number,
  b: number,
  x: number,
  t_x: number,
  T: number,
): number {
  if (shift === 0 && x <= 0) return Number.NEGATIVE_INFINITY;
  const bm1 = b + x + shift - 1;
  if (!(bm1 > 0)) return Number.NEGATIVE_INFINITY;
  const gap = Math.max(0, T - t_x);
  return Math.log(a / bm1) + (r + x) * Math.log1p(gap / (alpha + t_x));
}

/**
 * 1 / (1 + e^l), computed without overflow for any l.
 * @example logisticOfMinus(800) // 3.6e-348 underflows to 0, never NaN
 */
export function logisticOfMinus(l: number): number {
  if (l === Number.NEGATIVE_INFINITY) return 1;
  if (l > 0) {
    const e = Math.exp(-l);
    return e / (1 + e);
  }
  return 1 / (1 + Math.exp(l));
}

/**
 * A BG-family predictor: the `PurchasePredictor` methods plus the factor of CET that does not depend
 * on t_x (used by the CLV scorer to work per distinct (x, T) instead of per customer).
 * @example const p: BgFamilyPredictor = bgnbdPredictor(params); p.expectedPurchasesIfAlive(52, 26, 31)
 */
export interface BgFamilyPredictor extends PurchasePredictor {
  /**
   * Expected purchases in (T, T + t] given alive at T: the bracket of FHL (2005) eq. 10, which depends
   * on (x, T) only. CET = P(alive) times this.
   */
  expectedPurchasesIfAlive(t: number, x: number, T: number): number;
}

/**
 * The predictor shared by BG/NBD (shift 0) and MBG/NBD (shift 1) for fitted (r, alpha, a, b):
 * P(alive) (FHL "Computing P(alive) using the BG/NBD model"; Batislam et al. 2007 eq. 5),
 * conditional expected purchases (FHL 2005 eq. 10; the MBG/NBD analogue with b+x+1 and a+b+x),
 * unconditional E[X(t)] (FHL 2005 eq. 7; times b/(a+b) and with b+1 for MBG/NBD) and P(X(t) = n).
 * @example bgFamilyPredictor(0, "bgnbd", { r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.426 }).pAlive(26, 30.86, 31)
 */
export function bgFamilyPredictor(
  shift: DropoutShift,
  model: string,
  params: Readonly<Record<string, number>>,
): BgFamilyPredictor {
  const { r, alpha, a, b } = readBgParams(params, model);
  const vector = [r, alpha, a, b];
  const pAlive = (x: number, t_x: number, T: number) =>
    logisticOfMinus(bgLogOddsDead(shift, r, alpha, a, b, x, t_x, T));
  // New customers in MBG/NBD are alive after the first purchase with probability b/(a+b).
  const aliveAtStart = shift === 0 ? 1 : b / (a + b);
  return Object.freeze({
    model,
    params: Object.freeze({ r, alpha, a, b }),
    pAlive,
    conditionalExpectedPurchases(t: number, x: number, t_x: number, T: number): number {
      if (!(t > 0)) return 0;
      return pAlive(x, t_x, T) * bgExpectedGivenAlive(r + x, a, b + x + shift, alpha + T, t);
    },
    expectedPurchasesIfAlive(t: number, x: number, T: number): number {
      if (!(t > 0)) return 0;
      return bgExpectedGivenAlive(r + x, a, b + x + shift, alpha + T, t);
    },
    expectedPurchases(t: number): number {
      if (!(t > 0)) return 0;
      return aliveAtStart * bgExpectedGivenAlive(r, a, b + shift, alpha, t);
    },
    probabilityOfPurchases(n: number, t: number): number {
      return bgFamilyPmf(shift, vector, n, t);
    },
  });
}
