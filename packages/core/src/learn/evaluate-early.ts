import { issue, ValuecastError } from "../errors/issues.ts";
import { spearman } from "../metrics/correlation.ts";
import { type DecileRow, decileCalibration, decileMape, topDecileCapture } from "../metrics/deciles.ts";
import { mae, rmse } from "../metrics/errors.ts";
import { normalizedGini } from "../metrics/gini.ts";
import type { NumberVector } from "../metrics/validate.ts";
import type { EarlyCustomer, EarlyDataset, EarlySplitOptions } from "./early-features.ts";
import { splitEarlyByCohort } from "./early-features.ts";
import { type EarlyTrainOptions, scoreEarly, trainEarlyModel } from "./early-model.ts";
import type { ZilnTrainingReport } from "./train.ts";

/** The paper's evaluation of one prediction vector against the actual horizon values. */
export interface EarlyMetrics {
  readonly normalizedGini: number;
  readonly spearman: number;
  readonly decileMape: number;
  readonly topDecileCapture: number;
  readonly mae: number;
  readonly rmse: number;
  /** Mean prediction and mean actual value: the aggregate calibration. */
  readonly meanPredicted: number;
  readonly meanActual: number;
  readonly deciles: readonly DecileRow[];
}

/** One compared model or baseline. */
export interface EarlyComparisonRow {
  readonly name: string;
  readonly metrics: EarlyMetrics;
}

/**
 * Computes the evaluation of Wang, Liu & Miao (2019, sec. 4.2) for each named prediction vector:
 * normalized Gini, Spearman, decile MAPE and top-decile capture, plus MAE, RMSE and the decile table.
 * @example compareEarlyPredictions(actual, { ziln: mean, first_order: firstAmounts })
 */
export function compareEarlyPredictions(
  actual: NumberVector,
  predictions: Readonly<Record<string, NumberVector>>,
): EarlyComparisonRow[] {
  const meanOf = (v: NumberVector): number => {
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i]!;
    return v.length > 0 ? s / v.length : 0;
  };
  return Object.entries(predictions).map(([name, p]) => ({
    name,
    metrics: {
      normalizedGini: normalizedGini(actual, p),
      spearman: spearman(actual, p),
      decileMape: decileMape(actual, p),
      topDecileCapture: topDecileCapture(actual, p),
      mae: mae(actual, p),
      rmse: rmse(actual, p),
      meanPredicted: meanOf(p),
      meanActual: meanOf(actual),
      deciles: decileCalibration(actual, p),
    },
  }));
}

/**
 * An extra predictor to compare (e.g. the probabilistic model with covariates): given the training and
 * test customers, it returns one prediction of horizon value per test customer, in order.
 */
export interface ExtraEarlyPredictor {
  readonly name: string;
  predict(train: readonly EarlyCustomer[], test: readonly EarlyCustomer[]): NumberVector;
}

/** Options of `evaluateEarly`. */
export interface EvaluateEarlyOptions {
  /** Where to cut training from test cohorts (default trainShare 0.7 of the label-observed customers). */
  readonly split?: EarlySplitOptions;
  /** Options of the linear ZILN model. */
  readonly linear?: EarlyTrainOptions;
  /** Options of the MLP (default hidden [64, 32]); false to skip it. */
  readonly mlp?: EarlyTrainOptions | false;
  /** More named predictors to put beside the built-in ones. */
  readonly extra?: readonly ExtraEarlyPredictor[];
}

/** The result of `evaluateEarly`. */
export interface EarlyEvaluation {
  readonly trainCustomers: number;
  readonly testCustomers: number;
  /** The first acquisition instant of the test cohorts (epoch ms). */
  readonly trainEnd: number;
  /** Models and baselines, built-ins first: ziln_linear, ziln_mlp, first_order_value, overall_mean, then extras. */
  readonly rows: readonly EarlyComparisonRow[];
  readonly training: Readonly<Record<string, ZilnTrainingReport>>;
  /** The test customers' actual horizon values, in test (acquisition) order. */
  readonly actual: Float64Array;
  /**
   * Every compared vector's predictions of the test customers, in the same order and under the same
   * names as `rows` (e.g. for bootstrap intervals, without training the models again).
   */
  readonly predictions: Readonly<Record<string, NumberVector>>;
}

/**
 * Backtests early-value prediction as Wang, Liu & Miao (2019) evaluate it, on a time-based split:
 * the learned ZILN models (linear, MLP) against the baselines
 * - `first_order_value`: c x first order amount, c = (sum of training labels) / (sum of training first
 *   amounts), so it ranks by first order value and is calibrated in aggregate on the training cohorts;
 * - `overall_mean`: the training mean label for everyone (ranks nobody: normalized Gini 0);
 * and any `extra` predictors.
 * @example const ev = evaluateEarly(buildEarlyDataset(tx, { horizonDays: 364 }), { split: { trainShare: 0.7 } });
 */
export function evaluateEarly(dataset: EarlyDataset, options: EvaluateEarlyOptions = {}): EarlyEvaluation {
  const split = splitEarlyByCohort(dataset, options.split ?? { trainShare: 0.7 });
  const { train, test } = split;
  if (train.length < 10 || test.length < 10) {
    throw new ValuecastError([
      issue(
        "NOT_ENOUGH_DATA",
        `early evaluation needs at least 10 labelled customers on each side of the split (train ${train.length}, test ${test.length})`,
      ),
    ]);
  }
  const actual = Float64Array.from(test, (c) => c.label);
  const predictions: Record<string, NumberVector> = {};
  const training: Record<string, ZilnTrainingReport> = {};

  const linear = trainEarlyModel(train, options.linear ?? {});
  predictions.ziln_linear = scoreEarly(linear, test).mean;
  training.ziln_linear = linear.ziln.training;
  if (options.mlp !== false) {
    const mlp = trainEarlyModel(train, { hidden: [64, 32], ...(options.mlp ?? {}) });
    predictions.ziln_mlp = scoreEarly(mlp, test).mean;
    training.ziln_mlp = mlp.ziln.training;
  }

  let sumLabel = 0;
  let sumFirst = 0;
  for (const c of train) {
    sumLabel += c.label;
    sumFirst += Math.max(0, c.features.first_amount);
  }
  const ratio = sumFirst > 0 ? sumLabel / sumFirst : 0;
  predictions.first_order_value = Float64Array.from(
    test,
    (c) => ratio * Math.max(0, c.features.first_amount),
  );
  const meanLabel = sumLabel / train.length;
  predictions.overall_mean = new Float64Array(test.length).fill(meanLabel);

  for (const e of options.extra ?? []) {
    const p = e.predict(train, test);
    if (p.length !== test.length) {
      throw new ValuecastError([
        issue(
          "INVALID_DATA",
          `predictor ${e.name} returned ${p.length} predictions for ${test.length} customers`,
        ),
      ]);
    }
    predictions[e.name] = p;
  }
  return {
    trainCustomers: train.length,
    testCustomers: test.length,
    trainEnd: split.trainEnd,
    rows: compareEarlyPredictions(actual, predictions),
    training,
    actual,
    predictions,
  };
}
