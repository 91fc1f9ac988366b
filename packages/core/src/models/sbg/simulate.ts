import { beta as betaDraw, createRng } from "../../math/random.ts";
import type { SbgParams } from "./params.ts";

/**
 * Simulates the lifetimes of `size` customers under the sBG model (Fader & Hardie 2007, section 3):
 * theta ~ Beta(alpha, beta) per customer, then the period of cancellation T >= 1 is shifted-geometric,
 * P(T = t) = theta (1 - theta)^(t - 1), drawn by inversion T = 1 + floor(ln U / ln(1 - theta)).
 * Reproducible for a seed.
 * @example simulateSbgLifetimes({ alpha: 0.704, beta: 1.182 }, 1000, 42) // Float64Array of periods
 */
export function simulateSbgLifetimes(params: SbgParams, size: number, seed = 1): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const theta = betaDraw(rng, params.alpha, params.beta);
    const u = 1 - rng.uniform(); // in (0, 1], so ln u is finite
    // log1p(-theta) keeps tiny churn probabilities accurate; theta = 1 cancels in the first period.
    const t = theta >= 1 ? 1 : 1 + Math.floor(Math.log(u) / Math.log1p(-theta));
    out[i] = Number.isFinite(t) ? t : Number.MAX_SAFE_INTEGER;
  }
  return out;
}

/**
 * Simulates one cohort's survivor curve: customers of `size` still active after t = 0..periods periods.
 * @example simulateSbgCohort({ alpha: 0.704, beta: 1.182 }, 1000, 7, 42) // [1000, ~630, ...]
 */
export function simulateSbgCohort(params: SbgParams, size: number, periods: number, seed = 1): Float64Array {
  const lifetimes = simulateSbgLifetimes(params, size, seed);
  const survivors = new Float64Array(Math.max(0, Math.floor(periods)) + 1);
  for (const T of lifetimes) {
    // Active through periods 0..T-1.
    const last = Math.min(T - 1, survivors.length - 1);
    for (let t = 0; t <= last; t++) survivors[t] = survivors[t]! + 1;
  }
  return survivors;
}
