import { beta as betaDraw, createRng } from "../../math/random.ts";
import type { DiscreteRfData } from "../types.ts";
import { discreteRfData } from "./data.ts";
import type { BgbbParams } from "./params.ts";

/** Simulated BG/BB customers: calibration data, holdout counts and the true latent state. */
export interface BgbbSimulation {
  /** (x, t_x, n) over the first n opportunities. */
  readonly data: DiscreteRfData;
  /** Transactions in the `holdout` opportunities after n (zeros when no holdout was asked for). */
  readonly holdout: Float64Array;
  /** 1 when the customer is still alive at opportunity n + 1, else 0. */
  readonly aliveAfterCalibration: Uint8Array;
}

export interface BgbbSimulationOptions {
  /** Seed of the random stream (default 1). */
  readonly seed?: number;
  /** Opportunities after n to simulate as a holdout (default 0). */
  readonly holdout?: number;
}

/**
 * Simulates `customers` BG/BB customers over `n` opportunities (plus an optional holdout), following the
 * story of Fader, Hardie & Shang (2010), section 2: p ~ Beta(alpha, beta), theta ~ Beta(gamma, delta); at the
 * start of each opportunity an alive customer dies with probability theta, otherwise transacts with
 * probability p. Every customer is alive at acquisition (opportunity 0). Reproducible for a seed.
 * @example
 * const sim = simulateBgbb({ alpha: 1.2, beta: 0.75, gamma: 0.66, delta: 2.8 }, 10_000, 6, { seed: 7 });
 * fitModel(bgbbSpec, sim.data).params.alpha; // close to 1.2
 */
export function simulateBgbb(
  params: BgbbParams,
  customers: number,
  n: number,
  options: BgbbSimulationOptions = {},
): BgbbSimulation {
  const rng = createRng(options.seed ?? 1);
  const horizon = Math.max(0, Math.floor(options.holdout ?? 0));
  const x = new Float64Array(customers);
  const tx = new Float64Array(customers);
  const holdout = new Float64Array(customers);
  const alive = new Uint8Array(customers);
  for (let i = 0; i < customers; i++) {
    const p = betaDraw(rng, params.alpha, params.beta);
    const theta = betaDraw(rng, params.gamma, params.delta);
    let living = true;
    let count = 0;
    let last = 0;
    let later = 0;
    for (let t = 1; t <= n + horizon; t++) {
      if (rng.uniform() < theta) {
        living = false;
        break;
      }
      if (t === n + 1) alive[i] = 1;
      if (rng.uniform() < p) {
        if (t <= n) {
          count++;
          last = t;
        } else {
          later++;
        }
      }
    }
    // Alive at n + 1 also when no holdout was simulated: draw that opportunity's dropout now.
    if (horizon === 0 && living) alive[i] = rng.uniform() < theta ? 0 : 1;
    x[i] = count;
    tx[i] = last;
    holdout[i] = later;
  }
  return {
    data: discreteRfData(x, tx, new Float64Array(customers).fill(n)),
    holdout,
    aliveAfterCalibration: alive,
  };
}
