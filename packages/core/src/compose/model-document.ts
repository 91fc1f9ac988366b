import { type Issue, issue, ValuecastError } from "../errors/issues.ts";
import type { FitResult } from "../fit/result.ts";
import { TIME_UNITS, type TimeUnit } from "../time.ts";

/** A fitted sub-model (the purchase model, or the spend model) as `valuecast fit --json` prints it. */
export interface FittedModelJson {
  readonly model: string;
  readonly params: Readonly<Record<string, number>>;
  readonly logLikelihood: number;
  readonly standardErrors: Readonly<Record<string, number | null>>;
  readonly converged: boolean;
  readonly iterations: number;
  readonly n: number;
  readonly timeUnit: TimeUnit | null;
  readonly aic: number;
  readonly bic: number;
  readonly rows: number;
  readonly reason: string;
  readonly covariance: readonly (readonly number[])[] | null;
  readonly reference: string;
}

/**
 * What `fit --json` prints, `fit --out model.json` writes and the API stores: the contract fields (`model,
 * params, logLikelihood, standardErrors, converged, iterations, n, timeUnit`), then extras, and the spend
 * model under `spend` when one was fitted.
 */
export interface ModelDocument extends FittedModelJson {
  readonly format: "valuecast-model/1";
  readonly spend: FittedModelJson | null;
}

/**
 * The JSON view of a fit result.
 * @example fittedJson(fit, "week").params.r
 */
export function fittedJson(fit: FitResult, timeUnit: TimeUnit | null): FittedModelJson {
  return {
    model: fit.model,
    params: fit.params,
    logLikelihood: fit.logLikelihood,
    standardErrors: fit.standardErrors,
    converged: fit.converged,
    iterations: fit.iterations,
    n: fit.n,
    timeUnit,
    aic: fit.aic,
    bic: fit.bic,
    rows: fit.rows,
    reason: fit.reason,
    covariance: fit.covariance,
    reference: fit.reference,
  };
}

/**
 * The model document for a purchase-model fit and an optional spend fit.
 * @example modelDocument(fitModel(bgnbdModel.spec, rfm, { timeUnit: "week" }), null, "week").params.r
 */
export function modelDocument(
  fit: FitResult,
  spend: FitResult | null,
  timeUnit: TimeUnit | null,
): ModelDocument {
  return {
    ...fittedJson(fit, timeUnit),
    format: "valuecast-model/1",
    spend: spend ? fittedJson(spend, null) : null,
  };
}

function isRecordOfNumbers(v: unknown): v is Record<string, number> {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    Object.values(v).every((x) => typeof x === "number" && Number.isFinite(x))
  );
}

/**
 * Checks parsed JSON as a model document (a file written by `fit --out`, or a stored one), reporting every
 * problem at once; missing extras get neutral values (NaN log-likelihood, no covariance).
 * @example parseModelDocument(JSON.parse(text), "model.json").params
 */
export function parseModelDocument(raw: unknown, file: string): ModelDocument {
  const issues: Issue[] = [];
  const doc = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  if (typeof doc.model !== "string")
    issues.push(issue("INVALID_DATA", "the model file has no 'model' name", { file, field: "model" }));
  if (!isRecordOfNumbers(doc.params))
    issues.push(
      issue("INVALID_PARAMETER", "'params' must map parameter names to finite numbers", {
        file,
        field: "params",
      }),
    );
  if (doc.timeUnit !== null && doc.timeUnit !== undefined && !TIME_UNITS.includes(doc.timeUnit as TimeUnit))
    issues.push(
      issue("INVALID_DATA", `'timeUnit' must be one of ${TIME_UNITS.join(", ")}`, {
        file,
        field: "timeUnit",
      }),
    );
  const spend = doc.spend as Record<string, unknown> | null | undefined;
  if (spend != null && (spend.model !== "gamma-gamma" || !isRecordOfNumbers(spend.params)))
    issues.push(
      issue("INVALID_PARAMETER", "'spend' must hold a gamma-gamma model with numeric params", {
        file,
        field: "spend",
      }),
    );
  if (issues.length > 0) throw new ValuecastError(issues);
  return {
    format: "valuecast-model/1",
    logLikelihood: Number.NaN,
    standardErrors: {},
    converged: true,
    iterations: 0,
    n: 0,
    aic: Number.NaN,
    bic: Number.NaN,
    rows: 0,
    reason: "",
    covariance: null,
    reference: "",
    ...(doc as object),
    timeUnit: (doc.timeUnit as TimeUnit | null | undefined) ?? null,
    spend: (spend as FittedModelJson | null | undefined) ?? null,
  } as ModelDocument;
}
