import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CommandSpec } from "../args.ts";
import type { Command } from "../command.ts";
import { heading } from "../format/table.ts";
import { type ModelDocument, modelDocument } from "../model-doc.ts";
import { purchaseModelNames } from "../models.ts";
import { loadCustomers } from "../sources.ts";
import { tableRow } from "../write-table.ts";
import { formatEvaluateReport, runBacktest } from "./evaluate.ts";
import { fitCustomers, formatModelDocument } from "./fit.ts";
import {
  formatPredictReport,
  type PredictReport,
  scoreTable,
  scoreWithModel,
  topIndices,
} from "./predict.ts";

/** The shared data directory next to the repository, and the copy bundled with the CLI. */
const SHARED = fileURLToPath(new URL("../../../../../shared/data/CDNOW_master.txt", import.meta.url));
const BUNDLED = fileURLToPath(new URL("../../data/CDNOW_sample.txt", import.meta.url));

/** `valuecast demo`: its help text and the options its parser accepts. */
export const demoSpec: CommandSpec = {
  name: "demo",
  summary:
    "the whole flow on CDNOW: summaries, BG/NBD, Pareto/NBD, MBG/NBD + Gamma-Gamma, backtest, top customers",
  positionals: [],
  options: {},
  notes: [
    "Uses ../shared/data/CDNOW_master.txt next to the repository when present, else the bundled",
    "packages/cli/data/CDNOW_sample.txt (Fader & Hardie's 1/10 sample). Calibration ends 1997-09-30.",
  ],
};

/**
 * The spend-model block of a fitted model document as `fit` prints it: the text the document formats
 * to with its spend model, past the text it formats to without (the block is appended at the end).
 * Empty when the document has no spend model.
 * @example spendSection(doc) // "gamma-gamma: 9,450 repeat buyers\nparam  estimate ..."
 */
function spendSection(doc: ModelDocument): string {
  if (!doc.spend) return "";
  const all = formatModelDocument(doc);
  const withoutSpend = formatModelDocument({ ...doc, spend: null });
  return all.slice(withoutSpend.length).replace(/^\n+/, "");
}

/** `valuecast demo`. @example await main(["demo", "--help"], bufferIo()) */
export const demoCommand: Command = {
  spec: demoSpec,
  async run(args, ctx) {
    const source = existsSync(SHARED) ? SHARED : BUNDLED;
    const values = { ...args.values, "calibration-end": "1997-09-30", "time-unit": "week" };
    const loaded = await loadCustomers(source, values, ctx);
    const columns = loaded.columns;
    // Gamma-Gamma does not depend on the purchase model: fit it once and pair it with each.
    let spendFit: ReturnType<typeof fitCustomers>["spend"] = null;
    const fits = purchaseModelNames().map((name) => {
      const { fit, spend } = fitCustomers(ctx, columns, name, spendFit === null, true);
      spendFit ??= spend;
      return modelDocument(fit, spendFit, columns.timeUnit);
    });
    const backtest = await runBacktest(ctx, columns, purchaseModelNames(), loaded.tracking ?? null);
    const report = {
      calibrationEnd: "1997-09-30",
      observationEnd: loaded.observationEnd ?? null,
      ...backtest,
    };
    const best = fits.find((f) => f.model === backtest.comparison.best) ?? fits[0]!;
    const settings = { horizon: { value: 12, unit: "month" as const }, discountRate: 0.1, margin: 1 };
    const { scores, hasSpend, horizonInUnits } = scoreWithModel(best, columns, settings);
    const table = scoreTable(columns, scores, hasSpend);
    const top = topIndices(scores.clv, 10).map((i) => tableRow(table, i));
    let clv = 0;
    let purchases = 0;
    for (let i = 0; i < scores.clv.length; i++) {
      clv += scores.clv[i]!;
      purchases += scores.expectedPurchases[i]!;
    }
    let undiscounted = 0;
    for (let i = 0; i < scores.clvUndiscounted.length; i++) undiscounted += scores.clvUndiscounted[i]!;
    const predict: PredictReport = {
      model: best.model,
      spendModel: hasSpend ? "gamma-gamma" : null,
      timeUnit: columns.timeUnit,
      horizon: { value: 12, unit: "month", inModelUnits: horizonInUnits },
      discountRate: 0.1,
      margin: 1,
      customers: columns.x.length,
      totals: { expectedPurchases: purchases, expectedSpend: null, clv, clvUndiscounted: undiscounted },
      out: null,
      top,
    };
    if (ctx.json) {
      ctx.printJson({ source, notes: loaded.notes, models: fits, backtest: report, predict });
      return 0;
    }
    const io = ctx.io;
    io.stdout(
      heading(
        `valuecast demo: CDNOW (${source === SHARED ? "master file, 23,570 customers" : "bundled 1/10 sample"})`,
      ),
    );
    io.stdout(`${loaded.notes.join("\n")}\n\n`);
    io.stdout(heading("1. Fitted models (calibration 1997-01-01 to 1997-09-30, rates per week)"));
    // Every document carries the same Gamma-Gamma fit (it does not depend on the purchase model):
    // print each purchase model without it, then the spend model once.
    for (const f of fits) io.stdout(`${formatModelDocument({ ...f, spend: null })}\n`);
    const spendBlock = spendSection(fits[0]!);
    if (spendBlock) io.stdout(`${spendBlock}\n`);
    io.stdout(heading("2. Holdout backtest"));
    io.stdout(`${formatEvaluateReport(report)}\n`);
    io.stdout(heading(`3. Predicted value over the next 12 months (${best.model} + gamma-gamma)`));
    io.stdout(formatPredictReport(predict, false));
    io.stdout(
      "\nNext: `valuecast predict <your file> --model bgnbd --out scores.csv`, or `valuecast <command> --help`.\n",
    );
    return 0;
  },
};
