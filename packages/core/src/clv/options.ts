import { issue, ValuecastError } from "../errors/issues.ts";
import { continuousRatePerUnit, type TimeUnit } from "../time.ts";

/**
 * How CLV is computed (DESIGN "Conventions": discounting).
 * @example const o: ClvOptions = { horizon: 52, discountRate: 0.1, timeUnit: "week", margin: 0.3 };
 */
export interface ClvOptions {
  /** Horizon in the model's time unit (e.g. 52 for a year of a weekly model). */
  readonly horizon: number;
  /** Annual discount rate, e.g. 0.10 for 10% a year. 0 or absent: no discounting. */
  readonly discountRate?: number;
  /** The model's time unit; needed to convert the annual rate (required when discountRate > 0). */
  readonly timeUnit?: TimeUnit;
  /** Margin applied to expected spend (default 1: revenue). */
  readonly margin?: number;
  /**
   * "continuous" (purchases at any time: BG/NBD, MBG/NBD, Pareto/NBD) or "discrete" (purchases only at
   * whole opportunities 1..horizon: BG/BB). Default: "discrete" for a predictor named "bgbb", else
   * "continuous".
   */
  readonly timing?: "continuous" | "discrete";
}

/**
 * CLV options after checking, with the continuous rate per model time unit.
 * @example const { horizon, delta, margin }: ResolvedClvOptions = resolveClvOptions(options);
 */
export interface ResolvedClvOptions {
  readonly horizon: number;
  /** Continuous discount rate per model time unit: ln(1 + annual) · (unit length / year). */
  readonly delta: number;
  readonly margin: number;
}

/**
 * Checks CLV options (collecting every problem) and converts the annual discount rate to the
 * continuous rate per model time unit with `continuousRatePerUnit`.
 * @example resolveClvOptions({ horizon: 52, discountRate: 0.1, timeUnit: "week" }).delta // 0.001829...
 */
export function resolveClvOptions(options: ClvOptions): ResolvedClvOptions {
  const issues = [];
  const { horizon, discountRate = 0, margin = 1, timeUnit } = options;
  if (!(Number.isFinite(horizon) && horizon >= 0)) {
    issues.push(
      issue("BAD_OPTION_VALUE", `horizon must be a finite number >= 0 (got ${horizon})`, {
        field: "horizon",
      }),
    );
  }
  if (!(Number.isFinite(discountRate) && discountRate >= 0)) {
    issues.push(
      issue("BAD_OPTION_VALUE", `discountRate must be an annual rate >= 0, e.g. 0.1 (got ${discountRate})`, {
        field: "discountRate",
      }),
    );
  }
  if (!Number.isFinite(margin)) {
    issues.push(
      issue("BAD_OPTION_VALUE", `margin must be a finite number (got ${margin})`, { field: "margin" }),
    );
  }
  if (discountRate !== 0 && !timeUnit) {
    issues.push(
      issue("BAD_OPTION_VALUE", "a discount rate needs the model's time unit to convert the annual rate", {
        field: "timeUnit",
      }),
    );
  }
  if (issues.length > 0) throw new ValuecastError(issues);
  const delta = discountRate !== 0 && timeUnit ? continuousRatePerUnit(discountRate, timeUnit) : 0;
  return { horizon, delta, margin };
}
