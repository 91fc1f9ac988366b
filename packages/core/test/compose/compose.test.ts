import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  backtestModel,
  chooseModel,
  DEFAULT_SCORE_SETTINGS,
  fitCustomers,
  holdoutErrors,
  meanRepeatSpend,
  modelCurves,
  observedRfm,
  parseModelDocument,
  repeatOccasionsPerPeriod,
  scorePurchasesWithDocument,
  scoreRow,
  scoreWithDocument,
} from "../../src/compose/index.ts";
import { bgnbdModel, pnbdModel, summarizeTransactions, ValuecastError } from "../../src/index.ts";
import { cdnowSampleTransactions, DATA } from "../summary/cdnow.ts";

/** cdnow_customers_summary_with_transactions.csv: ID,x,t_x,T,zbar (39 calibration weeks). */
function cdnowColumns() {
  const rows = readFileSync(`${DATA}cdnow_customers_summary_with_transactions.csv`, "utf8")
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(",").map(Number));
  const col = (k: number) => Float64Array.from(rows, (r) => r[k]!);
  return {
    ids: rows.map((r) => String(r[0])),
    timeUnit: "week" as const,
    x: col(1),
    t_x: col(2),
    T: col(3),
    monetary: col(4),
  };
}

const close = (a: number, e: number, rel: number, what: string) =>
  assert.ok(Math.abs(a - e) <= rel * Math.abs(e), `${what}: ${a} vs ${e}`);

describe("compose: fitCustomers and the model document", () => {
  const c = cdnowColumns();
  const { doc, notes } = fitCustomers(c, bgnbdModel, true);

  it("BG/NBD r 0.2426, alpha 4.4137, a 0.7930, b 2.4260 (Fader, Hardie & Lee 2005; BTYD) and Gamma-Gamma p 6.25, q 3.74, gamma 15.44 (lifetimes) on CDNOW", () => {
    assert.equal(doc.format, "valuecast-model/1");
    assert.equal(doc.model, "bgnbd");
    assert.equal(doc.timeUnit, "week");
    close(doc.params.r!, 0.2425982, 1e-3, "r");
    close(doc.params.alpha!, 4.413684, 1e-3, "alpha");
    close(doc.params.a!, 0.7929899, 2e-3, "a");
    close(doc.params.b!, 2.426167, 2e-3, "b");
    close(doc.spend!.params.p!, 6.25, 1e-3, "p");
    close(doc.spend!.params.q!, 3.74, 2e-3, "q");
    close(doc.spend!.params.gamma!, 15.44, 2e-3, "gamma");
    assert.deepEqual(notes, []);
  });

  it("observedRfm leaves out customers first seen on the last day (T = 0) and says how many", () => {
    const r = observedRfm({
      x: Float64Array.of(1, 0, 2),
      t_x: Float64Array.of(3, 0, 4),
      T: Float64Array.of(5, 0, 6),
    });
    assert.equal(r.leftOut, 1);
    assert.deepEqual([...r.rfm.T], [5, 6]);
    const withZero = fitCustomers(
      { ...c, T: Float64Array.from(c.T, (t, i) => (i === 0 ? 0 : t)) },
      bgnbdModel,
      false,
    );
    assert.match(withZero.notes[0]!, /left out 1 customer/);
    assert.equal(withZero.doc.spend, null);
  });

  it("parseModelDocument reads back a stored document and lists every problem of a bad one", () => {
    const back = parseModelDocument(JSON.parse(JSON.stringify(doc)), "m.json");
    assert.deepEqual(back.params, doc.params);
    assert.deepEqual(back.spend?.params, doc.spend?.params);
    assert.throws(
      () =>
        parseModelDocument({ params: { r: "x" }, timeUnit: "fortnight", spend: { model: "x" } }, "bad.json"),
      (e: unknown) =>
        e instanceof ValuecastError && e.issues.length === 4 && e.issues[0]!.location?.file === "bad.json",
    );
  });
});

describe("compose: scoring and model curves", () => {
  const c = cdnowColumns();
  const { doc } = fitCustomers(c, bgnbdModel, true);

  it("the purchase half computed first (before the spend model) gives the same scores, value for value", () => {
    const settings = { horizon: { value: 39, unit: "week" as const }, discountRate: 0.1, margin: 0.3 };
    for (const [model, d] of [
      [bgnbdModel, doc],
      [pnbdModel, fitCustomers(c, pnbdModel, true).doc],
    ] as const) {
      const whole = scoreWithDocument(d, c, settings, model);
      // From the purchase model alone: the document without its spend part.
      const purchases = scorePurchasesWithDocument(
        { params: d.params, timeUnit: d.timeUnit },
        c,
        settings,
        model,
      );
      const split = scoreWithDocument(d, c, settings, model, purchases);
      assert.deepEqual(split, whole);
      assert.ok(whole.scores.clv[0]! > 0 && whole.scores.clv[0] !== whole.scores.clvUndiscounted[0]);
    }
    // Its checks are scoreWithDocument's: a customer that cannot be scored, a model in another unit.
    const bad = { ...c, t_x: Float64Array.from(c.t_x, (t, i) => (i === 3 ? c.T[3]! + 5 : t)) };
    assert.throws(
      () => scorePurchasesWithDocument(doc, bad, settings, bgnbdModel),
      (e: unknown) => e instanceof ValuecastError && e.issues[0]?.code === "BAD_SUMMARY_VALUE",
    );
    assert.throws(
      () => scorePurchasesWithDocument(doc, { ...c, timeUnit: "day" }, settings, bgnbdModel),
      (e: unknown) => e instanceof ValuecastError && e.issues[0]?.code === "INVALID_DATA",
    );
  });

  it("customer 1 (x 2, t_x 30.43, T 38.86) expects 1.226 purchases in 39 weeks (Fader, Hardie & Lee 2005)", () => {
    const r = scoreWithDocument(
      doc,
      c,
      { horizon: { value: 39, unit: "week" }, discountRate: 0, margin: 1 },
      bgnbdModel,
    );
    assert.equal(r.horizonInUnits, 39);
    assert.equal(r.hasSpend, true);
    assert.ok(Math.abs(r.scores.expectedPurchases[0]! - 1.226) < 5e-4, `${r.scores.expectedPurchases[0]}`);
    const row = scoreRow(c.ids[0]!, c, r.scores, r.hasSpend, 0);
    assert.equal(row.customer_id, "1");
    assert.equal(row.x, 2);
    assert.equal(row.expected_purchases, r.scores.expectedPurchases[0]);
    assert.equal(row.clv, r.scores.clv[0]);
    const noSpend = scoreRow("1", c, r.scores, false, 0);
    assert.equal(noSpend.clv, null);
  });

  it("12 months are 52.18 weeks (365.25/12 days a month); a model fitted in days refuses week summaries", () => {
    const r = scoreWithDocument(doc, c, DEFAULT_SCORE_SETTINGS, bgnbdModel);
    close(r.horizonInUnits, (12 * 365.25) / 12 / 7, 1e-12, "horizon");
    assert.throws(
      () => scoreWithDocument({ ...doc, timeUnit: "day" }, c, DEFAULT_SCORE_SETTINGS, bgnbdModel),
      (e: unknown) => e instanceof ValuecastError && e.issues[0]!.code === "INVALID_DATA",
    );
  });

  it("modelCurves: cohort cells sum each customer's conditional expectations; unknown ids count 0 orders", () => {
    const index = new Map(c.ids.map((id, i) => [id, i]));
    const { forecast, curve } = modelCurves(doc, bgnbdModel, c, index);
    const p = bgnbdModel.predictor(doc.params);
    const g = doc.spend!.params as { p: number; q: number; gamma: number };
    // customer 1: x 2, t_x 30.43, T 38.86, zbar 29.73; orders in days 91..273 after the calibration end
    const orders =
      p.conditionalExpectedPurchases(39, 2, 30.43, 38.86) -
      p.conditionalExpectedPurchases(13, 2, 30.43, 38.86);
    const spend =
      ((g.q - 1) / (g.p * 2 + g.q - 1)) * ((g.p * g.gamma) / (g.q - 1)) +
      ((g.p * 2) / (g.p * 2 + g.q - 1)) * c.monetary[0]!;
    // ids as transactions write them ("1.0") find the normalised summary row; "nobody" adds nothing
    const cell = forecast.expect(["1.0", "nobody"], 13 * 7, 39 * 7);
    close(cell.orders, orders, 1e-12, "orders");
    close(
      cell.revenue,
      orders * spend,
      1e-9,
      "revenue = orders x Gamma-Gamma E[Z | x, zbar] (Fader, Hardie & Lee 2005, eq. 5)",
    );
    close(curve.spendPerOrder, (g.p * g.gamma) / (g.q - 1), 1e-12, "E[Z] = p gamma / (q - 1)");
    close(curve.expectedRepeatPurchases(52), p.expectedPurchases(52), 1e-12, "curve");
    assert.equal(meanRepeatSpend(Float64Array.of(0, 2, 1), Float64Array.of(0, 10, 30)), 20);
    assert.equal(meanRepeatSpend(Float64Array.of(0), null), 0);
  });
});

describe("compose: holdout backtest", () => {
  it("holdoutErrors on a hand example: MAE 2/3, RMSE sqrt(2/3), totals 6 and 6", () => {
    const e = holdoutErrors(Float64Array.of(0, 2, 4), Float64Array.of(1, 1, 4));
    close(e.mae, 2 / 3, 1e-15, "mae");
    close(e.rmse, Math.sqrt(2 / 3), 1e-15, "rmse");
    assert.equal(e.totalError, 0);
    assert.equal(holdoutErrors(Float64Array.of(1, 1), Float64Array.of(1, 2)).correlation, null);
  });

  it("backtests BG/NBD and Pareto/NBD on the CDNOW sample (calibration to 1997-09-30) and names the lower-MAE model", () => {
    const { columns } = summarizeTransactions(cdnowSampleTransactions(), {
      timeUnit: "week",
      calibrationEnd: "1997-09-30",
    });
    const h = columns.holdout!;
    const data = {
      x: columns.x,
      t_x: columns.t_x,
      T: columns.T,
      xHoldout: h.x,
      durationHoldout: new Float64Array(columns.length).fill(h.duration),
    };
    const models = [
      backtestModel("bgnbd", bgnbdModel, data, "week", null),
      backtestModel("pnbd", pnbdModel, data, "week", null),
    ];
    let actual = 0;
    for (const v of h.x) actual += v;
    for (const m of models) {
      assert.equal(m.holdout.customers, 2357);
      assert.equal(m.holdout.actualTotal, actual);
      assert.equal(
        m.buckets.reduce((s, b) => s + b.customers, 0),
        2357,
      );
      // aggregate holdout forecasts land within 15% of the 39 holdout weeks' repeat purchases
      assert.ok(Math.abs(m.holdout.totalError!) < 0.15, `${m.model} ${m.holdout.totalError}`);
    }
    const choice = chooseModel(models);
    const lower = models[0]!.holdout.mae <= models[1]!.holdout.mae ? "bgnbd" : "pnbd";
    assert.equal(choice.best, lower);
    assert.match(choice.reason, /lowest per-customer holdout MAE/);
  });

  it("repeatOccasionsPerPeriod counts every purchase day after a customer's first in its period", () => {
    assert.deepEqual(
      [
        ...repeatOccasionsPerPeriod(
          [
            [0, 3, 9],
            [1, 1, 8],
          ],
          0,
          7,
          2,
          13,
        ),
      ],
      [1, 2],
    );
  });
});
