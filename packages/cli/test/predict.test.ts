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
    assert.doesNotMatch(r.err, /timings:/);
  });

  it("--timings says how long each stage took and the peak memory, from raw transactions to a Parquet file", async () => {
    const out = join(tmpdir(), `vc-scores-${process.pid}.parquet`);
    const r = await run([
      "predict",
      join(DATA, "CDNOW_master.txt"),
      "--model",
      "bgnbd",
      "--out",
      out,
      "--timings",
    ]);
    rmSync(out);
    assert.equal(r.code, 0, r.err);
    // Notes (the timings, the summary line) go to stderr; the report to stdout.
    const m =
      /timings: summary ([0-9.]+) s, fit ([0-9.]+) s, scores ([0-9.]+) s, file ([0-9.]+) s; total ([0-9.]+) s since the command started; peak memory ([0-9.]+) GB/.exec(
        r.err,
      );
    assert.ok(m, r.err);
    const [summary, fit, scores, file, total, peak] = m.slice(1).map(Number) as number[];
    assert.ok(
      summary! + fit! + scores! + file! <= total! + 0.02,
      `stages add up to at most the total: ${m[0]}`,
    );
    assert.ok(peak! > 0.02 && peak! < 8, `peak memory ${peak} GB`);
    // The summary line splits the engine's own time into its stages.
    assert.match(r.err, /\(duckdb, [0-9.]+ s: parse [0-9.]+, query [0-9.]+, read [0-9.]+, collect [0-9.]+\)/);
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

describe("valuecast predict --profile", () => {
  it("adds the CRM profile: historic CLV net of refunds, days between orders (t_x/x), next order date, not-enough-data reason", async () => {
    const { mkdtempSync } = await import("node:fs");
    const out = join(mkdtempSync(join(tmpdir(), "vc-prof-")), "p.json");
    const master = join(DATA, "CDNOW_master.txt");
    const r = await run([
      "predict",
      master,
      "--model",
      "bgnbd",
      "--calibration-end",
      "1997-09-30",
      "--profile",
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(readFileSync(out, "utf8")) as Record<string, number | string | null>[];
    assert.equal(rows.length, 23570);
    const byId = new Map(rows.map((row) => [row.customer_id, row]));
    // 00001 bought once (1997-01-01, $11.77): one order, no repeat -> explicit ONE_ORDER, no days between orders.
    const c1 = byId.get("00001")!;
    assert.equal(c1.historic_clv, 11.77);
    assert.equal(c1.orders, 1);
    assert.equal(c1.avg_days_between_orders, null);
    assert.equal(c1.not_enough_data, "ONE_ORDER");
    // 00003: x = 2 repeats, t_x = 90 days -> 45 days between orders; total = historic + predicted CLV.
    const c3 = byId.get("00003")!;
    assert.equal(c3.avg_days_between_orders, 45);
    assert.ok(Math.abs((c3.total_clv as number) - ((c3.historic_clv as number) + (c3.clv as number))) < 1e-9);
    assert.match(String(c3.next_order_date), /^199[78]-\d\d-\d\d$/);
    const statuses = new Set(rows.map((row) => row.next_order_status));
    for (const s of statuses)
      assert.ok(["expected", "none_within_horizon", "unavailable"].includes(String(s)));
  });

  it("needs a transaction source (exit 1 on a summary file)", async () => {
    const r = await run(["predict", SUMMARY, "--input", "summary", "--model", "bgnbd", "--profile"]);
    assert.equal(r.code, 1);
    assert.match(r.err, /--profile needs a transaction source/);
  });
});
