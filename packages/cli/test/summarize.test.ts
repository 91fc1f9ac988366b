import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DATA } from "./paths.ts";
import { run } from "./run.ts";

describe("valuecast summarize", () => {
  it("CDNOW_sample with calibration end 1997-09-30 equals lifetimes' cdnow_customers_summary.csv to its 2 decimals", async () => {
    const r = await run([
      "summarize",
      join(DATA, "CDNOW_sample.txt"),
      "--calibration-end",
      "1997-09-30",
      "--end",
      "1997-09-30",
      "--time-unit",
      "week",
      "--json",
    ]);
    assert.equal(r.code, 0, r.err);
    const rep = JSON.parse(r.out) as { customers: Record<string, number | string>[] };
    const ref = readFileSync(join(DATA, "cdnow_customers_summary.csv"), "utf8").trim().split("\n").slice(1);
    const byId = new Map(rep.customers.map((c) => [String(Number(c.customer_id)), c]));
    // The sample's first column is the master id; the summary file is keyed by sample id (1..2357) in
    // the same order, so compare row by row.
    assert.equal(rep.customers.length, ref.length);
    ref.forEach((line, i) => {
      const [, x, tx, T] = line.split(",").map(Number);
      const c = rep.customers[i]!;
      assert.equal(c.x, x);
      assert.ok(Math.abs((c.t_x as number) - tx!) <= 0.005 + 1e-9, `t_x row ${i}`);
      assert.ok(Math.abs((c.T as number) - T!) <= 0.005 + 1e-9, `T row ${i}`);
    });
    assert.ok(byId.size > 0);
  });

  it("says which columns it chose and counts rows read, used and rejected", async () => {
    const r = await run(["summarize", join(DATA, "CDNOW_master.txt"), "--calibration-end", "1997-09-30"]);
    assert.equal(r.code, 0, r.err);
    // Text files go to DuckDB by default: its mapping note names the columns it chose.
    assert.match(r.out, /columns: customer=customer_id, date=date, amount=dollar_value.*\(duckdb/);
    assert.match(r.out, /rows: 69659 read \(1 file\), 69659 used, 0 rejected/);
    assert.match(r.out, /23,570 customers/);
  });
});

describe("valuecast summarize --duplicates", () => {
  // Two exact copies of a row (b's 2020-01-05 order appears three times) and one near copy (amount differs).
  const csv = [
    "customer_id,date,amount",
    "a,2020-01-01,10",
    "a,2020-01-08,5",
    "b,2020-01-02,7",
    "b,2020-01-05,3",
    "b,2020-01-05,3",
    "b,2020-01-05,3",
    "b,2020-01-05,4",
    "",
  ].join("\n");

  it("keeps exact duplicates as purchases by default and counts them; drop rejects them; both engines agree", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "vc-dup-")), "tx.csv");
    writeFileSync(file, csv);
    type Rep = {
      report: {
        rowsRead: number;
        rowsUsed: number;
        rejected: Record<string, number>;
        notes: Record<string, number>;
      };
      customers: { customer_id: string; x: number; monetary: number }[];
    };
    const go = async (engine: string, mode?: string) => {
      const args = ["summarize", file, "--engine", engine, "--time-unit", "day", "--json"];
      const r = await run(mode ? [...args, "--duplicates", mode] : args);
      assert.equal(r.code, 0, r.err);
      return JSON.parse(r.out) as Rep;
    };
    for (const engine of ["memory", "duckdb"]) {
      const keep = await go(engine);
      assert.equal(keep.report.rowsUsed, 7, engine);
      assert.equal(keep.report.notes.DUPLICATE_ROW, 2, engine);
      assert.equal(keep.report.rejected.DUPLICATE_ROW ?? 0, 0, engine);
      const bKeep = keep.customers.find((c) => c.customer_id === "b")!;
      // b: first day 2020-01-02 (7), one repeat day 2020-01-05 worth 3 + 3 + 3 + 4 = 13.
      assert.equal(bKeep.x, 1);
      assert.equal(bKeep.monetary, 13);
      const drop = await go(engine, "drop");
      assert.equal(drop.report.rowsUsed, 5, engine);
      assert.equal(drop.report.rejected.DUPLICATE_ROW, 2, engine);
      assert.equal(drop.customers.find((c) => c.customer_id === "b")!.monetary, 7);
    }
    const bad = await run(["summarize", file, "--duplicates", "maybe"]);
    assert.equal(bad.code, 2);
  });
});
