/**
 * Dense linear algebra for small matrices (a handful of model parameters): Hessians, covariances,
 * Newton steps. Matrices are row-major `ArrayLike<number>` of length n * n (A[i * n + j] is row i,
 * column j); results are fresh Float64Arrays unless an `out` array is given.
 */
import { issue, ValuecastError } from "../errors/issues.ts";
import { normal, type Rng } from "./random.ts";

/**
 * Cholesky factor L (lower triangular, A = L L^T) of a symmetric matrix, or undefined when A is not
 * (numerically) positive definite. Only the lower triangle of A is read. Row-major, upper part zero.
 * @example cholesky([4, 2, 2, 3], 2) // Float64Array [2, 0, 1, 1.4142135623730951]
 */
export function cholesky(A: ArrayLike<number>, n: number): Float64Array | undefined {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j]!;
    for (let k = 0; k < j; k++) {
      const v = L[j * n + k]!;
      d -= v * v;
    }
    // `!(d > 0)` also rejects NaN: a Hessian with a non-finite entry is not positive definite.
    if (!(d > 0) || !Number.isFinite(d)) return undefined;
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}

/**
 * Solves A x = b given the Cholesky factor L of A (forward then back substitution).
 * @example choleskySolve(cholesky([4, 2, 2, 3], 2)!, [2, 1], 2) // Float64Array [0.5, 0]
 */
export function choleskySolve(
  L: ArrayLike<number>,
  b: ArrayLike<number>,
  n: number,
  out: Float64Array = new Float64Array(n),
): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * out[k]!;
    out[i] = s / L[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = out[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * out[k]!;
    out[i] = s / L[i * n + i]!;
  }
  return out;
}

/**
 * Inverse of a symmetric positive definite matrix through its Cholesky factor (A^-1 = L^-T L^-1),
 * or undefined when A is not positive definite (e.g. a Hessian at a saddle point or a flat direction:
 * then there are no standard errors). The result is exactly symmetric.
 * @example invertSymmetricPD([4, 2, 2, 3], 2) // Float64Array [0.375, -0.25, -0.25, 0.5]
 */
export function invertSymmetricPD(A: ArrayLike<number>, n: number): Float64Array | undefined {
  const L = cholesky(A, n);
  if (!L) return undefined;
  // W = L^-1 (lower triangular), column by column by forward substitution.
  const W = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    W[j * n + j] = 1 / L[j * n + j]!;
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i * n + k]! * W[k * n + j]!;
      W[i * n + j] = s / L[i * n + i]!;
    }
  }
  // A^-1 = W^T W; fill both triangles from one computation so the result is symmetric.
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += W[k * n + i]! * W[k * n + j]!;
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  for (let i = 0; i < n * n; i++) if (!Number.isFinite(inv[i]!)) return undefined;
  return inv;
}

/**
 * Solves A x = b for a general square A by LU decomposition with partial pivoting; undefined when A is
 * singular (a pivot is zero or not finite). A and b are not modified.
 * @example solveLinear([0, 1, 2, 0], [3, 4], 2) // Float64Array [2, 3]
 */
export function solveLinear(A: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array | undefined {
  const M = Float64Array.from(A as ArrayLike<number>);
  const x = Float64Array.from(b as ArrayLike<number>);
  for (let c = 0; c < n; c++) {
    // Partial pivoting: the largest |entry| in the column bounds the growth of rounding errors.
    let p = c;
    let best = Math.abs(M[c * n + c]!);
    for (let r = c + 1; r < n; r++) {
      const v = Math.abs(M[r * n + c]!);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    if (!(best > 0) || !Number.isFinite(best)) return undefined;
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        const t = M[c * n + k]!;
        M[c * n + k] = M[p * n + k]!;
        M[p * n + k] = t;
      }
      const t = x[c]!;
      x[c] = x[p]!;
      x[p] = t;
    }
    const piv = M[c * n + c]!;
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c]! / piv;
      if (f === 0) continue;
      for (let k = c + 1; k < n; k++) M[r * n + k] = M[r * n + k]! - f * M[c * n + k]!;
      x[r] = x[r]! - f * x[c]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= M[i * n + k]! * x[k]!;
    x[i] = s / M[i * n + i]!;
  }
  for (let i = 0; i < n; i++) if (!Number.isFinite(x[i]!)) return undefined;
  return x;
}

/**
 * y = A x for an m-by-n row-major matrix (n defaults to m: square).
 * @example matVec([1, 2, 3, 4], [1, 1], 2) // Float64Array [3, 7]
 */
export function matVec(
  A: ArrayLike<number>,
  x: ArrayLike<number>,
  m: number,
  n: number = m,
  out: Float64Array = new Float64Array(m),
): Float64Array {
  for (let i = 0; i < m; i++) {
    let s = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) s += A[row + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

/**
 * A sampler of the multivariate normal N(mean, cov): x = mean + L z with L the Cholesky factor of cov
 * and z standard normal (factorised once). Throws a ValuecastError (INVALID_PARAMETER) when cov is not
 * positive definite. Each call returns a fresh array, or fills `out`.
 * @example const draw = mvnormalSampler([0, 0], [1, 0.5, 0.5, 1], createRng(7)); draw() // correlated pair
 */
export function mvnormalSampler(
  mean: ArrayLike<number>,
  cov: ArrayLike<number>,
  rng: Rng,
): (out?: Float64Array) => Float64Array {
  const n = mean.length;
  if (cov.length !== n * n) {
    throw new ValuecastError([
      issue("INVALID_PARAMETER", `covariance must be ${n} x ${n} (got ${cov.length} entries)`),
    ]);
  }
  const L = cholesky(cov, n);
  if (!L)
    throw new ValuecastError([issue("INVALID_PARAMETER", "the covariance matrix is not positive definite")]);
  const mu = Float64Array.from(mean);
  const z = new Float64Array(n);
  return (out: Float64Array = new Float64Array(n)) => {
    for (let i = 0; i < n; i++) z[i] = normal(rng);
    for (let i = 0; i < n; i++) {
      let s = mu[i]!;
      for (let k = 0; k <= i; k++) s += L[i * n + k]! * z[k]!;
      out[i] = s;
    }
    return out;
  };
}
