import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  openSource,
  readSummaryColumns,
  readSummaryFile,
  summarizeSource,
  summaryTable,
  tableFormat,
  writeTable,
} from "../src/index.ts";
import { DATA } from "./helpers/transactions.ts";

const tmp = mkdtempSync(join(tmpdir(), "valuecast-files-"));
const codeOf = (e: unknown) => (e as { issues?: { code: string }[] }).issues?.[0]?.code;

describe("readSummaryFile", () => {
  it("reads lifetimes' form (ID,frequency,recency,T) of cdnow_customers_summary.csv exactly", async () => {
    const c = await readSummaryFile(`${DATA}cdnow_customers_summary.csv`, {
      timeUnit: "week",
      calibrationEnd: "1997-09-30",
    });
    assert.equal(c.length, 2357);
    assert.deepEqual([c.customerId[0], c.x[0], c.t_x[0], c.T[0]], ["1", 2, 30.43, 38.86]);
    assert.equal(
      c.x.reduce((s, v) => s + v, 0),
      2457,
      "sum of frequency in the file (awk)",
    );
    assert.equal(c.firstDay[0], 9862 + 0, "1997-09-30 minus round(38.86 x 7) days = 1997-01-01");
  });

  it("keeps ids as written (leading zeros), says which fields it found, and reads only those asked for", async () => {
    const p = join(tmp, "zeros.csv");
    writeFileSync(p, "customer_id,x,t_x,T,first_amount\n00042,1,2.5,3,9.5\n7,0,0,4,1\n");
    const all = await readSummaryColumns(p, { timeUnit: "week" });
    assert.deepEqual(all.columns.customerId, ["00042", "7"]);
    assert.deepEqual([...all.fields].sort(), ["T", "first_amount", "id", "t_x", "x"]);
    assert.deepEqual(Array.from(all.columns.firstAmount), [9.5, 1]);
    const some = await readSummaryColumns(p, { timeUnit: "week", only: ["id"] });
    assert.deepEqual([...some.fields].sort(), ["T", "id", "t_x", "x"]);
    assert.deepEqual(Array.from(some.columns.firstAmount), [0, 0]);
    assert.deepEqual(Array.from(some.columns.t_x), [2.5, 0]);
  });

  it("takes zbar of cdnow_customers_summary_with_transactions.csv as monetary", async () => {
    const c = await readSummaryFile(`${DATA}cdnow_customers_summary_with_transactions.csv`, {
      timeUnit: "week",
    });
    assert.deepEqual([c.x[0], c.monetary[0], c.monetary[2]], [2, 22.35, 0]);
  });

  it("reports every bad value with its line", async () => {
    const p = join(tmp, "bad-summary.csv");
    writeFileSync(p, "customer_id,x,t_x,T\na,1,2,3\nb,-1,0,3\nc,1,5,3\nd,x,1,2\n");
    await assert.rejects(readSummaryFile(p, { timeUnit: "week" }), (e) => {
      const issues = (e as { issues: { code: string; location: { line: number } }[] }).issues;
      assert.deepEqual(
        issues.map((i) => [i.code, i.location.line]),
        [
          ["BAD_SUMMARY_VALUE", 3],
          ["BAD_SUMMARY_VALUE", 4],
          ["BAD_SUMMARY_VALUE", 5],
        ],
      );
      return true;
    });
    const q = join(tmp, "not-summary.csv");
    writeFileSync(q, "customer_id,date,amount\na,2011-01-01,3\n");
    await assert.rejects(readSummaryFile(q, { timeUnit: "week" }), (e) => codeOf(e) === "MISSING_COLUMN");
  });
});

describe("writeTable", () => {
  it("writes summaries to CSV, Parquet, JSON and NDJSON and reads them back unchanged", async () => {
    const src = await openSource(`${DATA}CDNOW_master.txt`);
    const { columns } = await summarizeSource(src, { timeUnit: "week", calibrationEnd: "1997-09-30" });
    await src.close();
    for (const ext of ["csv", "parquet", "json", "ndjson"]) {
      const path = join(tmp, `summary.${ext}`);
      assert.equal(tableFormat(path), ext);
      assert.equal(await writeTable(path, summaryTable(columns)), 23570);
      const back = await readSummaryFile(path, { timeUnit: "week" });
      assert.equal(back.length, columns.length, ext);
      assert.deepEqual(back.customerId, columns.customerId, ext);
      for (const k of ["x", "t_x", "T", "monetary", "firstDay", "historicRevenue"] as const) {
        assert.deepEqual(back[k], columns[k], `${ext} ${k}`);
      }
      assert.deepEqual(back.holdout?.x, columns.holdout?.x, `${ext} x_holdout`);
    }
    const head = readFileSync(join(tmp, "summary.csv"), "utf8").split("\n")[0];
    assert.equal(
      head,
      "customer_id,x,t_x,T,monetary,first_purchase_at,first_amount,historic_revenue,orders,cohort,x_holdout,revenue_holdout,duration_holdout",
    );
  });

  it("writes non-finite numbers as empty cells in any 2,048-row block, finite ones exactly", async () => {
    const n = 5000;
    const a = Float64Array.from({ length: n }, (_, i) => i / 3);
    a[100] = Number.NaN;
    a[3000] = Number.POSITIVE_INFINITY;
    const b = Float64Array.from({ length: n }, (_, i) => (i === 4999 ? Number.NEGATIVE_INFINITY : -i * 1e-7));
    const path = join(tmp, "blocks.csv");
    assert.equal(await writeTable(path, { a, b }), n);
    const lines = readFileSync(path, "utf8").trim().split("\n").slice(1);
    assert.equal(lines.length, n);
    lines.forEach((line, i) => {
      const [ca, cb] = line.split(",");
      if (i === 100 || i === 3000) assert.equal(ca, "", `a ${i}`);
      else assert.equal(Number(ca), a[i], `a ${i}`);
      if (i === 4999) assert.equal(cb, "", "b 4999");
      else assert.equal(Number(cb), b[i], `b ${i}`);
    });
  });

  it("writes text exactly in any 2,048-row block: short and long, non-ASCII, empty and NULL", async () => {
    // Ids of up to 12 ASCII bytes are copied into DuckDB's inline slots a block at a time; the rest (and
    // blocks with a NULL) go through DuckDB one by one: every kind, in full blocks and the short last one.
    const n = 5000;
    const ids: (string | null)[] = Array.from({ length: n }, (_, i) =>
      i % 7 === 0
        ? `customer-with-a-long-id-${i}`
        : i % 11 === 0
          ? `é${i}`
          : i % 13 === 0
            ? ""
            : `C${String(i).padStart(11, "0")}`,
    );
    ids[3000] = null;
    ids[4500] = "exactly12byt";
    ids[4501] = "'quote\"s,\n";
    const path = join(tmp, "text.json");
    assert.equal(await writeTable(path, { id: ids, i: Float64Array.from({ length: n }, (_, i) => i) }), n);
    const rows = JSON.parse(readFileSync(path, "utf8")) as { id: string | null; i: number }[];
    assert.deepEqual(
      rows.map((r) => r.id),
      ids,
    );
    assert.deepEqual(
      rows.map((r) => r.i),
      Array.from({ length: n }, (_, i) => i),
    );
  });

  it("refuses unknown extensions and ragged columns", async () => {
    await assert.rejects(
      writeTable(join(tmp, "a.xlsx"), { a: [1] }),
      (e) => codeOf(e) === "UNSUPPORTED_FORMAT",
    );
    await assert.rejects(
      writeTable(join(tmp, "a.csv"), { a: [1], b: [1, 2] }),
      (e) => codeOf(e) === "INVALID_DATA",
    );
  });
});
