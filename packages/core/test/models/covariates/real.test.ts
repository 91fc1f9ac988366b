import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { covariateDesign } from "../../../src/models/covariates/design.ts";
import { encodeCovariateRow, encodeCovariates } from "../../../src/models/covariates/encode.ts";
import { type CovariateFit, fitCovariateModel } from "../../../src/models/covariates/fit.ts";
import { newCustomerValue } from "../../../src/models/covariates/predict.ts";
import { cdnowMaster, onlineRetail } from "./real-data.ts";

function report(label: string, res: CovariateFit): string {
  const coefs = res.coefficients
    .map(
      (c) =>
        `${c.name} ${c.estimate.toFixed(4)} (se ${c.standardError?.toFixed(4)}, p ${c.pValue?.toExponential(2)})`,
    )
    .join("; ");
  const lr = res.likelihoodRatio;
  return `# ${label}: ${coefs}; LL ${res.fit.logLikelihood.toFixed(2)} vs ${res.base.logLikelihood.toFixed(2)} without covariates (gain ${(res.fit.logLikelihood - res.base.logLikelihood).toFixed(2)}), LR ${lr.statistic.toFixed(2)} on ${lr.df} df, p ${lr.pValue.toExponential(2)}`;
}

function checkFit(res: CovariateFit): void {
  assert.ok(res.fit.converged, res.fit.reason);
  assert.ok(res.base.converged);
  // Nested models: the covariate fit cannot be worse than the no-covariate one.
  assert.ok(res.fit.logLikelihood >= res.base.logLikelihood - 1e-6);
  for (const c of res.coefficients) {
    assert.ok(c.standardError !== null && c.standardError > 0 && Number.isFinite(c.standardError), c.name);
  }
}

describe("static covariates on CDNOW master (23,570 customers, calibration to 1997-09-30, weeks)", () => {
  const data = cdnowMaster();
  const { matrix, encodings, issues } = encodeCovariates(
    { first_cds: data.firstQty.map((q) => (q > 1 ? "2+" : "1")) },
    [{ name: "first_cds", kind: "categorical", reference: "1" }],
  );
  assert.deepEqual(issues, []);

  it("a non-positive first amount cannot be log-encoded: 72 customers reported as issues (capped at 20)", () => {
    const enc = encodeCovariates({ first_amount: data.firstAmount }, [
      { name: "first_amount", kind: "numeric", log: true },
    ]);
    assert.equal(enc.issues.length, 20);
    assert.ok(enc.issues.every((i) => i.code === "INVALID_DATA" && i.location?.column === "first_amount"));
    assert.equal(data.firstAmount.filter((a) => !(a > 0)).length, 72);
  });

  for (const model of ["pnbd", "bgnbd"] as const) {
    it(`${model}: "first order had more than 1 CD" in both processes converges with standard errors`, () => {
      assert.equal(data.rfm.x.length, 23_570);
      const { design } = covariateDesign(data.rfm, matrix);
      const res = fitCovariateModel(model, design, { timeUnit: "week" });
      checkFit(res);
      console.log(report(`CDNOW ${model}, reference first_cds=1`, res));
      // A new customer whose first order had several CDs vs one: predicted 52-week repeat purchases.
      const multi = newCustomerValue(
        model,
        res.fit.params,
        encodeCovariateRow(encodings, { first_cds: "2+" }),
        1,
        {
          horizon: 52,
        },
      );
      const single = newCustomerValue(
        model,
        res.fit.params,
        encodeCovariateRow(encodings, { first_cds: "1" }),
        1,
        {
          horizon: 52,
        },
      );
      console.log(
        `# CDNOW ${model}: new customer E[X(52 weeks)] first order 2+ CDs ${multi.expectedPurchases.toFixed(4)}, 1 CD ${single.expectedPurchases.toFixed(4)}`,
      );
      assert.ok(multi.expectedPurchases > 0 && single.expectedPurchases > 0);
    });
  }

  it("pnbd with ln(first amount) on the customers with a positive first amount (raw log dollars, trans only)", () => {
    const keep = data.firstAmount.map((a, i) => (a > 0 ? i : -1)).filter((i) => i >= 0);
    const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]!);
    const rfm = { x: pick(data.rfm.x), t_x: pick(data.rfm.t_x), T: pick(data.rfm.T) };
    const enc = encodeCovariates({ first_amount: keep.map((i) => data.firstAmount[i]!) }, [
      { name: "first_amount", kind: "numeric", log: true },
    ]);
    assert.deepEqual(enc.issues, []);
    const { design } = covariateDesign(rfm, enc.matrix, { trans: ["first_amount"], life: [] });
    const res = fitCovariateModel("pnbd", design, { timeUnit: "week" });
    checkFit(res);
    console.log(report(`CDNOW pnbd, ln(first amount), ${keep.length} customers`, res));
  });
});

describe("static covariates on UCI Online Retail (country UK vs non-UK, weeks)", () => {
  const data = onlineRetail();
  // One customer first bought on the last day (T = 0): no observation window, so not fitted.
  const keep = Array.from(data.rfm.T, (t, i) => (t > 0 ? i : -1)).filter((i) => i >= 0);
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]!);
  const rfm = { x: pick(data.rfm.x), t_x: pick(data.rfm.t_x), T: pick(data.rfm.T) };
  const country = keep.map((i) => (data.attr[i] === "United Kingdom" ? "UK" : "non-UK"));
  const { matrix, encodings, issues } = encodeCovariates({ country }, [
    { name: "country", kind: "categorical" },
  ]);

  it("encodes against the most frequent level, UK, and names it", () => {
    assert.deepEqual(issues, []);
    assert.equal(encodings[0]?.kind === "categorical" && encodings[0].reference, "UK");
    assert.deepEqual(matrix.names, ["country=non-UK"]);
  });

  for (const model of ["pnbd", "bgnbd"] as const) {
    it(`${model}: converges; the lifetime coefficient is not identified (no dropout seen), the transaction one has a conditional standard error`, () => {
      const { design } = covariateDesign(rfm, matrix);
      const res = fitCovariateModel(model, design, { timeUnit: "week" });
      assert.ok(res.fit.converged && res.base.converged);
      assert.ok(res.fit.logLikelihood >= res.base.logLikelihood - 1e-6);
      // The full Hessian is singular: the dropout process sits at its boundary on this year of data.
      assert.equal(res.fit.covariance, null);
      assert.ok(res.conditionalOn.includes("life.country=non-UK"), res.conditionalOn.join());
      const trans = res.coefficients.find((c) => c.name === "trans.country=non-UK")!;
      assert.ok(trans.standardError !== null && trans.standardError > 0 && trans.standardError < 1);
      assert.ok(Number.isFinite(res.standardErrors.r!) && Number.isFinite(res.standardErrors.alpha!));
      console.log(
        `${report(`Online Retail ${model} (${rfm.x.length} customers), reference country=UK`, res)}; standard errors conditional on ${res.conditionalOn.join(", ")} held fixed`,
      );
    });
  }
});
