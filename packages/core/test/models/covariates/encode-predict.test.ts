import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { discountedIncrease } from "../../../src/clv/discounting.ts";
import { scoreCustomers } from "../../../src/clv/score.ts";
import { ValuecastError } from "../../../src/errors/issues.ts";
import { bgnbdPredictor } from "../../../src/models/bgnbd/model.ts";
import { chiSquareUpperTail } from "../../../src/models/covariates/chi-square.ts";
import { covariateDesign } from "../../../src/models/covariates/design.ts";
import { encodeCovariateRow, encodeCovariates } from "../../../src/models/covariates/encode.ts";
import {
  covariateIndividualParams,
  covariatePredictor,
  newCustomerValue,
  scoreCustomersWithCovariates,
} from "../../../src/models/covariates/predict.ts";
import { pnbdPredictor } from "../../../src/models/pnbd/predictor.ts";
import { simulatePnbd } from "../../../src/models/pnbd/simulate.ts";
import { continuousRatePerUnit } from "../../../src/time.ts";

describe("covariate encoding", () => {
  it("one-hot against the most frequent level (ties: first in sort order), numeric raw by default", () => {
    const { matrix, encodings, issues } = encodeCovariates(
      {
        channel: ["Paid", "Email", "Email", "Organic", " Paid", "Email"],
        first_amount: [10, "20.5", 30, 40, 50, 60],
      },
      [
        { name: "channel", kind: "categorical" },
        { name: "first_amount", kind: "numeric" },
      ],
    );
    assert.deepEqual(issues, []);
    assert.deepEqual(matrix.names, ["channel=Paid", "channel=Organic", "first_amount"]);
    assert.equal(encodings[0]?.kind === "categorical" && encodings[0].reference, "Email");
    assert.deepEqual(
      Array.from(matrix.values),
      [1, 0, 10, 0, 0, 20.5, 0, 0, 30, 0, 1, 40, 1, 0, 50, 0, 0, 60],
    );
  });

  it("an overridden reference level is used and named; an unknown one is an issue", () => {
    const ok = encodeCovariates({ c: ["a", "b", "b"] }, [{ name: "c", kind: "categorical", reference: "a" }]);
    assert.deepEqual(ok.matrix.names, ["c=b"]);
    assert.deepEqual(Array.from(ok.matrix.values), [0, 1, 1]);
    const bad = encodeCovariates({ c: ["a", "b"] }, [{ name: "c", kind: "categorical", reference: "z" }]);
    assert.equal(bad.issues[0]?.code, "BAD_OPTION_VALUE");
  });

  it("standardises on request (mean 0, sample SD 1) and encodes a new customer the same way", () => {
    const { matrix, encodings } = encodeCovariates({ v: [1, 2, 3, 4] }, [
      { name: "v", kind: "numeric", standardise: true },
    ]);
    const sd = Math.sqrt(5 / 3);
    assert.ok(Math.abs(matrix.values[0]! - -1.5 / sd) < 1e-15);
    assert.ok(Math.abs(encodeCovariateRow(encodings, { v: 5 }).v! - 2.5 / sd) < 1e-15);
  });

  it("rejects missing, non-numeric and non-finite values with row and column, and single-level columns", () => {
    const { issues } = encodeCovariates(
      { c: ["a", "", "b", null], v: [1, "x", Number.POSITIVE_INFINITY, "0x1A"], one: ["k", "k", "k", "k"] },
      [
        { name: "c", kind: "categorical" },
        { name: "v", kind: "numeric" },
        { name: "one", kind: "categorical" },
        { name: "nope", kind: "numeric" },
      ],
    );
    const where = issues.map((i) => `${i.code}:${i.location?.column}:${i.location?.index ?? ""}`);
    assert.deepEqual(where.sort(), [
      "INVALID_DATA:c:1",
      "INVALID_DATA:c:3",
      "INVALID_DATA:one:",
      "INVALID_DATA:v:1",
      "INVALID_DATA:v:2",
      "INVALID_DATA:v:3",
      "MISSING_COLUMN:nope:",
    ]);
  });

  it("a new customer's unseen level throws", () => {
    const { encodings } = encodeCovariates({ c: ["a", "b", "b"] }, [{ name: "c", kind: "categorical" }]);
    assert.deepEqual(encodeCovariateRow(encodings, { c: "b" }), { "c=a": 0 });
    assert.throws(() => encodeCovariateRow(encodings, { c: "q" }), ValuecastError);
  });
});

describe("predictions with covariates", () => {
  const pnbd = {
    r: 0.55,
    alpha: 10.6,
    s: 0.6,
    beta: 11.7,
    "trans.email": 0.4,
    "life.email": -0.3,
    "trans.amount": 0.1,
  };

  it("individual parameters follow CLVTools: alpha e^{-γ_trans·z}, beta e^{-γ_life·z}; BG/NBD a, b scaled by e^{γ_life·z}", () => {
    const ind = covariateIndividualParams("pnbd", pnbd, { email: 1, amount: 2 });
    assert.ok(Math.abs(ind.alpha! - 10.6 * Math.exp(-0.6)) < 1e-12);
    assert.ok(Math.abs(ind.beta! - 11.7 * Math.exp(0.3)) < 1e-12);
    assert.equal(ind.r, 0.55);
    const bg = covariateIndividualParams(
      "bgnbd",
      { r: 0.25, alpha: 4, a: 0.8, b: 2.5, "life.email": 0.5 },
      { email: 1 },
    );
    assert.ok(Math.abs(bg.a! - 0.8 * Math.exp(0.5)) < 1e-12 && Math.abs(bg.b! - 2.5 * Math.exp(0.5)) < 1e-12);
    assert.throws(() => covariateIndividualParams("pnbd", pnbd, { email: 1 }), /amount/);
  });

  it("a positive γ_trans means more purchases: E[X(52)] of a new email customer exceeds the reference one", () => {
    const email = covariatePredictor("pnbd", pnbd, { email: 1, amount: 0 }).expectedPurchases(52);
    const ref = covariatePredictor("pnbd", pnbd, { email: 0, amount: 0 }).expectedPurchases(52);
    assert.ok(email > ref, `${email} vs ${ref}`);
    assert.equal(ref, pnbdPredictor({ r: 0.55, alpha: 10.6, s: 0.6, beta: 11.7 }).expectedPurchases(52));
  });

  it("newCustomerValue discounts E[X(t)] from acquisition like scoreCustomers (10% a year, weeks)", () => {
    const z = { email: 1, amount: 1 };
    const v = newCustomerValue("pnbd", pnbd, z, 35, {
      horizon: 52,
      discountRate: 0.1,
      timeUnit: "week",
      margin: 0.3,
    });
    const pred = covariatePredictor("pnbd", pnbd, z);
    const delta = continuousRatePerUnit(0.1, "week");
    const want = discountedIncrease((t) => pred.expectedPurchases(t), 52, delta);
    assert.ok(Math.abs(v.discountedPurchases - want) < 1e-12 * want);
    assert.ok(v.discountedPurchases < v.expectedPurchases);
    assert.ok(Math.abs(v.value - 0.3 * 35 * want) < 1e-9);
  });

  it("scoreCustomersWithCovariates equals scoring each covariate group with its own predictor, in input order", () => {
    const n = 3000;
    const T = Float64Array.from({ length: n }, (_, i) => 20 + (i % 40));
    const { data } = simulatePnbd({ r: 0.55, alpha: 10.6, s: 0.6, beta: 11.7 }, T, { seed: 9 });
    const values = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      values[2 * i] = i % 2;
      values[2 * i + 1] = i % 5;
    }
    const { design } = covariateDesign(
      data,
      { names: ["email", "amount"], values },
      { trans: ["email", "amount"], life: ["email"] },
    );
    const spend = Float64Array.from({ length: n }, (_, i) => 10 + (i % 7));
    const opts = { horizon: 52, discountRate: 0.1, timeUnit: "week" as const };
    const s = scoreCustomersWithCovariates("pnbd", pnbd, spend, design, opts);
    for (const i of [0, 1, 2, 3, 4, 7, 1234, n - 1]) {
      const one = {
        x: data.x.subarray(i, i + 1),
        t_x: data.t_x.subarray(i, i + 1),
        T: data.T.subarray(i, i + 1),
      };
      const pred = covariatePredictor("pnbd", pnbd, { email: i % 2, amount: i % 5 });
      const want = scoreCustomers(pred, spend[i]!, one, opts);
      assert.equal(s.pAlive[i], want.pAlive[0]);
      assert.ok(Math.abs(s.clv[i]! - want.clv[0]!) <= 1e-12 * Math.max(1, want.clv[0]!), `row ${i}`);
    }
  });

  it("with zero coefficients the covariate scores equal the no-covariate scores (BG/NBD)", () => {
    const base = { r: 0.2425982, alpha: 4.413684, a: 0.7929899, b: 2.426167 };
    const data = {
      x: Float64Array.of(0, 2, 26, 10),
      t_x: Float64Array.of(0, 30.43, 30.86, 20),
      T: Float64Array.of(39, 38.86, 31, 39),
    };
    const { design } = covariateDesign(data, { names: ["u"], values: Float64Array.of(0, 1, 1, 0) });
    const opts = { horizon: 52, discountRate: 0.1, timeUnit: "week" as const };
    const a = scoreCustomersWithCovariates("bgnbd", { ...base, "trans.u": 0, "life.u": 0 }, 1, design, opts);
    const b = scoreCustomers(bgnbdPredictor(base), 1, data, opts);
    assert.deepEqual(Array.from(a.discountedPurchases), Array.from(b.discountedPurchases));
    assert.deepEqual(Array.from(a.pAlive), Array.from(b.pAlive));
  });
});

describe("chi-square upper tail (likelihood-ratio and Wald p-values)", () => {
  it("matches scipy.stats.chi2.sf", () => {
    for (const [x, df, want] of [
      [3.841458820694124, 1, 0.05],
      [5.991464547107979, 2, 0.05],
      [100, 1, 1.5239706048320995e-23],
      [1017.7, 2, 1.0215341354316785e-221],
      [30, 5, 1.4748581038443073e-5],
      [0.5, 7, 0.9994464813904249],
    ] as const) {
      const got = chiSquareUpperTail(x, df);
      assert.ok(Math.abs(got - want) <= 1e-10 * want, `chi2.sf(${x}, ${df}) = ${want}, got ${got}`);
    }
    assert.equal(chiSquareUpperTail(0, 2), 1);
    assert.equal(chiSquareUpperTail(Number.NaN, 2), 1);
  });
});
