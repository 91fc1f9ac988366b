import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { cholesky, choleskySolve, invertSymmetricPD, matVec, solveLinear } from "../../src/math/linalg.ts";

function closeArray(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what = ""): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) {
    assert.ok(
      Math.abs(got[i]! - want[i]!) <= tol * (1 + Math.abs(want[i]!)),
      `${what}[${i}]: ${got[i]} vs ${want[i]}`,
    );
  }
}

/** A random symmetric positive definite matrix B B^T + n I. */
function spd(entries: number[], n: number): Float64Array {
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += entries[i * n + k]! * entries[j * n + k]!;
      A[i * n + j] = s;
    }
  return A;
}

describe("linalg", () => {
  it("factors and inverts known matrices", () => {
    closeArray(cholesky([4, 2, 2, 3], 2)!, [2, 0, 1, Math.SQRT2], 1e-15);
    // Textbook example: [[4,12,-16],[12,37,-43],[-16,-43,98]] = L L^T with L = [[2,0,0],[6,1,0],[-8,5,3]].
    const A = [4, 12, -16, 12, 37, -43, -16, -43, 98];
    closeArray(cholesky(A, 3)!, [2, 0, 0, 6, 1, 0, -8, 5, 3], 1e-15);
    // Its inverse, by hand from the adjugate (det = 36).
    closeArray(
      invertSymmetricPD(A, 3)!,
      [
        49.361111111111114, -13.555555555555557, 2.1111111111111112, -13.555555555555557, 3.7777777777777777,
        -0.5555555555555556, 2.1111111111111112, -0.5555555555555556, 0.1111111111111111,
      ],
      1e-12,
    );
    closeArray(invertSymmetricPD([4, 2, 2, 3], 2)!, [0.375, -0.25, -0.25, 0.5], 1e-15);
    closeArray(choleskySolve(cholesky([4, 2, 2, 3], 2)!, [2, 1], 2), [0.5, 0], 1e-15);
  });

  it("returns undefined for matrices that are not positive definite or are singular", () => {
    assert.equal(cholesky([1, 2, 2, 1], 2), undefined); // eigenvalues 3 and -1
    assert.equal(invertSymmetricPD([1, 1, 1, 1], 2), undefined); // singular
    assert.equal(invertSymmetricPD([Number.NaN, 0, 0, 1], 2), undefined);
    assert.equal(solveLinear([1, 2, 2, 4], [1, 2], 2), undefined);
  });

  it("solves general systems with pivoting and multiplies", () => {
    closeArray(solveLinear([0, 1, 2, 0], [3, 4], 2)!, [2, 3], 1e-15);
    closeArray(solveLinear([2, 1, -1, -3, -1, 2, -2, 1, 2], [8, -11, -3], 3)!, [2, 3, -1], 1e-14);
    closeArray(matVec([1, 2, 3, 4], [1, 1], 2), [3, 7], 0);
    closeArray(matVec([1, 2, 3, 4, 5, 6], [1, 0, -1], 2, 3), [-2, -2], 0);
  });

  it("A A^-1 = I and A solve(A, b) = b for random SPD matrices (fast-check)", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 6 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n * n, maxLength: n * n }),
              fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n, maxLength: n }),
            ),
          ),
        ([n, entries, b]) => {
          const A = spd(entries, n);
          const inv = invertSymmetricPD(A, n)!;
          assert.ok(inv);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let k = 0; k < n; k++) s += A[i * n + k]! * inv[k * n + j]!;
              assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-10, `(A A^-1)[${i},${j}] = ${s}`);
              assert.equal(inv[i * n + j], inv[j * n + i]);
            }
          closeArray(matVec(A, solveLinear(A, b, n)!, n), b, 1e-10, "LU");
          closeArray(matVec(A, choleskySolve(cholesky(A, n)!, b, n), n), b, 1e-10, "Cholesky");
        },
      ),
      { numRuns: 300 },
    );
  });
});
