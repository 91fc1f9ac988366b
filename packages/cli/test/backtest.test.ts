import assert from "node:assert/strict";
import { describe, it } from "node:test";
// The backtest's pieces are core's compose (shared with the HTTP API); the CLI's evaluate calls them.
import {
  type BacktestData,
  chooseModel,
  expectedTracking,
  frequencyBuckets,
  holdoutErrors,
  holdoutPredictions,
  type PurchasePredictor,
  tracking,
} from "@valuecast/core";

/** A Poisson purchaser that never drops out, rate 0.5 per unit: CET = 0.5 t, E[X(t)] = 0.5 t. */
const poisson: PurchasePredictor = {
  model: "poisson",
  params: { lambda: 0.5 },
  pAlive: () => 1,
  conditionalExpectedPurchases: (t) => 0.5 * t,
  expectedPurchases: (t) => 0.5 * t,
  probabilityOfPurchases: () => 0,
};

const data: BacktestData = {
  x: Float64Array.from([0, 0, 1, 9, 7]),
  t_x: Float64Array.from([0, 0, 2, 5, 6]),
  T: Float64Array.from([10, 10, 8, 8, 7]),
  xHoldout: Float64Array.from([0, 2, 1, 4, 6]),
  durationHoldout: Float64Array.from([4, 4, 4, 4, 2]),
  birth: Float64Array.from([0, 0, 2, 2, 3]),
};

describe("backtest", () => {
  it("predicts each customer's holdout purchases from the model's CET", () => {
    assert.deepEqual(Array.from(holdoutPredictions(poisson, data)), [2, 2, 2, 2, 1]);
  });

  it("buckets by calibration frequency 0..6, 7+ with mean actual and predicted", () => {
    const b = frequencyBuckets(data, holdoutPredictions(poisson, data));
    assert.deepEqual(b, [
      { frequency: "0", customers: 2, actual: 1, predicted: 2 },
      { frequency: "1", customers: 1, actual: 1, predicted: 2 },
      { frequency: "7+", customers: 2, actual: 5, predicted: 1.5 },
    ]);
  });

  it("computes MAE, RMSE, correlation and totals by hand", () => {
    const e = holdoutErrors(Float64Array.from([0, 2, 4]), Float64Array.from([1, 1, 4]));
    assert.equal(e.mae, 2 / 3);
    assert.equal(e.rmse, Math.sqrt(2 / 3));
    assert.equal(e.actualTotal, 6);
    assert.equal(e.predictedTotal, 6);
    assert.equal(e.totalError, 0);
    // Pearson r of (0,2,4) and (1,1,4): cov = 6, var_a = 8, var_p = 6 -> 6 / sqrt(48)
    assert.ok(Math.abs(e.correlation! - 6 / Math.sqrt(48)) < 1e-15);
    assert.equal(holdoutErrors(Float64Array.from([1, 2]), Float64Array.from([3, 3])).correlation, null);
  });

  it("tracks cumulative expected purchases summed over birth times", () => {
    const exp = expectedTracking(poisson, data.birth!, 2, 3);
    // t=2: two born at 0 -> 2 * 1; t=4: 2*2 + 2*1 + 1*0.5; t=6: 2*3 + 2*2 + 1*1.5
    assert.deepEqual(Array.from(exp), [2, 6.5, 11.5]);
    const points = tracking(exp, 2, [1, 3, 4]);
    assert.deepEqual(
      points.map((p) => [p.period, p.time, p.actual, p.expected]),
      [
        [1, 2, 1, 2],
        [2, 4, 4, 6.5],
        [3, 6, 8, 11.5],
      ],
    );
    assert.equal(tracking(exp, 2)[0]!.actual, null);
  });

  it("names the model with the lowest holdout MAE and says where other criteria disagree", () => {
    const h = (mae: number) => ({
      customers: 1,
      mae,
      rmse: mae,
      correlation: 1,
      predictedTotal: 1,
      actualTotal: 1,
      totalError: 0,
    });
    const choice = chooseModel([
      { model: "bgnbd", logLikelihood: -100, aic: 208, bic: 220, holdout: h(0.5) },
      { model: "pnbd", logLikelihood: -99, aic: 206, bic: 218, holdout: h(0.4) },
      { model: "mbgnbd", logLikelihood: -98, aic: 204, bic: 230, holdout: h(0.6) },
    ]);
    assert.equal(choice.best, "pnbd");
    assert.equal(choice.bestBy.logLikelihood, "mbgnbd");
    assert.equal(choice.bestBy.bic, "pnbd");
    assert.match(
      choice.reason,
      /pnbd has the lowest per-customer holdout MAE \(0\.4000 vs bgnbd 0\.5000, mbgnbd 0\.6000\)/,
    );
    assert.match(choice.reason, /log-likelihood prefers mbgnbd/);
  });
});
