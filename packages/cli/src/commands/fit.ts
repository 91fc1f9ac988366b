import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import {
  type FitOptions,
  type FitResult,
  fitModel,
  type Issue,
  issue,
  type RfmData,
  type SpendData,
  ValuecastError,
} from "@valuecast/core";
import { type CommandSpec, stringOption, usageError } from "../args.ts";
import type { Command, CommandContext } from "../command.ts";
import type { CovariateSources } from "../covariates/customer-table.ts";
import {
  type CovariateModelDocument,
  fitWithCovariates,
  formatCovariateSection,
} from "../covariates/fit-covariates.ts";
import { COVARIATE_OPTIONS, covariateRequest } from "../covariates/options.ts";
import { sourceHeader } from "../covariates/source-header.ts";
import { type CustomerColumns, rfmOf } from "../customers.ts";
import { discreteFromTable, readSurvivorFile } from "../discrete-input.ts";
import { fmt, renderTable } from "../format/table.ts";
import { type FittedModelJson, type ModelDocument, modelDocument } from "../model-doc.ts";
import {
  bgbbModel,
  FIT_MODEL_NAMES,
  gammaGammaSpec,
  isPurchaseModel,
  purchaseModel,
  sbgModel,
  spendData,
  survivorData,
} from "../models.ts";
import { progress } from "../progress.ts";
import { loadCustomers } from "../sources.ts";
import { readNumericTable } from "../summary-file.ts";
import { SOURCE_OPTIONS, SOURCE_POSITIONAL } from "./options.ts";

/** `valuecast fit`: its help text and the options its parser accepts. */
export const fitSpec: CommandSpec = {
  name: "fit",
  summary: "fit a purchase model (and optionally Gamma-Gamma spend) by maximum likelihood",
  positionals: [SOURCE_POSITIONAL],
  options: {
    model: {
      type: "string",
      value: FIT_MODEL_NAMES.join("|"),
      choices: FIT_MODEL_NAMES,
      description: "the model to fit (required)",
    },
    spend: {
      type: "string",
      value: "gamma-gamma",
      choices: ["gamma-gamma"],
      description: "also fit the Gamma-Gamma spend model on repeat buyers' mean spend",
    },
    out: {
      type: "string",
      value: "model.json",
      description: "write the fitted model (for predict --model-file)",
    },
    ...COVARIATE_OPTIONS,
    ...SOURCE_OPTIONS,
  },
  examples: [
    "valuecast fit cdnow_customers_summary.csv --input summary --model bgnbd --time-unit week --json",
    "valuecast fit transactions.csv --model pnbd --spend gamma-gamma --calibration-end 2024-06-30 --out model.json",
    "valuecast fit orders.csv --model pnbd --channel source --covariates channel,first_amount --reference channel=organic",
    "valuecast fit retail/*.csv --model bgnbd --covariates Country --min-level 30 --covariates-trans Country",
    "valuecast fit tx.csv --model pnbd --covariates income --covariates-file demographics.csv --penalty 0.01",
  ],
};

const noted = new WeakSet<CustomerColumns>();

/** Rows of Gamma-Gamma input above which its fit starts from a subsample's optimum. */
const SPEND_WARM_START_ROWS = 50_000;

/**
 * The (x, t_x, T) rows to fit: customers first seen at the very end (T = 0) were never observed, carry
 * no information about purchase or dropout rates, and are left out with a note (they are still scored).
 * @example fitModel(bgnbdModel.spec, observedRfm(ctx, columns))
 */
export function observedRfm(ctx: CommandContext, columns: CustomerColumns): RfmData {
  const rfm = rfmOf(columns);
  let zero = 0;
  for (let i = 0; i < rfm.T.length; i++) if (rfm.T[i] === 0) zero++;
  if (zero === 0) return rfm;
  // Say it once per data set, not once per model fitted on it.
  if (!noted.has(columns)) {
    noted.add(columns);
    ctx.note(`fit: left out ${zero} customer(s) first seen on the last day (T = 0, nothing observed yet)`);
  }
  const keep = (a: Float64Array) => a.filter((_, i) => rfm.T[i] !== 0);
  return { x: keep(rfm.x), t_x: keep(rfm.t_x), T: keep(rfm.T) };
}

/** How fitCustomers and fitCustomersConcurrently fit: standard errors or not. */
export interface FitCustomersOptions {
  /** False skips the Hessians (null standard errors) for callers that only score with the parameters. */
  readonly standardErrors?: boolean;
  /**
   * fitCustomersConcurrently: called with the purchase model's fit while the spend model is still fitting
   * on its worker (work that needs only the purchase model, e.g. its half of the scores, instead of waiting).
   */
  readonly whileSpendFits?: (fit: FitResult) => void;
}

/** The Gamma-Gamma input of loaded customers, or the error that building it raised. */
type SpendInput = { readonly data: SpendData; readonly dropped: number } | { readonly error: unknown };

function spendInput(columns: CustomerColumns, dropNonPositiveSpend: boolean): SpendInput {
  try {
    if (!columns.monetary) {
      throw new ValuecastError([
        issue(
          "MISSING_COLUMN",
          "--spend gamma-gamma needs each customer's mean repeat spend (monetary_value)",
        ),
      ]);
    }
    return spendData(
      columns.x,
      columns.monetary,
      undefined,
      dropNonPositiveSpend ? { nonPositiveSpend: "drop" } : {},
    );
  } catch (error) {
    return { error };
  }
}

/** Throws the input's error, notes the dropped rows, and returns the data (same order as before: after the purchase fit). */
function spendDataOf(ctx: CommandContext, input: SpendInput): SpendData {
  if ("error" in input) throw input.error;
  if (input.dropped > 0)
    ctx.note(`gamma-gamma: left out ${input.dropped} repeat buyer(s) whose mean spend is <= 0`);
  return input.data;
}

// Warm start from a subsample above 50,000 distinct rows (fitModel's default is 200,000): repeat buyers'
// mean spends barely compress, and on 1M customers (195,590 rows) the full-data BFGS took 26 evaluations
// from the spec's start against 5 from the warm one (parameters equal to ~3e-11).
const spendFitOptions = (standardErrors: boolean): FitOptions<SpendData> => ({
  warmStartRows: SPEND_WARM_START_ROWS,
  standardErrors,
});

/**
 * Fits the purchase model and the optional spend model on loaded customers. `standardErrors: false` skips
 * the Hessians (null standard errors) for callers that only score with the parameters.
 * @example const { fit, spend } = fitCustomers(ctx, columns, "bgnbd", true)
 */
export function fitCustomers(
  ctx: CommandContext,
  columns: CustomerColumns,
  modelName: string,
  withSpend: boolean,
  dropNonPositiveSpend = false,
  { standardErrors = true }: FitCustomersOptions = {},
): { fit: FitResult; spend: FitResult | null } {
  const model = purchaseModel(modelName);
  const bar = progress(ctx.io, `fitting ${model.name}`, withSpend ? 2 : 1, !ctx.json);
  try {
    const fit = fitModel(model.spec, observedRfm(ctx, columns), {
      timeUnit: columns.timeUnit,
      standardErrors,
    });
    bar.update(1);
    let spend: FitResult | null = null;
    if (withSpend) {
      const data = spendDataOf(ctx, spendInput(columns, dropNonPositiveSpend));
      spend = fitModel(gammaGammaSpec, data, spendFitOptions(standardErrors));
      bar.update(2);
    }
    return { fit, spend };
  } finally {
    bar.stop();
  }
}

/** Gamma-Gamma rows from which the spend model is fitted on a worker thread beside the purchase model. */
const SPEND_WORKER_ROWS = 50_000;

/** Where the launcher's bundle of @valuecast/core is (bin/bundle-cache.mjs), when the CLI runs from it. */
const BUNDLED_CORE = Symbol.for("valuecast.bundledCore");

function freezeFit(r: FitResult): FitResult {
  return Object.freeze({
    ...r,
    params: Object.freeze(r.params),
    standardErrors: Object.freeze(r.standardErrors),
    covariance: r.covariance ? Object.freeze(r.covariance.map((row) => Object.freeze(row))) : null,
    paramNames: Object.freeze(r.paramNames),
  });
}

/**
 * `fitModel(core[specExport], data, options)` on a worker thread (fit-worker.mjs): the same code on the same
 * data, so the same result, while the caller's thread does other work. Core's issues come back as a
 * ValuecastError; if the worker itself fails (it cannot start), the fit runs here instead.
 * @example const spend = await fitOnWorker("gammaGammaSpec", data, { standardErrors: false }, () => fitModel(gammaGammaSpec, data))
 */
export function fitOnWorker<D>(
  specExport: string,
  data: D,
  options: Omit<FitOptions<D>, "evaluator">,
  fitHere: () => FitResult,
): Promise<FitResult> {
  const coreUrl = (globalThis as Record<symbol, unknown>)[BUNDLED_CORE];
  const worker = new Worker(new URL("./fit-worker.mjs", import.meta.url), {
    workerData: { coreUrl: typeof coreUrl === "string" ? coreUrl : undefined },
  });
  return new Promise<FitResult>((resolve, reject) => {
    worker.once("message", (m: { result?: FitResult; issues?: Issue[]; message?: string }) => {
      void worker.terminate();
      if (m.result) resolve(freezeFit(m.result));
      else reject(m.issues ? new ValuecastError(m.issues) : new Error(m.message));
    });
    worker.once("error", () => {
      void worker.terminate();
      try {
        resolve(fitHere());
      } catch (err) {
        reject(err);
      }
    });
    worker.postMessage({ specExport, data, options });
  });
}

/**
 * `fitCustomers` with the Gamma-Gamma fit on a worker thread while the purchase model fits on this one,
 * when the CLI runs from the launcher's bundle (a worker then starts in ~50 ms, not the ~0.5 s of CPU tsx
 * takes) and there are at least 50,000 repeat buyers: on 1M customers the spend fit (compression and BFGS,
 * ~0.2 s) then costs no wall time. Same results, notes and errors, in the same order, as `fitCustomers`.
 * @example const { fit, spend } = await fitCustomersConcurrently(ctx, columns, "bgnbd", true, true)
 */
export async function fitCustomersConcurrently(
  ctx: CommandContext,
  columns: CustomerColumns,
  modelName: string,
  withSpend: boolean,
  dropNonPositiveSpend = false,
  { standardErrors = true, whileSpendFits }: FitCustomersOptions = {},
): Promise<{ fit: FitResult; spend: FitResult | null }> {
  const bundled = typeof (globalThis as Record<symbol, unknown>)[BUNDLED_CORE] === "string";
  const input = withSpend && bundled ? spendInput(columns, dropNonPositiveSpend) : null;
  if (!input || "error" in input || input.data.x.length < SPEND_WORKER_ROWS)
    return fitCustomers(ctx, columns, modelName, withSpend, dropNonPositiveSpend, { standardErrors });
  const model = purchaseModel(modelName);
  const bar = progress(ctx.io, `fitting ${model.name}`, 2, !ctx.json);
  try {
    const data = input.data;
    const options = spendFitOptions(standardErrors);
    const spendFit = fitOnWorker("gammaGammaSpec", data, options, () =>
      fitModel(gammaGammaSpec, data, options),
    );
    // Settled before anything can throw here, so a rejection is never left unhandled.
    spendFit.catch(() => {});
    const fit = fitModel(model.spec, observedRfm(ctx, columns), {
      timeUnit: columns.timeUnit,
      standardErrors,
    });
    bar.update(1);
    spendDataOf(ctx, input);
    whileSpendFits?.(fit);
    const spend = await spendFit;
    bar.update(2);
    return { fit, spend };
  } finally {
    bar.stop();
  }
}

function paramTable(m: FittedModelJson): string {
  return renderTable(
    [{ header: "param" }, { header: "estimate", align: "right" }, { header: "std. error", align: "right" }],
    Object.entries(m.params).map(([k, v]) => [k, fmt(v, 4), fmt(m.standardErrors[k], 4)]),
  );
}

/**
 * The human view of a fitted model document.
 * @example ctx.io.stdout(formatModelDocument(modelDocument(fit, null, "week")))
 */
export function formatModelDocument(doc: ModelDocument): string {
  const unit = doc.timeUnit ? ` (rates per ${doc.timeUnit})` : "";
  const status = doc.converged
    ? `converged in ${doc.iterations} iterations`
    : `DID NOT CONVERGE (${doc.reason})`;
  let out = `${doc.model}${unit}: ${fmt(doc.n, 0)} customers, ${fmt(doc.rows, 0)} distinct rows, ${status}\n`;
  out += paramTable(doc);
  out += `log-likelihood ${fmt(doc.logLikelihood, 2)}   AIC ${fmt(doc.aic, 2)}   BIC ${fmt(doc.bic, 2)}\n`;
  if (doc.spend) {
    out += `\n${doc.spend.model}: ${fmt(doc.spend.n, 0)} repeat buyers\n`;
    out += paramTable(doc.spend);
    out += `log-likelihood ${fmt(doc.spend.logLikelihood, 2)}\n`;
  }
  return out;
}

/** Writes/prints a fitted model document the way every fit does. */
function emit(ctx: CommandContext, doc: ModelDocument, out: string | undefined): void {
  if (out) {
    writeFileSync(resolve(ctx.io.cwd, out), `${JSON.stringify(doc, null, 2)}\n`);
    ctx.note(`wrote ${out}`);
  }
  if (ctx.json) ctx.printJson(doc);
  else {
    const cov = (doc as Partial<CovariateModelDocument>).covariates;
    ctx.io.stdout(formatModelDocument(doc) + (cov ? formatCovariateSection(cov, doc.model) : ""));
  }
}

/**
 * BG/BB (discrete opportunities: frequency, recency, periods[, weights]) and sBG (survivor curves:
 * cohort, period, active) are fitted from their own summary forms; their rates are per opportunity or
 * renewal period, so the document's timeUnit is null.
 */
function fitDiscrete(
  ctx: CommandContext,
  model: "bgbb" | "sbg",
  source: string,
  values: Readonly<Record<string, string | boolean | undefined>>,
): number {
  if (stringOption(values, "input") !== "summary") {
    throw new ValuecastError([
      issue(
        "INVALID_DATA",
        model === "bgbb"
          ? "bgbb is fitted on discrete-opportunity summaries: pass --input summary with columns frequency,recency,periods[,weights]"
          : "sbg is fitted on cohort survivor curves: pass --input summary with columns cohort,period,active",
        { field: "--input" },
      ),
    ]);
  }
  const path = resolve(ctx.io.cwd, source);
  const fit =
    model === "bgbb"
      ? fitModel(bgbbModel.spec, discreteFromTable(readNumericTable(path, source)))
      : fitModel(sbgModel.spec, survivorData(readSurvivorFile(path, source)));
  const doc = modelDocument(fit, null, null);
  emit(ctx, doc, stringOption(values, "out"));
  return fit.converged ? 0 : 1;
}

/** `valuecast fit`. @example await main(["fit", "--help"], bufferIo()) */
export const fitCommand: Command = {
  spec: fitSpec,
  async run(args, ctx) {
    const modelName = stringOption(args.values, "model");
    if (!modelName)
      throw usageError("fit: --model is required (bgnbd, pnbd, mbgnbd, bgbb or sbg)", "--model");
    if (modelName === "bgbb" || modelName === "sbg")
      return fitDiscrete(ctx, modelName, args.positionals[0]!, args.values);
    if (!isPurchaseModel(modelName)) purchaseModel(modelName);
    const request = covariateRequest(args.values);
    if (request && modelName !== "pnbd" && modelName !== "bgnbd")
      throw usageError(`fit: --covariates works with pnbd and bgnbd (got ${modelName})`, "--covariates");
    const loaded = await loadCustomers(args.positionals[0]!, args.values, ctx);
    for (const n of loaded.notes) ctx.note(n);
    if (request) {
      const source = args.positionals[0]!;
      const file = stringOption(args.values, "covariates-file");
      const idColumn = stringOption(args.values, "covariates-id");
      const sources: CovariateSources = {
        ...(loaded.transactions
          ? {
              transactions: loaded.transactions,
              header: sourceHeader(resolve(ctx.io.cwd, source), stringOption(args.values, "delimiter")),
            }
          : {}),
        ...(file
          ? { file: { path: resolve(ctx.io.cwd, file), shown: file, ...(idColumn ? { idColumn } : {}) } }
          : {}),
      };
      const bar = progress(ctx.io, `fitting ${modelName} with covariates`, 1, !ctx.json);
      let doc: CovariateModelDocument;
      try {
        doc = fitWithCovariates(modelName as "pnbd" | "bgnbd", loaded.columns, request, sources, {
          withSpend: stringOption(args.values, "spend") !== undefined,
          notes: (t) => ctx.note(t),
        });
      } finally {
        bar.stop();
      }
      emit(ctx, doc, stringOption(args.values, "out"));
      return doc.converged && (!doc.spend || doc.spend.converged) ? 0 : 1;
    }
    const { fit, spend } = fitCustomers(
      ctx,
      loaded.columns,
      modelName,
      stringOption(args.values, "spend") !== undefined,
    );
    const doc = modelDocument(fit, spend, loaded.columns.timeUnit);
    emit(ctx, doc, stringOption(args.values, "out"));
    return fit.converged && (!spend || spend.converged) ? 0 : 1;
  },
};
