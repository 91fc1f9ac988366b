import {
  type CovariateModelName,
  type CustomerScores,
  covariateDesign,
  covariatePredictor,
  gammaGammaPredictor,
  issue,
  type PurchasePredictor,
  type SpendInput,
  scoreCustomers,
  scoreCustomersWithCovariates,
  ValuecastError,
} from "@valuecast/core";
import type { CustomerColumns } from "../customers.ts";
import type { ModelDocument } from "../model-doc.ts";
import { purchaseModel } from "../models.ts";
import { type CovariateSources, customerCovariateTable } from "./customer-table.ts";
import { type CovariateModelDocument, MISSING_LEVEL, OTHER_LEVEL } from "./fit-covariates.ts";

/**
 * True when a model document was fitted with covariates (`fit --covariates`).
 * @example if (isCovariateDocument(doc)) scoreWithCovariateDocument(doc, columns, settings, sources)
 */
export function isCovariateDocument(doc: ModelDocument): doc is CovariateModelDocument {
  const c = (doc as Partial<CovariateModelDocument>).covariates;
  return typeof c === "object" && c !== null && Array.isArray(c.columns);
}

/** What `scoreWithCovariateDocument` needs besides the customers. */
export interface CovariateScoreSettings {
  /** Horizon in the model's time unit. */
  readonly horizonInUnits: number;
  readonly discountRate: number;
  readonly margin: number;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Scores customers with a model fitted by `fit --covariates`: each customer's covariates are read from the
 * same sources as in the fit and encoded with the fit's encodings (pooled levels to `other`, empty values
 * to `(missing)`, the stored centre, scale and ln), then core's `scoreCustomersWithCovariates` scores
 * them. Customers whose covariates cannot be encoded (no row in the covariates file, a level the fit never
 * saw, a value that is not a number) are scored with the no-covariate model fitted on the same customers
 * (`covariates.base`), and counted in `scoredWithBase` so the caller can say so. `predictorOf(i)` is the
 * predictor that scored customer i (its individual parameters, or the base model), for per-customer
 * curves such as the profile's next order date. A covariate the fit used that none of the sources holds
 * is a MISSING_COLUMN issue naming the model's covariates, reported before anything is scored.
 * @example const { scores } = scoreWithCovariateDocument(doc, columns, { horizonInUnits: 52, discountRate: 0, margin: 1 }, { transactions })
 */
export function scoreWithCovariateDocument(
  doc: CovariateModelDocument,
  columns: CustomerColumns,
  settings: CovariateScoreSettings,
  sources: CovariateSources,
): {
  scores: CustomerScores;
  hasSpend: boolean;
  scoredWithCovariates: number;
  scoredWithBase: number;
  predictorOf: (i: number) => PurchasePredictor;
} {
  const model = doc.model.replace(/\+covariates$/, "") as CovariateModelName;
  const cov = doc.covariates;
  const n = columns.ids.length;
  const table = covariateTableFor(doc, columns, sources);
  const names = cov.columns.flatMap((c) => c.columns);
  const K = names.length;
  const z = new Float64Array(n * K);
  const ok = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    if (table.inFile && !table.inFile[i]) {
      ok[i] = 0;
      continue;
    }
    let k = 0;
    for (const c of cov.columns) {
      const raw = table.values[c.name]![i] ?? null;
      if (c.kind === "categorical") {
        let level = raw === null || String(raw).trim() === "" ? MISSING_LEVEL : String(raw).trim();
        if (c.pooled?.includes(level)) level = OTHER_LEVEL;
        if (level !== c.reference && !c.levels.includes(level)) ok[i] = 0;
        for (const l of c.levels) z[i * K + k++] = l === level ? 1 : 0;
      } else {
        let v =
          typeof raw === "number" ? raw : raw !== null && NUMBER.test(raw.trim()) ? Number(raw) : Number.NaN;
        if (c.log) v = v > 0 ? Math.log(v) : Number.NaN;
        v = (v - c.center) / c.scale;
        if (!Number.isFinite(v)) {
          ok[i] = 0;
          v = 0;
        }
        z[i * K + k++] = v;
      }
    }
  }
  const hasSpend = doc.spend !== null && columns.monetary !== null;
  const spend: SpendInput = hasSpend ? gammaGammaPredictor(doc.spend!.params) : 0;
  const options = {
    horizon: settings.horizonInUnits,
    discountRate: settings.discountRate,
    timeUnit: columns.timeUnit,
    margin: settings.margin,
  };
  const out: CustomerScores = {
    pAlive: new Float64Array(n),
    expectedPurchases: new Float64Array(n),
    discountedPurchases: new Float64Array(n),
    expectedSpend: new Float64Array(n),
    clv: new Float64Array(n),
    clvUndiscounted: new Float64Array(n),
  };
  const put = (idx: readonly number[], s: CustomerScores) => {
    idx.forEach((i, j) => {
      for (const key of Object.keys(out) as (keyof CustomerScores)[]) out[key][i] = s[key][j]!;
    });
  };
  const part = (idx: readonly number[]) => ({
    x: Float64Array.from(idx, (i) => columns.x[i]!),
    t_x: Float64Array.from(idx, (i) => columns.t_x[i]!),
    T: Float64Array.from(idx, (i) => columns.T[i]!),
    ...(columns.monetary ? { zbar: Float64Array.from(idx, (i) => columns.monetary![i]!) } : {}),
  });
  const withCov: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < n; i++) (ok[i] ? withCov : without).push(i);
  if (withCov.length > 0) {
    const rows = part(withCov);
    const zSub = new Float64Array(withCov.length * K);
    withCov.forEach((i, j) => {
      zSub.set(z.subarray(i * K, i * K + K), j * K);
    });
    const { design } = covariateDesign(
      { x: rows.x, t_x: rows.t_x, T: rows.T },
      { names, values: zSub },
      { trans: cov.trans, life: cov.life },
    );
    put(
      withCov,
      scoreCustomersWithCovariates(
        model,
        doc.params,
        spend,
        rows.zbar ? { ...design, zbar: rows.zbar } : design,
        options,
      ),
    );
  }
  if (without.length > 0) {
    const predictor = purchaseModel(model).predictor(cov.base.params);
    put(without, scoreCustomers(predictor, spend, part(without), options));
  }
  const base = purchaseModel(model).predictor(cov.base.params);
  const predictorOf = (i: number): PurchasePredictor =>
    ok[i]
      ? covariatePredictor(
          model,
          doc.params,
          Object.fromEntries(names.map((name, k) => [name, z[i * K + k]!])),
        )
      : base;
  return {
    scores: out,
    hasSpend,
    scoredWithCovariates: withCov.length,
    scoredWithBase: without.length,
    predictorOf,
  };
}

/**
 * The raw covariates of the customers, read as the fit read them. A covariate that none of the sources
 * holds is reported with what the model needs and where it can come from (the fit's --covariates-file
 * columns are read only when that file is given again).
 */
function covariateTableFor(
  doc: CovariateModelDocument,
  columns: CustomerColumns,
  sources: CovariateSources,
): ReturnType<typeof customerCovariateTable> {
  const names = doc.covariates.columns.map((c) => c.name);
  try {
    return customerCovariateTable(columns, names, sources);
  } catch (e) {
    if (!(e instanceof ValuecastError)) throw e;
    const needs = `the model (${doc.model}) was fitted with covariates ${names.join(", ")}`;
    // The table's message already points at --covariates-file when the source was not read in memory.
    const hint =
      sources.file || !sources.transactions
        ? ""
        : "; give the covariates file the fit used with --covariates-file";
    throw new ValuecastError(
      e.issues.map((i) =>
        i.code === "MISSING_COLUMN" && i.location?.field === "--covariates"
          ? issue("MISSING_COLUMN", `${needs}; ${i.message.replace(/^covariates: /, "")}${hint}`, {
              ...i.location,
              field: "--covariates-file",
            })
          : i,
      ),
    );
  }
}
