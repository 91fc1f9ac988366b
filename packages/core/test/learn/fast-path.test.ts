import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { featureColumns } from "../../src/learn/columns.ts";
import { buildEarlyColumns, earlyCustomersOf } from "../../src/learn/early-columns.ts";
import {
  buildEarlyDataset,
  EARLY_FEATURE_READERS,
  EARLY_FEATURE_SPECS,
} from "../../src/learn/early-features.ts";
import {
  scoreEarly,
  scoreEarlyColumns,
  scoreNewCustomers,
  scoreNewCustomersColumns,
  trainEarlyModel,
} from "../../src/learn/early-model.ts";
import { type EncodedFeatures, encodeColumns, fitEncoderColumns } from "../../src/learn/encode-columns.ts";
import { encodeFeatures, type FeatureRecord, fitEncoder } from "../../src/learn/encoder.ts";
import { forward, layerViews, parameterCount, transposeWeights } from "../../src/learn/network.ts";
import { simdKernel } from "../../src/learn/simd.ts";
import { predictZiln, predictZilnEncoded, trainZiln, trainZilnEncoded } from "../../src/learn/train.ts";
import { createRng } from "../../src/math/random.ts";
import type { Transaction } from "../../src/summary/types.ts";
import { referenceEarlyDataset } from "./reference-early-dataset.ts";

const DAY = 86_400_000;
const base = Date.UTC(2021, 2, 1);

/** Every weight and bias of two models, compared bit for bit (Object.is per value). */
function sameWeights(a: { layers: readonly { weights: Float64Array; bias: Float64Array }[] }, b: typeof a) {
  assert.equal(a.layers.length, b.layers.length);
  a.layers.forEach((l, k) => {
    assert.deepEqual(l.weights, b.layers[k]!.weights, `layer ${k} weights`);
    assert.deepEqual(l.bias, b.layers[k]!.bias, `layer ${k} bias`);
  });
}

/** The dense matrix a slot-encoded matrix stands for. */
function densify(e: EncodedFeatures): Float64Array {
  const out = new Float64Array(e.rows * e.cols);
  for (let r = 0; r < e.rows; r++) {
    for (let k = 0; k < e.slots; k++) {
      const v = e.values[r * e.slots + k]!;
      if (v !== 0) out[r * e.cols + e.columns[r * e.slots + k]!] = v;
    }
  }
  return out;
}

const arbRecord = fc.record({
  first_amount: fc.oneof(
    fc.double({ min: -50, max: 5000, noNaN: true }),
    fc.constantFrom(0, 1e300, undefined),
  ),
  early_revenue: fc.double({ min: -100, max: 1e4, noNaN: true }),
  early_orders: fc.integer({ min: 1, max: 5 }),
  early_items: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constant(Number.NaN)),
  early_categories: fc.integer({ min: 0, max: 3 }),
  repeat_in_window: fc.constantFrom(0, 1),
  days_to_second_order: fc.double({ min: 0, max: 7, noNaN: true }),
  channel: fc.constantFrom("search", "social", "email", undefined, "", "(missing)"),
  campaign: fc.constantFrom("c1", "c2", "c3", null, undefined),
  country: fc.constantFrom("DE", "FR", "US", "GB", 7),
  first_weekday: fc.constantFrom("Mon", "Tue", "Sat"),
});

describe("columnar fast path equals the record path (issue 6 speed)", () => {
  it("fitEncoderColumns + encodeColumns give the encoder and the matrix of fitEncoder + encodeFeatures (property)", () => {
    fc.assert(
      fc.property(
        fc.array(arbRecord, { minLength: 1, maxLength: 60 }),
        fc.array(arbRecord, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 4 }),
        (train, score, minCount) => {
          const specs = EARLY_FEATURE_SPECS.map((s) => (s.kind === "categorical" ? { ...s, minCount } : s));
          const records = train as FeatureRecord[];
          const dense = fitEncoder(records, specs);
          const fast = fitEncoderColumns(featureColumns(records, specs, EARLY_FEATURE_READERS), specs);
          assert.deepEqual(fast, dense);
          const X = encodeFeatures(dense, score as FeatureRecord[]);
          const E = encodeColumns(fast, featureColumns(score as FeatureRecord[], specs));
          assert.equal(E.cols, X.cols);
          assert.deepEqual(densify(E), X.values);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("trainZilnEncoded gives bit-identical weights, losses and predictions to trainZiln (linear and MLPs, odd and even widths; even ones run on the SIMD kernel)", () => {
    const rng = createRng(17);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.uniform() * xs.length)]!;
    const records: FeatureRecord[] = Array.from({ length: 801 }, () => ({
      first_amount: Math.exp(4 * rng.uniform()),
      early_revenue: 200 * rng.uniform() - 10,
      early_orders: pick([1, 1, 2, 3]),
      early_items: pick([1, 2, 3, Number.NaN]),
      early_categories: pick([0, 1, 2]),
      repeat_in_window: pick([0, 1]),
      days_to_second_order: 7 * rng.uniform(),
      channel: pick(["a", "b", "c", undefined]),
      campaign: pick(["x", "y", "z", null]),
      country: pick(["DE", "FR", "US", "IT"]),
      // rare levels land in the last dense column, "first_weekday=(other)"
      first_weekday: pick(["Mon", "Tue", "Wed", "Thu", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]),
    }));
    const labels = records.map((r) =>
      rng.uniform() < 0.35 + 0.2 * Number(r.repeat_in_window) ? 5 * rng.uniform() : 0,
    );
    const colCounts: number[] = [];
    for (const minCount of [100, 170]) {
      const specs = EARLY_FEATURE_SPECS.map((s) => (s.kind === "categorical" ? { ...s, minCount } : s));
      const encoder = fitEncoder(records, specs);
      const X = encodeFeatures(encoder, records);
      const E = encodeColumns(encoder, featureColumns(records, specs));
      colCounts.push(E.cols);
      for (const hidden of [[], [6], [5], [7, 4], [6, 4]]) {
        const opts = { hidden, epochs: 3, seed: 4, batchSize: 63 };
        const dense = trainZiln(X, labels, opts);
        const fast = trainZilnEncoded(E, labels, opts);
        sameWeights(dense, fast);
        assert.deepEqual(fast.training, dense.training);
        const a = predictZiln(dense, X);
        const b = predictZilnEncoded(dense, E);
        assert.deepEqual(b.mean, a.mean);
        assert.deepEqual(b.p, a.p);
      }
    }
    // an odd and an even column count: the odd one exercises the four-sum order of the last column
    assert.deepEqual(
      colCounts.map((c) => c % 2),
      [1, 0],
      `column counts ${colCounts}`,
    );
  });

  it("trainEarlyModel / scoreEarly equal the dense path fitEncoder + encodeFeatures + trainZiln + predictZiln exactly", () => {
    const rng = createRng(5);
    const tx: Transaction[] = [];
    for (let c = 0; c < 400; c++) {
      const at = base + Math.floor(rng.uniform() * 200) * DAY + Math.floor(rng.uniform() * DAY);
      tx.push({
        customerId: `k${c}`,
        at,
        amount: 5 + Math.round(200 * rng.uniform()),
        channel: ["ads", "seo", "mail"][c % 3]!,
        country: ["DE", "FR"][c % 2]!,
      });
      if (rng.uniform() < 0.5) tx.push({ customerId: `k${c}`, at: at + 30 * DAY, amount: 40 });
    }
    const ds = buildEarlyDataset(tx, { days: 7, horizonDays: 90, asOf: base + 320 * DAY });
    const train = ds.customers;
    const specs = EARLY_FEATURE_SPECS.map((s) => (s.kind === "categorical" ? { ...s, minCount: 5 } : s));
    for (const hidden of [[], [8, 4]]) {
      const model = trainEarlyModel(train, { specs, hidden, epochs: 4, seed: 3 });
      const records = train.map((c) => c.features);
      const encoder = fitEncoder(records, specs);
      assert.deepEqual(model.encoder, encoder);
      const X = encodeFeatures(encoder, records);
      const dense = trainZiln(
        X,
        train.map((c) => c.label),
        { hidden, epochs: 4, seed: 3 },
      );
      sameWeights(model.ziln, dense);
      assert.deepEqual(scoreEarly(model, train).mean, predictZiln(dense, X).mean);
    }
  });

  it("buildEarlyColumns (and buildEarlyDataset on it) give the customers, features and labels of the original record-by-record builder (property, random logs)", () => {
    const arbLine = fc.record({
      customer: fc.integer({ min: 0, max: 5 }),
      day: fc.integer({ min: -3, max: 40 }),
      hour: fc.constantFrom(0, 9, 9.5, 23),
      amount: fc.oneof(fc.integer({ min: -30, max: 300 }), fc.double({ min: 0, max: 99, noNaN: true })),
      order: fc.constantFrom("o1", "o2", "o3", undefined, undefined, `@${base + 9 * 3_600_000}`),
      cancelled: fc.constantFrom(undefined, false, true),
      quantity: fc.constantFrom(undefined, 1, 2, 5),
      category: fc.constantFrom(undefined, "books", "music", "toys"),
      channel: fc.constantFrom(undefined, "ads", "seo", ""),
      campaign: fc.constantFrom(undefined, "spring"),
      country: fc.constantFrom(undefined, "DE", "FR"),
    });
    fc.assert(
      fc.property(
        fc.array(arbLine, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(0, 3, 7),
        fc.constantFrom(undefined, base + 2 * DAY),
        (lines, days, acquiredFrom) => {
          const tx: Transaction[] = lines.map((l) => ({
            customerId: `u${l.customer}`,
            at: base + l.day * DAY + l.hour * 3_600_000,
            amount: l.amount,
            ...(l.order !== undefined ? { orderId: l.order } : {}),
            ...(l.cancelled !== undefined ? { cancelled: l.cancelled } : {}),
            ...(l.quantity !== undefined ? { quantity: l.quantity } : {}),
            ...(l.category !== undefined ? { category: l.category } : {}),
            ...(l.channel !== undefined ? { channel: l.channel } : {}),
            ...(l.campaign !== undefined ? { campaign: l.campaign } : {}),
            ...(l.country !== undefined ? { country: l.country } : {}),
          }));
          const opts = { days, horizonDays: 10, asOf: base + 30 * DAY, acquiredFrom };
          const a = referenceEarlyDataset(tx, opts);
          const b = buildEarlyColumns(tx, opts);
          assert.deepEqual(earlyCustomersOf(b), a.customers);
          assert.deepEqual(
            [b.windowOpen, b.noPurchase, b.beforeAcquisition, b.asOf, b.days, b.horizonDays],
            [a.windowOpen, a.noPurchase, a.beforeAcquisition, a.asOf, a.days, a.horizonDays],
          );
          assert.deepEqual(buildEarlyDataset(tx, opts), a);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("scoreNewCustomersColumns gives the model and scores of scoreNewCustomers", () => {
    const tx: Transaction[] = [];
    for (let c = 0; c < 60; c++) {
      tx.push({
        customerId: `n${c}`,
        at: base + c * 2 * DAY,
        amount: 10 + (c % 7) * 5,
        channel: c % 2 ? "a" : "b",
      });
      if (c % 3 === 0) tx.push({ customerId: `n${c}`, at: base + (c * 2 + 20) * DAY, amount: 30 });
    }
    const opts = { days: 7, horizonDays: 30, asOf: base + 125 * DAY };
    const specs = EARLY_FEATURE_SPECS.map((s) => (s.kind === "categorical" ? { ...s, minCount: 2 } : s));
    const a = scoreNewCustomers(buildEarlyDataset(tx, opts), { specs, epochs: 5, seed: 2 });
    const b = scoreNewCustomersColumns(buildEarlyColumns(tx, opts), { specs, epochs: 5, seed: 2 });
    assert.ok(a.scores.length > 0);
    assert.deepEqual(b.model.encoder, a.model.encoder);
    sameWeights(b.model.ziln, a.model.ziln);
    assert.deepEqual(
      b.scores.customerIds,
      a.scores.map((s) => s.customerId),
    );
    assert.deepEqual(
      [...b.scores.expectedValue],
      a.scores.map((s) => s.expectedValue),
    );
    assert.deepEqual(
      [...b.scores.pAny],
      a.scores.map((s) => s.pAny),
    );
  });
});

describe("WebAssembly SIMD scoring kernel", () => {
  it("instantiates on this runtime and computes a layer bit for bit as the TypeScript forward pass", () => {
    const kernel = simdKernel();
    assert.ok(
      kernel,
      "WebAssembly SIMD is available on Node 20; without it scoring falls back to TypeScript",
    );
    const rng = createRng(8);
    const inputs = 9;
    const outputs = 10; // one block of eight outputs, then one pair
    const rows = 5;
    const widths = [inputs, outputs];
    const params = new Float64Array(parameterCount(widths)).map(() => 4 * rng.uniform() - 2);
    const [layer] = layerViews(params, widths);
    const x = new Float64Array(rows * inputs).map(() => 10 * rng.uniform() - 5);
    const expected = forward([layer!], x, rows, [new Float64Array(rows * outputs)]);
    const buffer = kernel.memory(65536);
    const wt = new Float64Array(buffer, 0, inputs * outputs);
    transposeWeights(layer!, wt);
    new Float64Array(buffer, 1024, outputs).set(layer!.bias);
    new Float64Array(buffer, 2048, rows * inputs).set(x);
    const ident = new Int32Array(buffer, 4096, inputs);
    for (let i = 0; i < inputs; i++) ident[i] = i;
    for (const relu of [0, 1]) {
      const want = expected.map((v) => (relu && v < 0 ? 0 : v));
      // the indexed form (identity columns) and the dense form (no columns) give the same bits
      for (const run of [kernel.layer, kernel.dense]) {
        new Float64Array(buffer, 8192, rows * outputs).fill(Number.NaN);
        run(0, 1024, 2048, 4096, 0, inputs, rows, outputs, 8192, relu);
        const got = new Float64Array(buffer, 8192, rows * outputs);
        assert.deepEqual(got, want);
        if (relu) assert.ok(got.some((v) => v === 0) && got.some((v) => v > 0));
      }
    }
  });
});

describe("fast path at the extremes", () => {
  it("one training customer; scoring unseen categories, amount 0 and a huge amount: finite and equal to the record path", () => {
    const one = buildEarlyDataset(
      [{ customerId: "solo", at: base, amount: 20, channel: "ads", country: "DE" }],
      { days: 7, horizonDays: 30, asOf: base + 60 * DAY },
    ).customers;
    assert.equal(one.length, 1);
    for (const hidden of [[], [4]]) {
      const model = trainEarlyModel(one, { hidden, epochs: 3, seed: 1 });
      assert.ok(model.ziln.training.trainLoss.every(Number.isFinite));
      const weird: FeatureRecord[] = [
        { ...one[0]!.features, channel: "never-seen", campaign: "nope", country: "XX", first_weekday: "Sun" },
        { ...one[0]!.features, first_amount: 0, early_revenue: 0 },
        { ...one[0]!.features, first_amount: 1e300, early_revenue: 1e300, early_items: 1e9 },
        { ...one[0]!.features, first_amount: Number.POSITIVE_INFINITY, channel: undefined },
        {},
      ];
      const fast = scoreEarlyColumns(model, featureColumns(weird, EARLY_FEATURE_SPECS));
      const viaRecords = scoreEarly(model, weird);
      const dense = predictZiln(model.ziln, encodeFeatures(model.encoder, weird));
      assert.deepEqual(fast.mean, dense.mean);
      assert.deepEqual(viaRecords.mean, dense.mean);
      assert.deepEqual(fast.p, dense.p);
      assert.ok(fast.mean.every((v) => Number.isFinite(v) && v >= 0));
      assert.ok(fast.p.every((v) => v >= 0 && v <= 1));
    }
  });

  it("encodeColumns rejects columns the encoder needs but the data lack, as an issue", () => {
    const enc = fitEncoder(
      [{ a: 1, c: "x" }],
      [
        { name: "a", kind: "numeric" },
        { name: "c", kind: "categorical", minCount: 1 },
      ],
    );
    assert.throws(
      () => encodeColumns(enc, { rows: 1, numeric: { a: new Float64Array(1) }, categorical: {} }),
      /lack the categorical column 'c'/,
    );
  });
});
