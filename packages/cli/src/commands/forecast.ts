import {
  convertDuration,
  createRng,
  type FittedParameters,
  forecastIntervals,
  normal,
  parameterDraws,
  revenueForecast,
  type TimeUnit,
} from "@valuecast/core";
import { badOption, type CommandSpec, numberOption, stringOption } from "../args.ts";
import type { Command } from "../command.ts";
import { fmt, renderTable } from "../format/table.ts";
import { gammaGammaPredictor, purchaseModel } from "../models.ts";
import { loadCustomers } from "../sources.ts";
import { modelCurves } from "./analytics-input.ts";
import { SOURCE_OPTIONS, SOURCE_POSITIONAL } from "./options.ts";
import { requireModelChoice, resolveModel } from "./predict.ts";

/** `valuecast forecast`: its help text and the options its parser accepts. */
/** The fitted parameters and covariance of a model-file entry, in the shape `parameterDraws` takes. */
function fittedParameters(m: {
  params: Readonly<Record<string, number>>;
  covariance: readonly (readonly number[])[] | null;
}): FittedParameters {
  return { params: m.params, paramNames: Object.keys(m.params), covariance: m.covariance };
}

export const forecastSpec: CommandSpec = {
  name: "forecast",
  summary: "revenue per period over a horizon: existing customers plus planned new cohorts",
  positionals: [SOURCE_POSITIONAL],
  options: {
    model: { type: "string", value: "bgnbd|pnbd|mbgnbd", description: "fit this model on the source first" },
    "model-file": { type: "string", value: "model.json", description: "use a model written by `fit --out`" },
    period: {
      type: "string",
      value: "week|month|year",
      choices: ["day", "week", "month", "year"],
      description: "forecast period (default month)",
    },
    periods: { type: "string", value: "N", description: "number of periods (default 12)" },
    intervals: {
      type: "string",
      value: "DRAWS",
      description:
        "add intervals from parameter uncertainty: this many draws from the fitted covariance (e.g. 200)",
    },
    level: { type: "string", value: "0.9", description: "central interval level (default 0.9)" },
    seed: { type: "string", value: "N", description: "random seed for the parameter draws (default 1)" },
    "new-customers": {
      type: "string",
      value: "N|N1,N2,...",
      description: "planned new customers per period (one number for every period, or a list)",
    },
    ...SOURCE_OPTIONS,
  },
  examples: [
    "valuecast forecast CDNOW_master.txt --model pnbd --period month --periods 12 --new-customers 500",
  ],
};

/** `valuecast forecast`. @example await main(["forecast", "--help"], bufferIo()) */
export const forecastCommand: Command = {
  spec: forecastSpec,
  async run(args, ctx) {
    requireModelChoice("forecast", args.values);
    const period = (stringOption(args.values, "period") ?? "month") as TimeUnit;
    const periods = Math.floor(numberOption(args.values, "periods", 12, { min: 1, max: 10_000 }));
    const newText = stringOption(args.values, "new-customers");
    const planned = newText?.split(",").map((s) => Number(s.trim()));
    if (planned?.some((v) => !(Number.isFinite(v) && v >= 0)))
      throw badOption("new-customers", `--new-customers needs numbers >= 0 (got '${newText}')`);
    const loaded = await loadCustomers(args.positionals[0]!, args.values, ctx);
    for (const n of loaded.notes) ctx.note(n);
    const columns = loaded.columns;
    const doc = await resolveModel(ctx, args.values, columns);
    const unit = doc.timeUnit ?? columns.timeUnit;
    const perPeriod = planned
      ? Array.from({ length: periods }, (_, k) => (planned.length === 1 ? planned[0]! : (planned[k] ?? 0)))
      : null;
    const periodLength = convertDuration({ value: 1, unit: period }, unit);
    /** The forecast for one set of parameters (the fitted ones, or a draw). */
    const forecastFor = (
      params: Readonly<Record<string, number>>,
      spendParams: Readonly<Record<string, number>> | null,
    ) => {
      const predictor = purchaseModel(doc.model).predictor(params);
      const spend = spendParams ? gammaGammaPredictor(spendParams) : null;
      const curve = {
        ...modelCurves(
          ctx,
          {
            ...doc,
            params,
            spend: spendParams && doc.spend ? { ...doc.spend, params: spendParams } : doc.spend,
          },
          columns,
        ).curve,
      };
      return revenueForecast({
        timeUnit: unit,
        periodLength,
        periods,
        ...(columns.source ? { startDate: columns.source.calibrationEnd } : {}),
        existing: {
          kind: "curves",
          count: columns.x.length,
          cumulativeExpectedPurchases: (i, t) =>
            predictor.conditionalExpectedPurchases(t, columns.x[i]!, columns.t_x[i]!, columns.T[i]!),
          expectedSpend: (i) => {
            const m = columns.monetary?.[i] ?? 0;
            if (spend) return spend.conditionalExpectedSpend(columns.x[i]!, m);
            return columns.x[i]! > 0 && m > 0 ? m : curve.spendPerOrder;
          },
        },
        ...(perPeriod ? { planned: { newCustomersPerPeriod: perPeriod, curve } } : {}),
      });
    };
    const spendParams = doc.spend?.params ?? null;
    const forecast = forecastFor(doc.params, spendParams);
    const drawCount = stringOption(args.values, "intervals")
      ? Math.floor(numberOption(args.values, "intervals", 0, { min: 2, max: 100_000 }))
      : 0;
    const level = numberOption(args.values, "level", 0.9, { min: 0, max: 1, minExclusive: true });
    let intervals: ReturnType<typeof forecastIntervals> = null;
    let drawNotes: string[] = [];
    if (drawCount > 0) {
      const rng = createRng(Math.floor(numberOption(args.values, "seed", 1, {})));
      const std = () => normal(rng);
      const purchaseDraws = parameterDraws(fittedParameters(doc), drawCount, std);
      const spendDraws = doc.spend ? parameterDraws(fittedParameters(doc.spend), drawCount, std) : null;
      drawNotes = [...purchaseDraws.reasons, ...(spendDraws?.reasons ?? [])].map(
        (r) => `${r.field}: ${r.reason}`,
      );
      intervals = forecastIntervals(
        purchaseDraws.draws.length,
        (d) =>
          forecastFor(purchaseDraws.draws[d]!, spendDraws?.draws[d] ?? spendParams).periods.map(
            (p) => p.totalRevenue,
          ),
        level,
      );
      if (!intervals) drawNotes.push("no usable parameter draws: intervals not computed");
    }
    const spend = spendParams;
    if (ctx.json) {
      ctx.printJson({
        model: doc.model,
        spendModel: spend ? "gamma-gamma" : null,
        period,
        ...forecast,
        intervals,
        ...(drawNotes.length ? { intervalNotes: drawNotes } : {}),
      });
      return 0;
    }
    let text = `Revenue forecast (${doc.model}${spend ? " + gamma-gamma" : ""}), ${periods} ${period}s\n`;
    text += renderTable(
      [
        { header: "period" },
        { header: "starts" },
        { header: "existing orders", align: "right" },
        { header: "existing revenue", align: "right" },
        { header: "new customers", align: "right" },
        { header: "new-cohort revenue", align: "right" },
        { header: "total revenue", align: "right" },
        ...(intervals
          ? [{ header: `${Math.round(intervals.level * 100)}% interval`, align: "right" as const }]
          : []),
      ],
      forecast.periods.map((p) => [
        String(p.period),
        p.startDate ?? "",
        fmt(p.existingOrders, 1),
        fmt(p.existingRevenue, 2),
        fmt(p.newCustomers, 0),
        fmt(p.newCohortRevenue, 2),
        fmt(p.totalRevenue, 2),
        ...(intervals
          ? [
              `${fmt(intervals.periods[p.period - 1]?.lower, 0)} - ${fmt(intervals.periods[p.period - 1]?.upper, 0)}`,
            ]
          : []),
      ]),
    );
    text += `total ${fmt(forecast.totalRevenue, 2)}`;
    if (intervals)
      text += ` (${Math.round(intervals.level * 100)}% interval ${fmt(intervals.total.lower, 0)} - ${fmt(intervals.total.upper, 0)} over ${intervals.draws} parameter draws)`;
    for (const n of drawNotes) text += `\nnote: ${n}`;
    text += `\n\nAssumptions:\n${forecast.assumptions.map((a) => `  ${a}`).join("\n")}\n`;
    ctx.io.stdout(text);
    return 0;
  },
};
