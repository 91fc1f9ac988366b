import {
  fitModel,
  issue,
  type PurchasePredictor,
  type SummaryColumns,
  ValuecastError,
} from "@valuecast/core";
import { observedRfm, purchaseModel } from "./models.ts";

/** Mean predicted vs actual holdout purchases of one calibration-frequency bucket ("0" .. "6", "7+"). */
export interface FrequencyBucket {
  readonly frequency: string;
  readonly customers: number;
  readonly actual: number;
  readonly predicted: number;
}

/** Per-customer holdout errors and totals (the CLI's `HoldoutErrors`). */
export interface HoldoutErrors {
  readonly customers: number;
  readonly mae: number;
  readonly rmse: number;
  readonly correlation: number | null;
  readonly predictedTotal: number;
  readonly actualTotal: number;
  readonly totalError: number | null;
}

/** One model's backtest (the CLI's `ModelBacktest`; `tracking` is empty here, see `evaluateModels`). */
export interface ModelBacktest {
  readonly model: string;
  readonly params: Readonly<Record<string, number>>;
  readonly logLikelihood: number;
  readonly aic: number;
  readonly bic: number;
  readonly converged: boolean;
  readonly holdout: HoldoutErrors;
  readonly buckets: readonly FrequencyBucket[];
  readonly tracking: readonly { period: number; time: number; actual: number | null; expected: number }[];
}

/** What `valuecast evaluate --json` prints. */
export interface EvaluateReport {
  readonly timeUnit: string;
  readonly customers: number;
  readonly calibrationEnd: string | null;
  readonly observationEnd: string | null;
  readonly trackingPeriod: number;
  readonly models: readonly ModelBacktest[];
  readonly comparison: {
    readonly best: string;
    readonly bestBy: Readonly<
      Record<"logLikelihood" | "aic" | "bic" | "mae" | "rmse" | "totalError", string>
    >;
    readonly reason: string;
  };
}

/** Each customer's conditional expected purchases over the holdout (Fader, Hardie & Lee 2005, eq. 10 for BG/NBD). */
function holdoutPredictions(p: PurchasePredictor, c: SummaryColumns, duration: number): Float64Array {
  const out = new Float64Array(c.length);
  // Customers share (x, t_x, T) patterns often: evaluate each pattern once.
  const cache = new Map<string, number>();
  for (let i = 0; i < c.length; i++) {
    const key = `${c.x[i]}|${c.t_x[i]}|${c.T[i]}`;
    let v = cache.get(key);
    if (v === undefined) {
      v = p.conditionalExpectedPurchases(duration, c.x[i]!, c.t_x[i]!, c.T[i]!);
      cache.set(key, v);
    }
    out[i] = v;
  }
  return out;
}

/** Frequency buckets 0..6, 7+ (Fader, Hardie & Lee 2005, Figure 3); empty buckets left out. */
function frequencyBuckets(x: Float64Array, actual: Float64Array, predicted: Float64Array): FrequencyBucket[] {
  const top = 7;
  const n = new Float64Array(top + 1);
  const act = new Float64Array(top + 1);
  const pred = new Float64Array(top + 1);
  for (let i = 0; i < x.length; i++) {
    const b = Math.min(top, Math.max(0, Math.round(x[i]!)));
    n[b]! += 1;
    act[b]! += actual[i]!;
    pred[b]! += predicted[i]!;
  }
  const out: FrequencyBucket[] = [];
  for (let b = 0; b <= top; b++)
    if (n[b]! > 0)
      out.push({
        frequency: b === top ? `${top}+` : String(b),
        customers: n[b]!,
        actual: act[b]! / n[b]!,
        predicted: pred[b]! / n[b]!,
      });
  return out;
}

function holdoutErrors(actual: Float64Array, predicted: Float64Array): HoldoutErrors {
  const n = actual.length;
  let abs = 0;
  let sq = 0;
  let sa = 0;
  let sp = 0;
  for (let i = 0; i < n; i++) {
    const d = predicted[i]! - actual[i]!;
    abs += Math.abs(d);
    sq += d * d;
    sa += actual[i]!;
    sp += predicted[i]!;
  }
  const [ma, mp] = n > 0 ? [sa / n, sp / n] : [0, 0];
  let cov = 0;
  let va = 0;
  let vp = 0;
  for (let i = 0; i < n; i++) {
    const [da, dp] = [actual[i]! - ma, predicted[i]! - mp];
    cov += da * dp;
    va += da * da;
    vp += dp * dp;
  }
  return {
    customers: n,
    mae: n > 0 ? abs / n : 0,
    rmse: n > 0 ? Math.sqrt(sq / n) : 0,
    // A constant series has no correlation: null rather than 0/0.
    correlation: va > 0 && vp > 0 ? cov / Math.sqrt(va * vp) : null,
    predictedTotal: sp,
    actualTotal: sa,
    totalError: sa > 0 ? (sp - sa) / sa : null,
  };
}

/** The CLI's `chooseModel`: lowest holdout MAE (ties by BIC), with the other criteria's winners. */
function choose(models: readonly ModelBacktest[]): EvaluateReport["comparison"] {
  const byMae = [...models].sort((p, q) => p.holdout.mae - q.holdout.mae || p.bic - q.bic);
  const best = byMae[0]!;
  const arg = (v: (m: ModelBacktest) => number) => models.reduce((b, m) => (v(m) < v(b) ? m : b)).model;
  const bestBy = {
    logLikelihood: arg((m) => -m.logLikelihood),
    aic: arg((m) => m.aic),
    bic: arg((m) => m.bic),
    mae: best.model,
    rmse: arg((m) => m.holdout.rmse),
    totalError: arg((m) => Math.abs(m.holdout.totalError ?? 0)),
  };
  const others = byMae
    .slice(1)
    .map((m) => `${m.model} ${m.holdout.mae.toFixed(4)}`)
    .join(", ");
  const disagree = Object.entries(bestBy).filter(([, m]) => m !== best.model);
  const reason = `${best.model} has the lowest per-customer holdout MAE (${best.holdout.mae.toFixed(4)}${others ? ` vs ${others}` : ""})${disagree.length ? `; ${disagree.map(([k, m]) => `${k} prefers ${m}`).join(", ")}` : ""}.`;
  return { best: best.model, bestBy, reason };
}

/**
 * Holdout backtest of each model on a dataset summarised with a calibration end (the CLI's `evaluate`,
 * same fields; weekly tracking needs the transaction-level birth times and is returned empty here).
 * @example evaluateModels(columns, ["bgnbd", "pnbd"]).comparison.best
 */
export function evaluateModels(columns: SummaryColumns, models: readonly string[]): EvaluateReport {
  const h = columns.holdout;
  if (!h)
    throw new ValuecastError([
      issue(
        "NOT_ENOUGH_DATA",
        "the backtest needs holdout actuals: register the dataset with a calibrationEnd before its last date",
        { field: "calibrationEnd" },
      ),
    ]);
  if (models.length === 0) throw new ValuecastError([issue("INVALID_REQUEST", "name at least one model")]);
  const { rfm } = observedRfm(columns);
  const results: ModelBacktest[] = models.map((name) => {
    const fit = fitModel(purchaseModel(name).spec, rfm, { timeUnit: columns.timeUnit });
    const predicted = holdoutPredictions(purchaseModel(name).predictor(fit.params), columns, h.duration);
    return {
      model: name,
      params: fit.params,
      logLikelihood: fit.logLikelihood,
      aic: fit.aic,
      bic: fit.bic,
      converged: fit.converged,
      holdout: holdoutErrors(h.x, predicted),
      buckets: frequencyBuckets(columns.x, h.x, predicted),
      tracking: [],
    };
  });
  return {
    timeUnit: columns.timeUnit,
    customers: columns.length,
    calibrationEnd: columns.calibrationEnd,
    observationEnd: h.observationEnd,
    trackingPeriod: 0,
    models: results,
    comparison: choose(results),
  };
}
