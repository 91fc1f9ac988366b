import { resolve } from "node:path";
import {
  type CustomerSummary,
  convertDuration,
  customerProfile,
  type Duration,
  dataReadiness,
  type FitResult,
  issue,
  type PurchasePredictor,
  type PurchaseScores,
  parseDuration,
  type Readiness,
  type SimpleLtv,
  scorePurchasesWithDocument,
  scoreWithDocument,
  simpleLtv,
  ValuecastError,
} from "@valuecast/core";
import { badOption, type CommandSpec, numberOption, stringOption, usageError } from "../args.ts";
import type { Command, CommandContext } from "../command.ts";
import { COVARIATE_OPTIONS } from "../covariates/options.ts";
import { isCovariateDocument, scoreWithCovariateDocument } from "../covariates/score-covariates.ts";
import { covariateSourcesOf } from "../covariates/sources.ts";
import { type CustomerColumns, summariesOf, summaryFigures } from "../customers.ts";
import { EARLY_SCORE_OPTIONS, earlyBasis, earlyScoresFor } from "../early/command-scores.ts";
import { alignEarlyScores, type EarlyScoreColumns } from "../early/score-columns.ts";
import { fmt, renderTable } from "../format/table.ts";
import { type ModelDocument, modelDocument, readModelDocument } from "../model-doc.ts";
import { type CustomerScores, purchaseModel } from "../models.ts";
import { DUPLICATES_OPTION, type LoadedCustomers, loadCustomers } from "../sources.ts";
import { type OutputTable, tableRow, tableRows, writeTable } from "../write-table.ts";
import { type FitCustomersOptions, fitCustomersConcurrently } from "./fit.ts";
import { SOURCE_OPTIONS, SOURCE_POSITIONAL } from "./options.ts";

/** `valuecast predict`: its help text and the options its parser accepts. */
export const predictSpec: CommandSpec = {
  name: "predict",
  summary: "score every customer: P(alive), expected purchases, expected spend and CLV over a horizon",
  positionals: [SOURCE_POSITIONAL],
  options: {
    model: { type: "string", value: "bgnbd|pnbd|mbgnbd", description: "fit this model on the source first" },
    "model-file": {
      type: "string",
      value: "model.json",
      description: "use a model written by `fit --out` (with or without --covariates)",
    },
    horizon: {
      type: "string",
      value: '"12 months"',
      description: "prediction horizon with its unit (default 12 months)",
    },
    "discount-rate": {
      type: "string",
      value: "0.10",
      description: "annual discount rate (default 0.10; 0 = none)",
    },
    margin: {
      type: "string",
      value: "1",
      description: "margin applied to expected spend (default 1 = revenue)",
    },
    out: {
      type: "string",
      value: "scores.csv",
      description: "write one row per customer (.csv, .json, .ndjson, .parquet)",
    },
    top: { type: "string", value: "N", description: "customers shown in the top-by-CLV table (default 10)" },
    profile: {
      type: "boolean",
      description:
        "add the CRM profile columns: historic and total CLV, orders, days between orders, next order date, not-enough-data reason (with --early: the early pLTV too)",
    },
    timings: {
      type: "boolean",
      description: "also say how long each stage took (summary, fit, scores, file) and the peak memory",
    },
    ...EARLY_SCORE_OPTIONS,
    "covariates-file": {
      ...COVARIATE_OPTIONS["covariates-file"]!,
      description: "--model-file fitted with --covariates: the per-customer covariates file the fit used",
    },
    "covariates-id": {
      ...COVARIATE_OPTIONS["covariates-id"]!,
      description: "customer id column of --covariates-file (detected when omitted)",
    },
    ...SOURCE_OPTIONS,
    ...DUPLICATES_OPTION,
  },
  notes: [
    "Score columns: customer_id, x, t_x, T, p_alive, expected_purchases, expected_spend, clv, clv_undiscounted.",
    "The horizon is converted exactly to the model's unit (a month is 365.25/12 days).",
    "--early adds early_pltv and early_p_any (after the profile columns with --profile): the early pLTV of",
    "  customers whose first --observe-days days have passed and whose --early-horizon is still open (the",
    "  same score as segments --early); empty (null) for every other customer. Needs a delimited file.",
    "A --model-file written by `fit --covariates` scores each customer at its own parameters; covariates",
    "  come from the same places as in the fit (give --covariates-file again when the fit used one).",
  ],
  examples: [
    'valuecast predict transactions.csv --model bgnbd --horizon "12 months" --out scores.csv',
    "valuecast predict summary.csv --input summary --model-file model.json --json",
    "valuecast predict orders.csv --model pnbd --profile --early --observe-days 7 --out profiles.csv",
    "valuecast predict orders.csv --model-file pnbd-cov.json --covariates-file customers.csv --out scores.csv",
  ],
};

/** Inputs to scoring that the user chose. */
export interface PredictSettings {
  readonly horizon: Duration;
  readonly discountRate: number;
  readonly margin: number;
}

/** What `predict --json` prints (scores inline only when no --out file was written). */
export interface PredictReport {
  readonly model: string;
  readonly spendModel: string | null;
  readonly timeUnit: string;
  readonly horizon: { readonly value: number; readonly unit: string; readonly inModelUnits: number };
  readonly discountRate: number;
  readonly margin: number;
  readonly customers: number;
  readonly totals: {
    readonly expectedPurchases: number;
    readonly expectedSpend: number | null;
    readonly clv: number | null;
    readonly clvUndiscounted: number | null;
  };
  readonly out: string | null;
  /** Data readiness checks (customers with orders, history length, repeat buyers) and their thresholds. */
  readonly readiness?: Readiness;
  /** The textbook LTV formulas beside the model's mean CLV (transaction sources only). */
  readonly simpleLtv?: SimpleLtv | null;
  /** With a model fitted with covariates: customers scored at their own parameters, and with the base model. */
  readonly covariates?: { readonly scoredWithCovariates: number; readonly scoredWithBase: number };
  /** With --early: the early model's settings and how many customers it scored (the rest are null). */
  readonly early?: {
    readonly observeDays: number;
    readonly horizonDays: number;
    readonly trainedOn: number;
    /** Customers the early model scored, and how many of them have a row in the score table. */
    readonly scored: number;
    readonly inTable: number;
    readonly windowOpen: number;
  };
  readonly top: readonly Record<string, number | string | null>[];
  readonly scores?: readonly Record<string, number | string | null>[];
}

/**
 * Reads --horizon, --discount-rate and --margin.
 * @example predictSettings({ horizon: "39 weeks" }).horizon // { value: 39, unit: "week" }
 */
export function predictSettings(
  values: Readonly<Record<string, string | boolean | undefined>>,
): PredictSettings {
  const text = stringOption(values, "horizon") ?? "12 months";
  const horizon = parseDuration(text);
  if (!horizon)
    throw badOption(
      "horizon",
      `--horizon needs a number and a unit, such as "12 months" or "39 weeks" (got '${text}')`,
    );
  return {
    horizon,
    discountRate: numberOption(values, "discount-rate", 0.1, { min: 0 }),
    margin: numberOption(values, "margin", 1, {}),
  };
}

/**
 * The score table: one row per customer, in input order.
 * @example await writeTable("scores.csv", scoreTable(columns, scores, true))
 */
export function scoreTable(columns: CustomerColumns, s: CustomerScores, hasSpend: boolean): OutputTable {
  const nulls = new Array<null>(columns.x.length).fill(null);
  return {
    columns: [
      "customer_id",
      "x",
      "t_x",
      "T",
      "p_alive",
      "expected_purchases",
      "expected_spend",
      "clv",
      "clv_undiscounted",
    ],
    values: {
      customer_id: columns.ids,
      x: columns.x,
      t_x: columns.t_x,
      T: columns.T,
      p_alive: s.pAlive,
      expected_purchases: s.expectedPurchases,
      expected_spend: hasSpend ? s.expectedSpend : nulls,
      clv: hasSpend ? s.clv : nulls,
      clv_undiscounted: hasSpend ? s.clvUndiscounted : nulls,
    },
    length: columns.x.length,
  };
}

function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

/**
 * Adds core's per-customer profile (`customerProfile`) to the score table: historic CLV (revenue to date,
 * net of refunds), total CLV, orders, average days between orders, the expected next order date (when the
 * expected purchases given alive reach 1 within the horizon) and an explicit not-enough-data reason.
 * `predictorOf(i)` is the purchase model that scored customer i (its curve gives the next order date).
 * @example withProfiles(scoreTable(columns, scores, true), () => predictor, columns, summariesOf(columns), scores, settings)
 */
export function withProfiles(
  table: OutputTable,
  predictorOf: (i: number) => PurchasePredictor,
  columns: CustomerColumns,
  summaries: readonly CustomerSummary[],
  scores: CustomerScores,
  settings: PredictSettings,
): OutputTable {
  if (!columns.source) {
    throw new ValuecastError([
      issue("INVALID_DATA", "--profile needs a transaction source (historic revenue and order dates)", {
        field: "--profile",
      }),
    ]);
  }
  const n = columns.x.length;
  const cols = {
    orders: new Float64Array(n),
    historic_clv: new Float64Array(n),
    total_clv: new Array<number | null>(n),
    avg_days_between_orders: new Array<number | null>(n),
    next_order_date: new Array<string | null>(n),
    next_order_status: new Array<string>(n),
    not_enough_data: new Array<string | null>(n),
  };
  for (let i = 0; i < n; i++) {
    const [x, tx, T] = [columns.x[i]!, columns.t_x[i]!, columns.T[i]!];
    const predictor = predictorOf(i);
    const p = customerProfile(
      summaries[i]!,
      {
        pAlive: scores.pAlive[i]!,
        expectedPurchases: scores.expectedPurchases[i]!,
        expectedSpend: scores.expectedSpend[i]!,
        predictedClv: scores.clv[i]!,
        conditionalExpectedPurchases: (t) => predictor.conditionalExpectedPurchases(t, x, tx, T),
      },
      { timeUnit: columns.timeUnit, horizon: settings.horizon },
    );
    cols.orders[i] = p.orders;
    cols.historic_clv[i] = p.historicClv;
    cols.total_clv[i] = p.totalClv;
    cols.avg_days_between_orders[i] = p.averageDaysBetweenOrders;
    cols.next_order_date[i] = p.nextOrderDate;
    cols.next_order_status[i] = p.nextOrderStatus;
    cols.not_enough_data[i] = p.notEnoughData?.code ?? null;
  }
  return {
    columns: [...table.columns, ...Object.keys(cols)],
    values: { ...table.values, ...cols },
    length: table.length,
  };
}

/**
 * Indices of the `k` largest values (descending).
 * @example topIndices(Float64Array.of(3, 9, 1), 2) // [1, 0]
 */
export function topIndices(values: Float64Array, k: number): number[] {
  // A sorted list of the best k seen so far (k is small): one pass over a million values, no full sort.
  // Ties keep input order, as a stable descending sort would; NaN never ranks.
  const top: number[] = [];
  if (k <= 0) return top;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (top.length === k && !(v > values[top[k - 1]!]!)) continue;
    let at = top.length === k ? k - 1 : top.length;
    while (at > 0 && v > values[top[at - 1]!]!) at--;
    if (top.length === k) top.pop();
    top.splice(at, 0, i);
  }
  return top;
}

/**
 * Scores customers with a fitted model document (purchase model and optional Gamma-Gamma): core's
 * `scoreWithDocument`, after checking the time unit here so the message names the CLI's --time-unit.
 * @example scoreWithModel(doc, columns, { horizon: { value: 12, unit: "month" }, discountRate: 0.1, margin: 1 })
 */
export function scoreWithModel(
  doc: ModelDocument,
  columns: CustomerColumns,
  settings: PredictSettings,
  early?: EarlyPurchaseScores,
): { scores: CustomerScores; hasSpend: boolean; horizonInUnits: number } {
  checkTimeUnit(doc, columns);
  const purchases = early && sameParams(early.params, doc.params) ? early.scores : undefined;
  return scoreWithDocument(doc, columns, settings, purchaseModel(doc.model), purchases);
}

/** The purchase half of the scores, computed from a purchase model's parameters before its document. */
export interface EarlyPurchaseScores {
  readonly params: Readonly<Record<string, number>>;
  readonly scores: PurchaseScores;
}

function sameParams(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.is(a[k], b[k]));
}

/**
 * The purchase half of the scores for a purchase model just fitted (while its spend model still fits), or
 * undefined when it cannot be computed now (the full scoring then computes it, and raises any error).
 * @example resolveModel(ctx, values, columns, { whileSpendFits: (fit) => { early = earlyPurchaseScores(fit, columns, settings) } })
 */
export function earlyPurchaseScores(
  fit: FitResult,
  columns: CustomerColumns,
  settings: PredictSettings,
): EarlyPurchaseScores | undefined {
  try {
    const doc = { params: fit.params, timeUnit: columns.timeUnit };
    const scores = scorePurchasesWithDocument(doc, columns, settings, purchaseModel(fit.model));
    return { params: fit.params, scores };
  } catch {
    return undefined;
  }
}

function checkTimeUnit(doc: ModelDocument, columns: CustomerColumns): void {
  if (doc.timeUnit && doc.timeUnit !== columns.timeUnit) {
    throw new ValuecastError([
      issue(
        "INVALID_DATA",
        `the model was fitted in ${doc.timeUnit}s but the customers are summarised in ${columns.timeUnit}s; pass --time-unit ${doc.timeUnit}`,
        { field: "--time-unit" },
      ),
    ]);
  }
}

/** Scores of a model document with or without covariates, and the predictor of each customer. */
export interface DocumentScores {
  readonly scores: CustomerScores;
  readonly hasSpend: boolean;
  readonly horizonInUnits: number;
  readonly predictorOf: (i: number) => PurchasePredictor;
  readonly covariates?: { readonly scoredWithCovariates: number; readonly scoredWithBase: number };
}

/**
 * Scores the loaded customers with any model document: one written by `fit --covariates` scores each
 * customer at its own parameters (covariates read as the fit read them: the source's columns and
 * --covariates-file), any other through `scoreWithModel`.
 * @example const { scores, predictorOf } = scoreDocument(doc, loaded, "orders.csv", args.values, settings, ctx)
 */
export function scoreDocument(
  doc: ModelDocument,
  loaded: LoadedCustomers,
  source: string,
  values: Readonly<Record<string, string | boolean | undefined>>,
  settings: PredictSettings,
  ctx: CommandContext,
  early?: EarlyPurchaseScores,
): DocumentScores {
  const columns = loaded.columns;
  if (!isCovariateDocument(doc)) {
    const predictor = purchaseModel(doc.model).predictor(doc.params);
    return { ...scoreWithModel(doc, columns, settings, early), predictorOf: () => predictor };
  }
  checkTimeUnit(doc, columns);
  const horizonInUnits = convertDuration(settings.horizon, doc.timeUnit ?? columns.timeUnit);
  const r = scoreWithCovariateDocument(
    doc,
    columns,
    { horizonInUnits, discountRate: settings.discountRate, margin: settings.margin },
    covariateSourcesOf(loaded, source, values, ctx.io.cwd),
  );
  if (r.scoredWithBase > 0)
    ctx.note(
      `covariates: ${r.scoredWithBase} customer(s) without usable covariates (no row in the covariates file, a level or value the fit never saw) scored with the model fitted without covariates`,
    );
  return {
    scores: r.scores,
    hasSpend: r.hasSpend,
    horizonInUnits,
    predictorOf: r.predictorOf,
    covariates: { scoredWithCovariates: r.scoredWithCovariates, scoredWithBase: r.scoredWithBase },
  };
}

/**
 * Adds the early pLTV (`early_pltv`, and `early_p_any`, the probability of any value in the horizon) of
 * the customers the early model scored; null for everyone else (not new, or acquired too recently).
 * @example withEarlyScores(scoreTable(columns, scores, true), early, columns.ids)
 */
export function withEarlyScores(
  table: OutputTable,
  early: EarlyScoreColumns,
  ids: readonly string[],
): OutputTable {
  const { earlyPltv, pAny } = alignEarlyScores(early, ids);
  return {
    columns: [...table.columns, "early_pltv", "early_p_any"],
    values: { ...table.values, early_pltv: earlyPltv, early_p_any: pAny },
    length: table.length,
  };
}

/**
 * Loads or fits the model the user named. `standardErrors: false` (predict, which shows and writes no
 * standard errors) skips the fit's Hessians.
 * @example const doc = await resolveModel(ctx, { model: "pnbd" }, columns)
 */
export async function resolveModel(
  ctx: CommandContext,
  values: Readonly<Record<string, string | boolean | undefined>>,
  columns: CustomerColumns,
  options: FitCustomersOptions = {},
): Promise<ModelDocument> {
  const file = stringOption(values, "model-file");
  const name = stringOption(values, "model");
  if (file) return readModelDocument(resolve(ctx.io.cwd, file));
  const withSpend = columns.monetary !== null && columns.x.some((x) => x > 0);
  const { fit, spend } = await fitCustomersConcurrently(ctx, columns, name!, withSpend, true, options);
  return modelDocument(fit, spend, columns.timeUnit);
}

/**
 * Checks that exactly one of --model / --model-file was given (usage error otherwise).
 * @example requireModelChoice("segments", args.values) // throws USAGE unless exactly one is given
 */
export function requireModelChoice(
  command: string,
  values: Readonly<Record<string, string | boolean | undefined>>,
): void {
  const file = stringOption(values, "model-file");
  const name = stringOption(values, "model");
  if ((file === undefined) === (name === undefined))
    throw usageError(`${command}: give exactly one of --model NAME or --model-file model.json`, "--model");
  if (name) purchaseModel(name);
}

/** The options every command that scores customers takes. */
export const MODEL_OPTIONS = {
  model: predictSpec.options.model!,
  "model-file": predictSpec.options["model-file"]!,
  horizon: predictSpec.options.horizon!,
  "discount-rate": predictSpec.options["discount-rate"]!,
  margin: predictSpec.options.margin!,
};

/** `valuecast predict`. @example await main(["predict", "--help"], bufferIo()) */
export const predictCommand: Command = {
  spec: predictSpec,
  async run(args, ctx) {
    requireModelChoice("predict", args.values);
    const settings = predictSettings(args.values);
    const top = numberOption(args.values, "top", 10, { min: 0 });
    const stages = stageClock();
    const loaded = await loadCustomers(args.positionals[0]!, args.values, ctx);
    stages.lap("summary");
    for (const n of loaded.notes) ctx.note(n);
    const columns = loaded.columns;
    const figures = summaryFigures(columns);
    const readiness = dataReadiness(figures, columns.timeUnit);
    for (const c of readiness.checks) if (!c.passed) ctx.note(`${c.severity}: ${c.message}`);
    if (!readiness.ready) {
      throw new ValuecastError(
        readiness.checks
          .filter((c) => !c.passed && c.severity === "blocker")
          .map((c) => issue("NOT_ENOUGH_DATA", c.message)),
      );
    }
    const source = args.positionals[0]!;
    // The report and the score table hold no standard errors: skip the Hessians that give them. While the
    // spend model fits on its worker, the purchase half of the scores is computed instead of waiting.
    let purchases: EarlyPurchaseScores | undefined;
    const doc = await resolveModel(ctx, args.values, columns, {
      standardErrors: false,
      whileSpendFits: (fit) => {
        purchases = earlyPurchaseScores(fit, columns, settings);
      },
    });
    stages.lap("fit");
    const scored = scoreDocument(doc, loaded, source, args.values, settings, ctx, purchases);
    const { scores, hasSpend, horizonInUnits } = scored;
    const early = earlyScoresFor(loaded, source, args.values, ctx);
    let table = scoreTable(columns, scores, hasSpend);
    if (args.values.profile)
      table = withProfiles(table, scored.predictorOf, columns, summariesOf(columns), scores, settings);
    if (early) table = withEarlyScores(table, early, columns.ids);
    const earlyInTable = early ? Array.from(table.values.early_pltv!).filter((v) => v !== null).length : 0;
    const simple = columns.source ? simpleLtv(figures, columns.timeUnit, { margin: settings.margin }) : null;
    stages.lap("scores");
    const out = stringOption(args.values, "out");
    if (out) {
      await writeTable(resolve(ctx.io.cwd, out), table);
      ctx.note(`wrote ${columns.x.length} scores to ${out}`);
      stages.lap("file");
    }
    if (args.values.timings) ctx.note(stages.text());
    const order = topIndices(hasSpend ? scores.clv : scores.expectedPurchases, Math.floor(top));
    const topRows = order.map((i) => tableRow(table, i));
    const report: PredictReport = {
      model: doc.model,
      spendModel: hasSpend ? "gamma-gamma" : null,
      timeUnit: doc.timeUnit ?? columns.timeUnit,
      horizon: { value: settings.horizon.value, unit: settings.horizon.unit, inModelUnits: horizonInUnits },
      discountRate: settings.discountRate,
      margin: settings.margin,
      customers: columns.x.length,
      totals: {
        expectedPurchases: sum(scores.expectedPurchases),
        expectedSpend: hasSpend ? sum(scores.expectedSpend) / Math.max(1, columns.x.length) : null,
        clv: hasSpend ? sum(scores.clv) : null,
        clvUndiscounted: hasSpend ? sum(scores.clvUndiscounted) : null,
      },
      out: out ?? null,
      readiness,
      simpleLtv: simple,
      ...(scored.covariates ? { covariates: scored.covariates } : {}),
      ...(early
        ? {
            early: {
              ...earlyBasis(early),
              trainedOn: early.trainedOn,
              scored: early.customerIds.length,
              inTable: earlyInTable,
              windowOpen: early.windowOpen,
            },
          }
        : {}),
      top: topRows,
      ...(out ? {} : { scores: tableRows(table) }),
    };
    if (ctx.json) {
      ctx.printJson(report);
      return 0;
    }
    ctx.io.stdout(formatPredictReport(report, !out));
    return 0;
  },
};

/**
 * The human view: settings, totals and the top customers (every score only when no --out file).
 * @example ctx.io.stdout(formatPredictReport(report, true))
 */
export function formatPredictReport(r: PredictReport, hint: boolean): string {
  const h = `${r.horizon.value} ${r.horizon.unit}${r.horizon.value === 1 ? "" : "s"}`;
  let out = `${r.model}${r.spendModel ? ` + ${r.spendModel}` : ""}: ${fmt(r.customers, 0)} customers scored over ${h} (${fmt(r.horizon.inModelUnits, 4)} ${r.timeUnit}s), discount ${fmt(r.discountRate * 100, 1)}%/year, margin ${fmt(r.margin, 2)}\n`;
  out += `expected purchases ${fmt(r.totals.expectedPurchases, 1)}`;
  if (r.totals.clv !== null)
    out += `   CLV ${fmt(r.totals.clv, 2)} (undiscounted ${fmt(r.totals.clvUndiscounted, 2)})`;
  out += "\n";
  const s = r.simpleLtv;
  if (s && r.totals.clv !== null) {
    out += `mean CLV per customer ${fmt(r.totals.clv / Math.max(1, r.customers), 2)}; textbook formulas for comparison: AOV x frequency x lifespan ${fmt(s.aovFrequencyLifespan, 2)}, ARPU x margin / churn ${fmt(s.arpuMarginOverChurn, 2)} (AOV ${fmt(s.aov, 2)}, ${fmt(s.purchaseFrequencyPerYear, 2)} orders/year, churn ${fmt(s.annualChurnRate, 3)}/year)\n`;
  }
  out += "\n";
  out += `Top ${r.top.length} customers by ${r.spendModel ? "predicted CLV" : "expected purchases"}\n`;
  out += renderTable(
    [
      { header: "customer_id" },
      { header: "x", align: "right" },
      { header: "t_x", align: "right" },
      { header: "T", align: "right" },
      { header: "p_alive", align: "right" },
      { header: "exp. purchases", align: "right" },
      { header: "exp. spend", align: "right" },
      { header: "clv", align: "right" },
    ],
    r.top.map((row) => [
      String(row.customer_id),
      fmt(row.x as number, 0),
      fmt(row.t_x as number, 2),
      fmt(row.T as number, 2),
      fmt(row.p_alive as number, 3),
      fmt(row.expected_purchases as number, 3),
      fmt(row.expected_spend as number | null, 2),
      fmt(row.clv as number | null, 2),
    ]),
  );
  if (hint) out += "\nWrite every customer's scores with --out scores.csv (or .json, .ndjson, .parquet).\n";
  return out;
}

/** Wall time per stage of a command, and its peak memory, for `--timings`. */
function stageClock() {
  const started = performance.now();
  let last = started;
  const laps: string[] = [];
  return {
    lap(name: string) {
      const now = performance.now();
      laps.push(`${name} ${((now - last) / 1000).toFixed(2)} s`);
      last = now;
    },
    text(): string {
      const total = ((performance.now() - started) / 1000).toFixed(2);
      const peak = (process.resourceUsage().maxRSS / 2 ** 20).toFixed(2);
      return `timings: ${laps.join(", ")}; total ${total} s since the command started; peak memory ${peak} GB`;
    },
  };
}
