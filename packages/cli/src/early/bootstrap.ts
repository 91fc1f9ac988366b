import { createRng, type EarlyEvaluation, normalizedGini } from "@valuecast/core";

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
 * Bootstrap intervals for each model's normalized-Gini gain over the first-order-value baseline:
 * test customers are resampled with replacement `resamples` times (seeded), both rankings are scored on
 * each resample, and the 2.5% / 97.5% percentiles of the difference are reported. Pairing the two
 * rankings on the same resample is what makes the interval about the gain rather than about either Gini.
 * The predictions are the very ones `evaluateEarly` scored (its `actual` and `predictions`): no model
 * is trained again.
 * @example giniGains(evaluateEarly(ds, { linear: { seed: 1 } }), 1, 500).find((g) => g.model === "ziln_linear")?.low
 */
export function giniGains(
  evaluation: Pick<EarlyEvaluation, "actual" | "predictions">,
  seed: number,
  resamples: number,
): GiniGain[] {
  const { actual, predictions } = evaluation;
  const n = actual.length;
  const base = predictions.first_order_value!;
  // every compared model but the two baselines (overall_mean ranks nobody)
  const models = Object.keys(predictions).filter((k) => k !== "first_order_value" && k !== "overall_mean");
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
