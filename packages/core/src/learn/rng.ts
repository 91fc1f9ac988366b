/** The one thing training needs from a random source: uniform draws in [0, 1). */
export interface UniformSource {
  uniform(): number;
}

/**
 * A small seeded generator (sfc32, Chris Doty-Humphrey's "small fast counting" generator, seeded through
 * splitmix32), so training is reproducible in Node and in a browser. 32-bit state words keep every step
 * in exact integer arithmetic via Math.imul and >>> 0.
 * @example const rng = seededUniform(42); rng.uniform() // the same number on every run
 */
export function seededUniform(seed: number): UniformSource {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // the first outputs of a freshly seeded sfc32 are weakly mixed; discard a few
  for (let i = 0; i < 12; i++) next();
  return { uniform: () => next() / 4294967296 };
}

/**
 * Shuffles `idx` in place (Fisher-Yates) with draws from `rng`.
 * @example shuffleInPlace(new Uint32Array([0, 1, 2]), seededUniform(1))
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
