import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fitModel, summarizeTransactions, type Transaction } from "@valuecast/core";
import { purchaseModel, purchaseModelNames } from "../src/models.ts";
import { DATA } from "./paths.ts";
import { run, spawnCli } from "./run.ts";

interface Report {
  customers: number;
  models: {
    model: string;
    logLikelihood: number;
    bic: number;
    holdout: { mae: number; rmse: number; correlation: number; predictedTotal: number; actualTotal: number };
    buckets: { frequency: string; customers: number; actual: number; predicted: number }[];
    tracking: { period: number; actual: number; expected: number }[];
  }[];
  comparison: { best: string; reason: string };
}

/** CDNOW_master.txt parsed directly (whitespace columns: id, YYYYMMDD, CDs, dollars). */
function cdnowMaster(): Transaction[] {
  const lines = readFileSync(join(DATA, "CDNOW_master.txt"), "utf8").split(/\r?\n/).slice(1);
  const out: Transaction[] = [];
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4) continue;
    const d = f[1]!;
    out.push({
      customerId: f[0]!,
      at: Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8))),
      amount: Number(f[3]),
      rowKey: line,
    });
  }
  return out;
}

describe("valuecast evaluate on CDNOW_master (calibration to 1997-09-30, holdout to 1998-06-30)", () => {
  it("matches an independent computation from the same summaries for every model", async () => {
    const r = await run([
      "evaluate",
      join(DATA, "CDNOW_master.txt"),
      "--calibration-end",
      "1997-09-30",
      "--end",
      "1998-06-30",
      "--time-unit",
      "week",
      "--json",
    ]);
    assert.equal(r.code, 0, r.err);
    const rep = JSON.parse(r.out) as Report;
    assert.equal(rep.customers, 23570);
    assert.deepEqual(
      rep.models.map((m) => m.model),
      purchaseModelNames(),
    );
    assert.ok(rep.models.length >= 2);

    const { columns } = summarizeTransactions(cdnowMaster(), {
      timeUnit: "week",
      calibrationEnd: "1997-09-30",
      observationEnd: "1998-06-30",
    });
    const h = columns.holdout!;
    // Holdout: 1997-10-01 .. 1998-06-30 is 273 days = 39 weeks; 19,684 repeat days in it (direct count below).
    assert.equal(h.duration, 39);
    let actualTotal = 0;
    for (let i = 0; i < columns.length; i++) actualTotal += h.x[i]!;
    for (const m of rep.models) {
      const model = purchaseModel(m.model);
      const fit = fitModel(
        model.spec,
        { x: columns.x, t_x: columns.t_x, T: columns.T },
        { timeUnit: "week" },
      );
      assert.ok(Math.abs(fit.logLikelihood - m.logLikelihood) < 1e-6, `${m.model} LL`);
      const p = model.predictor(fit.params);
      let abs = 0;
      let sq = 0;
      let pred = 0;
      const bucketN = new Array(8).fill(0);
      const bucketA = new Array(8).fill(0);
      const bucketP = new Array(8).fill(0);
      for (let i = 0; i < columns.length; i++) {
        const e = p.conditionalExpectedPurchases(39, columns.x[i]!, columns.t_x[i]!, columns.T[i]!);
        const a = h.x[i]!;
        abs += Math.abs(e - a);
        sq += (e - a) ** 2;
        pred += e;
        const b = Math.min(7, columns.x[i]!);
        bucketN[b]++;
        bucketA[b] += a;
        bucketP[b] += e;
      }
      const n = columns.length;
      assert.ok(Math.abs(m.holdout.mae - abs / n) < 1e-9, `${m.model} MAE ${m.holdout.mae} vs ${abs / n}`);
      assert.ok(Math.abs(m.holdout.rmse - Math.sqrt(sq / n)) < 1e-9, `${m.model} RMSE`);
      assert.ok(Math.abs(m.holdout.predictedTotal - pred) < 1e-6, `${m.model} total`);
      assert.equal(m.holdout.actualTotal, actualTotal);
      assert.equal(m.buckets.length, 8);
      m.buckets.forEach((b, k) => {
        assert.equal(b.frequency, k === 7 ? "7+" : String(k));
        assert.equal(b.customers, bucketN[k]);
        assert.ok(Math.abs(b.actual - bucketA[k] / bucketN[k]) < 1e-12);
        assert.ok(Math.abs(b.predicted - bucketP[k] / bucketN[k]) < 1e-9);
      });
      // 78 weekly tracking points; the last cumulative actual counts every repeat day in the 78 weeks.
      assert.equal(m.tracking.length, 78);
    }
    assert.equal(actualTotal, 19684);
    const last = rep.models[0]!.tracking.at(-1)!;
    let calibrationRepeats = 0;
    for (let i = 0; i < columns.length; i++) calibrationRepeats += columns.x[i]!;
    assert.equal(last.actual, calibrationRepeats + actualTotal);
    assert.ok(rep.models.some((m) => m.model === rep.comparison.best));
    assert.match(rep.comparison.reason, /lowest per-customer holdout MAE/);
  });

  it("needs --calibration-end (usage error, exit 2) and prints readable tables without --json", () => {
    const u = spawnCli(["evaluate", join(DATA, "CDNOW_sample.txt")]);
    assert.equal(u.code, 2);
    assert.match(u.err, /--calibration-end DATE is required/);
  });
});

describe("valuecast evaluate from a summary file written by summarize", () => {
  it("gives the same holdout errors as from the raw transactions (round trip through --out summary.csv)", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "vc-ev-")), "summary.csv");
    const args = ["--calibration-end", "1997-09-30", "--end", "1998-06-30"];
    const s = await run(["summarize", join(DATA, "CDNOW_sample.txt"), ...args, "--out", file]);
    assert.equal(s.code, 0, s.err);
    const fromSummary = await run(["evaluate", file, "--input", "summary", "--models", "bgnbd", "--json"]);
    assert.equal(fromSummary.code, 0, fromSummary.err);
    const fromRaw = await run([
      "evaluate",
      join(DATA, "CDNOW_sample.txt"),
      ...args,
      "--models",
      "bgnbd",
      "--json",
    ]);
    const a = (JSON.parse(fromSummary.out) as Report).models[0]!;
    const b = (JSON.parse(fromRaw.out) as Report).models[0]!;
    assert.ok(Math.abs(a.holdout.mae - b.holdout.mae) < 1e-9);
    assert.ok(Math.abs(a.logLikelihood - b.logLikelihood) < 1e-6);
    assert.deepEqual(a.buckets, b.buckets);
  });
});
