import { issue, ValuecastError } from "../../errors/issues.ts";

/**
 * sBG parameters (Fader & Hardie 2007): each customer churns at the end of every period with probability
 * theta, and theta ~ Beta(alpha, beta) across customers.
 */
export interface SbgParams {
  readonly alpha: number;
  readonly beta: number;
}

/**
 * Reads sBG parameters from a record (e.g. `FitResult.params`), throwing INVALID_PARAMETER for any that
 * is missing, not finite or not positive.
 * @example sbgParams({ alpha: 0.704, beta: 1.182 })
 */
export function sbgParams(record: Readonly<Record<string, number | undefined>>): SbgParams {
  const bad = (["alpha", "beta"] as const).filter((k) => {
    const v = record[k];
    return v === undefined || !Number.isFinite(v) || v <= 0;
  });
  if (bad.length > 0) {
    throw new ValuecastError(
      bad.map((k) =>
        issue("INVALID_PARAMETER", `sbg: ${k} must be a positive finite number (got ${record[k]})`, {
          field: k,
        }),
      ),
    );
  }
  return { alpha: record.alpha!, beta: record.beta! };
}
