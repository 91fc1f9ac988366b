import { convertDuration, parseDuration } from "@valuecast/core";
import { badOption, dateOption, type OptionSpec, type OptionValues, stringOption } from "../args.ts";
import type { CommandContext } from "../command.ts";
import { type EarlyScoreColumns, earlyScoreColumns } from "../early-scores.ts";
import type { LoadedCustomers } from "../sources.ts";
import { EARLY_COLUMN_OPTIONS, enrichEarlyTransactions, readEarlyTransactions } from "./transactions.ts";

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
  const daysText = stringOption(values, "observe-days") ?? "7";
  const observeDays = Number(daysText);
  if (!(Number.isFinite(observeDays) && observeDays >= 0 && observeDays <= 366))
    throw badOption(
      "observe-days",
      `--observe-days needs a number of days from 0 to 366 (got '${daysText}')`,
    );
  const hText = stringOption(values, "early-horizon") ?? "12 months";
  const horizon = parseDuration(hText);
  if (!horizon || !(horizon.value > 0))
    throw badOption(
      "early-horizon",
      `--early-horizon needs a number and a unit, such as "12 months" (got '${hText}')`,
    );
  const seedText = stringOption(values, "seed") ?? "1";
  const seed = Number(seedText);
  if (!Number.isInteger(seed)) throw badOption("seed", `--seed needs a whole number (got '${seedText}')`);
  const from = dateOption(values, "acquired-from");
  const end = dateOption(values, "end");
  let transactions = loaded.transactions
    ? enrichEarlyTransactions(loaded.transactions, source, values, ctx.io.cwd).transactions
    : readEarlyTransactions(source, values, ctx.io.cwd).transactions;
  // The end of the observation period closes the data for the early model too.
  const asOf = end ? Date.parse(`${end}T00:00:00Z`) + 86_400_000 - 1 : undefined;
  if (asOf !== undefined) transactions = transactions.filter((t) => t.at <= asOf);
  const early = earlyScoreColumns(transactions, {
    observeDays,
    horizonDays: convertDuration(horizon, "day"),
    seed,
    ...(asOf !== undefined ? { asOf } : {}),
    ...(from ? { acquiredFrom: Date.parse(`${from}T00:00:00Z`) } : {}),
  });
  ctx.note(
    `early pLTV: trained on ${early.trainedOn} customers whose ${hText} horizon is observed, scored ${early.customerIds.length} newer ones` +
      (early.windowOpen
        ? ` (${early.windowOpen} acquired in the last ${observeDays} days not scored yet)`
        : ""),
  );
  return early;
}

/** The early-score settings as reports show them. */
export function earlyBasis(early: EarlyScoreColumns): { observeDays: number; horizonDays: number } {
  return { observeDays: early.observeDays, horizonDays: early.horizonDays };
}
