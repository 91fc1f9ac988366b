import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { type CommandSpec, numberOption, stringOption, usageError } from "../args.ts";
import type { Command } from "../command.ts";
import { loadCustomers, timeUnitOption } from "../sources.ts";
import { transactionsOf } from "./analytics-input.ts";
import { readSpendFile } from "./channels.ts";
import { SOURCE_OPTIONS, SOURCE_POSITIONAL } from "./options.ts";

/** `valuecast report`: its help text and the options its parser accepts. */
export const reportSpec: CommandSpec = {
  name: "report",
  summary: "one self-contained HTML file with the dashboard's charts and tables (opens offline, for sharing)",
  positionals: [SOURCE_POSITIONAL],
  options: {
    out: { type: "string", value: "report.html", description: "the HTML file to write (required)" },
    spend: {
      type: "string",
      value: "spend.csv",
      description:
        "marketing spend (date or month, channel[, campaign], spend): fills the channels page (with --channel)",
    },
    budget: {
      type: "string",
      value: "AMOUNT",
      description: "budget scenario over the channels with spend: project this total (needs --spend)",
    },
    currency: { type: "string", value: "SYMBOL", description: "shown before money amounts (default $)" },
    title: { type: "string", value: "TEXT", description: "report title (default: Customer value report)" },
    "discount-rate": {
      type: "string",
      value: "0.10",
      description: "annual discount rate for CLV (default 0.1)",
    },
    margin: { type: "string", value: "1", description: "margin on revenue for CLV (default 1)" },
    draws: {
      type: "string",
      value: "N",
      description: "parameter draws for the forecast intervals (default 100; 0 = none)",
    },
    ...SOURCE_OPTIONS,
  },
  notes: [
    "The model is BG/NBD + Gamma-Gamma over 12 months; give --calibration-end to add the holdout quality page.",
    "The file holds aggregates and the 25 top customers only; every script and style is inline (no network).",
  ],
  examples: [
    "valuecast report CDNOW_master.txt --calibration-end 1997-09-30 --out report.html",
    "valuecast report orders.csv --channel source --spend spend.csv --budget 50000 --out report.html",
  ],
};

/** `valuecast report`. @example await main(["report", "orders.csv", "--out", "report.html"], processIo()) */
export const reportCommand: Command = {
  spec: reportSpec,
  async run(args, ctx) {
    const out = stringOption(args.values, "out");
    if (!out) throw usageError("report: --out report.html is required", "--out");
    const spendPath = stringOption(args.values, "spend");
    const budgetText = stringOption(args.values, "budget");
    if (budgetText && !spendPath) throw usageError("report: --budget needs --spend", "--budget");
    const budget = budgetText ? numberOption(args.values, "budget", 0, { min: 0, minExclusive: true }) : null;
    const discountRate = numberOption(args.values, "discount-rate", 0.1, { min: 0 });
    const margin = numberOption(args.values, "margin", 1, {});
    const draws = Math.floor(numberOption(args.values, "draws", 100, { min: 0, max: 10_000 }));
    const spend = spendPath ? readSpendFile(resolve(ctx.io.cwd, spendPath)) : undefined;
    // The report needs the transactions themselves (cohorts, timelines): read them in memory.
    const values = { ...args.values, engine: stringOption(args.values, "engine") ?? "memory" };
    const loaded = await loadCustomers(args.positionals[0]!, values, ctx);
    for (const n of loaded.notes) ctx.note(n);
    const transactions = transactionsOf(loaded, "report");
    const { buildReportInput, renderReport } = await import("@valuecast/web");
    const calibrationEnd = loaded.columns.source?.calibrationEnd;
    const input = buildReportInput(transactions, {
      timeUnit: timeUnitOption(args.values),
      ...(stringOption(args.values, "calibration-end") && calibrationEnd ? { calibrationEnd } : {}),
      currency: stringOption(args.values, "currency") ?? "$",
      ...(stringOption(args.values, "title") ? { title: stringOption(args.values, "title")! } : {}),
      discountRate,
      margin,
      draws,
      ...(spend ? { spend } : {}),
      ...(budget !== null ? { budget: { total: budget } } : {}),
    });
    const html = renderReport(input);
    const path = resolve(ctx.io.cwd, out);
    writeFileSync(path, html);
    const summary = {
      out: path,
      bytes: Buffer.byteLength(html),
      customers: input.overview.customers,
      predictedRevenue: input.overview.predictedRevenue,
      pages: {
        quality: input.quality !== null,
        channels: input.channels !== null,
        budget: input.budget !== null,
      },
      notes: input.notes,
    };
    if (ctx.json) ctx.printJson(summary);
    else {
      ctx.io.stdout(
        `wrote ${out} (${(summary.bytes / 1024).toFixed(0)} KB, ${input.overview.customers} customers; open it in any browser, no network needed)\n`,
      );
      for (const n of input.notes) ctx.note(`note: ${n}`);
    }
    return 0;
  },
};
