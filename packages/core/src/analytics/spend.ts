import { type Issue, issue } from "../errors/issues.ts";
import { type CalendarGrain, parseDayOrMonth, periodIndex } from "./dates.ts";

/**
 * One row of a marketing spend file: `date` (YYYY-MM-DD) or `month` (YYYY-MM), a channel, an optional
 * campaign and the amount spent, in the same currency as the revenue.
 */
export interface SpendRow {
  readonly date?: string;
  readonly month?: string;
  readonly channel: string;
  readonly campaign?: string;
  readonly spend: number;
}

/** A spend row placed in its calendar period. */
export interface PlacedSpend {
  readonly period: number;
  readonly channel: string;
  readonly campaign: string | null;
  readonly spend: number;
}

/**
 * Checks spend rows and places each in its period of `grain`. Rows without a valid date or month, with a
 * negative or non-finite spend, or with a month when the grain is "week" (a month cannot be split into
 * weeks) are left out and reported as issues, each with its row index.
 * @example placeSpend([{ month: "2026-01", channel: "search", spend: 900 }], "month").placed.length // 1
 */
export function placeSpend(
  rows: readonly SpendRow[],
  grain: CalendarGrain,
): { placed: PlacedSpend[]; issues: Issue[] } {
  const placed: PlacedSpend[] = [];
  const issues: Issue[] = [];
  rows.forEach((r, index) => {
    const text = r.date ?? r.month;
    const day = text === undefined ? undefined : parseDayOrMonth(text);
    if (day === undefined) {
      issues.push(issue("BAD_DATE", `spend row has no valid date or month ('${text ?? ""}')`, { index }));
      return;
    }
    if (r.date === undefined && grain === "week") {
      issues.push(
        issue("BAD_OPTION_VALUE", "a monthly spend row cannot be split into weeks; use a month grain", {
          index,
        }),
      );
      return;
    }
    if (!Number.isFinite(r.spend) || r.spend < 0) {
      issues.push(issue("BAD_AMOUNT", `spend '${r.spend}' is not a non-negative number`, { index }));
      return;
    }
    if (!r.channel) {
      issues.push(issue("MISSING_COLUMN", "spend row has no channel", { index, field: "channel" }));
      return;
    }
    placed.push({
      period: periodIndex(day, grain),
      channel: r.channel,
      campaign: r.campaign ?? null,
      spend: r.spend,
    });
  });
  return { placed, issues };
}
