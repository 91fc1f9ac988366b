import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import {
  type BudgetChannel,
  type BudgetScenario,
  budgetScenario,
  type CalendarGrain,
  type ChannelReport,
  channelEconomics,
  customerHistories,
  type Issue,
  issue,
  normalizeCustomerId,
  type SpendRow,
  ValuecastError,
} from "@valuecast/core";
import { badOption, type CommandSpec, numberOption, stringOption, usageError } from "../args.ts";
import type { Command } from "../command.ts";
import { earlyByChannel, formatEarlyByChannel } from "../early/by-channel.ts";
import { EARLY_SCORE_OPTIONS, earlyScoresFor } from "../early/command-scores.ts";
import { count, fmt, renderTable } from "../format/table.ts";
import { loadCustomers } from "../sources.ts";
import { splitLine } from "../summary-file.ts";
import { modelCurves, transactionsOf } from "./analytics-input.ts";
import { SOURCE_OPTIONS, SOURCE_POSITIONAL } from "./options.ts";
import { MODEL_OPTIONS, predictSettings, resolveModel, scoreWithModel } from "./predict.ts";

/** `valuecast channels`: its help text and the options its parser accepts. */
export const channelsSpec: CommandSpec = {
  name: "channels",
  summary: "channel and campaign economics: customers, CAC, historic and predicted LTV, LTV:CAC, payback",
  positionals: [SOURCE_POSITIONAL],
  options: {
    "spend-file": {
      type: "string",
      value: "spend.csv",
      description: "marketing spend: date or month, channel[, campaign], spend (gives CAC and LTV:CAC)",
    },
    grain: {
      type: "string",
      value: "week|month|quarter",
      choices: ["week", "month", "quarter"],
      description: "CAC period grain (default month)",
    },
    budget: {
      type: "string",
      value: "TOTAL",
      description:
        "budget scenario: project this total spend across channels (needs --spend-file and a model)",
    },
    split: {
      type: "string",
      value: "A=0.5,B=0.5",
      description: "proposed budget shares per channel (default: the observed spend mix)",
    },
    exponent: {
      type: "string",
      value: "1",
      description: "diminishing returns: new customers = k x spend^e, 0 < e <= 1 (default 1: constant CAC)",
    },
    ...MODEL_OPTIONS,
    ...EARLY_SCORE_OPTIONS,
    ...SOURCE_OPTIONS,
  },
  notes: [
    "--channel COL names the acquisition channel column (the first order's value is the customer's channel).",
    "With --model or --model-file, predicted LTV = margin x historic revenue + predicted CLV over --horizon.",
    "--early adds each channel's newest cohorts (too new for their value to be known) with their early pLTV.",
  ],
  examples: [
    "valuecast channels retail/*.csv --channel Country --spend-file spend.csv --model bgnbd --margin 0.3",
    "valuecast channels retail/*.csv --channel Country --early --early-horizon 6m --acquired-from 2011-01-01",
  ],
};

/**
 * Reads a spend file (CSV with a header: date or month, channel, optional campaign, spend).
 * @example readSpendFile("spend.csv") // [{ month: "2011-01", channel: "Germany", spend: 3000 }]
 */
export function readSpendFile(path: string): SpendRow[] {
  const file = basename(path);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ValuecastError([issue("SOURCE_NOT_FOUND", `cannot read spend file '${path}'`, { file })]);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = splitLine(lines[0] ?? "", ",").map((h) => h.trim().toLowerCase());
  const col = (n: string) => header.indexOf(n);
  const [di, mi, ci, ki, si] = [col("date"), col("month"), col("channel"), col("campaign"), col("spend")];
  const issues: Issue[] = [];
  if (di < 0 && mi < 0)
    issues.push(issue("MISSING_COLUMN", "the spend file needs a date or month column", { file }));
  if (ci < 0) issues.push(issue("MISSING_COLUMN", "the spend file needs a channel column", { file }));
  if (si < 0) issues.push(issue("MISSING_COLUMN", "the spend file needs a spend column", { file }));
  if (issues.length > 0) throw new ValuecastError(issues);
  const rows: SpendRow[] = [];
  lines.slice(1).forEach((line, i) => {
    const f = splitLine(line, ",").map((c) => c.trim());
    const spend = Number(f[si]);
    if (f[si] === "" || !Number.isFinite(spend)) {
      issues.push(
        issue("BAD_AMOUNT", `spend '${f[si] ?? ""}' is not a number`, { file, line: i + 2, column: "spend" }),
      );
      return;
    }
    rows.push({
      ...(di >= 0 && f[di] ? { date: f[di] } : {}),
      ...(mi >= 0 && f[mi] ? { month: f[mi] } : {}),
      channel: f[ci] ?? "",
      ...(ki >= 0 && f[ki] ? { campaign: f[ki] } : {}),
      spend,
    });
  });
  if (issues.length > 0) throw new ValuecastError(issues);
  return rows;
}

/**
 * The budget scenario of `--budget`: every channel with spend and a predicted LTV is calibrated on its
 * observed CAC; the proposed split (or the observed spend mix) is projected and core's `budgetScenario`
 * recommends the reallocation that maximises projected value under the stated assumptions.
 * @example budgetFrom({ budget: "10000", split: "Germany=0.5,France=0.5" }, report)?.recommended
 */
export function budgetFrom(
  values: Readonly<Record<string, string | boolean | undefined>>,
  report: ChannelReport,
): BudgetScenario | null {
  if (!stringOption(values, "budget")) return null;
  const total = numberOption(values, "budget", 0, { min: 0 });
  const exponent = numberOption(values, "exponent", 1, { min: 0, max: 1, minExclusive: true });
  const channels: BudgetChannel[] = report.channels
    .filter((c) => c.spend !== null && c.spend > 0 && c.predictedLtv !== null)
    .map((c) => ({
      channel: c.channel,
      observedSpend: c.spend!,
      observedNewCustomers: c.newCustomersInSpendPeriods,
      ltvPerCustomer: c.predictedLtv!,
    }));
  if (channels.length === 0) {
    throw new ValuecastError([
      issue(
        "NOT_ENOUGH_DATA",
        "--budget needs channels with spend (--spend-file) and a predicted LTV (--model or --model-file)",
      ),
    ]);
  }
  const splitText = stringOption(values, "split");
  let shares: Record<string, number> = {};
  if (splitText) {
    for (const part of splitText.split(",")) {
      const at = part.lastIndexOf("=");
      const share = Number(part.slice(at + 1));
      if (at <= 0 || !Number.isFinite(share) || share < 0)
        throw badOption("split", `--split needs CHANNEL=SHARE pairs (got '${part}')`);
      shares[part.slice(0, at).trim()] = share;
    }
  } else {
    const spent = channels.reduce((a, c) => a + c.observedSpend, 0);
    shares = Object.fromEntries(channels.map((c) => [c.channel, c.observedSpend / spent]));
  }
  const scenario = budgetScenario(channels, { totalBudget: total, proposedShares: shares, exponent });
  if (scenario.issues.length > 0) throw new ValuecastError(scenario.issues);
  return scenario;
}

function formatBudget(s: BudgetScenario): string {
  const rows = (s.recommended ?? s.proposed)?.channels ?? [];
  const proposed = new Map((s.proposed?.channels ?? []).map((c) => [c.channel, c]));
  let text = `\nBudget scenario: ${fmt(s.totalBudget, 0)} (exponent ${s.exponent})\n`;
  text += renderTable(
    [
      { header: "channel" },
      { header: "proposed", align: "right" },
      { header: "new cust.", align: "right" },
      { header: "value", align: "right" },
      { header: "recommended", align: "right" },
      { header: "new cust.", align: "right" },
      { header: "value", align: "right" },
    ],
    rows.map((c) => {
      const p = proposed.get(c.channel);
      return [
        c.channel,
        fmt(p?.spend, 0),
        fmt(p?.newCustomers, 1),
        fmt(p?.value, 0),
        fmt(c.spend, 0),
        fmt(c.newCustomers, 1),
        fmt(c.value, 0),
      ];
    }),
  );
  text += `projected value: proposed ${fmt(s.proposed?.value, 0)}, recommended ${fmt(s.recommended?.value, 0)} (gain ${fmt(s.valueGain, 0)})\n`;
  text += `Assumptions:\n${s.assumptions.map((a) => `  ${a}`).join("\n")}\n`;
  for (const e of s.excluded) text += `  left out ${e.channel}: ${e.reason}\n`;
  return text;
}

/** `valuecast channels`. @example await main(["channels", "--help"], bufferIo()) */
export const channelsCommand: Command = {
  spec: channelsSpec,
  async run(args, ctx) {
    if (!stringOption(args.values, "channel") && !stringOption(args.values, "campaign"))
      throw usageError("channels: name the acquisition channel column with --channel COL", "--channel");
    const grain = (stringOption(args.values, "grain") ?? "month") as CalendarGrain;
    const margin = numberOption(args.values, "margin", 1, {});
    const spendFile = stringOption(args.values, "spend-file");
    const spend = spendFile ? readSpendFile(resolve(ctx.io.cwd, spendFile)) : undefined;
    const loaded = await loadCustomers(args.positionals[0]!, args.values, ctx);
    for (const n of loaded.notes) ctx.note(n);
    const histories = customerHistories(
      transactionsOf(loaded, "channels"),
      loaded.observationEnd ? { end: loaded.observationEnd } : {},
    );
    let model: {
      clv: (id: string) => number | undefined;
      curve: ReturnType<typeof modelCurves>["curve"];
    } | null = null;
    if (stringOption(args.values, "model") || stringOption(args.values, "model-file")) {
      const columns = loaded.columns;
      const doc = await resolveModel(ctx, args.values, columns);
      const { scores, hasSpend } = scoreWithModel(doc, columns, predictSettings(args.values));
      const index = new Map<string, number>();
      columns.ids.forEach((id, i) => {
        index.set(id, i);
      });
      model = {
        clv: (id) => {
          const i = index.get(id) ?? index.get(normalizeCustomerId(id) ?? id);
          return i === undefined || !hasSpend ? undefined : scores.clv[i];
        },
        curve: modelCurves(ctx, doc, columns).curve,
      };
    }
    const report = channelEconomics(histories, {
      grain,
      margin,
      ...(spend ? { spend } : {}),
      ...(model ? { predictedClv: model.clv, curve: model.curve } : {}),
    });
    const scenario = budgetFrom(args.values, report);
    const early = earlyScoresFor(loaded, args.positionals[0]!, args.values, ctx);
    const newest = early
      ? earlyByChannel(early, stringOption(args.values, "channel") ? "channel" : "campaign")
      : null;
    if (ctx.json) {
      ctx.printJson({
        ...report,
        ...(scenario ? { budget: scenario } : {}),
        ...(newest ? { newestCohorts: newest } : {}),
      });
      return 0;
    }
    const ages = report.channels[0]?.historicLtv.map((l) => l.days) ?? [];
    let text = `Channel economics (margin ${fmt(margin, 2)}, LTV:CAC guide ${report.ltvToCacGuide}:1)\n`;
    text += renderTable(
      [
        { header: "channel" },
        { header: "customers", align: "right" },
        { header: "spend", align: "right" },
        { header: "CAC", align: "right" },
        ...ages.map((d) => ({ header: `LTV ${d}d`, align: "right" as const })),
        { header: "pred. LTV", align: "right" },
        { header: "LTV:CAC", align: "right" },
        { header: "payback", align: "right" },
        { header: "flag" },
      ],
      report.channels.map((c) => [
        c.channel,
        count(c.customers),
        fmt(c.spend, 0),
        fmt(c.cac, 2),
        ...c.historicLtv.map((l) => fmt(l.ltv, 2)),
        fmt(c.predictedLtv, 2),
        fmt(c.ltvToCac, 2),
        c.payback.month === null
          ? "n/a"
          : `${c.payback.month} mo${c.payback.source === "projected" ? "*" : ""}`,
        c.belowOne ? "LTV:CAC < 1" : c.meetsGuide ? "meets 3:1" : "",
      ]),
    );
    text += `\n${report.definitions.map((d) => `  ${d}`).join("\n")}\n`;
    if (scenario) text += formatBudget(scenario);
    if (newest) text += formatEarlyByChannel(newest);
    if (report.issues.length)
      text += `\n${report.issues.length} spend row(s) left out: ${report.issues.map((i) => i.message).join("; ")}\n`;
    ctx.io.stdout(text);
    return 0;
  },
};
