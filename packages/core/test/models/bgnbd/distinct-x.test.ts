import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { distinctX } from "../../../src/models/bgnbd/distinct-x.ts";

describe("distinctX", () => {
  it("indexes values in first-seen order; -0 is 0 and NaN is NaN (as a Map's keys)", () => {
    const d = distinctX(Float64Array.of(0, -0, Number.NaN, 1, Number.NaN, -0, 2, 2, 0));
    assert.deepEqual([...d.values], [0, Number.NaN, 1, 2]);
    assert.deepEqual([...d.index], [0, 0, 1, 2, 1, 0, 3, 3, 0]);
  });

  it("stays exact past its table's growth (5,000 distinct values in a scrambled order)", () => {
    const n = 20_000;
    const x = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 5000) * 0.37);
    const d = distinctX(x, true);
    assert.equal(d.values.length, 5000);
    for (let i = 0; i < n; i++) assert.equal(d.values[d.index[i]!], x[i]);
    assert.equal(new Set(d.values).size, 5000);
  });
});
