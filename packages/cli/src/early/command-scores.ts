import { issue, ValuecastError } from "@valuecast/core";
import { type OptionSpec, type OptionValues, stringOption } from "../args.ts";
import type { CommandContext } from "../command.ts";
import { isSummaryInput, type LoadedCustomers } from "../sources.ts";
import { earlySettings } from "./evaluate-early.ts";
import { type EarlyScoreColumns, earlyScoreColumns } from "./score-columns.ts";
import {
  EARLY_COLUMN_OPTIONS,
  earlyDataEnd,
  enrichEarlyTransactions,
  readEarlyTransactions,
} from "./transactions.ts";

/** Options of the commands that add the early score of new customers (segments, channels). */
export const EARLY_SCORE_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  early: {
    type: "boolean",
    description:
      "add the early pLTV of the newest customers (linear ZILN on their first --observe-days days; needs a transaction file)",
  },
  "early-horizon": {
    type: "string",
    value: "12 months",
    description: "--early: value horizon after the observation window (default 12 months)",
  },
  "observe-days": {
    type: "string",
    value: "N",
    description: "--early: days after the first purchase the early features see (default 7)",
  },
  "acquired-from": {
    type: "string",
    value: "DATE",
    description: "--early: only customers first seen from DATE on are new (burn-in)",
  },
  seed: { type: "string", value: "N", description: "--early: training seed (default 1)" },
  ...EARLY_COLUMN_OPTIONS,
};

/**
 * The early scores a command asked for with --early (null without it): from the command's loaded
 * transactions when the source was read in memory, else by reading the file; up to --end when given.
 * @example const early = await earlyScoresFor(loaded, source, args.values, ctx)
 */
export function earlyScoresFor(
  loaded: LoadedCustomers,
  source: string,
  values: OptionValues,
  ctx: CommandContext,
): EarlyScoreColumns | null {
  if (values.early !== true) return null;
  if (isSummaryInput(values)) {
    throw new ValuecastError([
      issue(
        "INVALID_DATA",
        "--early needs the transactions (the first days of each customer), not a summary file (--input summary)",
        { field: "--early" },
      ),
    ]);
  }
  const settings = earlySettings(values, "early-horizon");
  const from = settings.acquiredFrom;
  let transactions = loaded.transactions
    ? enrichEarlyTransactions(loaded.transactions, source, values, ctx.io.cwd).transactions
    : readEarlyTransactions(source, values, ctx.io.cwd).transactions;
  // The end of the observation period closes the data for the early model too.
  const asOf = earlyDataEnd(values);
  if (asOf !== undefined) transactions = transactions.filter((t) => t.at <= asOf);
  const early = earlyScoreColumns(transactions, {
    observeDays: settings.days,
    horizonDays: settings.horizonDays,
    seed: settings.seed,
    ...(asOf !== undefined ? { asOf } : {}),
    ...(from ? { acquiredFrom: Date.parse(`${from}T00:00:00Z`) } : {}),
  });
  ctx.note(
    `early pLTV: trained on ${early.trainedOn} customers whose ${stringOption(values, "early-horizon") ?? "12 months"} horizon is observed, scored ${early.customerIds.length} newer ones` +
      (early.windowOpen
        ? ` (${early.windowOpen} acquired in the last ${settings.days} days not scored yet)`
        : ""),
  );
  return early;
}

/** The early-score settings as reports show them. */
export function earlyBasis(early: EarlyScoreColumns): { observeDays: number; horizonDays: number } {
  return { observeDays: early.observeDays, horizonDays: early.horizonDays };
}
