import { issue, ValuecastError } from "../../errors/issues.ts";

/**
 * BG/BB parameters (Fader, Hardie & Shang 2010): while alive, a customer transacts at each opportunity with
 * probability p ~ Beta(alpha, beta); at the start of each opportunity an alive customer drops out with
 * probability theta ~ Beta(gamma, delta).
 */
export interface BgbbParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly delta: number;
}

/** Parameter names in the order the spec optimises them. */
export const BGBB_PARAM_NAMES = ["alpha", "beta", "gamma", "delta"] as const;

/**
 * Reads BG/BB parameters from a record (e.g. `FitResult.params`), throwing INVALID_PARAMETER for any
 * that is missing, not finite or not positive.
 * @example bgbbParams({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 })
 */
export function bgbbParams(record: Readonly<Record<string, number | undefined>>): BgbbParams {
  const bad = BGBB_PARAM_NAMES.filter((k) => {
    const v = record[k];
    return v === undefined || !Number.isFinite(v) || v <= 0;
  });
  if (bad.length > 0) {
    throw new ValuecastError(
      bad.map((k) =>
        issue("INVALID_PARAMETER", `bgbb: ${k} must be a positive finite number (got ${record[k]})`, {
          field: k,
        }),
      ),
    );
  }
  return { alpha: record.alpha!, beta: record.beta!, gamma: record.gamma!, delta: record.delta! };
}
