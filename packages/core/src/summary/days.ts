import type { CohortGranularity } from "./types.ts";

/** Milliseconds in a calendar day. */
export const MS_PER_DAY = 86_400_000;

/**
 * The calendar day (days since 1970-01-01) of an instant in epoch milliseconds, shifted by an offset in
 * minutes first (0 = UTC day).
 * @example dayOf(Date.UTC(1997, 0, 1, 23, 30)) // 9862
 */
export function dayOf(at: number, offsetMinutes = 0): number {
  return Math.floor((at + offsetMinutes * 60_000) / MS_PER_DAY);
}

/**
 * Parses "YYYY-MM-DD" or "YYYYMMDD" to a day number; undefined for anything else or an impossible date.
 * @example isoDateToDay("1997-09-30") // 10134
 */
export function isoDateToDay(text: string): number | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  // Date.UTC rolls 2011-02-30 over to March: reject instead of guessing.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d)
    return undefined;
  return ms / MS_PER_DAY;
}

/**
 * Formats a day number as "YYYY-MM-DD".
 * @example dayToIsoDate(10134) // "1997-09-30"
 */
export function dayToIsoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * The cohort label of a first-purchase day: "1997-01" (month), "1997-Q1" (quarter) or "1997" (year).
 * @example cohortLabel(9862, "quarter") // "1997-Q1"
 */
export function cohortLabel(day: number, granularity: CohortGranularity = "month"): string {
  const iso = dayToIsoDate(day);
  if (granularity === "year") return iso.slice(0, 4);
  if (granularity === "quarter")
    return `${iso.slice(0, 4)}-Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;
  return iso.slice(0, 7);
}

/**
 * Normalizes a customer id the same way the SQL engines do: trims spaces, treats "" as missing, and writes an
 * integer stored as a float ("17850.0", as in UCI Online Retail) as the integer ("17850"). Leading zeros are
 * kept ("00001" stays "00001").
 * @example normalizeCustomerId(" 17850.0 ") // "17850"
 */
export function normalizeCustomerId(raw: string | number | null | undefined): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw === "string" && raw.length > 0) {
    // The usual id needs no work: printable ASCII other than a space at both ends has nothing to trim, and a
    // float-written integer ends in "0". Skipping trim and the regular expression halves a million-row pass.
    const a = raw.charCodeAt(0);
    const z = raw.charCodeAt(raw.length - 1);
    if (a > 32 && a < 127 && z > 32 && z < 127 && z !== 48) return raw;
  }
  const s = String(raw).trim();
  if (s === "") return undefined;
  return s.replace(/^(\d+)\.0+$/, "$1");
}
