import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compressRfmData, rfmData } from "../../src/models/rfm-data.ts";

describe("compressRfmData", () => {
  it("keeps first-seen order and sums weights; -0 is 0, NaN rows stay apart", () => {
    const c = compressRfmData(
      rfmData(
        [1, 1, -0, 0, Number.NaN, Number.NaN, 2],
        [1, 1, 0, 0, 0, 0, 1],
        [5, 5, 3, 3, 4, 4, 7],
        [1, 2, 3, 4, 5, 6, 7],
      ),
    );
    assert.deepEqual([...c.x], [1, -0, Number.NaN, Number.NaN, 2]);
    assert.deepEqual([...c.t_x], [1, 0, 0, 0, 1]);
    assert.deepEqual([...c.T], [5, 3, 4, 4, 7]);
    assert.deepEqual([...c.weight!], [3, 7, 5, 6, 7]);
  });

  it("stays exact while its table grows (100,000 distinct rows, each seen three times)", () => {
    const n = 100_000;
    const x = Float64Array.from({ length: 3 * n }, (_, i) => (i % n) % 50);
    const t_x = Float64Array.from({ length: 3 * n }, (_, i) => ((i % n) % 50 === 0 ? 0 : 1 + (i % n) * 1e-6));
    const T = Float64Array.from({ length: 3 * n }, (_, i) => 40 + (i % n) * 1e-5);
    const c = compressRfmData({ x, t_x, T });
    assert.equal(c.x.length, n);
    assert.deepEqual([...c.x], [...x.subarray(0, n)]);
    assert.deepEqual([...c.t_x], [...t_x.subarray(0, n)]);
    assert.deepEqual([...c.T], [...T.subarray(0, n)]);
    assert.ok(c.weight!.every((w) => w === 3));
  });
});
