// Test helper: data drawn from a known linear ZILN model.
import { featureMatrix } from "../../src/learn/matrix.ts";
import { createRng } from "../../src/math/random.ts";

export function normalSource(seed: number): () => number {
  const rng = createRng(seed);
  return () => {
    // Box-Muller; 1 - u keeps the log argument in (0, 1]
    const u = 1 - rng.uniform();
    const v = rng.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** l_p = 0.5 + 1.0 x1, mu = 1 + 0.5 x2, sigma = 0.8; x3 is noise. */
export function linearZilnData(n: number, seed: number) {
  const z = normalSource(seed);
  const rng = createRng(seed + 1);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = [z(), z(), z()];
    const p = 1 / (1 + Math.exp(-(0.5 + 1.0 * x[0]!)));
    const mu = 1 + 0.5 * x[1]!;
    rows.push(x);
    labels.push(rng.uniform() < p ? Math.exp(mu + 0.8 * z()) : 0);
  }
  return { X: featureMatrix(rows, ["x1", "x2", "noise"]), labels };
}
