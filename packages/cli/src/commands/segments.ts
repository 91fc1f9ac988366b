import { resolve } from "node:path";
import {
  customerSummaries,
  expectedConfusion,
  lifecycleStates,
  rfmScores,
  type TierRule,
  valueTiers,
} from "@valuecast/core";
import { badOption, type CommandSpec, numberOption, stringOption } from "../args.ts";
import type { Command } from "../command.ts";
import { EARLY_SCORE_OPTIONS, earlyScoresFor } from "../early/command-scores.ts";
import { type HighValueNewCustomers, likelyHighValueNew } from "../early/high-value.ts";
import { count, fmt, pct, renderTable } from "../format/table.ts";
import { loadCustomers } from "../sources.ts";
import { type OutputTable, writeTable } from "../write-table.ts";
import { SOURCE_OPTIONS, SOURCE_POSITIONAL } from "./options.ts";
import {
  MODEL_OPTIONS,
  predictSettings,
  requireModelChoice,
  resolveModel,
  scoreWithModel,
} from "./predict.ts";

/** `valuecast segments`: its help text and the options its parser accepts. */
export const segmentsSpec: CommandSpec = {
  name: "segments",
  summary:
    "value tiers by predicted CLV, lifecycle states, RFM scores and expected hits/misses at a P(alive) cut",
  positionals: [SOURCE_POSITIONAL],
  options: {
    ...MODEL_OPTIONS,
    tiers: {
      type: "string",
      value: "0.1,0.4",
      description: "tier shares from the top (default top 10%, next 40%, rest)",
    },
    thresholds: {
      type: "string",
      value: "1000,200",
      description: "tier lower bounds on CLV instead of shares",
    },
    cut: {
      type: "string",
      value: "0.5",
      description: "P(alive) cut-off for the expected hits/misses table (default 0.5)",
    },
    out: {
      type: "string",
      value: "segments.csv",
      description: "write each customer's tier, state and RFM code",
    },
    ...EARLY_SCORE_OPTIONS,
    "early-top": {
      type: "string",
      value: "0.2",
      description:
        "--early: share of the newest customers, by early pLTV, flagged likely high-value (default 0.2)",
    },
    ...SOURCE_OPTIONS,
  },
  notes: [
    "Lifecycle states and RFM scores need a transaction source (historic revenue, orders).",
    "--early adds the segment 'likely high-value new customers': the newest customers (first purchase",
    "  within the early horizon) ranked by early pLTV, learned from older customers' first days.",
  ],
  examples: [
    'valuecast segments CDNOW_master.txt --calibration-end 1998-06-30 --model bgnbd --horizon "12 months"',
    'valuecast segments "retail/*.csv" --model bgnbd --early --early-horizon 6m --acquired-from 2011-01-01',
  ],
};

function numberList(name: string, text: string): number[] {
  const v = text.split(",").map((s) => Number(s.trim()));
  if (v.length === 0 || v.some((x) => !Number.isFinite(x)))
    throw badOption(name, `--${name} needs comma-separated numbers (got '${text}')`);
  return v;
}

/** `valuecast segments`. @example await main(["segments", "--help"], bufferIo()) */
export const segmentsCommand: Command = {
  spec: segmentsSpec,
  async run(args, ctx) {
    requireModelChoice("segments", args.values);
    const settings = predictSettings(args.values);
    const cut = numberOption(args.values, "cut", 0.5, { min: 0, max: 1 });
    const tiersText = stringOption(args.values, "tiers");
    const thresholdsText = stringOption(args.values, "thresholds");
    const rule: TierRule | undefined = thresholdsText
      ? { kind: "thresholds", minValues: numberList("thresholds", thresholdsText) }
      : tiersText
        ? { kind: "quantiles", shares: numberList("tiers", tiersText) }
        : undefined;
    const earlyTop = numberOption(args.values, "early-top", 0.2, { min: 0, max: 1, minExclusive: true });
    const loaded = await loadCustomers(args.positionals[0]!, args.values, ctx);
    for (const n of loaded.notes) ctx.note(n);
    const columns = loaded.columns;
    const early = earlyScoresFor(loaded, args.positionals[0]!, args.values, ctx);
    const highValue: HighValueNewCustomers | null = early ? likelyHighValueNew(early, earlyTop) : null;
    const doc = await resolveModel(ctx, args.values, columns);
    const { scores, hasSpend } = scoreWithModel(doc, columns, settings);
    const value = hasSpend ? scores.clv : scores.expectedPurchases;
    const tiers = valueTiers(value, rule ? { rule } : {});
    const summaries = columns.source ? customerSummaries(columns.source) : null;
    const lifecycle = summaries ? lifecycleStates(summaries, columns.timeUnit, scores.pAlive) : null;
    const rfm = summaries ? rfmScores(summaries, columns.timeUnit) : null;
    const confusion = expectedConfusion(scores.pAlive, cut);
    const out = stringOption(args.values, "out");
    if (out) {
      const n = columns.x.length;
      const table: OutputTable = {
        columns: [
          "customer_id",
          hasSpend ? "clv" : "expected_purchases",
          "p_alive",
          "tier",
          "lifecycle",
          "rfm",
          ...(highValue ? ["early_pltv", "likely_high_value_new"] : []),
        ],
        values: {
          customer_id: columns.ids,
          [hasSpend ? "clv" : "expected_purchases"]: value,
          p_alive: scores.pAlive,
          tier: tiers.tierOf.map((t) => tiers.tiers[t]?.name ?? ""),
          lifecycle: lifecycle ? lifecycle.stateOf : new Array<null>(n).fill(null),
          rfm: rfm ? rfm.map((r) => r.code) : new Array<null>(n).fill(null),
          ...(highValue ? highValue.columnsFor(columns.ids) : {}),
        },
        length: n,
      };
      await writeTable(resolve(ctx.io.cwd, out), table);
      ctx.note(`wrote ${n} customers' segments to ${out}`);
    }
    const rfmCounts = new Map<string, number>();
    if (rfm) for (const r of rfm) rfmCounts.set(r.code, (rfmCounts.get(r.code) ?? 0) + 1);
    const topRfm = [...rfmCounts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
    const report = {
      model: doc.model,
      valueBasis: hasSpend ? "clv" : "expected_purchases",
      horizon: settings.horizon,
      tiers: { rule: tiers.rule, tiers: tiers.tiers, totalValue: tiers.totalValue, reasons: tiers.reasons },
      lifecycle: lifecycle
        ? {
            thresholds: lifecycle.thresholds,
            highValueCut: lifecycle.highValueCut,
            rules: lifecycle.rules,
            counts: lifecycle.counts,
            shares: lifecycle.shares,
          }
        : null,
      rfm: rfm
        ? { customers: rfm.length, mostCommon: topRfm.map(([code, n]) => ({ code, customers: n })) }
        : null,
      pAliveCut: confusion,
      likelyHighValueNew: highValue ? highValue.report : null,
      out: out ?? null,
    };
    if (ctx.json) {
      ctx.printJson(report);
      return 0;
    }
    let text = `Value tiers by ${report.valueBasis} (${doc.model}, ${settings.horizon.value} ${settings.horizon.unit}s)\n`;
    text += renderTable(
      [
        { header: "tier" },
        { header: "customers", align: "right" },
        { header: "share", align: "right" },
        { header: "value", align: "right" },
        { header: "share of value", align: "right" },
        { header: "min", align: "right" },
        { header: "max", align: "right" },
      ],
      tiers.tiers.map((t) => [
        t.name,
        count(t.customers),
        pct(t.shareOfCustomers),
        fmt(t.value, 2),
        pct(t.shareOfValue),
        fmt(t.minValue, 2),
        fmt(t.maxValue, 2),
      ]),
    );
    if (lifecycle) {
      text += `\nLifecycle states\n`;
      text += renderTable(
        [{ header: "state" }, { header: "customers", align: "right" }, { header: "share", align: "right" }],
        (["new", "active", "at_risk", "lapsed"] as const).map((s) => [
          s,
          count(lifecycle.counts[s]),
          pct(lifecycle.shares[s]),
        ]),
      );
      text += lifecycle.rules.map((r) => `  ${r}`).join("\n");
      text += "\n";
    }
    if (rfm) {
      text += `\nMost common RFM codes (recency, frequency, monetary quintiles; 5 = best)\n`;
      text += renderTable(
        [{ header: "rfm" }, { header: "customers", align: "right" }],
        topRfm.map(([c, n]) => [c, count(n)]),
      );
    }
    if (highValue) text += highValue.text;
    text += `\nFlagging customers with P(alive) >= ${cut}: ${count(confusion.flagged)} flagged; expected alive among them ${fmt(confusion.expectedTruePositives, 1)}, expected not alive ${fmt(confusion.expectedFalsePositives, 1)}; expected alive but not flagged ${fmt(confusion.expectedFalseNegatives, 1)} (precision ${pct(confusion.expectedPrecision)}, recall ${pct(confusion.expectedRecall)})\n`;
    ctx.io.stdout(text);
    return 0;
  },
};
