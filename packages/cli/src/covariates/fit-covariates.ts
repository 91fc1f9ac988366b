import {
  type ColumnEncoding,
  type CovariateColumn,
  type CovariateFit,
  type CovariateModelName,
  type CovariatePenalty,
  convertDuration,
  covariateDesign,
  encodeCovariates,
  type FitResult,
  fitCovariateModel,
  fitModel,
  gammaGammaPredictor,
  type Issue,
  issue,
  newCustomerValue,
  type TimeUnit,
  ValuecastError,
} from "@valuecast/core";
import type { CustomerColumns } from "../customers.ts";
import { fmt, renderTable } from "../format/table.ts";
import { type ModelDocument, modelDocument } from "../model-doc.ts";
import { gammaGammaSpec, spendData } from "../models.ts";
import { type CovariateSources, customerCovariateTable, isNumericColumn } from "./customer-table.ts";
import type { CovariateRequest } from "./options.ts";

/** The label given to pooled rare levels and to empty categorical values. */
export const OTHER_LEVEL = "other";
export const MISSING_LEVEL = "(missing)";

/** One coefficient as `fit --json` reports it. */
export interface CoefficientJson {
  /** Parameter name, e.g. `trans.channel=Email`. */
  readonly name: string;
  readonly process: "trans" | "life";
  /** The encoded covariate column, e.g. `channel=Email` or `first_amount`. */
  readonly covariate: string;
  readonly estimate: number;
  readonly standardError: number | null;
  readonly z: number | null;
  readonly pValue: number | null;
  /**
   * exp(estimate): for `trans` the factor on the mean purchase rate per unit of the covariate (both
   * models); for Pareto/NBD `life` the factor on the mean dropout rate; for BG/NBD `life` the factor on
   * a and b (the dropout probability's concentration, not its mean).
   */
  readonly multiplier: number;
}

/** One source column as encoded, with where its values came from. */
export type CovariateColumnJson = ColumnEncoding & {
  readonly origin: string;
  /** Levels pooled into `other` (fewer than --min-level customers). */
  readonly pooled?: readonly string[];
};

/** The `covariates` section of a model document fitted with covariates. */
export interface CovariateSection {
  readonly columns: readonly CovariateColumnJson[];
  /** Encoded columns entering each process. */
  readonly trans: readonly string[];
  readonly life: readonly string[];
  readonly penalty: CovariatePenalty;
  readonly penalisedLogLikelihood: number;
  readonly coefficients: readonly CoefficientJson[];
  /** The likelihood-ratio test of all coefficients 0 against `base`. */
  readonly likelihoodRatio: { readonly statistic: number; readonly df: number; readonly pValue: number };
  /** The no-covariate model fitted on the same customers. */
  readonly base: {
    readonly params: Readonly<Record<string, number>>;
    readonly standardErrors: Readonly<Record<string, number | null>>;
    readonly logLikelihood: number;
    readonly aic: number;
    readonly bic: number;
  };
  /** Parameters held fixed for conditional standard errors (empty when the full Hessian inverts). */
  readonly conditionalOn: readonly string[];
  readonly customers: number;
  /** Customers left out, by reason. */
  readonly leftOut: Readonly<Record<string, number>>;
  /** What a brand-new customer is expected to do, per level of each categorical covariate. */
  readonly newCustomers: NewCustomerProfiles;
}

/** Expected repeat purchases (and value) over 12 months of a customer acquired today with given covariates. */
export interface NewCustomerProfiles {
  readonly horizon: { readonly value: number; readonly unit: "month"; readonly inModelUnits: number };
  /** Value of a repeat purchase: the Gamma-Gamma population mean, else the mean repeat spend; null when unknown. */
  readonly spendPerPurchase: number | null;
  readonly profiles: readonly {
    /** Raw covariates: one categorical level, the other categoricals at their reference, numerics at their mean. */
    readonly covariates: Readonly<Record<string, string | number>>;
    readonly expectedPurchases: number;
    readonly value: number | null;
  }[];
}

/** A model document with covariates: `params` holds the base parameters and the coefficients. */
export interface CovariateModelDocument extends ModelDocument {
  readonly covariates: CovariateSection;
}

/** Categorical values with rare levels pooled and empty values as their own level. */
function prepareCategorical(
  raw: readonly (string | number | null)[],
  minLevel: number,
  reference: string | undefined,
): { values: string[]; pooled: string[]; missing: number } {
  let missing = 0;
  const values = raw.map((v) => {
    const s = v === null ? "" : String(v).trim();
    if (s === "") missing++;
    return s === "" ? MISSING_LEVEL : s;
  });
  if (minLevel <= 1) return { values, pooled: [], missing };
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const pooled = [...counts.entries()]
    .filter(([l, c]) => c < minLevel && l !== reference)
    .map(([l]) => l)
    .sort();
  if (pooled.length < 2) return { values, pooled: [], missing };
  const set = new Set(pooled);
  return { values: values.map((v) => (set.has(v) ? OTHER_LEVEL : v)), pooled, missing };
}

/**
 * Encoding issues name rows of the fitted subset; people know their customers by id, so each row
 * number becomes the customer's id (`row 3730` -> `customer 03731`).
 */
function byCustomer(issues: readonly Issue[], keep: readonly number[], ids: readonly string[]): Issue[] {
  return issues.map((x) => {
    const i = x.location?.index;
    if (i === undefined || keep[i] === undefined) return x;
    const id = ids[keep[i]!]!;
    const { index: _index, ...rest } = x.location!;
    return issue(x.code, x.message.replace(`row ${i}`, `customer ${id}`), {
      ...rest,
      field: `customer ${id}`,
    });
  });
}

/**
 * Fits a Pareto/NBD or BG/NBD with static covariates on loaded customers (the `fit --covariates` path):
 * builds each customer's covariates, encodes them (categorical one-hot against a reference level,
 * numeric raw or logged), leaves out customers first seen on the last day (T = 0) and customers absent
 * from the covariates file (counted in `leftOut`), fits with core's `fitCovariateModel` (no-covariate
 * fit first, LR test, Wald tests) and returns the model document.
 * @example const doc = fitWithCovariates("pnbd", columns, request, { transactions }, null)
 */
export function fitWithCovariates(
  model: CovariateModelName,
  columns: CustomerColumns,
  request: CovariateRequest,
  sources: CovariateSources,
  options: { readonly withSpend: boolean; readonly notes?: (text: string) => void },
): CovariateModelDocument {
  const note = options.notes ?? (() => {});
  const table = customerCovariateTable(columns, request.names, sources);
  const n = columns.ids.length;
  const keep: number[] = [];
  let zeroT = 0;
  let notInFile = 0;
  for (let i = 0; i < n; i++) {
    if (table.inFile && !table.inFile[i]) notInFile++;
    else if (columns.T[i] === 0) zeroT++;
    else keep.push(i);
  }
  const leftOut: Record<string, number> = {};
  if (notInFile > 0) {
    leftOut.notInCovariatesFile = notInFile;
    note(`covariates: left out ${notInFile} customer(s) without a row in the covariates file`);
  }
  if (zeroT > 0) {
    leftOut.firstSeenOnLastDay = zeroT;
    note(`covariates: left out ${zeroT} customer(s) first seen on the last day (T = 0)`);
  }
  const specs: CovariateColumn[] = [];
  const sub: Record<string, (string | number)[] | string[]> = {};
  const pooledOf: Record<string, string[]> = {};
  const issues = [];
  for (const name of request.names) {
    const raw = keep.map((i) => table.values[name]![i] ?? null);
    const forced = request.categorical.some((c) => c.toLowerCase() === name.toLowerCase());
    const logged = request.log.some((c) => c.toLowerCase() === name.toLowerCase());
    const reference = request.references[name];
    if (!forced && isNumericColumn(raw)) {
      if (reference !== undefined) {
        issues.push(
          issue(
            "BAD_OPTION_VALUE",
            `--reference ${name}=…: '${name}' is numeric; add --categorical ${name} to treat it as levels`,
            { field: "--reference" },
          ),
        );
      }
      sub[name] = raw.map((v) => v ?? "");
      specs.push({ name, kind: "numeric", ...(logged ? { log: true } : {}) });
    } else {
      if (logged)
        issues.push(
          issue("BAD_OPTION_VALUE", `--log-covariates: '${name}' is categorical`, {
            field: "--log-covariates",
          }),
        );
      const p = prepareCategorical(raw, request.minLevel, reference);
      if (p.missing > 0)
        note(`covariates: ${p.missing} empty '${name}' value(s) form the level ${MISSING_LEVEL}`);
      if (p.pooled.length > 0) {
        pooledOf[name] = p.pooled;
        note(
          `covariates: pooled ${p.pooled.length} '${name}' level(s) with fewer than ${request.minLevel} customers into '${OTHER_LEVEL}'`,
        );
      }
      sub[name] = p.values;
      specs.push({ name, kind: "categorical", ...(reference !== undefined ? { reference } : {}) });
    }
  }
  for (const r of Object.keys(request.references)) {
    if (!request.names.includes(r))
      issues.push(
        issue("BAD_OPTION_VALUE", `--reference names '${r}', which is not a covariate`, {
          field: "--reference",
        }),
      );
  }
  if (issues.length > 0) throw new ValuecastError(issues);
  const encoded = encodeCovariates(sub, specs);
  if (encoded.issues.length > 0) throw new ValuecastError(byCustomer(encoded.issues, keep, columns.ids));
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]!);
  const rfm = { x: pick(columns.x), t_x: pick(columns.t_x), T: pick(columns.T) };
  const { design, issues: selectionIssues } = covariateDesign(rfm, encoded.matrix, {
    trans: request.trans,
    life: request.life,
  });
  if (selectionIssues.length > 0) throw new ValuecastError(selectionIssues);
  const result = fitCovariateModel(model, design, {
    timeUnit: columns.timeUnit,
    penalty: request.penalty,
  });
  let spend: FitResult | null = null;
  if (options.withSpend) {
    if (!columns.monetary) {
      throw new ValuecastError([
        issue("MISSING_COLUMN", "--spend gamma-gamma needs each customer's mean repeat spend"),
      ]);
    }
    const { data, dropped } = spendData(pick(columns.x), pick(columns.monetary), undefined, {
      nonPositiveSpend: "drop",
    });
    if (dropped > 0) note(`gamma-gamma: left out ${dropped} repeat buyer(s) whose mean spend is <= 0`);
    spend = fitModel(gammaGammaSpec, data);
  }
  let spendPerPurchase: number | null = null;
  if (spend) spendPerPurchase = gammaGammaPredictor(spend.params).populationMeanSpend;
  else if (columns.monetary) {
    let sum = 0;
    let m = 0;
    for (const i of keep)
      if (columns.x[i]! > 0 && columns.monetary[i]! > 0) {
        sum += columns.monetary[i]!;
        m++;
      }
    spendPerPurchase = m > 0 ? sum / m : null;
  }
  const newCustomers = newCustomerProfiles(
    model,
    result.fit.params,
    encoded.encodings,
    encoded.matrix,
    columns.timeUnit,
    spendPerPurchase,
  );
  return covariateDocument(result, spend, columns.timeUnit, encoded.encodings, table.origin, pooledOf, {
    customers: keep.length,
    leftOut,
    newCustomers,
  });
}

/**
 * A new customer per level of each categorical covariate (the other categoricals at their reference,
 * numeric covariates at their sample mean): expected repeat purchases over the next 12 months from
 * acquisition (core's `newCustomerValue`, undiscounted), and their value at `spendPerPurchase`.
 */
function newCustomerProfiles(
  model: CovariateModelName,
  params: Readonly<Record<string, number>>,
  encodings: readonly ColumnEncoding[],
  matrix: { readonly names: readonly string[]; readonly values: Float64Array },
  timeUnit: TimeUnit,
  spendPerPurchase: number | null,
): NewCustomerProfiles {
  const K = matrix.names.length;
  const rows = K > 0 ? matrix.values.length / K : 0;
  const base: Record<string, number> = {};
  const raw: Record<string, string | number> = {};
  for (const e of encodings) {
    if (e.kind === "categorical") {
      for (const c of e.columns) base[c] = 0;
      raw[e.name] = e.reference;
    } else {
      const k = matrix.names.indexOf(e.name);
      let mean = 0;
      for (let i = 0; i < rows; i++) mean += (matrix.values[i * K + k]! - mean) / (i + 1);
      base[e.name] = mean;
      const value = mean * e.scale + e.center;
      raw[e.name] = e.log ? Math.exp(value) : value;
    }
  }
  const horizon = convertDuration({ value: 12, unit: "month" }, timeUnit);
  const profile = (z: Record<string, number>, covariates: Record<string, string | number>) => {
    const v = newCustomerValue(model, params, z, spendPerPurchase ?? 0, { horizon, timeUnit });
    return {
      covariates,
      expectedPurchases: v.expectedPurchases,
      value: spendPerPurchase === null ? null : v.valueUndiscounted,
    };
  };
  const profiles = [];
  for (const e of encodings) {
    if (e.kind !== "categorical") continue;
    profiles.push(profile(base, raw));
    e.levels.forEach((level, j) => {
      profiles.push(profile({ ...base, [e.columns[j]!]: 1 }, { ...raw, [e.name]: level }));
    });
  }
  if (profiles.length === 0) profiles.push(profile(base, raw));
  return {
    horizon: { value: 12, unit: "month", inModelUnits: horizon },
    spendPerPurchase,
    profiles,
  };
}

function covariateDocument(
  r: CovariateFit,
  spend: FitResult | null,
  timeUnit: TimeUnit,
  encodings: readonly ColumnEncoding[],
  origin: Readonly<Record<string, string>>,
  pooledOf: Readonly<Record<string, string[]>>,
  counts: { customers: number; leftOut: Record<string, number>; newCustomers: NewCustomerProfiles },
): CovariateModelDocument {
  const doc = modelDocument(r.fit, spend, timeUnit);
  const coefficients: CoefficientJson[] = r.coefficients.map((c) => {
    const process = c.name.startsWith("trans.") ? "trans" : "life";
    return {
      name: c.name,
      process,
      covariate: c.name.slice(process.length + 1),
      estimate: c.estimate,
      standardError: c.standardError,
      z: c.z,
      pValue: c.pValue,
      multiplier: Math.exp(c.estimate),
    };
  });
  return {
    ...doc,
    standardErrors: r.standardErrors,
    covariates: {
      columns: encodings.map((e) => ({
        ...e,
        origin: origin[e.name] ?? "",
        ...(pooledOf[e.name] ? { pooled: pooledOf[e.name]! } : {}),
      })),
      trans: coefficients.filter((c) => c.process === "trans").map((c) => c.covariate),
      life: coefficients.filter((c) => c.process === "life").map((c) => c.covariate),
      penalty: r.penalty,
      penalisedLogLikelihood: r.penalisedLogLikelihood,
      coefficients,
      likelihoodRatio: r.likelihoodRatio,
      base: {
        params: r.base.params,
        standardErrors: r.base.standardErrors,
        logLikelihood: r.base.logLikelihood,
        aic: r.base.aic,
        bic: r.base.bic,
      },
      conditionalOn: r.conditionalOn,
      customers: counts.customers,
      leftOut: counts.leftOut,
      newCustomers: counts.newCustomers,
    },
  };
}

/** A p-value for people: 4 decimals, scientific below 1e-4, and "< 1e-300" where double precision ends. */
function formatP(p: number, digits: number): string {
  if (p < 1e-300) return "< 1e-300";
  return p < 1e-4 ? p.toExponential(digits) : p.toFixed(4);
}

/**
 * The human view of the covariate part: encodings with their reference levels, the coefficient table
 * (estimate, standard error, z, p, multiplier) and the likelihood-ratio test against the no-covariate fit.
 * @example ctx.io.stdout(formatCovariateSection(doc.covariates, doc.model))
 */
export function formatCovariateSection(c: CovariateSection, modelName: string): string {
  const model = modelName.replace(/\+covariates$/, "");
  let out = `\nCovariates (${fmt(c.customers, 0)} customers)\n`;
  for (const col of c.columns) {
    if (col.kind === "categorical") {
      const levels = [col.reference, ...col.levels].map((l) => `${l} ${col.counts[l] ?? 0}`).join(", ");
      out += `  ${col.name}: categorical, reference level '${col.reference}' (customers per level: ${levels}); ${col.origin}\n`;
      if (col.pooled) out += `    '${OTHER_LEVEL}' pools: ${col.pooled.join(", ")}\n`;
    } else {
      out += `  ${col.name}: numeric${col.log ? " (ln)" : ""}, per unit; ${col.origin}\n`;
    }
  }
  out += renderTable(
    [
      { header: "coefficient" },
      { header: "estimate", align: "right" },
      { header: "std. error", align: "right" },
      { header: "z", align: "right" },
      { header: "p", align: "right" },
      { header: "exp(est.)", align: "right" },
    ],
    c.coefficients.map((k) => [
      k.name,
      fmt(k.estimate, 4),
      fmt(k.standardError, 4),
      fmt(k.z, 2),
      k.pValue === null ? "" : formatP(k.pValue, 1),
      fmt(k.multiplier, 3),
    ]),
  );
  const lifeMeaning =
    model === "pnbd" ? "life: x mean dropout rate" : "life: x a and b (spread of dropout, not its mean)";
  out += `  exp(est.) per unit of the covariate: trans: x mean purchase rate; ${lifeMeaning}\n`;
  if (c.conditionalOn.length > 0)
    out += `  standard errors are conditional on ${c.conditionalOn.join(", ")} (flat likelihood there)\n`;
  const lr = c.likelihoodRatio;
  out += `No-covariate ${model} on the same customers: log-likelihood ${fmt(c.base.logLikelihood, 2)}\n`;
  out += `Likelihood-ratio test (all coefficients 0): ${fmt(lr.statistic, 2)} on ${lr.df} df, p ${formatP(lr.pValue, 2)}\n`;
  const nc = c.newCustomers;
  out += `\nA customer acquired today: expected repeat purchases in the next 12 months${nc.spendPerPurchase === null ? "" : ` and their value (x ${fmt(nc.spendPerPurchase, 2)} per purchase)`}\n`;
  out += renderTable(
    [
      { header: "covariates (numeric at their mean)" },
      { header: "purchases", align: "right" },
      ...(nc.spendPerPurchase === null ? [] : [{ header: "value", align: "right" as const }]),
    ],
    nc.profiles.map((p) => [
      Object.entries(p.covariates)
        .map(([k, v]) => `${k}=${typeof v === "number" ? fmt(v, 2) : v}`)
        .join(", "),
      fmt(p.expectedPurchases, 3),
      ...(nc.spendPerPurchase === null ? [] : [fmt(p.value, 2)]),
    ]),
  );
  if (c.penalty.trans || c.penalty.life)
    out += `Penalty (L2 on coefficients): trans ${c.penalty.trans ?? 0}, life ${c.penalty.life ?? 0}; penalised log-likelihood ${fmt(c.penalisedLogLikelihood, 2)}\n`;
  return out;
}
