/**
 * Calendar helpers for the analytics: whole UTC days ("epoch days", days since 1970-01-01) and the
 * calendar periods cohorts and spend are grouped by. Pure arithmetic on integers, so results never depend
 * on the machine's time zone.
 */

import { dayToIsoDate, isoDateToDay, MS_PER_DAY } from "../summary/days.ts";

/** Calendar grains for cohorts, spend and CAC periods. Weeks start on Monday (ISO 8601). */
export type CalendarGrain = "week" | "month" | "quarter";

/**
 * Parses "YYYY-MM-DD" (or "YYYY-MM", meaning the month's first day, as in monthly spend files) to a day
 * number (days since 1970-01-01); undefined when not a real date.
 * @example parseDayOrMonth("1997-01") // 9862
 */
export function parseDayOrMonth(text: string): number | undefined {
  const t = text.trim();
  return isoDateToDay(/^\d{4}-\d{2}$/.test(t) ? `${t}-01` : t);
}

/**
 * The index of the calendar period holding an epoch day: weeks since the Monday 1969-12-29, months since
 * January of year 0 (year * 12 + month), quarters likewise (year * 4 + quarter). Consecutive periods have
 * consecutive indices, so "periods since first purchase" is a subtraction.
 * @example periodIndex(9862, "month") // 1997 * 12 + 0
 */
export function periodIndex(day: number, grain: CalendarGrain): number {
  if (grain === "week") return Math.floor((day + 3) / 7); // epoch day 0 is a Thursday; day -3 a Monday
  const ym = monthIndexOfDay(day);
  return grain === "month" ? ym : Math.floor(ym / 3);
}

/**
 * year * 12 + 0-based month of a day number by integer arithmetic (H. Hinnant, "chrono-compatible low-level
 * date algorithms", civil_from_days): cohorts call this once per order, and building a Date object
 * each time was the slowest part of a 1M-customer cohort table.
 */
function monthIndexOfDay(day: number): number {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9; // 1..12
  // year * 12 + 0-based month (a number, not an object: no allocation per call)
  return (yoe + era * 400 + (month <= 2 ? 1 : 0)) * 12 + month - 1;
}

/**
 * The first epoch day of a period index (inverse of `periodIndex` on period starts).
 * @example periodStartDay(1997 * 12, "month") // 9862 (1997-01-01)
 */
export function periodStartDay(index: number, grain: CalendarGrain): number {
  if (grain === "week") return index * 7 - 3;
  const monthsPerPeriod = grain === "month" ? 1 : 3;
  const perYear = 12 / monthsPerPeriod;
  const y = Math.floor(index / perYear);
  const p = index - y * perYear;
  return Date.UTC(y, p * monthsPerPeriod, 1) / MS_PER_DAY;
}

/**
 * A period's label: the Monday's date for weeks ("1997-01-06"), "1997-01" for months, "1997-Q1" for quarters.
 * @example periodLabel(1997 * 4, "quarter") // "1997-Q1"
 */
export function periodLabel(index: number, grain: CalendarGrain): string {
  if (grain === "week") return dayToIsoDate(periodStartDay(index, grain));
  if (grain === "month") return dayToIsoDate(periodStartDay(index, grain)).slice(0, 7);
  const y = Math.floor(index / 4);
  return `${y}-Q${index - y * 4 + 1}`;
}
