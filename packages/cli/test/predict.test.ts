import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { bgnbdModel, gammaGammaPredictor } from "@valuecast/core";
import { DATA } from "./paths.ts";
import { run } from "./run.ts";

const SUMMARY = join(DATA, "cdnow_customers_summary_with_transactions.csv");

describe("valuecast predict", () => {
  it("writes one score row per customer; customer 1 expects 1.226 purchases in 39 weeks (Fader, Hardie & Lee 2005)", async () => {
    const out = join(tmpdir(), `vc-scores-${process.pid}.csv`);
    const r = await run([
      "predict",
      SUMMARY,
      "--input",
      "summary",
      "--model",
      "bgnbd",
      "--horizon",
      "39 weeks",
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, r.err);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    rmSync(out);
    assert.equal(
      lines[0],
      "customer_id,x,t_x,T,p_alive,expected_purchases,expected_spend,clv,clv_undiscounted",
    );
    assert.equal(lines.length, 2358);
    const first = lines[1]!.split(",").map(Number);
    assert.equal(first[0], 1);
    assert.ok(Math.abs(first[5]! - 1.226) < 5e-4, `E[X(39)] = ${first[5]}`);
    assert.match(r.out, /Top 10 customers by predicted CLV/);
  });

  it("converts the horizon exactly and matches core's predictor and CLV inputs from a model file", async () => {
    const model = join(tmpdir(), `vc-pm-${process.pid}.json`);
    const fit = await run([
      "fit",
      SUMMARY,
      "--input",
      "summary",
      "--model",
      "bgnbd",
      "--spend",
      "gamma-gamma",
      "--out",
      model,
    ]);
    assert.equal(fit.code, 0, fit.err);
    const doc = JSON.parse(readFileSync(model, "utf8")) as {
      params: Record<string, number>;
      spend: { params: Record<string, number> };
    };
    const r = await run([
      "predict",
      SUMMARY,
      "--input",
      "summary",
      "--model-file",
      model,
      "--horizon",
      "12 months",
      "--discount-rate",
      "0",
      "--margin",
      "0.5",
      "--json",
    ]);
    rmSync(model);
    assert.equal(r.code, 0, r.err);
    const rep = JSON.parse(r.out) as {
      horizon: { inModelUnits: number };
      scores: Record<string, number>[];
      totals: { clv: number; clvUndiscounted: number };
    };
    // 12 months = 365.25 days = 52.178571... weeks
    assert.equal(rep.horizon.inModelUnits, 365.25 / 7);
    const row = rep.scores[0]!;
    const pred = bgnbdModel.predictor(doc.params);
    const gg = gammaGammaPredictor(doc.spend.params);
    const cet = pred.conditionalExpectedPurchases(365.25 / 7, 2, 30.43, 38.86);
    const spend = gg.conditionalExpectedSpend(2, 22.35);
    assert.ok(Math.abs(row.expected_purchases! - cet) < 1e-12);
    assert.ok(Math.abs(row.p_alive! - pred.pAlive(2, 30.43, 38.86)) < 1e-12);
    assert.ok(Math.abs(row.expected_spend! - spend) < 1e-9);
    // No discounting: CLV = margin x spend x expected purchases, and equals the undiscounted CLV.
    assert.ok(Math.abs(row.clv! - 0.5 * spend * cet) < 1e-9);
    assert.ok(Math.abs(rep.totals.clv - rep.totals.clvUndiscounted) < 1e-6);
  });

  it("rejects a bad horizon and a missing model choice as usage errors (exit 2)", async () => {
    const h = await run(["predict", SUMMARY, "--input", "summary", "--model", "bgnbd", "--horizon", "soon"]);
    assert.equal(h.code, 2);
    assert.match(h.err, /BAD_OPTION_VALUE --horizon/);
    const m = await run(["predict", SUMMARY, "--input", "summary"]);
    assert.equal(m.code, 2);
    assert.match(m.err, /exactly one of --model NAME or --model-file/);
  });
});

describe("valuecast predict: data readiness", () => {
  it("stops with NOT_ENOUGH_DATA (exit 1) when nobody bought twice, and reports the checks with --json", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const file = join(mkdtempSync(join(tmpdir(), "vc-ready-")), "s.csv");
    writeFileSync(file, "ID,frequency,recency,T\n1,0,0,30\n2,0,0,31\n3,0,0,12\n");
    const r = await run(["predict", file, "--input", "summary", "--model", "bgnbd"]);
    assert.equal(r.code, 1);
    assert.match(r.err, /error NOT_ENOUGH_DATA/);
    const ok = await run(["predict", SUMMARY, "--input", "summary", "--model", "bgnbd", "--json"]);
    const rep = JSON.parse(ok.out) as {
      readiness: { ready: boolean; checks: { id: string; value: number }[] };
    };
    assert.equal(rep.readiness.ready, true);
    const withOrders = rep.readiness.checks.find((c) => c.id === "customers_with_orders")!;
    assert.equal(withOrders.value, 2357);
  });
});
