import {
  buildEarlyDataset,
  convertDuration,
  type Duration,
  type EarlyMetrics,
  evaluateEarly,
  issue,
  parseDuration,
  type Transaction,
  ValuecastError,
  type ZilnTrainingReport,
} from "@valuecast/core";
import { badOption, dateOption, type OptionSpec, type OptionValues, stringOption } from "../args.ts";
import { fmt, heading, pct, renderTable } from "../format/table.ts";
import { type GiniGain, giniGains } from "./bootstrap.ts";
import { covariateBaseline } from "./probabilistic.ts";
import { EARLY_COLUMN_OPTIONS } from "./transactions.ts";

/** The options of `evaluate --early` (and of the other early-score commands where they apply). */
export const EARLY_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  "observe-days": {
    type: "string",
    value: "N",
    description: "days after the first purchase the early features may see (default 7)",
  },
  horizon: {
    type: "string",
    value: "12 months",
    description: "value horizon after the observation window, with its unit (default 12 months)",
  },
  "acquired-from": {
    type: "string",
    value: "DATE",
    description: "only customers first seen from DATE on are new (burn-in for logs that start mid-life)",
  },
  seed: { type: "string", value: "N", description: "seed of the learned models (default 1)" },
  ...EARLY_COLUMN_OPTIONS,
};

/** Early-window and horizon settings, parsed. */
export interface EarlySettings {
  readonly days: number;
  readonly horizon: Duration;
  readonly horizonDays: number;
  readonly acquiredFrom: string | null;
  readonly seed: number;
}

/**
 * Reads --observe-days, --horizon, --acquired-from and --seed. `horizonOption` names the horizon's option:
 * `horizon` in `evaluate --early`, `early-horizon` where --horizon is the CLV horizon (segments, channels,
 * predict).
 * @example earlySettings({ horizon: "6 months" }).horizonDays // 182.625
 */
export function earlySettings(values: OptionValues, horizonOption = "horizon"): EarlySettings {
  const daysText = stringOption(values, "observe-days") ?? "7";
  const days = Number(daysText);
  if (!(Number.isFinite(days) && days >= 0 && days <= 366))
    throw badOption(
      "observe-days",
      `--observe-days needs a number of days from 0 to 366 (got '${daysText}')`,
    );
  const text = stringOption(values, horizonOption) ?? "12 months";
  const horizon = parseDuration(text);
  if (!horizon || !(horizon.value > 0))
    throw badOption(
      horizonOption,
      `--${horizonOption} needs a positive number and a unit, such as "12 months" (got '${text}')`,
    );
  const seedText = stringOption(values, "seed") ?? "1";
  const seed = Number(seedText);
  if (!Number.isInteger(seed)) throw badOption("seed", `--seed needs a whole number (got '${seedText}')`);
  return {
    days,
    horizon,
    horizonDays: convertDuration(horizon, "day"),
    acquiredFrom: dateOption(values, "acquired-from") ?? null,
    seed,
  };
}

/** One compared model or baseline in `evaluate --early --json`: its name, what it is, and core's metrics. */
export interface EarlyModelRow extends EarlyMetrics {
  readonly name: string;
  readonly description: string;
}

/** What `evaluate --early --json` prints. */
export interface EarlyEvaluationReport {
  readonly kind: "early";
  readonly observeDays: number;
  readonly horizon: { readonly value: number; readonly unit: string; readonly days: number };
  readonly acquiredFrom: string | null;
  /** Share of the labelled customers, in acquisition order, used for training. */
  readonly trainShare: number;
  /** First acquisition day of the test cohorts: everyone trained on was acquired before it. */
  readonly testFrom: string;
  readonly customers: {
    readonly withFeatures: number;
    readonly labelled: number;
    readonly train: number;
    readonly test: number;
    readonly windowOpen: number;
    readonly noPurchase: number;
    readonly beforeAcquisition: number;
  };
  readonly models: readonly EarlyModelRow[];
  /** The model with the highest normalized Gini. */
  readonly best: string;
  readonly training: Readonly<Record<string, ZilnTrainingReport>>;
  /** With --bootstrap N: each model's Gini gain over first_order_value with a 95% interval, else null. */
  readonly giniGains: { readonly resamples: number; readonly models: readonly GiniGain[] } | null;
}

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  ziln_linear: "ZILN loss, linear (Wang, Liu & Miao 2019)",
  ziln_mlp: "ZILN loss, MLP 64-32 ReLU",
  first_order_value: "baseline: first order value x (training value / first order value)",
  overall_mean: "baseline: the training cohorts' mean value for everyone",
  pnbd_covariates: "Pareto/NBD with covariates x Gamma-Gamma spend given the first order",
  bgnbd_covariates: "BG/NBD with covariates x Gamma-Gamma spend given the first order",
};

/**
 * Backtests early-lifecycle value on a time-based split: features from each customer's first
 * `days` days, labels = net value over the following horizon; training cohorts are the earlier
 * `trainShare` of the customers whose horizon is fully observed, test cohorts the later ones (no
 * test outcome reaches training, no horizon value reaches the features). Compares core's ZILN linear
 * model and MLP with the first-order-value baseline, the overall mean and the probabilistic model with
 * covariates (`covariateBaseline`).
 * @example const report = runEarlyEvaluation(transactions, earlySettings({}), { trainShare: 0.7 })
 */
export function runEarlyEvaluation(
  transactions: readonly Transaction[],
  settings: EarlySettings,
  options: {
    readonly trainShare?: number;
    readonly probabilistic?: "pnbd" | "bgnbd" | "none";
    /** Bootstrap resamples for the Gini-gain intervals (default 0: none). */
    readonly bootstrap?: number;
  } = {},
): EarlyEvaluationReport {
  const trainShare = options.trainShare ?? 0.7;
  const ds = buildEarlyDataset(transactions, {
    days: settings.days,
    horizonDays: settings.horizonDays,
    ...(settings.acquiredFrom ? { acquiredFrom: Date.parse(`${settings.acquiredFrom}T00:00:00Z`) } : {}),
  });
  const labelled = ds.customers.filter((c) => c.labelObserved).length;
  if (labelled < 20) {
    throw new ValuecastError([
      issue(
        "NOT_ENOUGH_DATA",
        `only ${labelled} customer(s) have a fully observed ${settings.horizon.value}-${settings.horizon.unit} horizon after their first ${settings.days} days; a shorter --horizon or more history is needed`,
      ),
    ]);
  }
  const prob = options.probabilistic ?? "pnbd";
  const extra =
    prob === "none" ? [] : [covariateBaseline(transactions, settings.days, settings.horizonDays, prob)];
  const ev = evaluateEarly(ds, {
    split: { trainShare },
    linear: { seed: settings.seed },
    mlp: { seed: settings.seed },
    extra,
  });
  const resamples = options.bootstrap ?? 0;
  const models: EarlyModelRow[] = ev.rows.map((r) => ({
    name: r.name,
    description: DESCRIPTIONS[r.name] ?? r.name,
    ...r.metrics,
  }));
  const best = models.reduce((a, b) => (b.normalizedGini > a.normalizedGini ? b : a)).name;
  return {
    kind: "early",
    observeDays: settings.days,
    horizon: { value: settings.horizon.value, unit: settings.horizon.unit, days: settings.horizonDays },
    acquiredFrom: settings.acquiredFrom,
    trainShare,
    testFrom: new Date(ev.trainEnd).toISOString().slice(0, 10),
    customers: {
      withFeatures: ds.customers.length,
      labelled,
      train: ev.trainCustomers,
      test: ev.testCustomers,
      windowOpen: ds.windowOpen,
      noPurchase: ds.noPurchase,
      beforeAcquisition: ds.beforeAcquisition,
    },
    models,
    best,
    training: ev.training,
    giniGains: resamples > 0 ? { resamples, models: giniGains(ev, settings.seed, resamples) } : null,
  };
}

/**
 * The human view of an early evaluation: the split, then one row per model with the paper's metrics.
 * @example ctx.io.stdout(formatEarlyReport(report))
 */
export function formatEarlyReport(r: EarlyEvaluationReport): string {
  const c = r.customers;
  let out = heading(
    `Early value: first ${r.observeDays} days -> next ${r.horizon.value} ${r.horizon.unit}${r.horizon.value === 1 ? "" : "s"}`,
  );
  out += `Train on ${fmt(c.train, 0)} customers acquired before ${r.testFrom}, test on ${fmt(c.test, 0)} acquired from then on (${pct(r.trainShare, 0)} / ${pct(1 - r.trainShare, 0)} of the ${fmt(c.labelled, 0)} with a fully observed horizon)`;
  out += r.acquiredFrom
    ? `; new customers from ${r.acquiredFrom} (${fmt(c.beforeAcquisition, 0)} earlier ones left out)\n`
    : "\n";
  out += renderTable(
    [
      { header: "model" },
      { header: "norm. Gini", align: "right" },
      { header: "Spearman", align: "right" },
      { header: "decile MAPE", align: "right" },
      { header: "top-decile capture", align: "right" },
      { header: "MAE", align: "right" },
      { header: "mean pred.", align: "right" },
      { header: "mean actual", align: "right" },
    ],
    r.models.map((m) => [
      m.name,
      fmt(m.normalizedGini, 4),
      fmt(m.spearman, 4),
      fmt(m.decileMape, 4),
      pct(m.topDecileCapture),
      fmt(m.mae, 2),
      fmt(m.meanPredicted, 2),
      fmt(m.meanActual, 2),
    ]),
  );
  out += r.models.map((m) => `  ${m.name}: ${m.description}`).join("\n");
  if (r.giniGains) {
    out += `\nNormalized Gini gain over first_order_value (95% bootstrap interval over ${r.giniGains.resamples} resamples of the test customers)\n`;
    out += renderTable(
      [
        { header: "model" },
        { header: "gain", align: "right" },
        { header: "95% interval", align: "right" },
        { header: "resamples above 0", align: "right" },
      ],
      r.giniGains.models.map((g) => [
        g.model,
        fmt(g.gain, 4),
        `[${fmt(g.low, 4)}, ${fmt(g.high, 4)}]`,
        pct(g.shareAbove),
      ]),
    );
  }
  out += `\nBest ranking (normalized Gini): ${r.best}. Top-decile capture = share of the test cohorts' value held by the predicted top 10%.\n`;
  return out;
}
