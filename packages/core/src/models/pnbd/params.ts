import { issue, ValuecastError } from "../../errors/issues.ts";

/**
 * Fitted Pareto/NBD parameters: purchase rates λ ~ Gamma(r, alpha), dropout rates μ ~ Gamma(s, beta).
 * @example const p: PnbdParams = { r: 0.5533, alpha: 10.578, s: 0.6062, beta: 11.67 };
 */
export interface PnbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly s: number;
  readonly beta: number;
}

/**
 * Reads r, alpha, s, beta from a record, throwing INVALID_PARAMETER for anything not positive and finite.
 * @example readPnbdParams({ r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 }).beta // 11.67
 */
export function readPnbdParams(params: Readonly<Record<string, number>>): PnbdParams {
  const out: Record<string, number> = {};
  const problems = [];
  for (const name of ["r", "alpha", "s", "beta"] as const) {
    const v = params[name];
    if (v === undefined || !(v > 0) || !Number.isFinite(v)) {
      problems.push(
        issue("INVALID_PARAMETER", `pnbd: ${name} must be a positive finite number, got ${v}`, {
          field: name,
        }),
      );
    } else {
      out[name] = v;
    }
  }
  if (problems.length > 0) throw new ValuecastError(problems);
  return Object.freeze({ r: out.r!, alpha: out.alpha!, s: out.s!, beta: out.beta! });
}

/**
 * Checks one customer's (x, t_x, T) for a prediction: finite, x >= 0, 0 <= t_x <= T, T >= 0.
 * A t_x beyond T by rounding only (1e-9 relative) is accepted and clamped to T. T = 0 is a customer first
 * seen at the end of the calibration period: nothing observed yet, so P(alive) = 1 (the limit of eq. 11,
 * J(T) = J(t_x)) and the predictions are the unconditional ones, as for BG/NBD.
 * @example checkCustomer(2, 30.43, 38.86) // 30.43
 */
export function checkCustomer(x: number, t_x: number, T: number): number {
  if (!(Number.isFinite(x) && Number.isFinite(t_x) && Number.isFinite(T)) || x < 0 || t_x < 0 || !(T >= 0)) {
    throw new ValuecastError([
      issue("BAD_SUMMARY_VALUE", `pnbd: needs finite x >= 0, t_x >= 0, T >= 0; got (${x}, ${t_x}, ${T})`),
    ]);
  }
  if (t_x > T) {
    if (t_x > T * (1 + 1e-9) + 1e-9) {
      throw new ValuecastError([issue("BAD_SUMMARY_VALUE", `pnbd: t_x = ${t_x} is after T = ${T}`)]);
    }
    return T;
  }
  return t_x;
}

/**
 * (1 - e^{-cL}) / c for L >= 0, with its limit L at c = 0: the integral ∫_0^L e^{-c y} dy that the
 * Pareto/NBD expectations (s - 1 in the exponent) reduce to. Written as L · (-expm1(-cL))/(cL) so s
 * near 1 neither divides 0 by 0 nor loses digits.
 * @example oneMinusPowerOver(0, 2) // 2
 */
export function oneMinusPowerOver(c: number, L: number): number {
  const cL = c * L;
  if (Math.abs(cL) < 1e-12) return L * (1 - cL / 2);
  return -Math.expm1(-cL) / c;
}
