import {
  createRng,
  type EarlyCustomer,
  type EarlyDataset,
  type ExtraEarlyPredictor,
  normalizedGini,
  scoreEarly,
  splitEarlyByCohort,
  trainEarlyModel,
} from "@valuecast/core";

/** A model's normalized-Gini gain over the first-order-value ranking, with its bootstrap interval. */
export interface GiniGain {
  readonly model: string;
  /** Gini(model) - Gini(first_order_value) on the test cohorts. */
  readonly gain: number;
  /** 2.5% and 97.5% percentiles of the gain over bootstrap resamples of the test customers. */
  readonly low: number;
  readonly high: number;
  /** Share of resamples in which the model ranks better than the baseline. */
  readonly shareAbove: number;
}

/**
 * The test cohorts' predictions of every compared model, recomputed the way `evaluateEarly` computes
 * them (the same split, the same training options and seed, so the same numbers): the learned models'
 * predictions are not part of its result, and the bootstrap needs them per customer.
 */
function testPredictions(
  ds: EarlyDataset,
  trainShare: number,
  seed: number,
  extra: readonly ExtraEarlyPredictor[],
): { test: readonly EarlyCustomer[]; predictions: Record<string, ArrayLike<number>> } {
  const { train, test } = splitEarlyByCohort(ds, { trainShare });
  const predictions: Record<string, ArrayLike<number>> = {
    ziln_linear: scoreEarly(trainEarlyModel(train, { seed }), test).mean,
    ziln_mlp: scoreEarly(trainEarlyModel(train, { hidden: [64, 32], seed }), test).mean,
  };
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
  for (const e of extra) predictions[e.name] = e.predict(train, test);
  return { test, predictions };
}

/**
 * Bootstrap intervals for each model's normalized-Gini gain over the first-order-value baseline:
 * test customers are resampled with replacement `resamples` times (seeded), both rankings are scored on
 * each resample, and the 2.5% / 97.5% percentiles of the difference are reported. Pairing the two
 * rankings on the same resample is what makes the interval about the gain rather than about either Gini.
 * @example giniGains(ds, 0.7, 1, [], 500).find((g) => g.model === "ziln_linear")?.low
 */
export function giniGains(
  ds: EarlyDataset,
  trainShare: number,
  seed: number,
  extra: readonly ExtraEarlyPredictor[],
  resamples: number,
): GiniGain[] {
  const { test, predictions } = testPredictions(ds, trainShare, seed, extra);
  const n = test.length;
  const actual = Float64Array.from(test, (c) => c.label);
  const base = predictions.first_order_value!;
  const models = Object.keys(predictions).filter((k) => k !== "first_order_value");
  const gains = new Map(models.map((m) => [m, new Float64Array(resamples)]));
  const rng = createRng(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const p = new Float64Array(n);
  const idx = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) idx[i] = Math.min(n - 1, Math.floor(rng.uniform() * n));
    for (let i = 0; i < n; i++) {
      a[i] = actual[idx[i]!]!;
      b[i] = base[idx[i]!]!;
    }
    const g0 = normalizedGini(a, b);
    for (const m of models) {
      const pm = predictions[m]!;
      for (let i = 0; i < n; i++) p[i] = pm[idx[i]!]!;
      gains.get(m)![r] = normalizedGini(a, p) - g0;
    }
  }
  const g0 = normalizedGini(actual, base);
  return models.map((m) => {
    const g = gains.get(m)!.sort();
    const at = (q: number) => g[Math.min(resamples - 1, Math.max(0, Math.round(q * (resamples - 1))))]!;
    let above = 0;
    for (const v of g) if (v > 0) above++;
    return {
      model: m,
      gain: normalizedGini(actual, predictions[m]!) - g0,
      low: at(0.025),
      high: at(0.975),
      shareAbove: above / resamples,
    };
  });
}
