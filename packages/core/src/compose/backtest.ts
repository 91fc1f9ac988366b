import { fitModel } from "../fit/fit.ts";
import type { PurchaseModel, PurchasePredictor } from "../models/purchase-model.ts";
import type { TimeUnit } from "../time.ts";
import { observedRfm } from "./fit-customers.ts";

/**
 * Calibration/holdout data for a backtest, one entry per customer, every time in the model's unit:
 * calibration (x, t_x, T), the repeat purchases observed in the holdout period and its length, and
 * `birth`, the time of the first purchase since the start of the observation period (for tracking).
 */
export interface BacktestData {
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly T: Float64Array;
  readonly xHoldout: Float64Array;
  readonly durationHoldout: Float64Array;
  readonly birth?: Float64Array;
}

/** Extra per-customer and per-period inputs that only transaction sources can give. */
export interface TrackingInputs {
  /** First purchase time since the start of observation, in the model's unit, per customer. */
  readonly birth: Float64Array;
  /** Actual repeat transactions in each tracking period since the start. */
  readonly actualPerPeriod: ArrayLike<number>;
  readonly periodLength: number;
  readonly periods: number;
}

/** Calibration-frequency bucket: mean predicted vs mean actual holdout purchases. */
export interface FrequencyBucket {
  /** "0" .. "6", then "7+". */
  readonly frequency: string;
  readonly customers: number;
  readonly actual: number;
  readonly predicted: number;
}

/** One tracking period: cumulative repeat purchases since the start, actual (when known) and expected. */
export interface TrackingPoint {
  /** Period number from 1 (period end = period * periodLength after the start). */
  readonly period: number;
  /** Time at the period's end since the start, in the model's unit. */
  readonly time: number;
  readonly actual: number | null;
  readonly expected: number;
}

/** Per-customer holdout error measures and totals. */
export interface HoldoutErrors {
  readonly customers: number;
  /** Mean absolute error of per-customer holdout purchases. */
  readonly mae: number;
  /** Root mean squared error of per-customer holdout purchases. */
  readonly rmse: number;
  /** Pearson correlation of predicted and actual per-customer holdout purchases (null if constant). */
  readonly correlation: number | null;
  readonly predictedTotal: number;
  readonly actualTotal: number;
  /** (predicted - actual) / actual total, null when nothing was bought. */
  readonly totalError: number | null;
}

/** The largest bucket, as in Fader, Hardie & Lee (2005) Figure 3: 0, 1, ..., 6, 7+. */
export const TOP_BUCKET = 7;

/**
 * Each customer's conditional expected purchases over their holdout period ("CET"), the quantity the
 * holdout actuals are compared against (Fader, Hardie & Lee 2005, eq. 10 for BG/NBD).
 * @example holdoutPredictions(bgnbd.predictor(params), data)[0]
 */
export function holdoutPredictions(predictor: PurchasePredictor, data: BacktestData): Float64Array {
  const n = data.x.length;
  const out = new Float64Array(n);
  // Customers share (x, t_x, T, duration) patterns often (same-day cohorts): cache per pattern.
  const cache = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = `${data.x[i]}|${data.t_x[i]}|${data.T[i]}|${data.durationHoldout[i]}`;
    let v = cache.get(key);
    if (v === undefined) {
      v = predictor.conditionalExpectedPurchases(
        data.durationHoldout[i]!,
        data.x[i]!,
        data.t_x[i]!,
        data.T[i]!,
      );
      cache.set(key, v);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Mean predicted vs actual holdout purchases per calibration frequency 0, 1, ..., 6, 7+ (the conditional
 * expectations plot of Fader, Hardie & Lee 2005, Figure 3). Empty buckets are left out.
 * @example frequencyBuckets(data, holdoutPredictions(predictor, data))[0] // { frequency: "0", ... }
 */
export function frequencyBuckets(data: BacktestData, predicted: Float64Array): FrequencyBucket[] {
  const k = TOP_BUCKET + 1;
  const n = new Float64Array(k);
  const act = new Float64Array(k);
  const pred = new Float64Array(k);
  for (let i = 0; i < data.x.length; i++) {
    const b = Math.min(TOP_BUCKET, Math.max(0, Math.round(data.x[i]!)));
    n[b]! += 1;
    act[b]! += data.xHoldout[i]!;
    pred[b]! += predicted[i]!;
  }
  const out: FrequencyBucket[] = [];
  for (let b = 0; b < k; b++) {
    if (n[b] === 0) continue;
    out.push({
      frequency: b === TOP_BUCKET ? `${TOP_BUCKET}+` : String(b),
      customers: n[b]!,
      actual: act[b]! / n[b]!,
      predicted: pred[b]! / n[b]!,
    });
  }
  return out;
}

/**
 * MAE, RMSE, correlation and totals of per-customer predicted vs actual holdout purchases.
 * @example holdoutErrors(Float64Array.of(0, 2, 4), Float64Array.of(1, 1, 4)).mae // 0.667
 */
export function holdoutErrors(actual: Float64Array, predicted: Float64Array): HoldoutErrors {
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
  const ma = n > 0 ? sa / n : 0;
  const mp = n > 0 ? sp / n : 0;
  let cov = 0;
  let va = 0;
  let vp = 0;
  for (let i = 0; i < n; i++) {
    const da = actual[i]! - ma;
    const dp = predicted[i]! - mp;
    cov += da * dp;
    va += da * da;
    vp += dp * dp;
  }
  return {
    customers: n,
    mae: n > 0 ? abs / n : 0,
    rmse: n > 0 ? Math.sqrt(sq / n) : 0,
    // A constant series has no correlation: report null rather than 0/0.
    correlation: va > 0 && vp > 0 ? cov / Math.sqrt(va * vp) : null,
    predictedTotal: sp,
    actualTotal: sa,
    totalError: sa > 0 ? (sp - sa) / sa : null,
  };
}

/**
 * Cumulative expected repeat purchases of the whole customer base at the end of each period:
 * sum over customers of E[X(t - birth_i)] for customers born before t (Fader, Hardie & Lee 2005,
 * Figure 2, "cumulative repeat transactions"). Customers are grouped by birth time so the model is
 * evaluated once per distinct birth and period.
 * @example expectedTracking(predictor, births, 1, 78) // weekly, 78 weeks
 */
export function expectedTracking(
  predictor: PurchasePredictor,
  birth: Float64Array,
  periodLength: number,
  periods: number,
): Float64Array {
  const groups = new Map<number, number>();
  for (let i = 0; i < birth.length; i++) groups.set(birth[i]!, (groups.get(birth[i]!) ?? 0) + 1);
  const out = new Float64Array(periods);
  for (let j = 0; j < periods; j++) {
    const t = (j + 1) * periodLength;
    let s = 0;
    for (const [b, count] of groups) if (t > b) s += count * predictor.expectedPurchases(t - b);
    out[j] = s;
  }
  return out;
}

/**
 * Pairs expected cumulative tracking with actual per-period repeat purchases (cumulated here), when known.
 * @example tracking(expectedTracking(predictor, birth, 1, 78), 1, weeklyActual)
 */
export function tracking(
  expectedCumulative: Float64Array,
  periodLength: number,
  actualPerPeriod?: ArrayLike<number>,
): TrackingPoint[] {
  const out: TrackingPoint[] = [];
  let cum = 0;
  for (let j = 0; j < expectedCumulative.length; j++) {
    const a = actualPerPeriod?.[j];
    if (a !== undefined) cum += a;
    out.push({
      period: j + 1,
      time: (j + 1) * periodLength,
      actual: actualPerPeriod && a !== undefined ? cum : null,
      expected: expectedCumulative[j]!,
    });
  }
  return out;
}

/**
 * Actual repeat purchase occasions per period since `startDay`, from customer purchase days (same-day
 * purchases already merged, as in the summaries): every occasion after a customer's first counts in the
 * period it falls in. Days are days since 1970-01-01; occasions after `endDay` are ignored.
 * @example repeatOccasionsPerPeriod([[0, 3, 9]], 0, 7, 2, 13) // Float64Array [1, 1]
 */
export function repeatOccasionsPerPeriod(
  daysPerCustomer: Iterable<readonly number[]>,
  startDay: number,
  periodDays: number,
  periods: number,
  endDay: number,
): Float64Array {
  const out = new Float64Array(periods);
  for (const days of daysPerCustomer) {
    const sorted = [...new Set(days)].sort((p, q) => p - q);
    for (let k = 1; k < sorted.length; k++) {
      const d = sorted[k]!;
      if (d > endDay) break;
      const j = Math.floor((d - startDay) / periodDays);
      if (j >= 0 && j < periods) out[j]! += 1;
    }
  }
  return out;
}

/** One model's backtest: its fit, per-customer holdout errors, frequency buckets and tracking. */
export interface ModelBacktest {
  readonly model: string;
  readonly params: Readonly<Record<string, number>>;
  readonly logLikelihood: number;
  readonly aic: number;
  readonly bic: number;
  readonly converged: boolean;
  readonly holdout: HoldoutErrors;
  readonly buckets: readonly FrequencyBucket[];
  readonly tracking: readonly TrackingPoint[];
}

/**
 * Fits one purchase model on the calibration rows (customers with T = 0 left out, see `observedRfm`) and
 * compares its conditional expectations with the holdout: errors, frequency buckets (Fader, Hardie & Lee
 * 2005, Figure 3) and, when the transaction-level inputs are given, cumulative tracking (their Figure 2).
 * @example backtestModel("bgnbd", bgnbdModel, data, "week", null).holdout.mae
 */
export function backtestModel(
  name: string,
  model: PurchaseModel,
  data: BacktestData,
  timeUnit: TimeUnit,
  trackingInputs: TrackingInputs | null,
): ModelBacktest {
  const fit = fitModel(model.spec, observedRfm(data).rfm, { timeUnit });
  const predictor = model.predictor(fit.params);
  const predicted = holdoutPredictions(predictor, data);
  const track = trackingInputs
    ? tracking(
        expectedTracking(
          predictor,
          trackingInputs.birth,
          trackingInputs.periodLength,
          trackingInputs.periods,
        ),
        trackingInputs.periodLength,
        trackingInputs.actualPerPeriod,
      )
    : [];
  return {
    model: name,
    params: fit.params,
    logLikelihood: fit.logLikelihood,
    aic: fit.aic,
    bic: fit.bic,
    converged: fit.converged,
    holdout: holdoutErrors(data.xHoldout, predicted),
    buckets: frequencyBuckets(data, predicted),
    tracking: track,
  };
}

/** What the comparison needs of each model: in-sample fit and holdout error. */
export interface ModelScore {
  readonly model: string;
  readonly logLikelihood: number;
  readonly aic: number;
  readonly bic: number;
  readonly holdout: HoldoutErrors;
}

/** The model named best, the best by each criterion, and why. */
export interface ModelChoice {
  readonly best: string;
  /** Best by each criterion (lower is better for AIC, BIC, MAE, RMSE, |total error|; higher LL). */
  readonly bestBy: Readonly<Record<"logLikelihood" | "aic" | "bic" | "mae" | "rmse" | "totalError", string>>;
  readonly reason: string;
}

/** What `evaluate --json` prints and `POST /datasets/{id}/evaluate` answers. */
export interface EvaluateReport {
  readonly timeUnit: string;
  readonly customers: number;
  readonly calibrationEnd: string | null;
  readonly observationEnd: string | null;
  /** Length of a tracking period in the model's unit (one week); 0 without tracking. */
  readonly trackingPeriod: number;
  readonly models: readonly ModelBacktest[];
  readonly comparison: ModelChoice;
}

function argBest(scores: readonly ModelScore[], value: (s: ModelScore) => number): ModelScore {
  let best = scores[0]!;
  for (const s of scores) if (value(s) < value(best)) best = s;
  return best;
}

const CRITERION_LABELS: Readonly<Record<string, string>> = {
  logLikelihood: "log-likelihood",
  aic: "AIC",
  bic: "BIC",
  rmse: "holdout RMSE",
  totalError: "total holdout error",
};

/**
 * Names the best model: the lowest per-customer holdout mean absolute error (what a marketer will
 * experience out of sample), ties broken by BIC, and says why, quoting the other criteria where they
 * disagree.
 * @example chooseModel(scores).best // "pnbd"
 */
export function chooseModel(scores: readonly ModelScore[]): ModelChoice {
  if (scores.length === 0) throw new Error("chooseModel: no models");
  const byMae = [...scores].sort((p, q) => p.holdout.mae - q.holdout.mae || p.bic - q.bic);
  const best = byMae[0]!;
  const bestBy = {
    logLikelihood: argBest(scores, (s) => -s.logLikelihood).model,
    aic: argBest(scores, (s) => s.aic).model,
    bic: argBest(scores, (s) => s.bic).model,
    mae: best.model,
    rmse: argBest(scores, (s) => s.holdout.rmse).model,
    totalError: argBest(scores, (s) => Math.abs(s.holdout.totalError ?? 0)).model,
  };
  const others = byMae
    .slice(1)
    .map((s) => `${s.model} ${s.holdout.mae.toFixed(4)}`)
    .join(", ");
  const parts = [
    `${best.model} has the lowest per-customer holdout MAE (${best.holdout.mae.toFixed(4)}${others ? ` vs ${others}` : ""})`,
  ];
  const entries = Object.entries(bestBy) as [string, string][];
  const agree = entries.filter(([k, m]) => k !== "mae" && m === best.model);
  const disagree = entries.filter(([, m]) => m !== best.model);
  const label = (k: string) => CRITERION_LABELS[k] ?? k;
  if (agree.length) parts.push(`it is also best by ${agree.map(([k]) => label(k)).join(", ")}`);
  if (disagree.length) parts.push(disagree.map(([k, m]) => `${label(k)} prefers ${m}`).join(", "));
  return { best: best.model, bestBy, reason: `${parts.join("; ")}.` };
}
