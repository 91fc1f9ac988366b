import { beta, createRng, exponential, gamma } from "../../math/random.ts";
import type { DropoutShift } from "./bg-likelihood.ts";
import { readBgParams } from "./bg-params.ts";

/**
 * Simulated customers: their summaries and every repeat-purchase time.
 * @example const sim: SimulatedRfm = simulateBgnbd(params, T, 1); sim.times.subarray(sim.offsets[0], sim.offsets[1])
 */
export interface SimulatedRfm {
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly T: Float64Array;
  /** Repeat-purchase times of customer i are times[offsets[i]] ... times[offsets[i+1] - 1], ascending. */
  readonly times: Float64Array;
  readonly offsets: Int32Array;
  /** Each customer's drawn purchase rate and dropout probability (for checks). */
  readonly lambda: Float64Array;
  readonly p: Float64Array;
}

/**
 * Simulates the BG/NBD (shift 0) or MBG/NBD (shift 1) story for customers observed for T[i] time units
 * after their first purchase at time 0: lambda ~ Gamma(r, alpha), p ~ Beta(a, b); purchase gaps are
 * Exponential(lambda); after each repeat purchase (and, for MBG/NBD, right after the first purchase)
 * the customer drops out with probability p. Deterministic for a given seed.
 * @example bgFamilySimulate(0, { r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, [52, 52], 7).x
 */
export function bgFamilySimulate(
  shift: DropoutShift,
  params: Readonly<Record<string, number>>,
  T: ArrayLike<number>,
  seed: number,
  model: string,
): SimulatedRfm {
  const { r, alpha, a, b } = readBgParams(params, model);
  const rng = createRng(seed);
  const n = T.length;
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const Ts = Float64Array.from(T);
  const lambda = new Float64Array(n);
  const p = new Float64Array(n);
  const offsets = new Int32Array(n + 1);
  let times = new Float64Array(Math.max(16, n * 2));
  let m = 0;
  for (let i = 0; i < n; i++) {
    const li = gamma(rng, r, alpha);
    const pi = beta(rng, a, b);
    lambda[i] = li;
    p[i] = pi;
    offsets[i] = m;
    const end = Ts[i]!;
    let alive = !(shift === 1 && rng.uniform() < pi);
    let t = 0;
    let count = 0;
    while (alive && li > 0) {
      t += exponential(rng, li);
      if (!(t <= end)) break;
      if (m === times.length) {
        const grown = new Float64Array(times.length * 2);
        grown.set(times);
        times = grown;
      }
      times[m++] = t;
      count++;
      if (rng.uniform() < pi) alive = false;
    }
    x[i] = count;
    tx[i] = count > 0 ? times[m - 1]! : 0;
  }
  offsets[n] = m;
  return { x, t_x: tx, T: Ts, times: times.slice(0, m), offsets, lambda, p };
}
