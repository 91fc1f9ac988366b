import { resolve } from "node:path";
import { cohortLabel, dayToIsoDate, type SummaryColumns } from "@valuecast/core";
import { type CommandSpec, stringOption, usageError } from "../args.ts";
import type { Command } from "../command.ts";
import type { CustomerColumns } from "../customers.ts";
import { fmt, renderTable } from "../format/table.ts";
import { DUPLICATES_OPTION, loadCustomers } from "../sources.ts";
import { type OutputTable, tableRows, writeTable } from "../write-table.ts";
import { SOURCE_OPTIONS, SOURCE_POSITIONAL } from "./options.ts";

/** `valuecast summarize`: its help text and the options its parser accepts. */
export const summarizeSpec: CommandSpec = {
  name: "summarize",
  summary: "turn a transaction log into per-customer summaries (x, t_x, T, monetary, holdout actuals)",
  positionals: [SOURCE_POSITIONAL],
  options: {
    out: {
      type: "string",
      value: "summary.csv",
      description: "write the summaries (.csv, .json, .ndjson, .parquet)",
    },
    ...SOURCE_OPTIONS,
    ...DUPLICATES_OPTION,
  },
  notes: ["The report says how many rows were read, used and rejected, by reason."],
  examples: [
    "valuecast summarize CDNOW_master.txt --calibration-end 1997-09-30 --time-unit week --out summary.csv",
  ],
};

/**
 * The summary columns as an output table (the peers' field names, DESIGN "Summary fields").
 * @example await writeTable("summary.csv", summaryTable(loaded.columns))
 */
export function summaryTable(c: CustomerColumns): OutputTable {
  const s: SummaryColumns | undefined = c.source;
  const n = c.x.length;
  const values: Record<string, ArrayLike<number | string | null>> = {
    customer_id: c.ids,
    x: c.x,
    t_x: c.t_x,
    T: c.T,
    monetary: c.monetary ?? new Array<null>(n).fill(null),
  };
  const columns = ["customer_id", "x", "t_x", "T", "monetary"];
  if (s) {
    // Column by column: the date and cohort texts are built once per distinct first day.
    const firstAt = new Array<string>(n);
    const cohort = new Array<string>(n);
    const labels = new Map<number, [string, string]>();
    for (let i = 0; i < n; i++) {
      const day = s.firstDay[i]!;
      let l = labels.get(day);
      if (!l) {
        l = [dayToIsoDate(day), cohortLabel(day, s.cohort)];
        labels.set(day, l);
      }
      firstAt[i] = l[0];
      cohort[i] = l[1];
    }
    Object.assign(values, {
      first_purchase_at: firstAt,
      first_amount: s.firstAmount,
      historic_revenue: s.historicRevenue,
      orders: s.orders,
      cohort,
    });
    columns.push("first_purchase_at", "first_amount", "historic_revenue", "orders", "cohort");
    if (s.channel) {
      values.channel = s.channel;
      columns.push("channel");
    }
    if (s.campaign) {
      values.campaign = s.campaign;
      columns.push("campaign");
    }
    const h = s.holdout;
    if (h) {
      Object.assign(values, {
        x_holdout: h.x,
        revenue_holdout: h.revenue,
        duration_holdout: new Float64Array(n).fill(h.duration),
      });
      columns.push("x_holdout", "revenue_holdout", "duration_holdout");
    }
  }
  return { columns, values, length: n };
}

/** `valuecast summarize`. @example await main(["summarize", "--help"], bufferIo()) */
export const summarizeCommand: Command = {
  spec: summarizeSpec,
  async run(args, ctx) {
    const source = args.positionals[0];
    if (!source) throw usageError("summarize: missing <source>");
    const loaded = await loadCustomers(source, args.values, ctx);
    const table = summaryTable(loaded.columns);
    const out = stringOption(args.values, "out");
    if (out) await writeTable(resolve(ctx.io.cwd, out), table);
    const c = loaded.columns;
    let repeat = 0;
    let sumX = 0;
    for (let i = 0; i < c.x.length; i++) {
      if (c.x[i]! > 0) repeat++;
      sumX += c.x[i]!;
    }
    const stats = {
      customers: c.x.length,
      repeatBuyers: repeat,
      repeatShare: c.x.length ? repeat / c.x.length : 0,
      meanX: c.x.length ? sumX / c.x.length : 0,
    };
    if (ctx.json) {
      ctx.printJson({
        timeUnit: c.timeUnit,
        notes: loaded.notes,
        report: loaded.report,
        stats,
        out: out ?? null,
        ...(out ? {} : { customers: tableRows(table) }),
      });
      return 0;
    }
    let text = `${loaded.notes.join("\n")}\n`;
    text += `${fmt(stats.customers, 0)} customers, ${fmt(stats.repeatBuyers, 0)} repeat buyers (${(stats.repeatShare * 100).toFixed(1)}%), mean x ${fmt(stats.meanX, 3)} (times in ${c.timeUnit}s)\n\n`;
    const shown = Math.min(10, table.length);
    text += `First ${shown} customers\n`;
    text += renderTable(
      table.columns.map((h, j) => ({ header: h, align: j === 0 ? "left" : "right" })),
      tableRows(table, shown).map((r) =>
        table.columns.map((k) => {
          const v = r[k];
          return typeof v === "number" ? String(Math.round(v * 100) / 100) : String(v ?? "");
        }),
      ),
    );
    text += out
      ? `\nwrote ${fmt(table.length, 0)} summaries to ${out}\n`
      : "\nWrite them all with --out summary.csv.\n";
    ctx.io.stdout(text);
    return 0;
  },
};
