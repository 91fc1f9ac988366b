import { quantileSorted } from "./quantile.ts";

/** Mean and quantiles of one quantity over parameter draws. */
export interface DrawSummary {
  readonly mean: number;
  readonly median: number;
  readonly lower: number;
  readonly upper: number;
}

export interface ForecastIntervals {
  /** Central interval level, e.g. 0.9 for the 5% and 95% quantiles. */
  readonly level: number;
  readonly draws: number;
  /** Per period, over draws. */
  readonly periods: readonly DrawSummary[];
  /** The sum over periods, per draw, summarised. */
  readonly total: DrawSummary;
}

function summarise(values: Float64Array, level: number): DrawSummary {
  let sum = 0;
  for (const v of values) sum += v;
  values.sort();
  const a = (1 - level) / 2;
  return {
    mean: sum / values.length,
    median: quantileSorted(values, 0.5),
    lower: quantileSorted(values, a),
    upper: quantileSorted(values, 1 - a),
  };
}

/**
 * Aggregate forecast intervals from parameter draws (sampled from the fitted covariance, or bootstrap
 * refits): the caller's `perDraw(d)` returns the per-period totals for draw d (already summed over
 * customers, so a 1M-customer base never becomes a customers x draws matrix); this keeps only
 * draws x periods numbers and returns the mean, median and central `level` interval (type-7 quantiles)
 * per period and for the total. Draws with a non-finite value are dropped and counted in `draws`.
 * @example forecastIntervals(100, (d) => totalsForDraw(d), 0.9).periods[0]?.upper
 */
export function forecastIntervals(
  drawCount: number,
  perDraw: (draw: number) => readonly number[],
  level = 0.9,
): ForecastIntervals | null {
  const rows: (readonly number[])[] = [];
  let periods = 0;
  for (let d = 0; d < drawCount; d++) {
    const r = perDraw(d);
    if (!r.every((v) => Number.isFinite(v))) continue;
    rows.push(r);
    periods = Math.max(periods, r.length);
  }
  const D = rows.length;
  if (D === 0) return null;
  const out: DrawSummary[] = [];
  const col = new Float64Array(D);
  const totals = new Float64Array(D);
  for (let k = 0; k < periods; k++) {
    for (let d = 0; d < D; d++) {
      const v = (rows[d] as readonly number[])[k] ?? 0;
      col[d] = v;
      totals[d] = (totals[d] as number) + v;
    }
    out.push(summarise(col, level));
  }
  return { level, draws: D, periods: out, total: summarise(totals, level) };
}

export interface CustomerIntervalOptions {
  readonly customers: number;
  readonly draws: number;
  /** Central interval level; default 0.9. */
  readonly level?: number;
  /** Customers per chunk; memory is chunkSize x draws numbers. Default 10,000. */
  readonly chunkSize?: number;
  /** Writes draw d's value for customers [from, to) into out[0 .. to - from). */
  fill(draw: number, from: number, to: number, out: Float64Array): void;
  /** When given, each chunk's results go here and are not kept (streaming to a file or table). */
  onChunk?(from: number, lower: Float64Array, median: Float64Array, upper: Float64Array): void;
}

export interface CustomerIntervals {
  readonly level: number;
  readonly customers: number;
  readonly draws: number;
  /** Per customer (omitted, empty, when `onChunk` streams them). */
  readonly lower: number[];
  readonly median: number[];
  readonly upper: number[];
  /** Customers with a non-finite value in some draw: their interval uses the finite draws only. */
  readonly customersWithDroppedDraws: number;
  /** Customers with no finite draw at all: shown as a zero-width interval at 0, counted here. */
  readonly customersWithoutFiniteDraws: number;
}

/**
 * Per-customer intervals over parameter draws, streamed in chunks of customers: for each chunk the caller
 * fills one draw at a time (so a model's per-draw setup is reused over the chunk), and each customer's
 * draws are sorted once for the type-7 quantiles. Memory is chunkSize x draws, never customers x draws.
 * @example customerIntervals({ customers: 1e6, draws: 100, fill: (d, a, b, out) => scoreDraw(d, a, b, out) })
 */
export function customerIntervals(options: CustomerIntervalOptions): CustomerIntervals {
  const n = options.customers;
  const D = options.draws;
  const level = options.level ?? 0.9;
  const chunk = Math.max(1, Math.min(n, options.chunkSize ?? 10_000));
  const a = (1 - level) / 2;
  const keep = options.onChunk === undefined;
  const lowerAll: number[] = keep ? new Array(n) : [];
  const medianAll: number[] = keep ? new Array(n) : [];
  const upperAll: number[] = keep ? new Array(n) : [];
  // customer-major buffer: customer c's draws are contiguous, so each can be sorted in place
  const buf = new Float64Array(chunk * D);
  const drawOut = new Float64Array(chunk);
  const tmp = new Float64Array(D);
  let dropped = 0;
  let none = 0;
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk);
    const m = to - from;
    for (let d = 0; d < D; d++) {
      options.fill(d, from, to, drawOut);
      for (let c = 0; c < m; c++) buf[c * D + d] = drawOut[c] as number;
    }
    const lo = new Float64Array(m);
    const med = new Float64Array(m);
    const up = new Float64Array(m);
    for (let c = 0; c < m; c++) {
      let k = 0;
      for (let d = 0; d < D; d++) {
        const v = buf[c * D + d] as number;
        if (Number.isFinite(v)) tmp[k++] = v;
      }
      if (k < D) dropped++;
      if (k === 0) {
        none++;
        // no finite draw at all: report 0-width interval at 0 rather than NaN, and count the customer
        lo[c] = 0;
        med[c] = 0;
        up[c] = 0;
        continue;
      }
      const s = tmp.subarray(0, k).sort();
      lo[c] = quantileSorted(s, a);
      med[c] = quantileSorted(s, 0.5);
      up[c] = quantileSorted(s, 1 - a);
    }
    if (keep) {
      for (let c = 0; c < m; c++) {
        lowerAll[from + c] = lo[c] as number;
        medianAll[from + c] = med[c] as number;
        upperAll[from + c] = up[c] as number;
      }
    } else options.onChunk?.(from, lo, med, up);
  }
  return {
    level,
    customers: n,
    draws: D,
    lower: lowerAll,
    median: medianAll,
    upper: upperAll,
    customersWithDroppedDraws: dropped,
    customersWithoutFiniteDraws: none,
  };
}
