import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitModel } from "../../../src/fit/fit.ts";
import { bgFamilyLogLikelihoodRange } from "../../../src/models/bgnbd/bg-likelihood.ts";
import { bgnbdPredictor } from "../../../src/models/bgnbd/model.ts";
import { compressCovariateDesign, covariateDesign } from "../../../src/models/covariates/design.ts";
import { fitCovariateModel } from "../../../src/models/covariates/fit.ts";
import { covariateLogLikelihood } from "../../../src/models/covariates/likelihood.ts";
import { covariatePredictor } from "../../../src/models/covariates/predict.ts";
import { covariateSpec } from "../../../src/models/covariates/spec.ts";
import { pnbdLogLikelihood } from "../../../src/models/pnbd/likelihood.ts";
import { pnbdPredictor } from "../../../src/models/pnbd/predictor.ts";
import { cdnow } from "../pnbd/cdnow.ts";

/** CDNOW 1/10 sample (39 weeks) with two made-up covariates: a 0/1 flag and a continuous score. */
function cdnowWithCovariates() {
  const rfm = cdnow();
  const n = rfm.x.length;
  const values = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    values[2 * i] = i % 3 === 0 ? 1 : 0;
    values[2 * i + 1] = Math.round(10 * Math.sin(i)) / 10; // 21 distinct values in [-1, 1]
  }
  return { rfm, z: { names: ["flag", "score"], values } };
}

/** The published fits (Fader, Hardie & Lee 2005; BTYD) on the same data. */
const PNBD = [0.5533, 10.578, 0.6062, 11.67];
const BGNBD = [0.2425982, 4.413684, 0.7929899, 2.426167];

describe("static covariates: all coefficients 0 is the no-covariate model", () => {
  const { rfm, z } = cdnowWithCovariates();
  const { design } = covariateDesign(rfm, z); // both covariates in both processes
  for (const [model, base, baseLL] of [
    ["pnbd", PNBD, (p: Float64Array, g: Float64Array) => pnbdLogLikelihood(p, rfm, g)],
    [
      "bgnbd",
      BGNBD,
      (p: Float64Array, g: Float64Array) => bgFamilyLogLikelihoodRange(0, p, rfm, 0, rfm.x.length, g),
    ],
  ] as const) {
    it(`${model}: log-likelihood and base gradient equal the no-covariate ones on CDNOW (FHL 2005 parameters)`, () => {
      const g0 = new Float64Array(4);
      const ll0 = baseLL(Float64Array.from(base), g0);
      const p = Float64Array.from([...base, 0, 0, 0, 0]);
      const g = new Float64Array(8);
      const ll = covariateLogLikelihood(model, p, design, g);
      // Same terms summed group by group: equal to rounding (CDNOW LL is about -9,600).
      assert.ok(Math.abs(ll - ll0) < 1e-9, `${ll} vs ${ll0}`);
      if (model === "pnbd") assert.ok(Math.abs(ll0 - -9594.98) < 0.01, `published LL -9594.98, got ${ll0}`);
      else assert.ok(Math.abs(ll0 - -9582.43) < 0.01, `published LL -9582.43, got ${ll0}`);
      for (let j = 0; j < 4; j++)
        assert.ok(Math.abs(g[j]! - g0[j]!) <= 1e-8 * (1 + Math.abs(g0[j]!)), `grad ${j}`);
    });

    it(`${model}: predictions with zero coefficients equal the no-covariate predictor`, () => {
      const names = model === "pnbd" ? ["r", "alpha", "s", "beta"] : ["r", "alpha", "a", "b"];
      const params: Record<string, number> = Object.fromEntries(names.map((k, j) => [k, base[j]!]));
      for (const k of ["trans.flag", "trans.score", "life.flag", "life.score"]) params[k] = 0;
      const withCov = covariatePredictor(model, params, { flag: 1, score: -0.7 });
      const plain = model === "pnbd" ? pnbdPredictor(params) : bgnbdPredictor(params);
      for (const [x, tx, T] of [
        [26, 30.86, 31],
        [10, 20, 39],
        [0, 0, 39],
      ] as const) {
        assert.equal(withCov.pAlive(x, tx, T), plain.pAlive(x, tx, T));
        assert.equal(
          withCov.conditionalExpectedPurchases(52, x, tx, T),
          plain.conditionalExpectedPurchases(52, x, tx, T),
        );
      }
      assert.equal(withCov.expectedPurchases(52), plain.expectedPurchases(52));
    });
  }
});

describe("static covariates: analytic gradient", () => {
  const { rfm, z } = cdnowWithCovariates();
  for (const model of ["pnbd", "bgnbd"] as const) {
    for (const sel of [{}, { trans: ["flag"], life: ["score"] }, { trans: ["score"], life: [] }]) {
      it(`${model} ${JSON.stringify(sel)}: matches central finite differences`, () => {
        const { design } = covariateDesign(rfm, z, sel);
        const K = design.trans.length + design.life.length;
        const base = model === "pnbd" ? PNBD : BGNBD;
        const coefs = [0.3, -0.4, 0.25, 0.5].slice(0, K);
        const p = Float64Array.from([...base, ...coefs]);
        const g = new Float64Array(4 + K);
        covariateLogLikelihood(model, p, design, g);
        for (let j = 0; j < 4 + K; j++) {
          const h = 1e-6 * Math.max(1, Math.abs(p[j]!));
          const up = Float64Array.from(p);
          const dn = Float64Array.from(p);
          up[j] = p[j]! + h;
          dn[j] = p[j]! - h;
          const fd =
            (covariateLogLikelihood(model, up, design) - covariateLogLikelihood(model, dn, design)) / (2 * h);
          assert.ok(
            Math.abs(fd - g[j]!) <= 2e-5 * Math.max(1, Math.abs(fd)),
            `param ${j}: analytic ${g[j]} vs FD ${fd}`,
          );
        }
      });
    }
  }

  it("the L2 penalty is n·λ·γ² on the coefficients only (CLVTools reg.lambdas on the mean LL), gradient included", () => {
    const { design } = covariateDesign(rfm, z, { trans: ["flag"], life: ["score"] });
    const plain = covariateSpec("pnbd", design);
    const pen = covariateSpec("pnbd", design, { l2: { trans: 0.1, life: 0.2 } });
    const p = Float64Array.from([...PNBD, 0.3, -0.4]);
    const g0 = new Float64Array(6);
    const g1 = new Float64Array(6);
    const diff = plain.logLikelihood(p, design, g0) - pen.logLikelihood(p, design, g1);
    const n = rfm.x.length; // 2357
    assert.ok(Math.abs(diff - n * (0.1 * 0.09 + 0.2 * 0.16)) < 1e-8, `penalty ${diff}`);
    for (let j = 0; j < 4; j++) assert.equal(g1[j], g0[j]);
    assert.ok(Math.abs(g0[4]! - g1[4]! - 2 * n * 0.1 * 0.3) < 1e-8);
    assert.ok(Math.abs(g0[5]! - g1[5]! - 2 * n * 0.2 * -0.4) < 1e-8);
  });
});

describe("static covariates: data handling", () => {
  const { rfm, z } = cdnowWithCovariates();
  it("compressed (x, t_x, T, z) rows give the same log-likelihood with fewer rows", () => {
    const { design } = covariateDesign(rfm, z);
    const small = compressCovariateDesign(design);
    assert.ok(small.x.length < design.x.length, `${small.x.length} rows`);
    const p = Float64Array.from([...PNBD, 0.2, -0.1, 0.3, 0.05]);
    const a = covariateLogLikelihood("pnbd", p, design);
    const b = covariateLogLikelihood("pnbd", p, small);
    assert.ok(Math.abs(a - b) < 1e-8, `${a} vs ${b}`);
  });

  it("rejects non-finite and constant covariates and unknown names, all at once", () => {
    const bad = Float64Array.from(z.values);
    bad[5] = Number.NaN;
    const { design } = covariateDesign(rfm, { names: z.names, values: bad });
    const issues = covariateSpec("pnbd", design).validate(design);
    assert.ok(
      issues.some(
        (i) => i.code === "INVALID_DATA" && i.location?.index === 2 && i.location?.column === "score",
      ),
    );
    const constant = covariateDesign(rfm, {
      names: ["one"],
      values: new Float64Array(rfm.x.length).fill(1),
    }).design;
    const ci = covariateSpec("bgnbd", constant).validate(constant);
    assert.ok(ci.some((i) => /same value/.test(i.message)));
    const unknown = covariateDesign(rfm, z, { trans: ["nope"] });
    assert.equal(unknown.issues[0]?.code, "MISSING_COLUMN");
  });

  it("impossible parameters give -Infinity, never NaN", () => {
    const { design } = covariateDesign(rfm, z);
    const g = new Float64Array(8);
    assert.equal(
      covariateLogLikelihood("bgnbd", Float64Array.of(-1, 4, 0.8, 2.4, 0, 0, 0, 0), design, g),
      -Infinity,
    );
    assert.equal(
      covariateLogLikelihood("pnbd", Float64Array.of(0.5, 10, 0.6, 11, Number.NaN, 0, 0, 0), design, g),
      -Infinity,
    );
    // Extreme coefficients push alpha_i to the edge of double range: still a number or -Infinity.
    const v = covariateLogLikelihood("pnbd", Float64Array.of(0.5, 10, 0.6, 11, 700, -700, 0, 0), design, g);
    assert.ok(!Number.isNaN(v) && g.every((x) => !Number.isNaN(x)));
  });

  it("fitting with zero-information covariates keeps the no-covariate optimum (CDNOW, pnbd)", () => {
    const { design } = covariateDesign(rfm, z, { trans: ["flag"], life: [] });
    const fit = fitModel(covariateSpec("pnbd", design), design, { starts: [[...PNBD, 0]] });
    assert.ok(fit.converged);
    assert.ok(fit.logLikelihood >= -9594.98 - 0.01);
    assert.ok(Math.abs(fit.params["trans.flag"]!) < 4 * fit.standardErrors["trans.flag"]!);
  });
});

describe("static covariates: fitCovariateModel with a penalty", () => {
  it("shrinks the coefficients towards 0, reports the unpenalised LL, and refuses fitModel's all-parameter l2", () => {
    const { rfm } = cdnowWithCovariates();
    // A real signal: flag = 1 for the customers with x > 2 (so it changes the purchase rate a lot).
    const values = Float64Array.from(rfm.x, (x) => (x > 2 ? 1 : 0));
    const { design } = covariateDesign(rfm, { names: ["busy"], values }, { trans: ["busy"], life: [] });
    const free = fitCovariateModel("pnbd", design);
    const pen = fitCovariateModel("pnbd", design, { penalty: { trans: 0.05 } });
    const g0 = free.fit.params["trans.busy"]!;
    const g1 = pen.fit.params["trans.busy"]!;
    assert.ok(g0 > 1 && g1 > 0 && g1 < g0, `${g1} vs ${g0}`);
    assert.ok(pen.fit.logLikelihood < free.fit.logLikelihood);
    const n = rfm.x.length;
    assert.ok(Math.abs(pen.penalisedLogLikelihood - (pen.fit.logLikelihood - n * 0.05 * g1 * g1)) < 1e-6);
    assert.equal(free.penalisedLogLikelihood, free.fit.logLikelihood);
    assert.throws(() => fitCovariateModel("pnbd", design, { l2: 1 } as never), /penalty/);
  });
});
