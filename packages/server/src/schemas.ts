import { parseDuration } from "@valuecast/core";
import { z } from "zod";
import { PURCHASE_MODEL_NAMES } from "./compose/models.ts";
import { DEFAULT_SCORE_SETTINGS, type ScoreSettings } from "./compose/scoring.ts";

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** YYYY-MM-DD. */
export const isoDate = z.string().regex(ISO_DAY, "must be a YYYY-MM-DD date");
export const timeUnit = z.enum(["day", "week", "month", "year"]);
export const modelName = z.enum(PURCHASE_MODEL_NAMES);

/** Column choices (the CLI's --customer, --date, ... flags). */
export const columnChoices = z
  .object({
    customer: z.string().min(1).max(200),
    date: z.string().min(1).max(200),
    amount: z.string().min(1).max(200),
    quantity: z.string().min(1).max(200),
    unitPrice: z.string().min(1).max(200),
    channel: z.string().min(1).max(200),
    campaign: z.string().min(1).max(200),
    order: z.string().min(1).max(200),
    cancelled: z.string().min(1).max(200),
  })
  .partial()
  .strict();

/** Summary options of a dataset (the CLI's summarize options). */
export const summaryOptions = {
  timeUnit: timeUnit.default("week"),
  calibrationEnd: isoDate.optional(),
  end: isoDate.optional(),
};

/** `POST /api/v1/datasets`: register a file or a database table/query. */
export const registerBody = z
  .object({
    name: z.string().min(1).max(200).optional(),
    source: z.union([
      z.object({ path: z.string().min(1).max(4096) }).strict(),
      z
        .object({
          url: z.string().regex(/^(postgres(ql)?:\/\/|duckdb:)/, "must be postgres://… or duckdb:path"),
          table: z.string().min(1).max(500).optional(),
          query: z.string().min(1).max(100_000).optional(),
        })
        .strict()
        .refine(
          (s) => (s.table === undefined) !== (s.query === undefined),
          "give exactly one of table or query",
        ),
    ]),
    ...summaryOptions,
    columns: columnChoices.optional(),
  })
  .strict();

/** Query of `POST /api/v1/datasets/upload` (the body is the CSV text). */
export const uploadQuery = z
  .object({
    name: z.string().min(1).max(200).optional(),
    ...summaryOptions,
    customer: z.string().min(1).max(200).optional(),
    date: z.string().min(1).max(200).optional(),
    amount: z.string().min(1).max(200).optional(),
    channel: z.string().min(1).max(200).optional(),
    campaign: z.string().min(1).max(200).optional(),
  })
  .strict();

/** `POST /api/v1/datasets/{id}/models`. */
export const fitBody = z
  .object({
    model: modelName,
    spend: z
      .enum(["gamma-gamma", "none", "auto"])
      .default("auto")
      .describe("auto: fit Gamma-Gamma when mean spends exist"),
  })
  .strict();

/** `POST /api/v1/datasets/{id}/evaluate`. */
export const evaluateBody = z.object({ models: z.array(modelName).min(1).max(3).optional() }).strict();

const horizon = z
  .string()
  .max(40)
  .refine(
    (s) => parseDuration(s) !== undefined,
    'must be a number and a unit, such as "12 months" or "39 weeks"',
  );

/** Scoring settings in a query (the CLI's --horizon, --discount-rate, --margin) and the model to use. */
export const scoringQuery = {
  model: z
    .string()
    .max(100)
    .optional()
    .describe("model id (default: the dataset's latest model, fitted on first use)"),
  horizon: horizon.optional().describe('prediction horizon with its unit, default "12 months"'),
  discountRate: z.coerce.number().min(0).max(10).optional().describe("annual discount rate, default 0.1"),
  margin: z.coerce.number().min(-10).max(10).optional().describe("margin on revenue, default 1"),
};

/** The scoring settings of a parsed query or body. */
export function settingsOf(q: {
  horizon?: string | undefined;
  discountRate?: number | undefined;
  margin?: number | undefined;
}): ScoreSettings {
  return {
    horizon: q.horizon ? parseDuration(q.horizon)! : DEFAULT_SCORE_SETTINGS.horizon,
    discountRate: q.discountRate ?? DEFAULT_SCORE_SETTINGS.discountRate,
    margin: q.margin ?? DEFAULT_SCORE_SETTINGS.margin,
  };
}

export const scoresQuery = z
  .object({
    ...scoringQuery,
    limit: z.coerce.number().int().min(0).max(10_000).default(100).describe("scores per page (max 10000)"),
    offset: z.coerce.number().int().min(0).default(0),
    top: z.coerce.number().int().min(0).max(1000).default(10),
  })
  .strict();

export const customerQuery = z.object({ ...scoringQuery, dataset: z.string().max(100).optional() }).strict();

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const nonNegative = finite.refine((v) => v >= 0, "must be >= 0");

/** `POST /api/v1/models/{id}/score`: summaries or transactions, at most 100,000 rows. */
export const batchScoreBody = z
  .object({
    customers: z
      .array(
        z
          .object({
            customer_id: z.union([z.string().max(200), z.number()]).transform(String),
            x: nonNegative,
            t_x: nonNegative,
            T: nonNegative,
            monetary: nonNegative.optional(),
          })
          .strict()
          .refine((c) => c.t_x <= c.T, "t_x must not exceed T")
          .refine((c) => c.x > 0 || c.t_x === 0, "t_x must be 0 when x is 0"),
      )
      .max(100_000)
      .optional(),
    transactions: z
      .array(
        z
          .object({
            customer_id: z.union([z.string().max(200), z.number()]).transform(String),
            date: z.string().max(40),
            amount: finite,
          })
          .strict(),
      )
      .max(1_000_000)
      .optional(),
    calibrationEnd: isoDate.optional(),
    horizon: horizon.optional(),
    discountRate: z.number().min(0).max(10).optional(),
    margin: z.number().min(-10).max(10).optional(),
  })
  .strict()
  .refine(
    (b) => (b.customers === undefined) !== (b.transactions === undefined),
    "give exactly one of customers or transactions",
  );

export const segmentsQuery = z
  .object({
    ...scoringQuery,
    cut: z.coerce
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe("P(alive) cut-off for expected hits and misses"),
    tiers: z
      .string()
      .regex(/^\d*\.?\d+(,\d*\.?\d+)*$/, "comma-separated shares such as 0.1,0.4")
      .optional()
      .describe("tier shares from the top, default 0.1,0.4"),
    thresholds: z
      .string()
      .regex(/^-?\d*\.?\d+(,-?\d*\.?\d+)*$/, "comma-separated numbers")
      .optional()
      .describe("tier lower bounds on CLV instead of shares"),
    bins: z.coerce.number().int().min(2).max(200).default(20).describe("histogram bins of P(alive)"),
  })
  .strict();

export const cohortsQuery = z
  .object({
    grain: z.enum(["week", "month", "quarter"]).default("month"),
    periods: z.coerce.number().int().min(1).max(600).optional(),
    model: z
      .string()
      .max(100)
      .optional()
      .describe("fill unobserved cells from this model id ('none' for no forecast)"),
  })
  .strict();

/** `POST /api/v1/datasets/{id}/channels`. */
export const channelsBody = z
  .object({
    grain: z.enum(["week", "month", "quarter"]).default("month"),
    margin: finite.default(1),
    model: z.string().max(100).optional(),
    horizon: horizon.optional(),
    discountRate: z.number().min(0).max(10).optional(),
    spend: z
      .array(
        z
          .object({
            date: isoDate.optional(),
            month: z
              .string()
              .regex(/^\d{4}-\d{2}$/, "must be YYYY-MM")
              .optional(),
            channel: z.string().min(1).max(200),
            campaign: z.string().max(200).optional(),
            spend: nonNegative,
          })
          .strict()
          .refine((r) => r.date !== undefined || r.month !== undefined, "give a date or a month"),
      )
      .max(100_000)
      .optional(),
    budget: z
      .object({
        total: nonNegative,
        split: z.record(z.string(), nonNegative).optional(),
        exponent: z.number().gt(0).max(1).default(1),
      })
      .strict()
      .optional(),
  })
  .strict();

export const forecastQuery = z
  .object({
    model: z.string().max(100).optional(),
    period: z.enum(["day", "week", "month", "year"]).default("month"),
    periods: z.coerce.number().int().min(1).max(1000).default(12),
    intervals: z.coerce.number().int().min(2).max(2000).optional().describe("parameter draws for intervals"),
    level: z.coerce.number().gt(0).lt(1).default(0.9),
    seed: z.coerce.number().int().default(1),
    newCustomers: z
      .string()
      .regex(/^\d*\.?\d+(,\d*\.?\d+)*$/, "a number, or comma-separated numbers per period")
      .optional(),
  })
  .strict();

export const exportQuery = z
  .object({
    ...scoringQuery,
    dataset: z.string().max(100).optional(),
    tier: z.string().max(50).optional().describe("audience: only this value tier (top, middle, rest)"),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "an ISO 4217 code such as USD")
      .default("USD"),
    conversionName: z.string().min(1).max(100).default("Predicted CLV"),
    timeZone: z.string().max(60).optional().describe("Google Ads: IANA zone for Parameters:TimeZone"),
    defaultCallingCode: z
      .string()
      .regex(/^\d{1,3}$/)
      .optional()
      .describe("phones without a country code"),
    eventName: z.string().min(1).max(50).optional(),
  })
  .strict();
