import {
  type BacktestData,
  backtestModel,
  chooseModel,
  type EvaluateReport,
  issue,
  type TrackingInputs,
  ValuecastError,
} from "@valuecast/core";
import { type CommandSpec, dateOption, numberOption, stringOption, usageError } from "../args.ts";
import type { Command, CommandContext } from "../command.ts";
import type { CustomerColumns } from "../customers.ts";
import {
  EARLY_OPTIONS,
  earlySettings,
  formatEarlyReport,
  runEarlyEvaluation,
} from "../early/evaluate-early.ts";
import { earlyDataEnd, readEarlyTransactions } from "../early/transactions.ts";
import { fmt, heading, pct, renderTable } from "../format/table.ts";
import { purchaseModel, purchaseModelNames } from "../models.ts";
import { stepped } from "../progress.ts";
import { loadCustomers } from "../sources.ts";
import { observedRfm } from "./fit.ts";
import { SOURCE_OPTIONS, SOURCE_POSITIONAL } from "./options.ts";

// The backtest itself (fit on the calibration period, holdout errors, frequency buckets, tracking, the
// comparison) is core's compose, shared with the HTTP API's evaluate; this command reads the data,
// shows progress and prints the report.
export type { EvaluateReport, ModelBacktest } from "@valuecast/core";

/** `valuecast evaluate`: its help text and the options its parser accepts. */
export const evaluateSpec: CommandSpec = {
  name: "evaluate",
  summary:
    "holdout backtest: fit every model on the calibration period, compare predictions with the holdout",
  positionals: [SOURCE_POSITIONAL],
  options: {
    models: {
      type: "string",
      value: "all|LIST",
      description: "models to compare: all (default) or a comma list such as bgnbd,pnbd",
    },
    early: {
      type: "boolean",
      description:
        "backtest early-lifecycle value of new customers (ZILN linear and MLP against baselines) on a time-based split",
    },
    "train-share": {
      type: "string",
      value: "0.7",
      description: "--early: share of the labelled customers, oldest first, to train on (default 0.7)",
    },
    "prob-model": {
      type: "string",
      value: "pnbd|bgnbd|none",
      choices: ["pnbd", "bgnbd", "none"],
      description: "--early: the probabilistic model with covariates to compare (default pnbd)",
    },
    bootstrap: {
      type: "string",
      value: "N",
      description:
        "--early: bootstrap resamples for 95% intervals of each model's Gini gain over first-order value",
    },
    ...EARLY_OPTIONS,
    ...SOURCE_OPTIONS,
  },
  notes: [
    "--calibration-end is required for transaction sources; --end closes the holdout (default: last date).",
    "A summary file (--input summary) needs x_holdout and duration_holdout columns.",
    "--early reads a delimited transaction file in memory; it needs no --calibration-end: customers whose",
    "  horizon is fully observed are split by acquisition date, the older ones train, the newer ones test.",
  ],
  examples: [
    "valuecast evaluate CDNOW_master.txt --calibration-end 1997-09-30 --end 1998-06-30 --time-unit week",
    'valuecast evaluate CDNOW_master.txt --early --observe-days 7 --horizon "52 weeks"',
    'valuecast evaluate "retail/*.csv" --early --horizon 6m --acquired-from 2011-01-01 --json',
  ],
};

/**
 * Parses `--models all|a,b,c` into known purchase-model names.
 * @example modelList("bgnbd,pnbd") // ["bgnbd", "pnbd"]
 */
export function modelList(text: string | undefined): string[] {
  if (!text || text === "all") return purchaseModelNames();
  const names = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) purchaseModel(n);
  return names;
}

/**
 * The backtest of each model on the same calibration/holdout data, and the comparison naming the best.
 * @example runBacktest(ctx, columns, ["bgnbd", "pnbd"], null)
 */
export async function runBacktest(
  ctx: CommandContext,
  columns: CustomerColumns,
  models: readonly string[],
  trackingInputs: TrackingInputs | null,
): Promise<Omit<EvaluateReport, "calibrationEnd" | "observationEnd">> {
  if (!columns.xHoldout || !columns.durationHoldout) {
    throw new ValuecastError([
      issue(
        "NOT_ENOUGH_DATA",
        "the backtest needs holdout actuals: give --calibration-end before the last date (or x_holdout and duration_holdout columns in a summary file)",
      ),
    ]);
  }
  const data: BacktestData = {
    x: columns.x,
    t_x: columns.t_x,
    T: columns.T,
    xHoldout: columns.xHoldout,
    durationHoldout: columns.durationHoldout,
  };
  // Customers first seen on the last day (T = 0) are left out of every fit (core's `observedRfm`);
  // the CLI's own `observedRfm` says so once per data set (the demo fits the same customers again).
  observedRfm(ctx, columns);
  const results = await stepped(
    ctx.io,
    "fitting and backtesting",
    models,
    (name) => backtestModel(name, purchaseModel(name), data, columns.timeUnit, trackingInputs),
    !ctx.json,
  );
  return {
    timeUnit: columns.timeUnit,
    customers: columns.x.length,
    trackingPeriod: trackingInputs?.periodLength ?? 0,
    models: results,
    comparison: chooseModel(results),
  };
}

/**
 * The human view: comparison table, per-bucket table, tracking (every few periods) and the verdict.
 * @example ctx.io.stdout(formatEvaluateReport(report))
 */
export function formatEvaluateReport(r: EvaluateReport): string {
  const period = r.calibrationEnd
    ? ` calibration to ${r.calibrationEnd}, holdout to ${r.observationEnd ?? "end"}`
    : "";
  let out = heading(`Backtest: ${fmt(r.customers, 0)} customers,${period} (${r.timeUnit}s)`);
  out += renderTable(
    [
      { header: "model" },
      { header: "log-lik", align: "right" },
      { header: "AIC", align: "right" },
      { header: "BIC", align: "right" },
      { header: "MAE", align: "right" },
      { header: "RMSE", align: "right" },
      { header: "corr", align: "right" },
      { header: "predicted", align: "right" },
      { header: "actual", align: "right" },
      { header: "error", align: "right" },
    ],
    r.models.map((m) => [
      m.model,
      fmt(m.logLikelihood, 2),
      fmt(m.aic, 2),
      fmt(m.bic, 2),
      fmt(m.holdout.mae, 4),
      fmt(m.holdout.rmse, 4),
      fmt(m.holdout.correlation, 4),
      fmt(m.holdout.predictedTotal, 1),
      fmt(m.holdout.actualTotal, 0),
      pct(m.holdout.totalError),
    ]),
  );
  out += `\nHoldout purchases per customer by calibration frequency (mean actual vs predicted)\n`;
  const buckets = r.models[0]?.buckets ?? [];
  out += renderTable(
    [
      { header: "x" },
      { header: "customers", align: "right" },
      { header: "actual", align: "right" },
      ...r.models.map((m) => ({ header: m.model, align: "right" as const })),
    ],
    buckets.map((b, i) => [
      b.frequency,
      fmt(b.customers, 0),
      fmt(b.actual, 3),
      ...r.models.map((m) => fmt(m.buckets[i]?.predicted, 3)),
    ]),
  );
  const track = r.models[0]?.tracking ?? [];
  if (track.length > 0) {
    out += `\nCumulative repeat purchases (actual vs expected), every 4th period\n`;
    const rows = track.filter((_p, i) => (i + 1) % 4 === 0 || i === track.length - 1);
    out += renderTable(
      [
        { header: "period" },
        { header: "actual", align: "right" },
        ...r.models.map((m) => ({ header: m.model, align: "right" as const })),
      ],
      rows.map((p) => [
        String(p.period),
        fmt(p.actual, 0),
        ...r.models.map((m) => fmt(m.tracking[p.period - 1]?.expected, 1)),
      ]),
    );
  }
  out += `\nBest model: ${r.comparison.best}. ${r.comparison.reason}\n`;
  return out;
}

/** `valuecast evaluate`. @example await main(["evaluate", "--help"], bufferIo()) */
export const evaluateCommand: Command = {
  spec: evaluateSpec,
  async run(args, ctx) {
    if (args.values.early === true) {
      const settings = earlySettings(args.values);
      const trainShare = numberOption(args.values, "train-share", 0.7, {
        min: 0,
        max: 1,
        minExclusive: true,
      });
      const read = readEarlyTransactions(args.positionals[0]!, args.values, ctx.io.cwd);
      for (const n of read.notes) ctx.note(n);
      // --end closes the data: nothing after it reaches features or labels.
      const endMs = earlyDataEnd(args.values);
      const transactions =
        endMs === undefined ? read.transactions : read.transactions.filter((t) => t.at <= endMs);
      const report = runEarlyEvaluation(transactions, settings, {
        trainShare,
        probabilistic: (stringOption(args.values, "prob-model") ?? "pnbd") as "pnbd" | "bgnbd" | "none",
        bootstrap: Math.floor(numberOption(args.values, "bootstrap", 0, { min: 0, max: 100000 })),
      });
      if (ctx.json) ctx.printJson(report);
      else ctx.io.stdout(formatEarlyReport(report));
      return 0;
    }
    const calibrationEnd = dateOption(args.values, "calibration-end") ?? null;
    const summaryInput = stringOption(args.values, "input") === "summary";
    if (!calibrationEnd && !summaryInput)
      throw usageError("evaluate: --calibration-end DATE is required", "--calibration-end");
    const models = modelList(stringOption(args.values, "models"));
    const loaded = await loadCustomers(args.positionals[0]!, args.values, ctx);
    for (const n of loaded.notes) ctx.note(n);
    const body = await runBacktest(ctx, loaded.columns, models, loaded.tracking ?? null);
    const report: EvaluateReport = {
      calibrationEnd,
      observationEnd: dateOption(args.values, "end") ?? loaded.observationEnd ?? null,
      ...body,
    };
    if (ctx.json) ctx.printJson(report);
    else ctx.io.stdout(formatEvaluateReport(report));
    return 0;
  },
};
