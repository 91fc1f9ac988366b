import { log1mexp, log1pexp } from "../../math/special.ts";
import { checkCustomer, type PnbdParams } from "./params.ts";
import { tailIntegral } from "./tail-integral.ts";

/** Reused output buffer of tailIntegral (predictions run one at a time; no allocation per customer). */
const scratch = new Float64Array(5);

/**
 * ln of the odds "died in (t_x, T]" : "alive at T" given (x, t_x, T) (Fader & Hardie 2005 note, eq. 23):
 * P(alive)^-1 - 1 = s/(r+s+x) (α+T)^{r+x} (β+T)^s A0 = s [J(t_x) - J(T)] (α+T)^{r+x} (β+T)^s.
 * -Infinity when t_x = T (no time to have died unseen).
 * @example pnbdLogOddsDead({ r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 }, 26, 30.86, 31) // ln(1/0.99787 - 1)
 */
export function pnbdLogOddsDead(p: PnbdParams, x: number, t_x: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const out = scratch;
  tailIntegral(r, alpha, s, beta, x, t_x, out);
  const lJtx = out[0]!;
  tailIntegral(r, alpha, s, beta, x, T, out);
  const d = out[0]! - lJtx;
  if (!(d < 0)) return Number.NEGATIVE_INFINITY;
  // log1mexp keeps ln(1 - J(T)/J(t_x)) accurate when t_x is close to T.
  return Math.log(s) + lJtx + log1mexp(d) + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T);
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + odds dead), via 1/(1 + e^l) = e^{-log1pexp(l)} so neither a huge nor
 * a tiny odds overflows (Fader & Hardie 2005 note, eq. 23; Schmittlein et al. 1987 eq. 11).
 * @example pnbdPAlive({ r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 }, 26, 30.86, 31) // 0.99787
 */
export function pnbdPAlive(p: PnbdParams, x: number, t_x: number, T: number): number {
  t_x = checkCustomer(x, t_x, T);
  const l = pnbdLogOddsDead(p, x, t_x, T);
  if (l === Number.NEGATIVE_INFINITY) return 1;
  const v = Math.exp(-log1pexp(l));
  return Math.min(v, 1);
}
