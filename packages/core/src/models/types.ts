import type { TimeUnit } from "../time.ts";

/**
 * The recency-frequency data every non-contractual purchase model is fitted on, in the papers' symbols:
 * `x` repeat transactions, `t_x` time of the last repeat purchase since the first, `T` time from the first
 * purchase to the end of the calibration period, all in one time unit. `weight` counts how many customers
 * share a row (compressed sufficient statistics); absent means 1 for every row.
 */
export interface RfmData {
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly T: Float64Array;
  readonly weight?: Float64Array;
}

/**
 * Discrete-opportunity data for BG/BB (Fader, Hardie & Shang 2010): `x` transactions in `n` opportunities,
 * `t_x` the opportunity of the last one (0 when x = 0), with optional weights.
 */
export interface DiscreteRfData {
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly n: Float64Array;
  readonly weight?: Float64Array;
}

/** Spend data for Gamma-Gamma: `x` repeat transactions and `zbar` their mean value (x > 0 rows only). */
export interface SpendData {
  readonly x: Float64Array;
  readonly zbar: Float64Array;
  readonly weight?: Float64Array;
}

/** Metadata every fitted model carries so predictions are never made in the wrong unit. */
export interface FitContext {
  readonly timeUnit: TimeUnit;
}
