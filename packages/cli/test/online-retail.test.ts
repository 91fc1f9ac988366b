import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DATA } from "./paths.ts";
import { run } from "./run.ts";

const PARTS = join(DATA, "real/uci_online_retail/by-day/*.csv");
const dir = mkdtempSync(join(tmpdir(), "vc-or-"));
const SUMMARY = join(dir, "summary.csv");

// One read of the 305 parts; fit and predict then run on the summary file it writes.
describe("valuecast on UCI Online Retail (305 daily parts): summarize, fit, predict", () => {
  it("summarize accounts for every one of the 541,909 input rows and all 4,372 customers, and writes each rejected row", async () => {
    const rejected = join(dir, "rejected.csv");
    const r = await run(["summarize", PARTS, "--out", SUMMARY, "--rejected", rejected, "--json"]);
    assert.equal(r.code, 0, r.err);
    const rep = JSON.parse(r.out) as {
      notes: string[];
      report: {
        rowsRead: number;
        rowsUsed: number;
        rowsRejected: number;
        rejected: Record<string, number>;
        customers: number;
        customersExcluded: Record<string, number>;
      };
    };
    assert.equal(rep.report.rowsRead, 541909);
    assert.equal(rep.report.rowsUsed + rep.report.rowsRejected, 541909);
    const byReason = Object.values(rep.report.rejected).reduce((s, v) => s + v, 0);
    assert.equal(byReason, rep.report.rowsRejected);
    // 135,080 lines have no CustomerID (data README).
    assert.equal(rep.report.rejected.MISSING_CUSTOMER_ID, 135080);
    const excluded = Object.values(rep.report.customersExcluded).reduce((s, v) => s + v, 0);
    assert.equal(rep.report.customers + excluded, 4372);
    const lines = readFileSync(SUMMARY, "utf8").trim().split("\n");
    assert.equal(lines.length - 1, rep.report.customers);
    assert.match(lines[0]!, /^customer_id,x,t_x,T,monetary,first_purchase_at/);
    // The rejected-rows file holds exactly the rows the report rejects, per reason.
    assert.ok(!rep.notes.some((n) => n.startsWith("warning")), rep.notes.join("\n"));
    const counts: Record<string, number> = {};
    for (const line of readFileSync(rejected, "utf8").trim().split("\n").slice(1)) {
      const reason = line.split(",")[2]!;
      counts[reason] = (counts[reason] ?? 0) + 1;
    }
    assert.deepEqual(counts, rep.report.rejected);
  });

  it("fit BG/NBD converges on the summaries", async () => {
    const r = await run(["fit", SUMMARY, "--input", "summary", "--model", "bgnbd", "--json"]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as { converged: boolean; n: number; params: Record<string, number> };
    assert.equal(doc.converged, true);
    // One customer is first seen on the last day (T = 0) and is left out of the fit.
    assert.equal(doc.n, 4338);
    for (const v of Object.values(doc.params)) assert.ok(Number.isFinite(v) && v > 0);
  });

  it("predict scores every summarised customer with P(alive) in [0, 1] and finite CLV", async () => {
    const out = join(dir, "scores.ndjson");
    const r = await run([
      "predict",
      SUMMARY,
      "--input",
      "summary",
      "--model",
      "bgnbd",
      "--horizon",
      "6 months",
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, r.err);
    const rows = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, number | null>);
    assert.equal(rows.length, 4339);
    for (const row of rows) {
      assert.ok(row.p_alive! >= 0 && row.p_alive! <= 1);
      assert.ok(Number.isFinite(row.expected_purchases) && row.expected_purchases! >= 0);
      assert.ok(Number.isFinite(row.clv));
    }
  });
});
