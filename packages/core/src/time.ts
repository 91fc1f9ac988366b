/**
 * Time units. Every summary and every fitted model carries its unit; horizons are written with their unit
 * and converted exactly (DESIGN "Conventions": a month is 365.25 / 12 days, a year 365.25 days).
 */
export type TimeUnit = "day" | "week" | "month" | "year";

export const TIME_UNITS: readonly TimeUnit[] = ["day", "week", "month", "year"];

/** Length of one unit in days. */
export const DAYS_PER_UNIT: Readonly<Record<TimeUnit, number>> = Object.freeze({
  day: 1,
  week: 7,
  month: 365.25 / 12,
  year: 365.25,
});

/** A duration with its unit, e.g. `{ value: 12, unit: "month" }`. */
export interface Duration {
  readonly value: number;
  readonly unit: TimeUnit;
}

/**
 * Converts a duration to another unit, exactly.
 * @example convertDuration({ value: 12, unit: "month" }, "week") // 52.178571...
 */
export function convertDuration(d: Duration, to: TimeUnit): number {
  return (d.value * DAYS_PER_UNIT[d.unit]) / DAYS_PER_UNIT[to];
}

const UNIT_ALIASES: Readonly<Record<string, TimeUnit>> = {
  d: "day",
  day: "day",
  days: "day",
  w: "week",
  wk: "week",
  week: "week",
  weeks: "week",
  m: "month",
  mo: "month",
  month: "month",
  months: "month",
  y: "year",
  yr: "year",
  year: "year",
  years: "year",
};

/** Parses a unit name ("week", "weeks", "w", …); returns undefined for anything else. */
export function parseTimeUnit(text: string): TimeUnit | undefined {
  return UNIT_ALIASES[text.trim().toLowerCase()];
}

/**
 * Parses a horizon such as "12 months", "39 weeks", "1 year" or "90d".
 * Returns undefined when the text is not a positive finite number followed by a unit.
 * @example parseDuration("39 weeks") // { value: 39, unit: "week" }
 */
export function parseDuration(text: string): Duration | undefined {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-zA-Z]+)\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  const unit = parseTimeUnit(m[2] ?? "");
  if (!unit || !Number.isFinite(value) || value < 0) return undefined;
  return { value, unit };
}

/**
 * Converts an annual discount rate (e.g. 0.10 for 10% a year) to the continuous rate per time unit
 * used by the CLV integral: delta = ln(1 + annual) * (days per unit / 365.25).
 * @example continuousRatePerUnit(0.1, "week") // 0.001829...
 */
export function continuousRatePerUnit(annualRate: number, unit: TimeUnit): number {
  return Math.log1p(annualRate) * (DAYS_PER_UNIT[unit] / DAYS_PER_UNIT.year);
}
