import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValuecastError } from "../../src/errors/issues.ts";
import { encodeFeatures, fitEncoder } from "../../src/learn/encoder.ts";

const train = [
  { a: 1, m: 0, c: "x" },
  { a: 3, m: Math.E - 1, c: "x" },
  { a: 5, m: -4, c: "y" },
  { a: undefined, m: 0, c: "z" },
];

describe("feature encoder", () => {
  it("standardises with the training mean and sd, imputes missing as the mean, log1p for amounts", () => {
    const enc = fitEncoder(train, [
      { name: "a", kind: "numeric" },
      { name: "m", kind: "amount" },
    ]);
    const a = enc.features[0]!;
    assert.ok(a.kind === "numeric" && a.mean === 3 && a.sd === 2);
    // amounts: log1p(max(0, m)) = 0, 1, 0, 0 -> mean 0.25, sd sqrt(0.75 / 3) = 0.5
    const m = enc.features[1]!;
    assert.ok(m.kind === "amount" && m.mean === 0.25 && Math.abs(m.sd - 0.5) < 1e-15);
    const X = encodeFeatures(enc, [
      { a: 7, m: Math.E - 1 },
      { a: null, m: -100 },
    ]);
    assert.deepEqual([...X.values], [2, 1.5, 0, -0.5]);
    assert.deepEqual(X.names, ["a", "m"]);
  });

  it("one-hot against the most frequent level, rare and unseen levels share the (other) column", () => {
    const enc = fitEncoder(train, [{ name: "c", kind: "categorical", minCount: 2 }]);
    assert.deepEqual(enc.names, ["c=(other)"]);
    const wide = fitEncoder(train, [{ name: "c", kind: "categorical", minCount: 1 }]);
    assert.deepEqual(wide.names, ["c=y", "c=z", "c=(other)"]);
    const f = wide.features[0]!;
    assert.ok(f.kind === "categorical" && f.reference === "x");
    const X = encodeFeatures(wide, [{ c: "x" }, { c: "y" }, { c: "z" }, { c: "never-seen" }, {}]);
    assert.deepEqual([...X.values], [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1]);
  });

  it("takes a named reference level, and rejects one that training never saw", () => {
    const enc = fitEncoder(train, [{ name: "c", kind: "categorical", minCount: 1, reference: "y" }]);
    assert.deepEqual(enc.names, ["c=x", "c=z", "c=(other)"]);
    assert.throws(
      () => fitEncoder(train, [{ name: "c", kind: "categorical", reference: "nope" }]),
      ValuecastError,
    );
  });

  it("is fitted on training records only: scoring records do not move means or levels", () => {
    const enc = fitEncoder(train, [
      { name: "a", kind: "numeric" },
      { name: "c", kind: "categorical", minCount: 1 },
    ]);
    const before = JSON.stringify(enc);
    encodeFeatures(enc, [{ a: 1e9, c: "new" }]);
    assert.equal(JSON.stringify(enc), before);
  });
});
