import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ValuecastError } from "../../src/errors/issues.ts";
import {
  averageRanks,
  decileCalibration,
  decileMape,
  giniOfOrdering,
  mae,
  normalizedGini,
  pearson,
  rmse,
  spearman,
  topDecileCapture,
} from "../../src/metrics/index.ts";

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} != ${b}`);

describe("error metrics", () => {
  it("MAE and RMSE by hand", () => {
    assert.equal(mae([1, 2, 3], [2, 2, 5]), 1);
    close(rmse([1, 2, 3], [2, 2, 5]), Math.sqrt(5 / 3));
  });
  it("rejects mismatched, empty and non-finite input with issues, never NaN", () => {
    assert.throws(() => mae([1, 2], [1]), ValuecastError);
    assert.throws(() => rmse([], []), ValuecastError);
    assert.throws(() => spearman([1, Number.NaN], [1, 2]), ValuecastError);
  });
});

describe("correlations", () => {
  it("Pearson by hand: sum(da*dp)/sqrt(sum da^2 sum dp^2) = 5/sqrt(2*114/9)", () => {
    close(pearson([1, 2, 3], [2, 4, 7]), 5 / Math.sqrt((2 * 114) / 9));
  });
  it("average ranks for ties (scipy rankdata 'average')", () => {
    assert.deepEqual([...averageRanks([10, 20, 20, 5])], [2, 3.5, 3.5, 1]);
    assert.deepEqual([...averageRanks([7, 7, 7])], [2, 2, 2]);
  });
  it("Spearman with ties by hand: ranks [1,2.5,2.5,4] vs [1,3,2,4] give 4.5/sqrt(22.5)", () => {
    close(spearman([1, 2, 2, 3], [1, 3, 2, 4]), 4.5 / Math.sqrt(22.5));
  });
  it("perfect ranking gives 1, reversed gives -1, constant gives 0", () => {
    const a = [3, 1, 4, 1.5, 9, 2.6];
    assert.equal(
      spearman(
        a,
        a.map((v) => v * v + 1),
      ),
      1,
    );
    assert.equal(
      spearman(
        a,
        a.map((v) => -v),
      ),
      -1,
    );
    assert.equal(
      spearman(
        a,
        a.map(() => 2),
      ),
      0,
    );
    assert.equal(
      pearson(
        a,
        a.map(() => 2),
      ),
      0,
    );
  });
});

describe("normalized Gini (Wang, Liu & Miao 2019, sec. 4.2)", () => {
  it("hand example: model Gini 0.25 over perfect Gini 0.375", () => {
    // order by prediction: 5, 10, 5, 0 -> gains .25 .75 1 1; perfect: 10, 5, 5, 0 -> .5 .75 1 1
    close(giniOfOrdering([0, 5, 10, 5], [1, 2, 3, 4]), 0.25);
    close(giniOfOrdering([0, 5, 10, 5], [0, 5, 10, 5]), 0.375);
    close(normalizedGini([0, 5, 10, 5], [1, 2, 3, 4]), 2 / 3);
  });
  it("perfect -> 1, reversed -> -1, constant -> 0, ties with equal shares -> 0", () => {
    const a = [0, 0, 3, 12, 5, 0, 40, 1];
    close(normalizedGini(a, a), 1);
    close(
      normalizedGini(
        a,
        a.map((v) => -v),
      ),
      -1,
    );
    close(
      normalizedGini(
        a,
        a.map(() => 1),
      ),
      0,
    );
    close(normalizedGini([0, 10, 0, 10], [1, 1, 2, 2]), 0);
    assert.equal(normalizedGini([0, 0, 0], [1, 2, 3]), 0);
    assert.equal(normalizedGini([2, 2, 2], [1, 2, 3]), 0);
  });
  it("is invariant to input order and to monotone transforms of the prediction (ties included)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 5 })), {
          minLength: 2,
          maxLength: 40,
        }),
        (rows) => {
          const a = rows.map((r) => r[0]);
          const p = rows.map((r) => r[1]);
          const g = normalizedGini(a, p);
          assert.ok(g >= -1 && g <= 1);
          const rev = [...rows].reverse();
          close(
            normalizedGini(
              rev.map((r) => r[0]),
              rev.map((r) => r[1]),
            ),
            g,
            1e-9,
          );
          close(
            normalizedGini(
              a,
              p.map((v) => Math.exp(v)),
            ),
            g,
            1e-9,
          );
        },
      ),
    );
  });
});

describe("deciles", () => {
  it("calibration table: 20 customers, two per decile", () => {
    const actual = Array.from({ length: 20 }, (_, i) => i + 1);
    const pred = actual.map((v) => 2 * v);
    const rows = decileCalibration(actual, pred);
    assert.equal(rows.length, 10);
    assert.deepEqual(rows[0], { decile: 1, n: 2, meanPredicted: 3, meanActual: 1.5 });
    assert.deepEqual(rows[9], { decile: 10, n: 2, meanPredicted: 39, meanActual: 19.5 });
    // every decile over-predicts by 100%
    close(decileMape(actual, pred), 1);
  });
  it("tied predictions share a decile; a constant predictor gives one row", () => {
    const rows = decileCalibration([1, 2, 3, 6], [5, 5, 5, 5]);
    assert.deepEqual(rows, [{ decile: 6, n: 4, meanPredicted: 5, meanActual: 3 }]);
    close(decileMape([1, 2, 3, 6], [5, 5, 5, 5]), 2 / 3);
  });
  it("decile MAPE skips deciles with zero actual mean and never returns NaN", () => {
    close(decileMape([10, 20], [12, 20]), 0.1);
    close(decileMape([0, 20], [5, 30]), 0.5);
    assert.equal(decileMape([0, 0], [0, 0]), 0);
    assert.equal(decileMape([0, 0], [1, 0]), Number.POSITIVE_INFINITY);
  });
  it("top-decile capture by hand, with a tie straddling the cut counted in proportion", () => {
    const actual = Array.from({ length: 20 }, (_, i) => i + 1);
    close(topDecileCapture(actual, actual), 39 / 210);
    const a = [10, 0, 1, 1, 1, 1, 1, 1, 1, 1];
    const p = [5, 5, 1, 1, 1, 1, 1, 1, 1, 1];
    close(topDecileCapture(a, p), 5 / 18);
    close(topDecileCapture(a, p, 0.2), 10 / 18);
    assert.equal(topDecileCapture([0, 0], [1, 2]), 0);
  });
});
