// The early-lifecycle score of new customers as per-customer columns (issue 6): for the profile of
// `predict --profile`, the "likely high-value new customers" segment and the channel table.
import {
  buildEarlyDataset,
  type EarlyValueModel,
  issue,
  scoreNewCustomers,
  type Transaction,
  ValuecastError,
} from "@valuecast/core";
import { earlyUsable } from "./transactions.ts";

/** Options of `earlyScoreColumns`. Every default is stated. */
export interface EarlyScoreOptions {
  /** Days after the first purchase the features see (default 7). */
  readonly observeDays?: number;
  /** Value horizon after the observation window, in days (default 365.25 = 12 months). */
  readonly horizonDays?: number;
  /** End of the data (epoch ms); default: the latest transaction. */
  readonly asOf?: number;
  /** Only customers first seen from this instant (epoch ms) on count as new (burn-in); default none. */
  readonly acquiredFrom?: number;
  /** Seed of the model's training (default 1). */
  readonly seed?: number;
  /** Hidden layer widths: [] (default) is the linear ZILN model, e.g. [64, 32] the MLP. */
  readonly hidden?: readonly number[];
}

/**
 * Early scores of the newest customers, in columns (one entry per scored customer, oldest first).
 * Scored are the customers whose observation window has closed by `asOf` but whose horizon has not
 * (so their value is still to come); the model is trained on every customer whose horizon is fully
 * observed. Customers acquired in the last `observeDays` days are not scored yet (`windowOpen`).
 */
export interface EarlyScoreColumns {
  /** Normalised customer ids ("17850.0" -> "17850"), the summaries' ids. */
  readonly customerIds: readonly string[];
  /** Expected net value over the horizon after the first `observeDays` days: p * exp(mu + sigma^2/2). */
  readonly earlyPltv: Float64Array;
  /** Probability of any value in the horizon. */
  readonly pAny: Float64Array;
  /** First purchase, ISO date (UTC). */
  readonly firstPurchaseAt: readonly string[];
  /** The first order's channel (null without a channel column), as the channel table groups them. */
  readonly channel: readonly (string | null)[];
  readonly campaign: readonly (string | null)[];
  readonly observeDays: number;
  readonly horizonDays: number;
  /** Customers the model learned from (horizon fully observed). */
  readonly trainedOn: number;
  /** Customers acquired too recently to score (window still open). */
  readonly windowOpen: number;
  /** Transactions left out (no id, time or amount). */
  readonly rowsLeftOut: number;
  readonly model: EarlyValueModel;
}

/**
 * Trains the linear ZILN early-value model on every customer whose horizon is observed and scores the
 * newest cohorts. Throws NOT_ENOUGH_DATA (a ValuecastError) when no customer's horizon is observed yet.
 * @example
 * const early = earlyScoreColumns(loaded.transactions, { observeDays: 7, horizonDays: 365.25 });
 * early.customerIds[0]; early.earlyPltv[0];
 */
export function earlyScoreColumns(
  transactions: readonly Transaction[],
  options: EarlyScoreOptions = {},
): EarlyScoreColumns {
  const { transactions: usable, leftOut } = earlyUsable(transactions);
  if (usable.length === 0) {
    throw new ValuecastError([issue("EMPTY_INPUT", "no transaction with a customer id, time and amount")]);
  }
  const observeDays = options.observeDays ?? 7;
  const horizonDays = options.horizonDays ?? 365.25;
  const ds = buildEarlyDataset(usable, {
    days: observeDays,
    horizonDays,
    ...(options.asOf !== undefined ? { asOf: options.asOf } : {}),
    ...(options.acquiredFrom !== undefined ? { acquiredFrom: options.acquiredFrom } : {}),
  });
  const { model, scores } = scoreNewCustomers(ds, {
    seed: options.seed ?? 1,
    ...(options.hidden ? { hidden: options.hidden } : {}),
  });
  const byId = new Map(ds.customers.map((c) => [c.customerId, c]));
  const n = scores.length;
  const attr = (id: string, k: "channel" | "campaign") => byId.get(id)?.features[k] ?? null;
  return {
    customerIds: scores.map((s) => s.customerId),
    earlyPltv: Float64Array.from(scores, (s) => s.expectedValue),
    pAny: Float64Array.from(scores, (s) => s.pAny),
    firstPurchaseAt: scores.map((s) => new Date(s.firstAt).toISOString().slice(0, 10)),
    channel: scores.map((s) => attr(s.customerId, "channel")),
    campaign: scores.map((s) => attr(s.customerId, "campaign")),
    observeDays,
    horizonDays,
    trainedOn: ds.customers.length - n,
    windowOpen: ds.windowOpen,
    rowsLeftOut: leftOut,
    model,
  };
}

/**
 * Looks a customer up in early scores (ids compared normalised); undefined when not scored.
 * @example earlyScoreOf(early, "17850.0")?.earlyPltv
 */
export function earlyScoreOf(
  early: EarlyScoreColumns,
  customerId: string,
): { earlyPltv: number; pAny: number } | undefined {
  let index = indexCache.get(early);
  if (!index) {
    index = new Map(early.customerIds.map((id, i) => [id, i]));
    indexCache.set(early, index);
  }
  const i = index.get(customerId.trim().replace(/^(\d+)\.0+$/, "$1"));
  return i === undefined ? undefined : { earlyPltv: early.earlyPltv[i]!, pAny: early.pAny[i]! };
}

const indexCache = new WeakMap<EarlyScoreColumns, Map<string, number>>();

/**
 * Early scores aligned with another list of customers (e.g. `columns.ids` of a profile or score file):
 * one entry per id, null for customers not scored (not new, or acquired too recently).
 * @example const { earlyPltv } = alignEarlyScores(early, loaded.columns.ids); // earlyPltv[i] for ids[i]
 */
export function alignEarlyScores(
  early: EarlyScoreColumns,
  ids: readonly string[],
): { earlyPltv: (number | null)[]; pAny: (number | null)[] } {
  const earlyPltv: (number | null)[] = [];
  const pAny: (number | null)[] = [];
  for (const id of ids) {
    const s = earlyScoreOf(early, id);
    earlyPltv.push(s ? s.earlyPltv : null);
    pAny.push(s ? s.pAny : null);
  }
  return { earlyPltv, pAny };
}
