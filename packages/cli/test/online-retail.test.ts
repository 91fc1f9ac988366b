import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DATA } from "./paths.ts";
import { run } from "./run.ts";

const PARTS = join(DATA, "real/uci_online_retail/by-day/*.csv");

describe("valuecast on UCI Online Retail (305 daily parts)", () => {
  it("summarize accounts for every one of the 541,909 input rows and all 4,372 customers", async () => {
    const out = join(tmpdir(), `vc-or-${process.pid}.csv`);
    const r = await run(["summarize", PARTS, "--out", out, "--json"]);
    assert.equal(r.code, 0, r.err);
    const rep = JSON.parse(r.out) as {
      report: {
        rowsRead: number;
        rowsUsed: number;
        rowsRejected: number;
        rejected: Record<string, number>;
        customers: number;
        customersExcluded: Record<string, number>;
      };
      stats: { customers: number };
    };
    const lines = readFileSync(out, "utf8").trim().split("\n");
    rmSync(out);
    assert.equal(rep.report.rowsRead, 541909);
    assert.equal(rep.report.rowsUsed + rep.report.rowsRejected, 541909);
    const byReason = Object.values(rep.report.rejected).reduce((s, v) => s + v, 0);
    assert.equal(byReason, rep.report.rowsRejected);
    // 135,080 lines have no CustomerID (data README).
    assert.equal(rep.report.rejected.MISSING_CUSTOMER_ID, 135080);
    const excluded = Object.values(rep.report.customersExcluded).reduce((s, v) => s + v, 0);
    assert.equal(rep.report.customers + excluded, 4372);
    assert.equal(lines.length - 1, rep.report.customers);
    assert.match(lines[0]!, /^customer_id,x,t_x,T,monetary,first_purchase_at/);
  });

  it("fit BG/NBD converges on the summaries", async () => {
    const r = await run(["fit", PARTS, "--model", "bgnbd", "--json"]);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as { converged: boolean; n: number; params: Record<string, number> };
    assert.equal(doc.converged, true);
    assert.ok(doc.n > 4300 && doc.n <= 4339, `n = ${doc.n}`);
    for (const v of Object.values(doc.params)) assert.ok(Number.isFinite(v) && v > 0);
  });
});

describe("valuecast predict on UCI Online Retail", () => {
  it("scores every summarised customer with finite P(alive) in [0, 1] and CLV", async () => {
    const out = join(tmpdir(), `vc-or-scores-${process.pid}.ndjson`);
    const r = await run([
      "predict",
      PARTS,
      "--model",
      "bgnbd",
      "--horizon",
      "6 months",
      "--out",
      out,
      "--json",
    ]);
    assert.equal(r.code, 0, r.err);
    const rows = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, number | null>);
    rmSync(out);
    assert.equal(rows.length, 4339);
    for (const row of rows) {
      assert.ok(row.p_alive! >= 0 && row.p_alive! <= 1);
      assert.ok(Number.isFinite(row.expected_purchases) && row.expected_purchases! >= 0);
      assert.ok(row.clv === null || Number.isFinite(row.clv));
    }
  });
});
