import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitModel } from "../../../src/fit/fit.ts";
import { bgnbdModel, bgnbdPredictor, bgnbdSpec } from "../../../src/models/bgnbd/index.ts";
import { mbgnbdModel } from "../../../src/models/mbgnbd/index.ts";
import { rfmData } from "../../../src/models/rfm-data.ts";
import { cdnowRfm } from "./cdnow-data.ts";

const BTYD = { r: 0.2425982, alpha: 4.413684, a: 0.7929899, b: 2.426167 };

function close(actual: number, expected: number, relTol: number, what: string) {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(err <= relTol, `${what}: ${actual} vs ${expected} (relative error ${err.toExponential(2)})`);
}

describe("BG/NBD fit on CDNOW (Fader, Hardie & Lee 2005; BTYD)", () => {
  const data = cdnowRfm();
  const fit = fitModel(bgnbdSpec, data, { timeUnit: "week" });

  it("reproduces FHL 2005 / BTYD estimates r 0.2426, alpha 4.4136, a 0.7929, b 2.4259 and LL -9582.43", () => {
    assert.equal(fit.converged, true, fit.reason);
    assert.equal(fit.n, 2357);
    close(fit.params.r!, BTYD.r, 2e-4, "r");
    close(fit.params.alpha!, BTYD.alpha, 2e-4, "alpha");
    close(fit.params.a!, BTYD.a, 5e-4, "a");
    close(fit.params.b!, BTYD.b, 5e-4, "b");
    assert.ok(Math.abs(fit.logLikelihood - -9582.43) < 0.01, `LL ${fit.logLikelihood}`);
  });

  it("gives the published standard errors r 0.0126, alpha 0.378, a 0.186, b 0.705 (FHL 2005 Table)", () => {
    close(fit.standardErrors.r!, 0.0126, 0.01, "se r");
    close(fit.standardErrors.alpha!, 0.378, 0.01, "se alpha");
    close(fit.standardErrors.a!, 0.186, 0.01, "se a");
    close(fit.standardErrors.b!, 0.705, 0.01, "se b");
  });

  it("log-likelihood at the BTYD estimates is -9582.43 (BTYD bgnbd.cbs.LL -9582.429)", () => {
    const ll = bgnbdSpec.logLikelihood(Float64Array.from([BTYD.r, BTYD.alpha, BTYD.a, BTYD.b]), data);
    assert.ok(Math.abs(ll - -9582.429) < 0.01, `${ll}`);
  });

  it("fitting weighted unique rows equals fitting the expanded rows", () => {
    const compressed = bgnbdSpec.compress!(data);
    assert.ok(compressed.x.length < data.x.length);
    const p = Float64Array.of(0.3, 5, 0.9, 2);
    const g1 = new Float64Array(4);
    const g2 = new Float64Array(4);
    const l1 = bgnbdSpec.logLikelihood(p, data, g1);
    const l2 = bgnbdSpec.logLikelihood(p, compressed, g2);
    assert.ok(Math.abs(l1 - l2) < 1e-8 * Math.abs(l1), `${l1} vs ${l2}`);
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(g1[i]! - g2[i]!) < 1e-7 * (1 + Math.abs(g1[i]!)));
    const uncompressed = fitModel(bgnbdSpec, data, { compress: false });
    close(uncompressed.params.r!, fit.params.r!, 1e-6, "r from expanded rows");
    close(uncompressed.params.b!, fit.params.b!, 1e-5, "b from expanded rows");
  });

  it("splits into ranges that sum to the total", () => {
    const p = Float64Array.of(0.3, 5, 0.9, 2);
    const n = data.x.length;
    const total = bgnbdSpec.logLikelihood(p, data);
    const parts =
      bgnbdSpec.logLikelihoodRange!(p, data, 0, 1000) + bgnbdSpec.logLikelihoodRange!(p, data, 1000, n);
    assert.ok(Math.abs(total - parts) < 1e-9 * Math.abs(total));
  });
});

describe("BG/NBD likelihood: extremes and gradient", () => {
  it("individual log-likelihood at (0.25, 4, 0.8, 2.5), x 0, t_x 0, T 40 is -0.59947382 (issue reference)", () => {
    const ll = bgnbdSpec.logLikelihood(Float64Array.of(0.25, 4, 0.8, 2.5), rfmData([0], [0], [40]));
    assert.ok(Math.abs(ll - -0.59947382) < 1e-8, `${ll}`);
  });

  it("stays finite for x = 10,000, t_x = T, and a + b < 1", () => {
    const d = rfmData([10_000, 5, 3, 0, 1], [40, 40, 12.5, 0, 39.99], [40, 40, 40, 40, 40]);
    for (const p of [
      [0.25, 4, 0.8, 2.5],
      [0.25, 4, 0.3, 0.4],
      [50, 0.01, 1, 1e-3],
      [1e-3, 1e3, 1e3, 1e-3],
    ]) {
      const g = new Float64Array(4);
      const ll = bgnbdSpec.logLikelihood(Float64Array.from(p), d, g);
      assert.ok(Number.isFinite(ll), `LL at ${p}: ${ll}`);
      for (const v of g) assert.ok(Number.isFinite(v), `gradient at ${p}: ${g}`);
    }
  });

  it("notices an x column changed in place after a first evaluation (reused buffers)", () => {
    const d = rfmData([0, 1, 2], [0, 5, 9], [10, 10, 10]);
    const p = Float64Array.of(0.3, 4, 0.8, 2.5);
    bgnbdSpec.logLikelihood(p, d);
    d.x[1] = 3;
    const fresh = bgnbdSpec.logLikelihood(p, rfmData([0, 3, 2], [0, 5, 9], [10, 10, 10]));
    assert.equal(bgnbdSpec.logLikelihood(p, d), fresh);
    d.x[0] = Number.NaN;
    assert.equal(bgnbdSpec.logLikelihood(p, d), Number.NEGATIVE_INFINITY);
  });

  it("notices t_x and T columns changed in place too (their logs are tabulated per distinct value)", () => {
    const d = rfmData([0, 1, 2, 2], [0, 5, 9, 9], [10, 10, 10, 12]);
    const p = Float64Array.of(0.3, 4, 0.8, 2.5);
    const g = new Float64Array(4);
    bgnbdSpec.logLikelihood(p, d, g);
    d.T[1] = 11;
    d.t_x[2] = 7;
    const fresh = rfmData([0, 1, 2, 2], [0, 5, 7, 9], [10, 11, 10, 12]);
    const gFresh = new Float64Array(4);
    assert.equal(bgnbdSpec.logLikelihood(p, d, g), bgnbdSpec.logLikelihood(p, fresh, gFresh));
    assert.deepEqual([...g], [...gFresh]);
  });

  it("the gradient-only evaluation (the Hessian's) writes the same gradient bit for bit", () => {
    const d = rfmData(
      [0, 1, 2, 7, 30, 0],
      [0, 3.5, 20.1, 30, 38, 0],
      [38, 38, 30.5, 31, 38.5, 12],
      [3, 1, 2, 1, 1, 5],
    );
    for (const spec of [bgnbdSpec, mbgnbdModel.spec]) {
      for (const p of [
        [0.25, 4, 0.8, 2.5],
        [50, 0.01, 1, 1e-3],
      ]) {
        const g = new Float64Array(4);
        const gOnly = new Float64Array(4);
        spec.logLikelihood(Float64Array.from(p), d, g);
        spec.gradient!(Float64Array.from(p), d, gOnly);
        assert.deepEqual([...gOnly], [...g], `${spec.name} at ${p}`);
      }
    }
  });

  it("returns -Infinity (never NaN) for impossible parameters", () => {
    const ll = bgnbdSpec.logLikelihood(Float64Array.of(-1, 4, 0.8, 2.5), rfmData([1], [2], [3]));
    assert.equal(ll, Number.NEGATIVE_INFINITY);
  });

  it("analytic gradient equals central finite differences", () => {
    const d = rfmData(
      [0, 1, 2, 7, 30, 0],
      [0, 3.5, 20.1, 30, 38, 0],
      [38, 38, 30.5, 31, 38.5, 12],
      [3, 1, 2, 1, 1, 5],
    );
    for (const p of [
      [0.24, 4.4, 0.79, 2.43],
      [1.5, 0.7, 3, 0.4],
      [0.05, 20, 0.2, 0.3],
    ]) {
      const params = Float64Array.from(p);
      const g = new Float64Array(4);
      bgnbdSpec.logLikelihood(params, d, g);
      for (let k = 0; k < 4; k++) {
        const h = 1e-6 * p[k]!;
        const up = Float64Array.from(p);
        const dn = Float64Array.from(p);
        up[k] = p[k]! + h;
        dn[k] = p[k]! - h;
        const fd = (bgnbdSpec.logLikelihood(up, d) - bgnbdSpec.logLikelihood(dn, d)) / (2 * h);
        assert.ok(Math.abs(fd - g[k]!) < 1e-6 * (1 + Math.abs(fd)), `param ${k} at ${p}: ${g[k]} vs ${fd}`);
      }
    }
  });
});

describe("BG/NBD predictions (BTYD walkthrough, Fader, Hardie & Lee 2005)", () => {
  const bg = bgnbdPredictor(BTYD);

  // BTYD's customer 1516 has t.x = 216/7 = 30.857 weeks (printed as 30.86); P(alive) 0.96885 needs that value.
  it("customer x 26, t_x 30.86 (216/7), T 31: CET(52) 25.7566 and P(alive) 0.96885 (BTYD walkthrough)", () => {
    close(bg.conditionalExpectedPurchases(52, 26, 216 / 7, 31), 25.7566, 5e-6, "CET");
    close(bg.pAlive(26, 216 / 7, 31), 0.96885, 5e-6, "P(alive)");
  });

  it("increasing-frequency paradox, t_x 20, T 39: CET(52) 0.34746, 0.042834, 0.0041590, 0.00035837 (BTYD)", () => {
    const expected = [0.34746, 0.042834, 0.004159, 0.00035837];
    [10, 15, 20, 25].forEach((x, i) => {
      close(bg.conditionalExpectedPurchases(52, x, 20, 39), expected[i]!, 2e-5, `x = ${x}`);
    });
  });

  it("unconditional E[X(52)] = 1.44400 (BTYD bgnbd.Expectation)", () => {
    close(bg.expectedPurchases(52), 1.444, 5e-6, "E[X(52)]");
  });

  it("PMF at (0.243, 4.414, 0.793, 2.426): P(X(39)=0) 0.5737864, P(X(2)=10) 1.07869e-07 (BTYD bgnbd.pmf)", () => {
    const p = bgnbdPredictor({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
    close(p.probabilityOfPurchases(0, 39), 0.5737864, 1e-7, "P(X(39)=0)");
    close(p.probabilityOfPurchases(10, 2), 1.07869e-7, 1e-5, "P(X(2)=10)");
  });

  it("PMF sums to 1 over n and its mean is E[X(t)]", () => {
    for (const t of [2, 39, 78]) {
      let sum = 0;
      let mean = 0;
      for (let n = 0; n < 3000; n++) {
        const pn = bg.probabilityOfPurchases(n, t);
        sum += pn;
        mean += n * pn;
      }
      assert.ok(Math.abs(sum - 1) < 1e-9, `t = ${t}: sum ${sum}`);
      close(mean, bg.expectedPurchases(t), 1e-6, `mean at t = ${t}`);
    }
  });

  it("CET(0) = 0 and CET increases with t", () => {
    for (const [x, tx, T] of [
      [0, 0, 39],
      [3, 10, 39],
      [26, 30.86, 31],
    ] as const) {
      assert.equal(bg.conditionalExpectedPurchases(0, x, tx, T), 0);
      let prev = 0;
      for (const t of [0.01, 1, 5, 20, 52, 104, 400, 2000]) {
        const v = bg.conditionalExpectedPurchases(t, x, tx, T);
        assert.ok(v > prev, `x ${x}: CET(${t}) = ${v} not above ${prev}`);
        prev = v;
      }
    }
  });

  it("P(alive) is 1 with no repeat purchase and falls with the time since the last one", () => {
    assert.equal(bg.pAlive(0, 0, 39), 1);
    assert.ok(bg.pAlive(5, 38, 39) > bg.pAlive(5, 20, 39));
    assert.ok(bg.pAlive(5, 20, 39) > bg.pAlive(5, 2, 39));
  });

  it("is exposed as a PurchaseModel named bgnbd", () => {
    assert.equal(bgnbdModel.name, "bgnbd");
    assert.deepEqual([...bgnbdModel.paramNames], ["r", "alpha", "a", "b"]);
    assert.equal(bgnbdModel.predictor(BTYD).pAlive(26, 30.86, 31), bg.pAlive(26, 30.86, 31));
  });
});
