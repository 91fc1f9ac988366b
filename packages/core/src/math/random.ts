/**
 * Seeded, reproducible random numbers for simulators and tests: xoshiro128** (Blackman & Vigna 2018),
 * a 32-bit generator that runs on JavaScript's 32-bit integer operations (Math.imul), seeded through
 * splitmix32 so that nearby seeds give unrelated streams. The samplers are plain functions of an `Rng`.
 * Every sampler is exact (no normal approximations), so simulated data follow the model exactly.
 */
import { lgamma } from "./special.ts";

/**
 * A random number generator: its 128-bit state and a uniform draw in (0, 1).
 * @example const rng: Rng = createRng(1); rng.uniform()
 */
export interface Rng {
  /** xoshiro128** state (four 32-bit words, never all zero). */
  readonly state: Uint32Array;
  /** Uniform in the open interval (0, 1): never 0 and never 1, so log(u) and log(1 - u) are finite. */
  uniform(): number;
  /** Next raw 32-bit output. */
  nextUint32(): number;
}

/** splitmix32 step (a 32-bit variant of Steele et al.'s SplitMix), used only to expand seeds. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A generator seeded by any finite number (integer seeds are the norm; the whole double is used, so
 * 1 and 1.5 differ). The same seed always gives the same stream on every platform.
 * @example const rng = createRng(42); rng.uniform() // the same value on every run
 */
export function createRng(seed: number): Rng {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  const frac = Math.floor((seed - Math.floor(seed)) * 4294967296) >>> 0;
  const state = new Uint32Array(4);
  let x = splitmix32(lo ^ 0x5bd1e995);
  state[0] = x;
  x = splitmix32(x ^ hi);
  state[1] = x;
  x = splitmix32(x ^ frac);
  state[2] = x;
  x = splitmix32(x + 0x27d4eb2d);
  state[3] = x;
  if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0) state[0] = 1;
  const next = (): number => {
    const s0 = state[0]!;
    const s1 = state[1]!;
    const s2 = state[2]!;
    const s3 = state[3]!;
    // xoshiro128**: result = rotl(s1 * 5, 7) * 9
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    state[1] = s1 ^ n2;
    state[0] = s0 ^ n3;
    state[2] = n2 ^ t;
    state[3] = (n3 << 11) | (n3 >>> 21);
    return result;
  };
  return {
    state,
    nextUint32: next,
    // 52 random bits from two outputs, centred in their cell: (k + 1/2) / 2^52 lies strictly in (0, 1)
    // and is exact (with 53 bits the top cell would round up to 1).
    uniform: () => ((next() >>> 6) * 67108864 + (next() >>> 6) + 0.5) / 4503599627370496,
  };
}

/**
 * Standard normal draw (Marsaglia's polar method; one of the pair is discarded so draws depend only on
 * the generator state).
 * @example normal(createRng(1)) // a N(0, 1) draw
 */
export function normal(rng: Rng): number {
  for (;;) {
    const u = 2 * rng.uniform() - 1;
    const v = 2 * rng.uniform() - 1;
    const s = u * u + v * v;
    if (s < 1 && s > 0) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/**
 * Exponential draw with the given rate (mean 1 / rate), by inversion.
 * @example exponential(createRng(1), 2) // mean 0.5
 */
export function exponential(rng: Rng, rate: number): number {
  return -Math.log(rng.uniform()) / rate;
}

/**
 * ln of a Gamma(shape, 1) draw. For shape < 1 uses Gamma(shape) = Gamma(shape + 1) U^(1/shape)
 * (Marsaglia & Tsang 2000, section 6) in log space, so tiny shapes give very negative logs instead of
 * underflowing to 0 (a Beta draw from two underflowed gammas would be 0/0).
 */
function logGammaDraw(rng: Rng, shape: number): number {
  if (shape < 1) return Math.log(gammaAtLeastOne(rng, shape + 1)) + Math.log(rng.uniform()) / shape;
  return Math.log(gammaAtLeastOne(rng, shape));
}

/** Marsaglia & Tsang (2000) squeeze method for shape >= 1, rate 1. */
function gammaAtLeastOne(rng: Rng, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * Gamma draw with shape and rate (mean shape / rate), Marsaglia & Tsang (2000), with the
 * U^(1/shape) boost for shape < 1 (may return 0 when the draw underflows for a tiny shape).
 * @example gamma(createRng(1), 0.25, 4) // a customer's purchase rate under BG/NBD's r = 0.25, alpha = 4
 */
export function gamma(rng: Rng, shape: number, rate: number): number {
  if (shape >= 1) return gammaAtLeastOne(rng, shape) / rate;
  return Math.exp(logGammaDraw(rng, shape)) / rate;
}

/**
 * Beta(a, b) draw as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b), computed as 1 / (1 + e^(ln Y - ln X))
 * so that small shapes (a, b << 1, where both gammas underflow) still give a valid draw in [0, 1].
 * @example beta(createRng(1), 0.79, 2.43) // a dropout probability under BG/NBD's a, b
 */
export function beta(rng: Rng, a: number, b: number): number {
  if (a >= 1 && b >= 1) {
    const x = gammaAtLeastOne(rng, a);
    const y = gammaAtLeastOne(rng, b);
    return x / (x + y);
  }
  const lx = logGammaDraw(rng, a);
  const ly = logGammaDraw(rng, b);
  return 1 / (1 + Math.exp(ly - lx));
}

/**
 * Poisson draw, exact for every mean: inversion by sequential search for mean < 10, and Hörmann's
 * transformed rejection with squeeze (PTRS; Hörmann 1993, "The transformed rejection method for generating
 * Poisson random variables", Insurance: Mathematics and Economics 12) above.
 * @example poisson(createRng(1), 3.5)
 */
export function poisson(rng: Rng, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean < 10) {
    // Inversion: P(0) = e^-mean, P(k) = P(k-1) mean / k.
    let k = 0;
    let p = Math.exp(-mean);
    let u = rng.uniform();
    while (u > p) {
      u -= p;
      k++;
      p *= mean / k;
      if (p === 0) break; // u beyond the representable tail (probability < 1e-300)
    }
    return k;
  }
  const slam = Math.sqrt(mean);
  const loglam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const U = rng.uniform() - 0.5;
    const V = rng.uniform();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor(((2 * a) / us + b) * U + mean + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    if (
      Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
      -mean + k * loglam - lgamma(k + 1)
    ) {
      return k;
    }
  }
}

/**
 * Binomial(n, p) draw, exact: inversion for n min(p, 1-p) < 20; otherwise the beta-splitting recursion
 * (Devroye 1986, "Non-Uniform Random Variate Generation", section X.4.3): the median order statistic of
 * n uniforms is Beta-distributed, and it splits the trials into two smaller binomials.
 * @example binomial(createRng(1), 10, 0.3)
 */
export function binomial(rng: Rng, n: number, p: number): number {
  if (!(n > 0) || !(p > 0)) return 0;
  if (p >= 1) return n;
  let total = 0;
  for (;;) {
    if (n === 0) return total;
    const flip = p > 0.5;
    const q = flip ? 1 - p : p;
    if (n * q < 20) {
      // Inversion for the count of successes with probability q.
      const r = q / (1 - q);
      let pk = Math.exp(n * Math.log1p(-q));
      let k = 0;
      let u = rng.uniform();
      while (u > pk && k < n) {
        u -= pk;
        k++;
        pk *= (r * (n - k + 1)) / k;
      }
      return total + (flip ? n - k : k);
    }
    // The i-th smallest of n uniforms, i = ceil((n + 1) / 2), is Beta(i, n + 1 - i).
    const i = Math.ceil((n + 1) / 2);
    const x = beta(rng, i, n + 1 - i);
    if (p < x) {
      // The i - 1 smaller uniforms are uniform on (0, x): each succeeds with probability p / x.
      n = i - 1;
      p = p / x;
    } else {
      // The i smallest all succeed; the n - i larger ones are uniform on (x, 1).
      total += i;
      n = n - i;
      p = (p - x) / (1 - x);
    }
  }
}

/**
 * Geometric draw on {1, 2, ...}: the number of trials up to and including the first success, P(k) =
 * p (1 - p)^(k - 1) (the period in which a shifted-beta-geometric customer churns), by inversion.
 * @example geometric(createRng(1), 0.25) // mean 4
 */
export function geometric(rng: Rng, p: number): number {
  if (p >= 1) return 1;
  if (!(p > 0)) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.ceil(Math.log(rng.uniform()) / Math.log1p(-p)));
}
