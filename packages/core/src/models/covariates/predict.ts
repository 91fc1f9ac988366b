import { discountedIncrease } from "../../clv/discounting.ts";
import { type ClvOptions, resolveClvOptions } from "../../clv/options.ts";
import { type CustomerScores, type ScoringData, type SpendInput, scoreCustomers } from "../../clv/score.ts";
import { type Issue, issue, ValuecastError } from "../../errors/issues.ts";
import { bgnbdPredictor } from "../bgnbd/model.ts";
import { pnbdPredictor } from "../pnbd/predictor.ts";
import type { PurchasePredictor } from "../purchase-model.ts";
import { type CovariateDesign, covariateGroups } from "./design.ts";
import { COVARIATE_BASE_PARAMS, type CovariateModelName, individualParamsInto } from "./likelihood.ts";
import { covariateParamNames } from "./spec.ts";

/**
 * One customer's individual parameters from fitted parameters (`fit.params`, with `trans.<name>` and
 * `life.<name>` coefficients) and the customer's covariates by encoded column name
 * (e.g. `{ "channel=Email": 1, first_amount: 35 }`). Every covariate the parameters mention must be
 * given; extra entries are ignored. Throws INVALID_PARAMETER / INVALID_DATA issues, all at once.
 * @example
 * covariateIndividualParams("pnbd", { r: 0.55, alpha: 10, s: 0.6, beta: 12, "trans.uk": Math.LN2 }, { uk: 1 }).alpha // 5
 */
export function covariateIndividualParams(
  model: CovariateModelName,
  params: Readonly<Record<string, number>>,
  z: Readonly<Record<string, number>>,
): Record<string, number> {
  const issues: Issue[] = [];
  const names = Object.keys(params).filter((k) => k.startsWith("trans.") || k.startsWith("life."));
  const trans: number[] = [];
  const life: number[] = [];
  const values: number[] = [];
  const vector: number[] = COVARIATE_BASE_PARAMS[model].map((k) => params[k] ?? Number.NaN);
  for (const [j, k] of COVARIATE_BASE_PARAMS[model].entries()) {
    if (!(vector[j]! > 0 && Number.isFinite(vector[j]!))) {
      issues.push(
        issue("INVALID_PARAMETER", `${model}: ${k} must be a positive finite number`, { field: k }),
      );
    }
  }
  for (const process of ["trans.", "life."] as const) {
    for (const name of names.filter((n) => n.startsWith(process))) {
      const column = name.slice(process.length);
      const g = params[name]!;
      const v = z[column];
      if (!Number.isFinite(g))
        issues.push(issue("INVALID_PARAMETER", `${name} is not finite`, { field: name }));
      if (v === undefined || !Number.isFinite(v)) {
        issues.push(
          issue("INVALID_DATA", `the customer's covariate '${column}' is missing or not finite (${v})`, {
            column,
          }),
        );
      }
      (process === "trans." ? trans : life).push(values.length);
      values.push(v ?? 0);
      vector.push(g);
    }
  }
  if (issues.length > 0) throw new ValuecastError(issues);
  // individualParamsInto wants [base, γ_trans..., γ_life...]: the loop above pushed trans first.
  const out = new Float64Array(4);
  individualParamsInto(model, vector, trans, life, values, out);
  const [k0, k1, k2, k3] = COVARIATE_BASE_PARAMS[model];
  return { [k0]: out[0]!, [k1]: out[1]!, [k2]: out[2]!, [k3]: out[3]! };
}

/**
 * The no-covariate predictor (P(alive), CET, E[X(t)], P(X(t) = n)) of a customer with covariates z: the
 * model's own predictor at the customer's individual parameters. For a brand-new customer acquired
 * today through channel X, `expectedPurchases(t)` is the expected number of repeat purchases in (0, t].
 * @example
 * covariatePredictor("bgnbd", fit.params, { "channel=Email": 1 }).expectedPurchases(52)
 */
export function covariatePredictor(
  model: CovariateModelName,
  params: Readonly<Record<string, number>>,
  z: Readonly<Record<string, number>>,
): PurchasePredictor {
  const individual = covariateIndividualParams(model, params, z);
  return model === "pnbd" ? pnbdPredictor(individual) : bgnbdPredictor(individual);
}

/**
 * What a NEW customer with covariates z (e.g. acquired today through a channel) is expected to do over
 * the horizon: repeat purchases E[X(H)] (undiscounted) and discounted continuously from acquisition
 * (∫_0^H e^{-δt} dE[X(t)], the same discounting as `scoreCustomers`), and the value
 * margin × spend × those purchases. `spendPerTransaction` is the expected value of a repeat purchase
 * (e.g. the Gamma-Gamma population mean); the first purchase is not included (it has happened).
 * @example
 * newCustomerValue("pnbd", fit.params, { "channel=Email": 1 }, 35, { horizon: 52, discountRate: 0.1, timeUnit: "week" })
 */
export function newCustomerValue(
  model: CovariateModelName,
  params: Readonly<Record<string, number>>,
  z: Readonly<Record<string, number>>,
  spendPerTransaction: number,
  options: ClvOptions,
): { expectedPurchases: number; discountedPurchases: number; value: number; valueUndiscounted: number } {
  const { horizon, delta, margin } = resolveClvOptions(options);
  if (!Number.isFinite(spendPerTransaction)) {
    throw new ValuecastError([issue("BAD_OPTION_VALUE", "spendPerTransaction must be a finite number")]);
  }
  const pred = covariatePredictor(model, params, z);
  const EH = pred.expectedPurchases(horizon);
  const disc = delta > 0 ? discountedIncrease((t) => pred.expectedPurchases(t), horizon, delta, EH) : EH;
  return {
    expectedPurchases: EH,
    discountedPurchases: disc,
    value: margin * spendPerTransaction * disc,
    valueUndiscounted: margin * spendPerTransaction * EH,
  };
}

/** The fitted parameters as the vector [base 4, γ_trans, γ_life] of this design's selection. */
function paramVector(
  model: CovariateModelName,
  params: Readonly<Record<string, number>>,
  d: CovariateDesign,
) {
  const names = covariateParamNames(model, d);
  const missing = names.filter((k) => !Number.isFinite(params[k]));
  if (missing.length > 0) {
    throw new ValuecastError(
      missing.map((k) =>
        issue("INVALID_PARAMETER", `covariates: parameter '${k}' is missing or not finite`, { field: k }),
      ),
    );
  }
  return Float64Array.from(names, (k) => params[k]!);
}

/**
 * `scoreCustomers` for customers with covariates: the rows are grouped by covariate vector, each group
 * scored with the predictor at its individual parameters (so the factorised per-(x, T) path and the
 * discounting of `scoreCustomers` apply within each group), and the results put back in input order.
 * `spend` as in `scoreCustomers` (a per-customer Float64Array and `zbar` are taken in input order).
 * Cost: one `scoreCustomers` call per distinct covariate vector, so categorical covariates are cheap;
 * a continuous covariate with a value per customer scores each customer on its own.
 * @example
 * const s = scoreCustomersWithCovariates("pnbd", fit.params, 35, design, { horizon: 52, discountRate: 0.1, timeUnit: "week" });
 */
export function scoreCustomersWithCovariates(
  model: CovariateModelName,
  params: Readonly<Record<string, number>>,
  spend: SpendInput,
  design: CovariateDesign & { readonly zbar?: Float64Array },
  options: ClvOptions,
): CustomerScores {
  const vector = paramVector(model, params, design);
  const n = design.x.length;
  const K = design.z.names.length;
  if (design.z.values.length !== n * K) {
    throw new ValuecastError([
      issue("INVALID_DATA", `the covariate matrix does not have ${n} rows × ${K} columns`),
    ]);
  }
  for (let i = 0; i < n * K; i++) {
    if (!Number.isFinite(design.z.values[i]!)) {
      const row = Math.floor(i / K);
      throw new ValuecastError([
        issue("INVALID_DATA", `covariate '${design.z.names[i % K]}' of row ${row} is not finite`, {
          index: row,
        }),
      ]);
    }
  }
  if (spend instanceof Float64Array && spend.length !== n) {
    throw new ValuecastError([issue("INVALID_DATA", `spend has ${spend.length} values for ${n} customers`)]);
  }
  const groups = covariateGroups(design);
  const out: CustomerScores = {
    pAlive: new Float64Array(n),
    expectedPurchases: new Float64Array(n),
    discountedPurchases: new Float64Array(n),
    expectedSpend: new Float64Array(n),
    clv: new Float64Array(n),
    clvUndiscounted: new Float64Array(n),
  };
  // Input rows of each group, in group order (inverse of groupOf/positionOf).
  const G = groups.rows.length;
  const start = new Int32Array(G + 1);
  for (let g = 0; g < G; g++) start[g + 1] = start[g]! + groups.rows[g]!.x.length;
  const members = new Int32Array(n);
  for (let i = 0; i < n; i++) members[start[groups.groupOf[i]!]! + groups.positionOf[i]!] = i;
  const p4 = new Float64Array(4);
  const [k0, k1, k2, k3] = COVARIATE_BASE_PARAMS[model];
  for (let g = 0; g < G; g++) {
    individualParamsInto(model, vector, design.trans, design.life, groups.z.subarray(g * K, g * K + K), p4);
    const individual = { [k0]: p4[0]!, [k1]: p4[1]!, [k2]: p4[2]!, [k3]: p4[3]! };
    const predictor = model === "pnbd" ? pnbdPredictor(individual) : bgnbdPredictor(individual);
    const rows = groups.rows[g]!;
    const idx = members.subarray(start[g]!, start[g + 1]!);
    const data: ScoringData = { x: rows.x, t_x: rows.t_x, T: rows.T };
    let groupSpend: SpendInput = spend;
    if (spend instanceof Float64Array) groupSpend = Float64Array.from(idx, (i) => spend[i]!);
    const zbar = design.zbar;
    const s = scoreCustomers(
      predictor,
      groupSpend,
      zbar && typeof spend === "object" && !(spend instanceof Float64Array)
        ? { ...data, zbar: Float64Array.from(idx, (i) => zbar[i]!) }
        : data,
      options,
    );
    for (let j = 0; j < idx.length; j++) {
      const i = idx[j]!;
      out.pAlive[i] = s.pAlive[j]!;
      out.expectedPurchases[i] = s.expectedPurchases[j]!;
      out.discountedPurchases[i] = s.discountedPurchases[j]!;
      out.expectedSpend[i] = s.expectedSpend[j]!;
      out.clv[i] = s.clv[j]!;
      out.clvUndiscounted[i] = s.clvUndiscounted[j]!;
    }
  }
  return out;
}
