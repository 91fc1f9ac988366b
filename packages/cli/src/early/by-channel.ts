import { UNKNOWN_CHANNEL } from "@valuecast/core";
import { count, fmt, renderTable } from "../format/table.ts";
import type { EarlyScoreColumns } from "./score-columns.ts";

/** The newest cohorts of one channel and their predicted value from the first days. */
export interface EarlyChannelRow {
  readonly channel: string;
  /** New customers scored (window closed, horizon still open). */
  readonly newCustomers: number;
  readonly firstAcquired: string;
  readonly lastAcquired: string;
  /** Mean early pLTV per new customer: the channel's predicted LTV of its newest cohorts. */
  readonly meanEarlyPltv: number;
  readonly totalEarlyPltv: number;
  /** Mean probability that a new customer brings any value in the horizon. */
  readonly meanPAny: number;
}

/** `channels --early`: per-channel predicted LTV of the newest cohorts. */
export interface EarlyChannelReport {
  readonly observeDays: number;
  readonly horizonDays: number;
  /** "channel" or "campaign": which first-order attribute groups the customers. */
  readonly groupedBy: "channel" | "campaign";
  readonly trainedOn: number;
  readonly channels: readonly EarlyChannelRow[];
}

/**
 * Groups the early scores of the newest customers by their first order's channel (or campaign),
 * largest channel first; customers without one are under "(unknown)" as in the channel table.
 * @example earlyByChannel(earlyScoreColumns(transactions), "channel").channels[0]?.meanEarlyPltv
 */
export function earlyByChannel(early: EarlyScoreColumns, by: "channel" | "campaign"): EarlyChannelReport {
  const groups = new Map<string, number[]>();
  const key = by === "channel" ? early.channel : early.campaign;
  for (let i = 0; i < early.customerIds.length; i++) {
    const k = key[i] || UNKNOWN_CHANNEL;
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  }
  const channels = [...groups.entries()].map(([channel, idx]): EarlyChannelRow => {
    let total = 0;
    let p = 0;
    for (const i of idx) {
      total += early.earlyPltv[i]!;
      p += early.pAny[i]!;
    }
    // Scores are in acquisition order, so the first and last index are the cohort bounds.
    return {
      channel,
      newCustomers: idx.length,
      firstAcquired: early.firstPurchaseAt[idx[0]!]!,
      lastAcquired: early.firstPurchaseAt[idx[idx.length - 1]!]!,
      meanEarlyPltv: total / idx.length,
      totalEarlyPltv: total,
      meanPAny: p / idx.length,
    };
  });
  channels.sort((a, b) => b.newCustomers - a.newCustomers || (a.channel < b.channel ? -1 : 1));
  return {
    observeDays: early.observeDays,
    horizonDays: early.horizonDays,
    groupedBy: by,
    trainedOn: early.trainedOn,
    channels,
  };
}

/**
 * The human view of `earlyByChannel`.
 * @example ctx.io.stdout(formatEarlyByChannel(report))
 */
export function formatEarlyByChannel(r: EarlyChannelReport): string {
  const months = r.horizonDays / (365.25 / 12);
  let text = `\nPredicted LTV of the newest cohorts by ${r.groupedBy} (early pLTV: value over the next ${fmt(months, 1)} months from the first ${r.observeDays} days; model trained on ${count(r.trainedOn)} older customers)\n`;
  text += renderTable(
    [
      { header: r.groupedBy },
      { header: "new customers", align: "right" },
      { header: "acquired" },
      { header: "early pLTV / cust.", align: "right" },
      { header: "total", align: "right" },
      { header: "P(any value)", align: "right" },
    ],
    r.channels.map((c) => [
      c.channel,
      count(c.newCustomers),
      `${c.firstAcquired} to ${c.lastAcquired}`,
      fmt(c.meanEarlyPltv, 2),
      fmt(c.totalEarlyPltv, 0),
      fmt(c.meanPAny, 3),
    ]),
  );
  return text;
}
