import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { DATA } from "./paths.ts";
import { run } from "./run.ts";

interface Summary {
  report: { rowsRead: number; rowsRejected: number; customers: number };
  customers: {
    customer_id: string;
    x: number;
    t_x: number;
    T: number;
    monetary: number;
    x_holdout: number;
  }[];
}

describe("evaluate --calibration-end on the DuckDB engine", () => {
  it("tracks weekly cumulative repeat purchases exactly as the in-memory path (CDNOW_master, 78 weeks)", async () => {
    const args = [
      "evaluate",
      join(DATA, "CDNOW_master.txt"),
      "--calibration-end",
      "1997-09-30",
      "--end",
      "1998-06-30",
      "--models",
      "bgnbd",
      "--json",
    ];
    type Tracking = { models: { tracking: { period: number; actual: number; expected: number }[] }[] };
    const mem = await run([...args, "--engine", "memory"]);
    const duck = await run([...args, "--engine", "duckdb"]);
    assert.equal(duck.code, 0, duck.err);
    const a = (JSON.parse(mem.out) as Tracking).models[0]!.tracking;
    const b = (JSON.parse(duck.out) as Tracking).models[0]!.tracking;
    assert.equal(b.length, 78);
    assert.deepEqual(
      b.map((p) => p.actual),
      a.map((p) => p.actual),
    );
    // Week 1 of CDNOW_master holds 37 repeat purchase occasions (customer-days).
    assert.equal(b[0]!.actual, 37);
    for (let j = 0; j < a.length; j++)
      assert.ok(Math.abs(a[j]!.expected - b[j]!.expected) < 1e-6 * a[j]!.expected);
  });
});

describe("summaries through @valuecast/data's engines", () => {
  it("DuckDB gives the same summaries as the in-memory path on CDNOW_master (calibration 1997-09-30)", async () => {
    const args = ["summarize", join(DATA, "CDNOW_master.txt"), "--calibration-end", "1997-09-30", "--json"];
    const mem = await run([...args, "--engine", "memory"]);
    const duck = await run([...args, "--engine", "duckdb"]);
    assert.equal(mem.code, 0, mem.err);
    assert.equal(duck.code, 0, duck.err);
    const a = JSON.parse(mem.out) as Summary;
    const b = JSON.parse(duck.out) as Summary;
    assert.equal(b.report.rowsRead, 69659);
    assert.equal(b.report.customers, a.report.customers);
    const byId = new Map(b.customers.map((c) => [c.customer_id, c]));
    for (const c of a.customers) {
      const d = byId.get(c.customer_id)!;
      assert.ok(d, c.customer_id);
      assert.equal(d.x, c.x);
      assert.ok(Math.abs(d.t_x - c.t_x) < 1e-9 && Math.abs(d.T - c.T) < 1e-9);
      assert.ok(Math.abs(d.monetary - c.monetary) < 1e-6);
      assert.equal(d.x_holdout, c.x_holdout);
    }
  });

  it("reads Parquet (chosen by extension) through DuckDB", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "vc-pq-")), "t.parquet");
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    await conn.run(
      `COPY (SELECT * FROM (VALUES ('a', DATE '2024-01-01', 10.0), ('a', DATE '2024-01-15', 5.0), ('b', DATE '2024-01-08', 7.5), ('a', DATE '2024-02-12', 2.5))
        t(customer_id, order_date, amount)) TO '${file}' (FORMAT parquet)`,
    );
    conn.closeSync();
    const r = await run(["summarize", file, "--end", "2024-02-26", "--json"]);
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out) as Summary;
    const a = s.customers.find((c) => c.customer_id === "a")!;
    // a: first 2024-01-01, repeats on 01-15 and 02-12 (6 weeks after), end 02-26 = 8 weeks after the first.
    assert.deepEqual([a.x, a.t_x, a.T, a.monetary], [2, 6, 8, 3.75]);
    assert.equal(s.report.rowsRead, 4);
  });

  it("a database URL without --table or --query is a usage error", async () => {
    const r = await run(["summarize", "duckdb:/tmp/none.db"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /--table|--query|table or a query/);
  });
});

describe("score files by extension", () => {
  it("predict --out scores.parquet writes every customer with typed columns (ids keep their zeros)", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "vc-out-")), "scores.parquet");
    const r = await run([
      "predict",
      join(DATA, "CDNOW_sample.txt"),
      "--model",
      "bgnbd",
      "--calibration-end",
      "1997-09-30",
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, r.err);
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    const reader = await conn.runAndReadAll(
      `SELECT count(*) AS n, min(customer_id) AS first, typeof(any_value(p_alive)) AS t, sum(clv) > 0 AS positive FROM '${out}'`,
    );
    const [n, first, t, positive] = reader.getRows()[0]!;
    conn.closeSync();
    assert.equal(Number(n), 2357);
    assert.equal(first, "00004");
    assert.equal(t, "DOUBLE");
    assert.equal(positive, true);
  });
});

describe("--rejected on the DuckDB engine", () => {
  it("writes every rejected row with its reason, as many as the report counts (data's bad-rows fixture)", async () => {
    const { readFileSync } = await import("node:fs");
    const dir = mkdtempSync(join(tmpdir(), "vc-rej-"));
    const rejected = join(dir, "rejected.csv");
    const fixture = new URL("../../data/test/fixtures/bad-rows.csv", import.meta.url).pathname;
    const r = await run(["summarize", fixture, "--engine", "duckdb", "--rejected", rejected, "--json"]);
    assert.equal(r.code, 0, r.err);
    const rep = JSON.parse(r.out) as { report: { rowsRejected: number; rejected: Record<string, number> } };
    const lines = readFileSync(rejected, "utf8").trim().split("\n");
    assert.ok(lines[0]!.endsWith("reject_reason"));
    assert.ok(rep.report.rowsRejected > 0);
    assert.equal(lines.length - 1, rep.report.rowsRejected);
    const byReason = new Map<string, number>();
    for (const l of lines.slice(1)) {
      const reason = l.split(",").at(-1)!;
      byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    }
    for (const [code, n] of Object.entries(rep.report.rejected)) assert.equal(byReason.get(code), n, code);
  });
});
