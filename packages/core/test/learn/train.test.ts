import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValuecastError } from "../../src/errors/issues.ts";
import { featureMatrix } from "../../src/learn/matrix.ts";
import {
  backward,
  backwardScratch,
  forward,
  initialiseWeights,
  layerViews,
  parameterCount,
} from "../../src/learn/network.ts";
import { zilnModelFromJson, zilnModelToJson } from "../../src/learn/serialize.ts";
import { predictZiln, predictZilnEncoded, trainZiln, trainZilnEncoded } from "../../src/learn/train.ts";
import { softplus, zilnRowLoss } from "../../src/learn/ziln.ts";
import { createRng } from "../../src/math/random.ts";
import { linearZilnData } from "./synthetic.ts";

describe("MLP back-propagation", () => {
  it("parameter gradients of the mean ZILN loss match finite differences (2 hidden ReLU layers)", () => {
    const widths = [4, 6, 5, 3];
    const P = parameterCount(widths);
    const params = new Float64Array(P);
    const gradBuf = new Float64Array(P);
    const layers = layerViews(params, widths);
    const grads = layerViews(gradBuf, widths);
    initialiseWeights(layers, createRng(3));
    // a non-trivial output layer so all three logits matter
    const rng = createRng(9);
    for (const l of layers) for (let k = 0; k < l.bias.length; k++) l.bias[k] = 0.3 * (rng.uniform() - 0.5);
    const rows = 5;
    const x = new Float64Array(rows * 4).map(() => 2 * rng.uniform() - 1);
    const y = [0, 2.5, 0.3, 11, 0];
    const acts = widths.slice(1).map((w) => new Float64Array(rows * w));
    const deltas = widths.slice(1).map((w) => new Float64Array(rows * w));
    const loss = (): number => {
      const out = forward(layers, x, rows, acts);
      let s = 0;
      for (let b = 0; b < rows; b++) s += zilnRowLoss(out[3 * b]!, out[3 * b + 1]!, out[3 * b + 2]!, y[b]!);
      return s / rows;
    };
    const out = forward(layers, x, rows, acts);
    const top = deltas[2]!;
    for (let b = 0; b < rows; b++)
      zilnRowLoss(out[3 * b]!, out[3 * b + 1]!, out[3 * b + 2]!, y[b]!, top, 3 * b);
    for (let k = 0; k < 3 * rows; k++) top[k]! /= rows;
    backward(layers, grads, x, rows, acts, deltas, backwardScratch(widths, rows));
    let checked = 0;
    for (let k = 0; k < P; k++) {
      const keep = params[k]!;
      const h = 1e-6;
      params[k] = keep + h;
      const up = loss();
      params[k] = keep - h;
      const dn = loss();
      params[k] = keep;
      const fd = (up - dn) / (2 * h);
      assert.ok(
        Math.abs(gradBuf[k]! - fd) <= 1e-6 * Math.max(1, Math.abs(fd)),
        `param ${k}: ${gradBuf[k]} vs ${fd}`,
      );
      if (gradBuf[k] !== 0) checked++;
    }
    assert.ok(checked > P / 2, `only ${checked} of ${P} gradients were non-zero`);
  });
});

describe("trainZiln", () => {
  const { X, labels } = linearZilnData(20000, 11);

  it("the linear model recovers the generating coefficients (l_p = 0.5 + x1, mu = 1 + 0.5 x2, sigma = 0.8)", () => {
    const model = trainZiln(X, labels, { epochs: 40, seed: 5, weightDecay: 0 });
    const [layer] = model.layers;
    const w = layer!.weights;
    const b = layer!.bias;
    const close = (a: number, e: number, tol: number, what: string) =>
      assert.ok(Math.abs(a - e) <= tol, `${what}: ${a} vs ${e}`);
    close(b[0]!, 0.5, 0.06, "p bias");
    close(w[0]!, 1.0, 0.06, "p on x1");
    close(w[1]!, 0, 0.05, "p on x2");
    close(b[1]!, 1, 0.05, "mu bias");
    close(w[4]!, 0.5, 0.05, "mu on x2");
    close(w[5]!, 0, 0.05, "mu on noise");
    close(softplus(b[2]!), 0.8, 0.05, "sigma");
    assert.equal(model.architecture, "linear");
    assert.ok(model.training.bestEpoch >= 1 && model.training.validationRows === 2000);
  });

  it("an MLP is seeded and reproducible, improves on its start, and survives a JSON round trip", () => {
    const opts = { hidden: [16, 8], epochs: 4, seed: 42 } as const;
    const a = trainZiln(X, labels, opts);
    const b = trainZiln(X, labels, opts);
    assert.deepEqual(a.layers[0]!.weights, b.layers[0]!.weights);
    const vl = a.training.validationLoss;
    assert.ok(vl.length >= 1 && vl.every(Number.isFinite));
    assert.ok(a.training.trainLoss[a.training.trainLoss.length - 1]! < a.training.trainLoss[0]! + 1e-9);
    const back = zilnModelFromJson(JSON.parse(JSON.stringify(zilnModelToJson(a))));
    const p1 = predictZiln(a, X);
    const p2 = predictZiln(back, X);
    assert.deepEqual(p1.mean, p2.mean);
    assert.ok(p1.mean.every((v) => Number.isFinite(v) && v >= 0));
    assert.ok(p1.p.every((v) => v > 0 && v < 1));
  });

  it("the predicted mean tracks the true conditional mean on fresh data", () => {
    // the converged (last) weights: the best-validation epoch of a 2000-row validation set is partly luck
    const model = trainZiln(X, labels, { epochs: 30, seed: 1, restoreBest: false });
    const fresh = linearZilnData(5000, 99);
    const { mean } = predictZiln(model, fresh.X);
    let s = 0;
    let m = 0;
    for (let i = 0; i < fresh.X.rows; i++) {
      const x1 = fresh.X.values[3 * i]!;
      const x2 = fresh.X.values[3 * i + 1]!;
      const truth = (1 / (1 + Math.exp(-(0.5 + x1)))) * Math.exp(1 + 0.5 * x2 + 0.32);
      s += Math.abs(mean[i]! - truth) / truth;
      m++;
    }
    assert.ok(s / m < 0.03, `mean relative error ${s / m}`);
  });

  it("a far too large learning rate stops as diverged with finite predictions, never NaN", () => {
    const model = trainZiln(X, labels, { hidden: [8], learningRate: 1e6, epochs: 5, seed: 1 });
    const { p, mean } = predictZiln(model, X);
    assert.ok(p.every(Number.isFinite) && mean.every(Number.isFinite));
    assert.ok(model.training.diverged && model.training.trainLoss.every(Number.isFinite));
  });

  it("rejects negative or non-finite labels and mismatched shapes as issues", () => {
    const X2 = featureMatrix([[1], [2]]);
    assert.throws(() => trainZiln(X2, [1, -1]), ValuecastError);
    assert.throws(() => trainZiln(X2, [1, Number.NaN]), ValuecastError);
    assert.throws(() => trainZiln(X2, [1]), ValuecastError);
    assert.throws(() => trainZiln(featureMatrix([[1], [Number.NaN]]), [1, 0]), ValuecastError);
    assert.throws(() => trainZiln(X2, [1, 0], { hidden: [0] }), ValuecastError);
    const m = trainZiln(X2, [1, 0], { epochs: 1 });
    assert.throws(() => predictZiln(m, featureMatrix([[Number.POSITIVE_INFINITY]])), ValuecastError);
    assert.throws(() => predictZiln(m, featureMatrix([[1, 2]])), ValuecastError);
  });

  it("slot rows: a non-finite value or columns out of order or range are issues naming the row", () => {
    const slots = (values: number[], columns: number[]) => ({
      rows: 2,
      cols: 3,
      names: ["a", "b", "c"],
      slots: 2,
      values: Float64Array.from(values),
      columns: Int32Array.from(columns),
    });
    const m = trainZilnEncoded(slots([1, 1, 0.5, 1], [0, 1, 0, 2]), [1, 0], { epochs: 1 });
    assert.equal(predictZilnEncoded(m, slots([1, 1, 0.5, 1], [0, 1, 0, 2])).mean.length, 2);
    const message = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        assert.ok(e instanceof ValuecastError);
        return e.issues[0]!.message;
      }
      return "no issue";
    };
    assert.match(
      message(() => predictZilnEncoded(m, slots([1, 1, Number.NaN, 1], [0, 1, 0, 2]))),
      /feature 'a' of row 1 is NaN/,
    );
    assert.match(
      message(() => trainZilnEncoded(slots([1, 1, 1, Number.NEGATIVE_INFINITY], [0, 1, 0, 2]), [1, 0])),
      /feature 'c' of row 1 is -Infinity/,
    );
    assert.match(
      message(() => predictZilnEncoded(m, slots([1, 1, 1, 1], [0, 1, 2, 1]))),
      /row 1 has slot column 1 out of order/,
    );
    assert.match(
      message(() => predictZilnEncoded(m, slots([1, 1, 1, 1], [0, 3, 0, 1]))),
      /row 0 has slot column 3 out of order or range/,
    );
  });
});
