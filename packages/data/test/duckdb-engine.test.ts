import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { customerSummaries, summarizeTransactions } from "@valuecast/core";
import { openSource, summarizeSource } from "../src/index.ts";
import { csvTransactions, DATA, RETAIL_DIR } from "./helpers/transactions.ts";

const tmp = mkdtempSync(join(tmpdir(), "valuecast-data-"));
const fixture = new URL("./fixtures/bad-rows.csv", import.meta.url).pathname;
const codeOf = (e: unknown) => (e as { issues?: { code: string }[] }).issues?.[0]?.code;

describe("DuckDB engine: reference values", () => {
  it("CDNOW_sample equals cdnow_customers_summary.csv and zbar of ..._with_transactions.csv (Fader & Hardie)", async () => {
    const src = await openSource(`${DATA}CDNOW_sample.txt`);
    const { columns } = await summarizeSource(src, {
      timeUnit: "week",
      calibrationEnd: "1997-09-30",
      columns: { customer: "column1", date: "column2", amount: "column4" },
    });
    await src.close();
    const { readFileSync } = await import("node:fs");
    const ref = readFileSync(`${DATA}cdnow_customers_summary_with_transactions.csv`, "utf8")
      .trim()
      .split("\n")
      .slice(1);
    const at = new Map(columns.customerId.map((id, i) => [Number(id), i]));
    assert.equal(columns.length, 2357);
    for (const line of ref) {
      const [id, x, tx, T, zbar] = line.split(",").map(Number);
      const i = at.get(id!)!;
      assert.equal(columns.x[i], x);
      assert.equal(Math.round(columns.t_x[i]! * 100) / 100, tx);
      assert.equal(Math.round(columns.T[i]! * 100) / 100, T);
      assert.ok(Math.abs(columns.monetary[i]! - zbar!) <= 0.005 + 1e-9);
    }
  });

  it("CDNOW_master: 23,570 customers, columns detected from the header", async () => {
    const src = await openSource(`${DATA}CDNOW_master.txt`);
    const r = await summarizeSource(src, {
      timeUnit: "week",
      calibrationEnd: "1997-09-30",
      observationEnd: "1998-06-30",
    });
    await src.close();
    assert.equal(r.columns.length, 23570);
    assert.equal(r.report.rowsRead, 69659);
    assert.equal(r.report.notes.ZERO_AMOUNT, 80, "80 rows are 0.00 (README)");
    assert.equal(
      r.mapping.description,
      "customer=customer_id, date=date, amount=dollar_value, quantity=number_of_cds",
    );
    assert.ok(Math.abs(r.columns.holdout!.duration - 39) < 1e-12);
    // Where the time went: parsing the file once, the query, handing the result over, the columns.
    assert.deepEqual(Object.keys(r.stages), ["parse", "query", "read", "collect"]);
    const total = Object.values(r.stages).reduce((a, b) => a + b, 0);
    assert.ok(Object.values(r.stages).every((v) => v >= 0));
    assert.ok(total <= r.seconds + 1e-9 && total >= r.seconds * 0.5, `${total} of ${r.seconds} s`);
  });
});

describe("DuckDB engine: every kind of bad row (hand-computed)", async () => {
  const src = await openSource(fixture);
  const r = await summarizeSource(src, {
    timeUnit: "day",
    calibrationEnd: "2011-01-31",
    observationEnd: "2011-02-28",
    columns: { cancelPrefix: "C" },
  });
  await src.close();
  const s = new Map(customerSummaries(r.columns).map((c) => [c.customer_id, c]));

  it("accounts for all 24 rows by reason", () => {
    assert.equal(r.report.rowsRead, 24);
    assert.deepEqual(r.report.rejected, {
      MISSING_CUSTOMER_ID: 1,
      BAD_DATE: 2,
      BAD_AMOUNT: 3,
      DATE_AFTER_END: 1,
      REFUND_WITHOUT_PURCHASE: 2,
      FIRST_PURCHASE_AFTER_CALIBRATION: 1,
    });
    assert.equal(r.report.rowsUsed, 14);
    assert.deepEqual(r.report.notes, {
      ZERO_AMOUNT: 1,
      NEGATIVE_AMOUNT: 2,
      CANCELLED_ORDER: 1,
      DUPLICATE_ROW: 1,
      MIXED_TIME_ZONES: 3,
    });
    assert.deepEqual(r.report.timeZoneOffsets, { none: 19, "0": 1, "120": 1, "60": 1 });
    assert.equal(r.report.refundsNetted, -45);
    assert.deepEqual(r.report.customersExcluded, {
      REFUND_WITHOUT_PURCHASE: 1,
      FIRST_PURCHASE_AFTER_CALIBRATION: 1,
    });
    assert.equal(r.mapping.description.includes('cancelled when order_id starts with "C"'), true);
  });

  it("nets refunds, picks the first order's channel and normalizes ids", () => {
    assert.deepEqual([...s.keys()].sort(), ["17850", "c1", "c2", "c6", "c7"]);
    const c1 = s.get("c1")!;
    assert.deepEqual(
      [c1.x, c1.t_x, c1.T, c1.first_amount, c1.monetary, c1.historic_revenue, c1.channel, c1.campaign],
      [1, 4, 30, 90, 40, 125, "web", undefined],
    );
    assert.deepEqual([c1.x_holdout, c1.revenue_holdout, c1.duration_holdout], [1, 40, 28]);
    assert.equal(s.get("c6")!.first_purchase_at, "2011-01-01", "01:30 at +02:00 is 23:30 UTC the day before");
    assert.equal(s.get("17850")!.monetary, 8, "the duplicate line is kept (and counted)");
    assert.equal(s.get("c2")!.first_amount, 0);
  });
});

describe("DuckDB engine: formats", () => {
  const rows = [
    { customer_id: "a", date: "2011-01-01", revenue: 10 },
    { customer_id: "a", date: "2011-01-08", revenue: 5 },
    { customer_id: "b", date: "2011-01-03", revenue: 7 },
  ];
  const expectAB = async (path: string, extra = {}) => {
    const src = await openSource({ path, ...extra });
    const r = await summarizeSource(src, { timeUnit: "day" });
    await src.close();
    const s = customerSummaries(r.columns).sort((p, q) => p.customer_id.localeCompare(q.customer_id));
    assert.deepEqual(
      s.map((c) => [c.customer_id, c.x, c.t_x, c.T, c.monetary]),
      [
        ["a", 1, 7, 7, 5],
        ["b", 0, 0, 5, 0],
      ],
      path,
    );
  };

  it("reads JSON, NDJSON, gzip CSV, TSV, semicolon and Parquet", async () => {
    writeFileSync(join(tmp, "t.json"), JSON.stringify(rows));
    await expectAB(join(tmp, "t.json"));
    writeFileSync(join(tmp, "t.ndjson"), rows.map((r) => JSON.stringify(r)).join("\n"));
    await expectAB(join(tmp, "t.ndjson"));
    const csv = [
      "customer_id,date,revenue",
      ...rows.map((r) => `${r.customer_id},${r.date},${r.revenue}`),
    ].join("\n");
    writeFileSync(join(tmp, "t.csv.gz"), gzipSync(csv));
    await expectAB(join(tmp, "t.csv.gz"));
    writeFileSync(join(tmp, "t.tsv"), csv.replaceAll(",", "\t"));
    await expectAB(join(tmp, "t.tsv"));
    writeFileSync(join(tmp, "t.txt"), csv.replaceAll(",", ";"));
    await expectAB(join(tmp, "t.txt"), { delimiter: ";" });
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    await conn.run(
      `COPY (SELECT * FROM read_json('${join(tmp, "t.json")}')) TO '${join(tmp, "t.parquet")}' (FORMAT PARQUET)`,
    );
    conn.closeSync();
    db.closeSync();
    await expectAB(join(tmp, "t.parquet"));
  });

  it("reads a glob of 305 CSV parts as one table (UCI Online Retail)", async () => {
    const src = await openSource(`${RETAIL_DIR}*.csv`);
    assert.match(src.description, /^305 files/);
    const r = await summarizeSource(src, { timeUnit: "week", duplicates: "ignore" });
    await src.close();
    assert.equal(r.report.rowsRead, 541909);
    assert.equal(r.report.rejected.MISSING_CUSTOMER_ID, 135080, "README: empty for 135,080 rows");
    assert.equal(r.report.notes.DUPLICATE_ROW, undefined, "not looked for with duplicates: ignore");
    assert.equal(r.report.notes.CANCELLED_ORDER! > 0, true);
  });

  it("fails clearly on binary, empty and wrongly delimited files", async () => {
    writeFileSync(join(tmp, "bin.csv"), Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 7, 8]));
    await assert.rejects(openSource(join(tmp, "bin.csv")), (e) => codeOf(e) === "BINARY_INPUT");
    writeFileSync(join(tmp, "empty.csv"), "");
    await assert.rejects(openSource(join(tmp, "empty.csv")), (e) => codeOf(e) === "EMPTY_INPUT");
    writeFileSync(join(tmp, "head.csv"), "customer_id,date,amount\n");
    await assert.rejects(openSource(join(tmp, "head.csv")), (e) => codeOf(e) === "EMPTY_INPUT");
    await assert.rejects(
      openSource({ path: fixture, delimiter: "\t" }),
      (e) => codeOf(e) === "BAD_DELIMITER",
    );
    writeFileSync(join(tmp, "one.csv"), "justonecolumn\nvalue\nvalue2\n");
    await assert.rejects(openSource(join(tmp, "one.csv")), (e) => codeOf(e) === "BAD_DELIMITER");
    await assert.rejects(openSource(join(tmp, "nope.csv")), (e) => codeOf(e) === "SOURCE_NOT_FOUND");
    writeFileSync(join(tmp, "fake.parquet"), "customer_id,date\n");
    await assert.rejects(openSource(join(tmp, "fake.parquet")), (e) => codeOf(e) === "UNSUPPORTED_FORMAT");
  });

  it("reads a table or a query of a DuckDB database file (duckdb:path.db), typed columns", async () => {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const path = join(tmp, "shop.db");
    const db = await DuckDBInstance.create(path);
    const conn = await db.connect();
    await conn.run(
      "CREATE TABLE orders AS SELECT * FROM (VALUES (1, TIMESTAMP '2011-01-01 10:00:00', 10.0), (1, TIMESTAMP '2011-01-08 09:00:00', 5.0), (2, TIMESTAMP '2011-01-03 00:00:00', 7.0)) t(customer_id, ordered_at, amount)",
    );
    conn.closeSync();
    db.closeSync();
    for (const target of [{ table: "orders" }, { query: "SELECT * FROM orders WHERE amount > 0" }]) {
      const src = await openSource({ url: `duckdb:${path}`, ...target });
      assert.deepEqual(
        src.columns.map((c) => c.kind),
        ["number", "timestamp", "number"],
      );
      const r = await summarizeSource(src, { timeUnit: "day", columns: { date: "ordered_at" } });
      await src.close();
      const s = customerSummaries(r.columns).sort((p, q) => p.customer_id.localeCompare(q.customer_id));
      assert.deepEqual(
        s.map((c) => [c.customer_id, c.x, c.t_x, c.T, c.monetary]),
        [
          ["1", 1, 7, 7, 5],
          ["2", 0, 0, 5, 0],
        ],
      );
    }
  });

  it("asks for columns it cannot detect, and for a table or query on database URLs", async () => {
    const src = await openSource(`${DATA}CDNOW_sample.txt`);
    await assert.rejects(summarizeSource(src, { timeUnit: "week" }), (e) => codeOf(e) === "MISSING_COLUMN");
    await src.close();
    await assert.rejects(openSource("postgres://localhost/x"), (e) => codeOf(e) === "USAGE");
  });
});

describe("DuckDB engine: kept and dropped duplicates (hand-computed, and equal to core)", () => {
  // a: a refund-only day before the first purchase (its copy is not a used row of the summary), then a
  // purchase written three times; b: refunds only (excluded customer); c: a bad amount written twice; d: a
  // two-row day of copies and a two-row day of different rows; e: a refund written twice after the first
  // purchase (a used refund-only day).
  const file = join(tmp, "duplicates.csv");
  writeFileSync(
    file,
    [
      "customer_id,date,amount",
      "a,2011-01-05,-5",
      "a,2011-01-05,-5",
      "a,2011-01-10,20",
      "a,2011-01-10,20",
      "a,2011-01-10,20",
      "b,2011-01-03,-1",
      "b,2011-01-03,-1",
      "c,2011-01-04,xx",
      "c,2011-01-04,xx",
      "c,2011-01-06,7",
      "d,2011-01-02,5",
      "d,2011-01-02,5",
      "d,2011-01-03,5",
      "d,2011-01-03,6",
      "e,2011-01-02,9",
      "e,2011-01-04,-3",
      "e,2011-01-04,-3",
      "",
    ].join("\n"),
  );
  const cols = { customer: "customer_id", date: "date", amount: "amount" };
  for (const duplicates of ["keep", "drop"] as const) {
    it(`duplicates: ${duplicates}`, async () => {
      const options = { timeUnit: "day" as const, duplicates };
      const src = await openSource(file);
      const r = await summarizeSource(src, options);
      await src.close();
      const core = summarizeTransactions(csvTransactions([file], cols), options);
      assert.deepEqual(r.report, core.report);
      if (duplicates === "keep") {
        assert.equal(r.report.notes.DUPLICATE_ROW, 4, "a's two extra purchase rows, d's and e's one each");
      } else {
        assert.equal(r.report.rejected.DUPLICATE_ROW, 6, "a's three copies, b's, d's and e's one");
        assert.equal(r.report.notes.DUPLICATE_ROW, undefined);
      }
      assert.deepEqual(
        customerSummaries(r.columns).map((c) => [c.customer_id, c.x, c.first_amount]),
        duplicates === "keep"
          ? [
              ["a", 0, 60],
              ["c", 0, 7],
              ["d", 1, 10],
              ["e", 0, 9],
            ]
          : [
              ["a", 0, 20],
              ["c", 0, 7],
              ["d", 1, 5],
              ["e", 0, 9],
            ],
      );
    });
  }
});

describe("DuckDB engine: memory defaults", () => {
  it("limits memory to a quarter of RAM (1-4 GB) and spills under the system temp dir, removed on close", async () => {
    const { connectDuckDb, defaultMemoryLimit } = await import("../src/engine/duckdb.ts");
    const mb = Number(/^(\d+)MB$/.exec(defaultMemoryLimit())?.[1]);
    assert.ok(mb >= 1024 && mb <= 4096, `default ${mb} MB`);
    const { instance, conn } = await connectDuckDb({ memoryLimit: "64MB" });
    const settings = await conn.run(
      "SELECT current_setting('memory_limit'), current_setting('temp_directory')",
    );
    const [limit, dir] = (await settings.getRows())[0]!.map(String);
    assert.match(limit!, /^6[01]\.\d+ MiB$/);
    assert.ok(dir!.startsWith(join(tmpdir(), "valuecast-duckdb-")), dir);
    // A grouping larger than the limit spills instead of failing, and gives the exact answer.
    const r = await conn.run(
      "SELECT count(*), sum(c) FROM (SELECT i % 2000000 AS k, count(*) AS c FROM range(4000000) t(i) GROUP BY k)",
    );
    assert.deepEqual((await r.getRows())[0]!.map(Number), [2_000_000, 4_000_000]);
    conn.closeSync();
    instance.closeSync();
    assert.equal(existsSync(dir!), false);
  });
});

describe("DuckDB engine: customer ids of every shape, over several result chunks", () => {
  // Ids of up to 12 ASCII bytes are decoded a result chunk at a time (DuckDB's inline strings); a chunk with
  // a longer or a non-ASCII id is read id by id. 7,000 customers fill four chunks of 2,048 rows: all short
  // ids; 12-byte ids with a few long ones; short non-ASCII ones (each the only reason in its chunk); then
  // short ids and the report rows (whose codes are longer than 12 bytes).
  it("gives core's summaries, in input order, for short, 12-byte, long and non-ASCII ids", async () => {
    const file = join(tmp, "id-shapes.csv");
    const id = (i: number) =>
      i < 2048
        ? `c${i}`
        : i < 4096
          ? i % 500 === 0
            ? `a-customer-id-longer-than-twelve-bytes-${i}`
            : `${String(i).padStart(12, "x")}`
          : i < 6144 && i % 3 === 0
            ? `kundé-${i}`
            : `c${i}`;
    const lines = ["customer_id,date,amount"];
    for (let i = 0; i < 7000; i++) {
      lines.push(`${id(i)},2011-01-0${1 + (i % 5)},${(i % 17) + 1}`);
      if (i % 4 === 0) lines.push(`${id(i)},2011-02-1${i % 9},${(i % 13) + 2}.5`);
    }
    writeFileSync(file, `${lines.join("\n")}\n`);
    const options = { timeUnit: "day" as const };
    const src = await openSource(file);
    const r = await summarizeSource(src, options);
    await src.close();
    const core = summarizeTransactions(
      csvTransactions([file], { customer: "customer_id", date: "date", amount: "amount" }),
      options,
    );
    assert.equal(r.columns.length, 7000);
    assert.deepEqual(r.columns.customerId, core.columns.customerId);
    assert.deepEqual(r.columns.customerId.slice(2046, 2050), [
      "c2046",
      "c2047",
      "xxxxxxxx2048",
      "xxxxxxxx2049",
    ]);
    assert.ok(r.columns.customerId.includes("kundé-4098"));
    for (const k of ["x", "t_x", "T", "monetary", "firstAmount", "historicRevenue"] as const) {
      assert.deepEqual(r.columns[k], core.columns[k], k);
    }
    assert.deepEqual(r.report, core.report);
  });
});
