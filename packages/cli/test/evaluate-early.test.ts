// `valuecast evaluate --early` (issue 6): early-lifecycle value backtests on CDNOW and Online Retail.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Transaction } from "@valuecast/core";
import {
  type EarlyEvaluationReport,
  earlySettings,
  runEarlyEvaluation,
} from "../src/early/evaluate-early.ts";
import { readEarlyTransactions } from "../src/early/transactions.ts";
import { DATA } from "./paths.ts";
import { run } from "./run.ts";

const row = (r: EarlyEvaluationReport, name: string) => {
  const m = r.models.find((x) => x.name === name);
  assert.ok(m, `no row ${name}`);
  return m;
};

function checkSane(r: EarlyEvaluationReport): void {
  assert.deepEqual(
    r.models.map((m) => m.name),
    ["ziln_linear", "ziln_mlp", "first_order_value", "overall_mean", "pnbd_covariates"],
  );
  for (const m of r.models) {
    for (const v of [m.normalizedGini, m.spearman, m.decileMape, m.topDecileCapture, m.mae, m.meanPredicted])
      assert.ok(Number.isFinite(v), `${m.name}: ${JSON.stringify(m)}`);
    assert.equal(
      m.deciles.reduce((s, d) => s + d.n, 0),
      r.customers.test,
    );
  }
  // the overall mean ranks nobody: Gini 0 and its "top decile" holds a tenth of the value
  assert.equal(row(r, "overall_mean").normalizedGini, 0);
  assert.ok(Math.abs(row(r, "overall_mean").topDecileCapture - 0.1) < 1e-12);
}

describe("evaluate --early on real data", () => {
  it("CDNOW, first week -> next 52 weeks: the ZILN models and the covariate Pareto/NBD beat the first-order-value ranking", async () => {
    const res = await run([
      "evaluate",
      `${DATA}CDNOW_master.txt`,
      "--early",
      "--observe-days",
      "7",
      "--horizon",
      "52 weeks",
      "--json",
    ]);
    assert.equal(res.code, 0, res.err);
    const r = JSON.parse(res.out) as EarlyEvaluationReport;
    checkSane(r);
    assert.equal(r.horizon.days, 364);
    assert.equal(r.testFrom, "1997-03-01");
    assert.equal(r.customers.withFeatures, 23502); // 23,570 less 68 whose only lines are $0.00
    assert.equal(r.customers.test, 7231);
    assert.equal(r.customers.train, 16269);
    // the baseline involves no training: pinned (same figure as core's evaluate-early-real test)
    const base = row(r, "first_order_value").normalizedGini;
    assert.ok(Math.abs(base - 0.4227) < 5e-5, `${base}`);
    assert.ok(row(r, "ziln_linear").normalizedGini > base + 0.03, `${row(r, "ziln_linear").normalizedGini}`);
    assert.ok(row(r, "ziln_mlp").normalizedGini > base + 0.03);
    assert.ok(row(r, "pnbd_covariates").normalizedGini > base + 0.02);
    // calibrated in aggregate: mean predicted within 10% of the mean actual 55.30
    assert.ok(Math.abs(row(r, "ziln_linear").meanActual - 55.3) < 0.01);
    assert.ok(Math.abs(row(r, "ziln_linear").meanPredicted / 55.3 - 1) < 0.1);
    assert.equal(r.best, "ziln_linear");
  });

  it("Online Retail, first week -> 6 months, new customers from 2011-01-01: ZILN linear beats first-order value", async () => {
    const res = await run([
      "evaluate",
      `${DATA}real/uci_online_retail/by-day/*.csv`,
      "--early",
      "--horizon",
      "6m",
      "--acquired-from",
      "2011-01-01",
      "--json",
    ]);
    assert.equal(res.code, 0, res.err);
    const r = JSON.parse(res.out) as EarlyEvaluationReport;
    checkSane(r);
    assert.equal(r.customers.train + r.customers.test, 1850);
    assert.equal(r.customers.beforeAcquisition, 885);
    const base = row(r, "first_order_value").normalizedGini;
    assert.ok(Math.abs(base - 0.4523) < 5e-5, `${base}`);
    assert.ok(row(r, "ziln_linear").normalizedGini > base + 0.01);
  });

  it("no outcome of a test customer reaches training or the features (CDNOW sample, test horizons scaled x10)", () => {
    const { transactions } = readEarlyTransactions(`${DATA}CDNOW_sample.txt`, {}, process.cwd());
    const settings = earlySettings({ horizon: "52 weeks" });
    const a = runEarlyEvaluation(transactions, settings, { trainShare: 0.7 });
    // every purchase after a test customer's first week is multiplied by 10
    const testFrom = Date.parse(`${a.testFrom}T00:00:00Z`);
    const first = new Map<string, number>();
    for (const t of transactions) first.set(t.customerId, Math.min(first.get(t.customerId) ?? t.at, t.at));
    const scaled: Transaction[] = transactions.map((t) => {
      const f = first.get(t.customerId)!;
      return f >= testFrom && t.at > f + 7 * 86_400_000 ? { ...t, amount: t.amount * 10 } : t;
    });
    const b = runEarlyEvaluation(scaled, settings, { trainShare: 0.7 });
    assert.equal(b.testFrom, a.testFrom);
    for (const m of a.models) {
      const n = row(b, m.name);
      assert.equal(n.meanPredicted, m.meanPredicted, m.name);
      assert.ok(Math.abs(n.meanActual / m.meanActual - 10) < 1e-9, m.name);
    }
  });

  it("--bootstrap: each model's Gini gain over first-order value, from the very predictions evaluateEarly scored", () => {
    const { transactions } = readEarlyTransactions(`${DATA}CDNOW_sample.txt`, {}, process.cwd());
    const r = runEarlyEvaluation(transactions, earlySettings({ horizon: "52 weeks" }), { bootstrap: 200 });
    assert.ok(r.giniGains);
    assert.equal(r.giniGains.resamples, 200);
    const base = row(r, "first_order_value").normalizedGini;
    assert.deepEqual(
      r.giniGains.models.map((g) => g.model),
      ["ziln_linear", "ziln_mlp", "pnbd_covariates"],
    );
    for (const g of r.giniGains.models) {
      // recomputed predictions are the evaluated ones: the gain is exactly the difference of the rows
      assert.ok(Math.abs(g.gain - (row(r, g.model).normalizedGini - base)) < 1e-12, g.model);
      assert.ok(g.low <= g.gain && g.gain <= g.high && g.high - g.low > 0.005, JSON.stringify(g));
      assert.ok(g.shareAbove >= 0 && g.shareAbove <= 1);
    }
    assert.equal(
      runEarlyEvaluation(transactions, earlySettings({ horizon: "52 weeks" }), { probabilistic: "none" })
        .giniGains,
      null,
    );
  });

  it("--end closes the data: the same as evaluating the transactions up to that day", async () => {
    const res = await run([
      "evaluate",
      `${DATA}CDNOW_sample.txt`,
      "--early",
      "--horizon",
      "26 weeks",
      "--end",
      "1997-09-30",
      "--prob-model",
      "none",
      "--json",
    ]);
    assert.equal(res.code, 0, res.err);
    const viaCli = JSON.parse(res.out) as EarlyEvaluationReport;
    const { transactions } = readEarlyTransactions(`${DATA}CDNOW_sample.txt`, {}, process.cwd());
    const upTo = transactions.filter((t) => t.at < Date.UTC(1997, 9, 1));
    const direct = runEarlyEvaluation(upTo, earlySettings({ horizon: "26 weeks" }), {
      probabilistic: "none",
    });
    assert.deepEqual(
      viaCli.models.map((m) => [m.name, m.normalizedGini, m.meanActual]),
      direct.models.map((m) => [m.name, m.normalizedGini, m.meanActual]),
    );
    assert.equal(viaCli.customers.test, 718);
  });

  it("prints the comparison as a table and rejects a bad horizon", async () => {
    const res = await run(["evaluate", `${DATA}CDNOW_sample.txt`, "--early", "--horizon", "52w"]);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /Early value: first 7 days -> next 52 weeks/);
    assert.match(res.out, /model +norm\. Gini +Spearman +decile MAPE +top-decile capture/);
    assert.match(res.out, /^pnbd_covariates +0\.\d{4}/m);
    const bad = await run(["evaluate", `${DATA}CDNOW_sample.txt`, "--early", "--horizon", "soon"]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--horizon needs a positive number and a unit/);
  });
});
