import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ValuecastError } from "../../../src/errors/issues.ts";
import { fitModel } from "../../../src/fit/fit.ts";
import {
  compressSpendData,
  gammaGammaPredictor,
  gammaGammaSpec,
  spendData,
  validateSpend,
} from "../../../src/models/gamma-gamma/index.ts";
import { subsampleSpendData } from "../../../src/models/gamma-gamma/spend-data.ts";
import { cdnowWithSpend } from "../bgnbd/cdnow-data.ts";

function close(actual: number, expected: number, relTol: number, what: string) {
  const err = Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(err <= relTol, `${what}: ${actual} vs ${expected} (relative error ${err.toExponential(2)})`);
}

describe("Gamma-Gamma on the 946 CDNOW repeat buyers (Fader, Hardie & Lee 2005, RFM and CLV; lifetimes)", () => {
  const c = cdnowWithSpend();
  const { data, withoutRepeat } = spendData(c.x, c.zbar);
  const fit = fitModel(gammaGammaSpec, data);

  it("keeps the 946 repeat buyers and leaves out the 1,411 without a repeat purchase", () => {
    assert.equal(data.x.length, 946);
    assert.equal(withoutRepeat, 1411);
  });

  it("reproduces p 6.25, q 3.74, gamma 15.44, LL -4055.92 (Fader & Hardie Gamma-Gamma note; lifetimes)", () => {
    assert.equal(fit.converged, true, fit.reason);
    close(fit.params.p!, 6.25, 1e-3, "p");
    close(fit.params.q!, 3.74, 2e-3, "q");
    close(fit.params.gamma!, 15.44, 1e-3, "gamma");
    assert.ok(Math.abs(fit.logLikelihood - -4055.92) < 0.01, `LL ${fit.logLikelihood}`);
  });

  it("analytic gradient equals central finite differences", () => {
    for (const p of [
      [6.25, 3.74, 15.44],
      [0.5, 1.2, 300],
      [20, 0.3, 2],
    ]) {
      const g = new Float64Array(3);
      gammaGammaSpec.logLikelihood(Float64Array.from(p), data, g);
      for (let k = 0; k < 3; k++) {
        const h = 1e-6 * p[k]!;
        const up = Float64Array.from(p);
        const dn = Float64Array.from(p);
        up[k] = p[k]! + h;
        dn[k] = p[k]! - h;
        const fd =
          (gammaGammaSpec.logLikelihood(up, data) - gammaGammaSpec.logLikelihood(dn, data)) / (2 * h);
        assert.ok(Math.abs(fd - g[k]!) < 1e-6 * (1 + Math.abs(fd)), `param ${k} at ${p}: ${g[k]} vs ${fd}`);
      }
    }
  });

  it("weighted unique rows give the same log-likelihood as the expanded rows", () => {
    const compressed = gammaGammaSpec.compress!(data);
    assert.ok(compressed.x.length < data.x.length);
    const p = Float64Array.of(6, 3.5, 15);
    const a = gammaGammaSpec.logLikelihood(p, data);
    const b = gammaGammaSpec.logLikelihood(p, compressed);
    assert.ok(Math.abs(a - b) < 1e-9 * Math.abs(a));
  });

  it("compression keeps first-seen order, sums weights, merges -0 with 0 and NaN with NaN", () => {
    const c = compressSpendData({
      x: Float64Array.of(1, 1, 2, 1, Number.NaN, Number.NaN, 1, -0, 0, 3, 2),
      zbar: Float64Array.of(5, 5, 5, -0, 0, Number.NaN, Number.NaN, 1, 1, 2, 5),
      weight: Float64Array.of(1, 2, 1, 1, 1, 1, 1, 0.5, 0.25, 1, 3),
    });
    assert.deepEqual([...c.x], [1, 2, 1, Number.NaN, Number.NaN, 1, -0, 3]);
    assert.deepEqual([...c.zbar], [5, 5, -0, 0, Number.NaN, Number.NaN, 1, 2]);
    assert.deepEqual([...c.weight!], [3, 4, 1, 1, 1, 1, 0.75, 1]);
    // Many distinct rows (probing past collisions): every row kept once, weights 1 or 2.
    const n = 5000;
    const x = Float64Array.from({ length: 2 * n }, (_, i) => 1 + ((i % n) % 7));
    const z = Float64Array.from({ length: 2 * n }, (_, i) => 10 + (i % n) * 1e-9);
    const big = compressSpendData({ x, zbar: z });
    assert.equal(big.x.length, n);
    assert.deepEqual([...big.zbar], [...z.subarray(0, n)]);
    assert.ok(big.weight!.every((w) => w === 2));
  });

  it("subsamples every stride-th row with its weight (the warm start of large fits)", () => {
    const s = subsampleSpendData(
      {
        x: Float64Array.of(1, 2, 3, 4, 5),
        zbar: Float64Array.of(5, 6, 7, 8, 9),
        weight: Float64Array.of(1, 2, 3, 4, 5),
      },
      2,
    );
    assert.deepEqual([...s.x], [1, 3, 5]);
    assert.deepEqual([...s.zbar], [5, 7, 9]);
    assert.deepEqual([...s.weight!], [1, 3, 5]);
    assert.deepEqual([...subsampleSpendData(data, 1).zbar], [...data.zbar]);
  });

  it("conditional expected spend is the credibility-weighted mean p(gamma + x zbar)/(px + q - 1)", () => {
    const gg = gammaGammaPredictor({ p: 6.25, q: 3.74, gamma: 15.44 });
    const pop = (6.25 * 15.44) / 2.74;
    close(gg.populationMeanSpend, pop, 1e-12, "population mean");
    close(gg.conditionalExpectedSpend(0, 0), pop, 1e-12, "x = 0");
    const x = 2;
    const zbar = 22.35;
    const w = (6.25 * x) / (6.25 * x + 2.74);
    close(gg.conditionalExpectedSpend(x, zbar), w * zbar + (1 - w) * pop, 1e-12, "x = 2");
    // More repeat purchases move the estimate towards the customer's own mean.
    assert.ok(
      Math.abs(gg.conditionalExpectedSpend(50, 100) - 100) <
        Math.abs(gg.conditionalExpectedSpend(2, 100) - 100),
    );
  });
});

describe("Gamma-Gamma input checks", () => {
  it("rejects zero and negative mean spends with NON_POSITIVE_SPEND, counting them and naming the rows", () => {
    assert.throws(
      () => spendData([1, 2, 3, 4, 0], [10, 0, -5, 7, 0]),
      (e: unknown) => {
        assert.ok(e instanceof ValuecastError);
        assert.equal(e.issues.length, 1);
        assert.equal(e.issues[0]!.code, "NON_POSITIVE_SPEND");
        assert.match(e.issues[0]!.message, /2 repeat buyer\(s\).*rows 1, 2/);
        assert.equal(e.issues[0]!.location?.index, 1);
        return true;
      },
    );
  });

  it("drops them only when asked, reporting how many and where", () => {
    const r = spendData([1, 2, 3, 4, 0], [10, 0, -5, 7, 0], undefined, { nonPositiveSpend: "drop" });
    assert.deepEqual([...r.data.zbar], [10, 7]);
    assert.equal(r.dropped, 2);
    assert.deepEqual(r.droppedIndices, [1, 2]);
    assert.equal(r.withoutRepeat, 1);
  });

  it("the spec's validation and fitModel reject non-positive spends too", () => {
    const bad = { x: Float64Array.of(1, 2), zbar: Float64Array.of(5, 0) };
    assert.equal(validateSpend(bad, "gamma-gamma")[0]?.code, "NON_POSITIVE_SPEND");
    assert.throws(() => fitModel(gammaGammaSpec, bad), ValuecastError);
    const noRepeat = { x: Float64Array.of(0, 2), zbar: Float64Array.of(5, 3) };
    assert.equal(validateSpend(noRepeat, "gamma-gamma")[0]?.code, "INVALID_DATA");
  });

  it("refuses q <= 1 for predictions (infinite mean spend) instead of returning Infinity", () => {
    assert.throws(() => gammaGammaPredictor({ p: 2, q: 0.9, gamma: 10 }), ValuecastError);
    assert.throws(() => gammaGammaPredictor({ p: -2, q: 2, gamma: 10 }), ValuecastError);
  });
});

describe("Gamma-Gamma never returns NaN (property test over wide random inputs)", () => {
  it("log-likelihood and gradient finite, expected spend finite and between the two means", () => {
    const logUniform = (lo: number, hi: number) =>
      fc.double({ min: Math.log(lo), max: Math.log(hi), noNaN: true }).map((v) => Math.exp(v));
    fc.assert(
      fc.property(
        logUniform(1e-3, 1e3),
        logUniform(1e-3, 1e3),
        logUniform(1e-3, 1e4),
        fc.integer({ min: 1, max: 10_000 }),
        logUniform(1e-4, 1e6),
        (p, q, gamma, x, zbar) => {
          const g = new Float64Array(3);
          const ll = gammaGammaSpec.logLikelihood(
            Float64Array.of(p, q, gamma),
            { x: Float64Array.of(x), zbar: Float64Array.of(zbar) },
            g,
          );
          assert.ok(Number.isFinite(ll), `LL ${ll}`);
          for (const v of g) assert.ok(Number.isFinite(v), `gradient ${g}`);
          const qq = q + 1; // predictions need q > 1
          const pred = gammaGammaPredictor({ p, q: qq, gamma });
          const m = pred.conditionalExpectedSpend(x, zbar);
          const lo = Math.min(zbar, pred.populationMeanSpend) * (1 - 1e-12);
          const hi = Math.max(zbar, pred.populationMeanSpend) * (1 + 1e-12);
          assert.ok(Number.isFinite(m) && m >= lo && m <= hi, `spend ${m}`);
        },
      ),
      { numRuns: 500, seed: 20261122 },
    );
  });
});
