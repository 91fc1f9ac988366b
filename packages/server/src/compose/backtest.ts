import {
  backtestModel,
  chooseModel,
  type EvaluateReport,
  issue,
  type SummaryColumns,
  ValuecastError,
} from "@valuecast/core";
import { purchaseModel } from "./models.ts";

// The report's shape is the CLI's `evaluate --json` (core's compose types).
export type { EvaluateReport, FrequencyBucket, HoldoutErrors, ModelBacktest } from "@valuecast/core";

/**
 * Holdout backtest of each model on a dataset summarised with a calibration end (the CLI's `evaluate`,
 * same fields, through core's `backtestModel` and `chooseModel`); weekly tracking needs the
 * transaction-level birth times and is returned empty here.
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
  const data = {
    x: columns.x,
    t_x: columns.t_x,
    T: columns.T,
    xHoldout: h.x,
    // every customer's holdout runs from the calibration end to the observation end
    durationHoldout: new Float64Array(columns.length).fill(h.duration),
  };
  const results = models.map((name) =>
    backtestModel(name, purchaseModel(name), data, columns.timeUnit, null),
  );
  return {
    timeUnit: columns.timeUnit,
    customers: columns.length,
    calibrationEnd: columns.calibrationEnd,
    observationEnd: h.observationEnd,
    trackingPeriod: 0,
    models: results,
    comparison: chooseModel(results),
  };
}
