/**
 * Why a value in an analytics result is null. Every nullable field of a result sits beside an entry here
 * (keyed by the field's name) so the CLI, the API and the dashboard can say why, instead of showing a
 * silent zero or NaN.
 */
export interface NullReason {
  readonly field: string;
  readonly reason: string;
}

/**
 * Divides, returning null when the result would not be a finite number (zero or non-finite denominator).
 * @example safeDivide(10, 0) // null
 */
export function safeDivide(numerator: number, denominator: number): number | null {
  if (denominator === 0 || !Number.isFinite(denominator)) return null;
  const v = numerator / denominator;
  return Number.isFinite(v) ? v : null;
}
