import { type CalendarGrain, cohortTable, customerHistories } from "@valuecast/core";
import { type CommandSpec, numberOption, stringOption } from "../args.ts";
import type { Command } from "../command.ts";
import { count, fmt, pct, renderTable } from "../format/table.ts";
import { loadCustomers } from "../sources.ts";
import { modelCurves, transactionsOf } from "./analytics-input.ts";
import { SOURCE_OPTIONS, SOURCE_POSITIONAL } from "./options.ts";
import { resolveModel } from "./predict.ts";

/** `valuecast cohorts`: its help text and the options its parser accepts. */
export const cohortsSpec: CommandSpec = {
  name: "cohorts",
  summary:
    "acquisition cohorts x periods: retention, orders, revenue, repeat rate, N-day LTV (model-filled forecast)",
  positionals: [SOURCE_POSITIONAL],
  options: {
    grain: {
      type: "string",
      value: "week|month|quarter",
      choices: ["week", "month", "quarter"],
      description: "cohort and period grain (default month)",
    },
    periods: {
      type: "string",
      value: "N",
      description: "periods since acquisition per cohort (default: all observed)",
    },
    model: {
      type: "string",
      value: "bgnbd|pnbd|mbgnbd",
      description: "fill unobserved cells from this model (marked forecast)",
    },
    "model-file": {
      type: "string",
      value: "model.json",
      description: "fill unobserved cells from a fitted model file",
    },
    ...SOURCE_OPTIONS,
  },
  examples: ["valuecast cohorts online-retail/*.csv --grain month --model bgnbd --periods 18"],
};

/** `valuecast cohorts`. @example await main(["cohorts", "--help"], bufferIo()) */
export const cohortsCommand: Command = {
  spec: cohortsSpec,
  async run(args, ctx) {
    const grain = (stringOption(args.values, "grain") ?? "month") as CalendarGrain;
    const periods = stringOption(args.values, "periods")
      ? numberOption(args.values, "periods", 0, { min: 1 })
      : undefined;
    const loaded = await loadCustomers(args.positionals[0]!, args.values, ctx);
    for (const n of loaded.notes) ctx.note(n);
    const tx = transactionsOf(loaded, "cohorts");
    const end = stringOption(args.values, "end") ?? loaded.observationEnd;
    const histories = customerHistories(tx, end ? { end } : {});
    const withModel = stringOption(args.values, "model") || stringOption(args.values, "model-file");
    const forecast = withModel
      ? modelCurves(ctx, await resolveModel(ctx, args.values, loaded.columns), loaded.columns).forecast
      : undefined;
    const table = cohortTable(histories, {
      grain,
      ...(periods !== undefined ? { periods: Math.floor(periods) } : {}),
      ...(forecast ? { forecast } : {}),
    });
    if (ctx.json) {
      ctx.printJson({
        ...table,
        historyIssues: histories.issues,
        customersWithoutOrders: histories.customersWithoutOrders,
      });
      return 0;
    }
    const shown = Math.min(13, Math.max(0, ...table.rows.map((r) => r.cells.length)));
    let text = `Retention by ${grain} of acquisition (share of the cohort with an order in period k; No* = model-forecast orders)\n`;
    text += renderTable(
      [
        { header: "cohort" },
        { header: "customers", align: "right" },
        ...Array.from({ length: shown }, (_, k) => ({ header: String(k), align: "right" as const })),
      ],
      table.rows.map((r) => [
        r.cohort,
        count(r.customers),
        ...Array.from({ length: shown }, (_, k) => {
          const c = r.cells[k];
          if (!c) return "";
          if (c.forecast) return c.retention === null ? `${fmt(c.orders, 0)}o*` : `${pct(c.retention, 0)}*`;
          return pct(c.retention, 0);
        }),
      ]),
    );
    text += `\nN-day LTV per cohort customer (revenue within N days of the first purchase)\n`;
    const days = table.rows[0]?.nDayLtv.map((l) => l.days) ?? [];
    text += renderTable(
      [{ header: "cohort" }, ...days.map((d) => ({ header: `${d}d`, align: "right" as const }))],
      table.rows.map((r) => [r.cohort, ...r.nDayLtv.map((l) => fmt(l.ltv, 2))]),
    );
    text += `\n${table.definitions.map((d) => `  ${d}`).join("\n")}\n`;
    ctx.io.stdout(text);
    return 0;
  },
};
