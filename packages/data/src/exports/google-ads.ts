import { type Issue, issue, ValuecastError } from "@valuecast/core";
import { csvField, csvText, money } from "./csv.ts";
import type { ContactRecord, ExportCustomer, ExportFile } from "./types.ts";

/** The header row of Google Ads' offline click-conversion import template (must not be removed). */
export const GOOGLE_ADS_HEADER = [
  "Google Click ID",
  "Conversion Name",
  "Conversion Time",
  "Conversion Value",
  "Conversion Currency",
] as const;

/** Options of the Google Ads offline conversion file. */
export interface GoogleAdsOptions {
  /** The conversion action's name exactly as in Google Ads (e.g. "Predicted CLV"). */
  readonly conversionName: string;
  /** ISO 4217 currency code ("USD"). */
  readonly currency: string;
  /** When the conversion is recorded (epoch ms); every row gets it. */
  readonly conversionTime: number;
  /**
   * An IANA time zone ("America/New_York"): written once as `Parameters:TimeZone=...` and conversion
   * times are local wall-clock times there. Without it, each time carries its UTC offset ("+00:00").
   */
  readonly timeZone?: string;
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * A conversion time in Google's documented form "yyyy-MM-dd HH:mm:ss" (local time of the file's
 * `Parameters:TimeZone`), or "yyyy-MM-dd HH:mm:ss+00:00" (UTC with its offset) when no zone is given.
 * @example googleAdsTime(Date.UTC(2026, 10, 22, 15, 4, 5)) // "2026-11-22 15:04:05+00:00"
 * @example googleAdsTime(Date.UTC(2026, 10, 22, 15, 4, 5), "America/New_York") // "2026-11-22 10:04:05"
 */
export function googleAdsTime(at: number, timeZone?: string): string {
  if (!timeZone) {
    const d = new Date(at);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+00:00`;
  }
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(at));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "00";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")}`;
}

/**
 * True when `timeZone` is an IANA zone this runtime knows.
 * @example isTimeZone("Europe/Paris") // true
 */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Google Ads offline click-conversion import CSV with the predicted CLV as the conversion value: one row per
 * customer that has a Google Click ID, optional first line `Parameters:TimeZone=<zone>`, then the template's
 * header. Customers without a click id are left out and counted (a `BAD_CONTACT_VALUE` issue each).
 * @example googleAdsConversionsCsv(customers, contacts, { conversionName: "Predicted CLV", currency: "USD", conversionTime: Date.now() })
 */
export function googleAdsConversionsCsv(
  customers: Iterable<ExportCustomer>,
  contacts: ReadonlyMap<string, ContactRecord>,
  options: GoogleAdsOptions,
): ExportFile {
  const problems: Issue[] = [];
  if (options.conversionName.trim() === "")
    problems.push(issue("INVALID_REQUEST", "conversionName must not be empty", { field: "conversionName" }));
  if (!/^[A-Z]{3}$/.test(options.currency))
    problems.push(
      issue("INVALID_REQUEST", "currency must be an ISO 4217 code such as USD", { field: "currency" }),
    );
  if (options.timeZone !== undefined && !isTimeZone(options.timeZone))
    problems.push(issue("INVALID_REQUEST", `unknown time zone '${options.timeZone}'`, { field: "timeZone" }));
  if (!Number.isFinite(options.conversionTime))
    problems.push(issue("INVALID_REQUEST", "conversionTime must be a time", { field: "conversionTime" }));
  if (problems.length > 0) throw new ValuecastError(problems);
  const time = googleAdsTime(options.conversionTime, options.timeZone);
  const rows: (string | number)[][] = [];
  const skipped: Issue[] = [];
  let index = 0;
  for (const c of customers) {
    const click = contacts.get(c.customerId)?.clickId?.trim();
    if (!click) {
      skipped.push(
        issue("BAD_CONTACT_VALUE", `customer ${c.customerId} has no Google Click ID`, {
          field: "clickId",
          index,
        }),
      );
    } else {
      rows.push([click, options.conversionName, time, money(c.predictedClv), options.currency]);
    }
    index++;
  }
  const head = options.timeZone ? `${csvField(`Parameters:TimeZone=${options.timeZone}`)}\n` : "";
  return {
    filename: "google-ads-offline-conversions.csv",
    contentType: "text/csv; charset=utf-8",
    content: head + csvText(GOOGLE_ADS_HEADER, rows),
    rows: rows.length,
    skipped,
  };
}
