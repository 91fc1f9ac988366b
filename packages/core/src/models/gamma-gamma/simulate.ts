import { issue, ValuecastError } from "../../errors/issues.ts";
import { createRng, gamma } from "../../math/random.ts";

/**
 * Simulates Gamma-Gamma spend for customers with x[i] repeat transactions: nu ~ Gamma(q, gamma) per
 * customer, each transaction value ~ Gamma(p, nu), and returns each customer's mean value zbar (0 when
 * x = 0) with the drawn nu. Deterministic for a given seed.
 * @example simulateGammaGamma({ p: 6.25, q: 3.74, gamma: 15.44 }, [1, 3, 0], 1).zbar
 */
export function simulateGammaGamma(
  params: Readonly<Record<string, number>>,
  x: ArrayLike<number>,
  seed = 1,
): { zbar: Float64Array; nu: Float64Array } {
  const bad = ["p", "q", "gamma"].filter((k) => !(Number.isFinite(params[k]) && params[k]! > 0));
  if (bad.length > 0) {
    throw new ValuecastError(
      bad.map((k) =>
        issue("INVALID_PARAMETER", `gamma-gamma: ${k} must be a positive finite number`, { field: k }),
      ),
    );
  }
  const p = params.p!;
  const q = params.q!;
  const g = params.gamma!;
  const rng = createRng(seed);
  const n = x.length;
  const zbar = new Float64Array(n);
  const nu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = gamma(rng, q, g);
    nu[i] = v;
    const k = x[i]!;
    if (!(k > 0)) continue;
    // The sum of k independent Gamma(p, nu) values is Gamma(k p, nu): one draw instead of k.
    zbar[i] = gamma(rng, k * p, v) / k;
  }
  return { zbar, nu };
}
