import { issue, ValuecastError } from "../../errors/issues.ts";

/**
 * The four BG/NBD and MBG/NBD parameters in the papers' symbols.
 * @example const p: BgParams = { r: 0.2426, alpha: 4.4137, a: 0.793, b: 2.426 };
 */
export interface BgParams {
  /** Shape of the Gamma heterogeneity in the purchase rate lambda. */
  readonly r: number;
  /** Rate (scale in time units) of that Gamma: the mean purchase rate is r / alpha per time unit. */
  readonly alpha: number;
  /** First shape of the Beta heterogeneity in the dropout probability p (mean a / (a + b)). */
  readonly a: number;
  /** Second shape of that Beta. */
  readonly b: number;
}

/**
 * Parameter names in spec order.
 * @example BG_PARAM_NAMES[1] // "alpha"
 */
export const BG_PARAM_NAMES = ["r", "alpha", "a", "b"] as const;

/**
 * Reads (r, alpha, a, b) from a record, throwing INVALID_PARAMETER for any that is missing, not
 * finite or not positive.
 * @example readBgParams({ r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 }, "bgnbd").alpha // 4.4
 */
export function readBgParams(params: Readonly<Record<string, number>>, model: string): BgParams {
  const bad = BG_PARAM_NAMES.filter((k) => {
    const v = params[k];
    return v === undefined || !Number.isFinite(v) || v <= 0;
  });
  if (bad.length > 0) {
    throw new ValuecastError(
      bad.map((k) =>
        issue("INVALID_PARAMETER", `${model}: ${k} must be a positive finite number (got ${params[k]})`, {
          field: k,
        }),
      ),
    );
  }
  return { r: params.r!, alpha: params.alpha!, a: params.a!, b: params.b! };
}
