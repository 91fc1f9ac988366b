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
