/**
 * The one thing training needs from a random source: uniform draws in [0, 1). `createRng(seed)` from
 * `math/random.ts` (xoshiro128**) is the seeded source used by `trainZiln`.
 */
export interface UniformSource {
  uniform(): number;
}

/**
 * Shuffles `idx` in place (Fisher-Yates) with draws from `rng`.
 * @example shuffleInPlace(new Uint32Array([0, 1, 2]), createRng(1))
 */
export function shuffleInPlace(idx: Uint32Array, rng: UniformSource): Uint32Array {
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx;
}
