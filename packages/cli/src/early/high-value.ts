import { normalizeCustomerId } from "@valuecast/core";
import { count, fmt, pct, renderTable } from "../format/table.ts";
import { type EarlyScoreColumns, earlyScoreOf } from "./score-columns.ts";

/** One flagged new customer in the report. */
export interface HighValueNewCustomer {
  readonly customerId: string;
  readonly earlyPltv: number;
  readonly pAny: number;
  readonly firstPurchaseAt: string;
  readonly channel: string | null;
}

/** The "likely high-value new customers" segment as `segments --json` reports it. */
export interface HighValueNewReport {
  readonly observeDays: number;
  readonly horizonDays: number;
  /** Share of the scored new customers flagged (the top by early pLTV). */
  readonly topShare: number;
  readonly scored: number;
  readonly trainedOn: number;
  readonly windowOpen: number;
  /** First purchase dates of the scored cohorts. */
  readonly acquiredFrom: string | null;
  readonly acquiredTo: string | null;
  readonly flagged: number;
  /** The lowest early pLTV among the flagged customers. */
  readonly threshold: number | null;
  readonly meanEarlyPltv: number;
  readonly meanFlagged: number;
  /** Share of the scored customers' predicted value held by the flagged ones. */
  readonly shareOfPredictedValue: number;
  /** The flagged customers with the highest early pLTV (at most 10). */
  readonly top: readonly HighValueNewCustomer[];
}

/** The segment: its report, its text, and per-customer columns for a segments file. */
export interface HighValueNewCustomers {
  readonly report: HighValueNewReport;
  readonly text: string;
  /** Indices (into the early scores) of the flagged customers, highest early pLTV first. */
  readonly flaggedIndex: readonly number[];
  /** `early_pltv` and `likely_high_value_new` (1/0; empty for customers not scored) for these ids. */
  columnsFor(ids: readonly string[]): {
    early_pltv: (number | null)[];
    likely_high_value_new: (number | null)[];
  };
}

/**
 * Flags the top `share` of the newest customers by early pLTV as likely high-value (ties at the cut are
 * all kept, so the flag never depends on input order).
 * @example likelyHighValueNew(earlyScoreColumns(transactions), 0.2).report.flagged
 */
export function likelyHighValueNew(early: EarlyScoreColumns, share: number): HighValueNewCustomers {
  const n = early.customerIds.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => early.earlyPltv[b]! - early.earlyPltv[a]! || a - b,
  );
  const k = Math.min(n, Math.ceil(share * n));
  const threshold = k > 0 ? early.earlyPltv[order[k - 1]!]! : null;
  const flaggedIndex = threshold === null ? [] : order.filter((i) => early.earlyPltv[i]! >= threshold);
  const flagged = new Set(flaggedIndex);
  let total = 0;
  let top = 0;
  for (let i = 0; i < n; i++) {
    total += early.earlyPltv[i]!;
    if (flagged.has(i)) top += early.earlyPltv[i]!;
  }
  const report: HighValueNewReport = {
    observeDays: early.observeDays,
    horizonDays: early.horizonDays,
    topShare: share,
    scored: n,
    trainedOn: early.trainedOn,
    windowOpen: early.windowOpen,
    acquiredFrom: early.firstPurchaseAt[0] ?? null,
    acquiredTo: early.firstPurchaseAt[n - 1] ?? null,
    flagged: flaggedIndex.length,
    threshold,
    meanEarlyPltv: n > 0 ? total / n : 0,
    meanFlagged: flaggedIndex.length > 0 ? top / flaggedIndex.length : 0,
    shareOfPredictedValue: total > 0 ? top / total : 0,
    top: flaggedIndex.slice(0, 10).map((i) => ({
      customerId: early.customerIds[i]!,
      earlyPltv: early.earlyPltv[i]!,
      pAny: early.pAny[i]!,
      firstPurchaseAt: early.firstPurchaseAt[i]!,
      channel: early.channel[i] ?? null,
    })),
  };
  const months = early.horizonDays / (365.25 / 12);
  let text = `\nLikely high-value new customers (early pLTV: value over the next ${fmt(months, 1)} months predicted from the first ${early.observeDays} days)\n`;
  text +=
    n === 0
      ? "  no customer is new enough to score (every horizon is already observed)\n"
      : `  ${count(n)} new customers scored (first purchase ${report.acquiredFrom} to ${report.acquiredTo}), model trained on ${count(early.trainedOn)} older ones; top ${pct(share, 0)} flagged: ${count(report.flagged)} with early pLTV >= ${fmt(threshold, 2)}, mean ${fmt(report.meanFlagged, 2)} vs ${fmt(report.meanEarlyPltv, 2)} for all new, ${pct(report.shareOfPredictedValue)} of their predicted value\n`;
  if (report.top.length > 0) {
    text += renderTable(
      [
        { header: "customer" },
        { header: "early pLTV", align: "right" },
        { header: "P(any value)", align: "right" },
        { header: "first purchase" },
        { header: "channel" },
      ],
      report.top.map((c) => [
        c.customerId,
        fmt(c.earlyPltv, 2),
        pct(c.pAny),
        c.firstPurchaseAt,
        c.channel ?? "",
      ]),
    );
  }
  return {
    report,
    text,
    flaggedIndex,
    columnsFor(ids) {
      const flaggedIds = new Set(flaggedIndex.map((i) => early.customerIds[i]!));
      const early_pltv: (number | null)[] = [];
      const likely_high_value_new: (number | null)[] = [];
      for (const id of ids) {
        const s = earlyScoreOf(early, id);
        early_pltv.push(s ? s.earlyPltv : null);
        likely_high_value_new.push(s ? (flaggedIds.has(normalizeCustomerId(id) ?? id) ? 1 : 0) : null);
      }
      return { early_pltv, likely_high_value_new };
    },
  };
}
