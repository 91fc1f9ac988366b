// Our Parquet writer (files/parquet.ts) checked by two independent readers: DuckDB's and hyparquet's. Every
// value must come back as written (non-finite numbers and null texts as NULL), for random tables.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { connectDuckDb } from "../src/engine/duckdb.ts";
import { type ParquetColumn, writeParquet } from "../src/files/parquet.ts";

const tmp = mkdtempSync(join(tmpdir(), "valuecast-parquet-"));
let db: { instance: DuckDBInstance; conn: DuckDBConnection };
before(async () => {
  db = await connectDuckDb();
});
after(() => {
  db.conn.closeSync();
  db.instance.closeSync();
  rmSync(tmp, { recursive: true, force: true });
});

/** What a reader should give back for a written value. */
const expected = (v: number | string | null) => (typeof v === "number" && !Number.isFinite(v) ? null : v);
/** -0 and 0 are the same value to both readers' comparisons here; NaN never comes back. */
const same = (a: unknown, b: unknown) => (typeof a === "number" && typeof b === "number" ? a === b : a === b);

async function duckdbRows(path: string, names: readonly string[]): Promise<unknown[][]> {
  const cols = names.map((n) => `"${n}"`).join(", ");
  const r = await db.conn.run(`SELECT ${cols} FROM read_parquet('${path}')`);
  return r.getRows();
}

async function hyparquetRows(path: string): Promise<Record<string, unknown>[]> {
  const file = await asyncBufferFromFile(path);
  return parquetReadObjects({ file });
}

function assertTable(got: unknown[][], columns: readonly ParquetColumn[], label: string) {
  const rows = columns[0]!.values.length;
  assert.equal(got.length, rows, `${label}: rows`);
  for (let r = 0; r < rows; r++) {
    for (const [c, col] of columns.entries()) {
      const want = expected(col.values[r] as number | string | null);
      assert.ok(
        same(got[r]![c], want),
        `${label}: row ${r} ${col.name}: ${String(got[r]![c])} != ${String(want)}`,
      );
    }
  }
}

const number = fc.oneof(
  fc.double(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    5e-324,
    1.7976931348623157e308,
  ),
);
const text = fc.oneof(
  fc.string({ maxLength: 14 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constant(""),
  fc.constant(null),
);

describe("writeParquet", () => {
  it("random tables of numbers and texts read back unchanged by DuckDB and by hyparquet", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }).chain((rows) =>
          fc.record({
            numbers: fc.array(fc.array(number, { minLength: rows, maxLength: rows }), {
              minLength: 1,
              maxLength: 3,
            }),
            texts: fc.array(fc.array(text, { minLength: rows, maxLength: rows }), {
              minLength: 0,
              maxLength: 2,
            }),
            typed: fc.boolean(),
          }),
        ),
        async ({ numbers, texts, typed }) => {
          const columns: ParquetColumn[] = [
            ...numbers.map((v, i) => ({
              name: `n${i}`,
              numeric: true,
              values: typed ? Float64Array.from(v) : v,
            })),
            ...texts.map((v, i) => ({ name: `t ${i} é`, numeric: false, values: v })),
          ];
          const path = join(tmp, `random-${run++}.parquet`);
          writeParquet(path, columns);
          assertTable(
            await duckdbRows(
              path,
              columns.map((c) => c.name),
            ),
            columns,
            "duckdb",
          );
          const objects = await hyparquetRows(path);
          assertTable(
            objects.map((o) => columns.map((c) => o[c.name])),
            columns,
            "hyparquet",
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it("makes row groups smaller where a text page would pass the page size limit", async () => {
    const texts = Array.from({ length: 100 }, (_, i) => `${"é".repeat(i % 7)}text number ${i}`);
    const numbers = Float64Array.from({ length: 100 }, (_, i) => i / 4);
    const columns: ParquetColumn[] = [
      { name: "t", numeric: false, values: texts },
      { name: "x", numeric: true, values: numbers },
    ];
    const path = join(tmp, "small-pages.parquet");
    writeParquet(path, columns, { maxPageBytes: 1500 });
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(path));
    const sizes = meta.row_groups.map((g) => Number(g.num_rows));
    assert.ok(sizes.length > 1, `row groups ${sizes.join(", ")}`);
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      100,
    );
    assertTable(await duckdbRows(path, ["t", "x"]), columns, "duckdb");
  });

  it("splits more than 2^20 rows into row groups, and an empty table has none", async () => {
    const n = 2 ** 20 + 3;
    const a = Float64Array.from({ length: n }, (_, i) => i * 0.5);
    a[2 ** 20 + 1] = Number.NaN;
    const ids = Array.from({ length: n }, (_, i) => `c${i}`);
    const path = join(tmp, "big.parquet");
    writeParquet(path, [
      { name: "id", numeric: false, values: ids },
      { name: "a", numeric: true, values: a },
    ]);
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(path));
    assert.deepEqual(
      meta.row_groups.map((g) => Number(g.num_rows)),
      [2 ** 20, 3],
    );
    const r = await db.conn.run(
      `SELECT count(*), count(a), sum(a), min(id), max(id), max(id) FILTER (WHERE a IS NULL) FROM read_parquet('${path}')`,
    );
    const sum = ((n - 1) * n) / 4 - (2 ** 20 + 1) * 0.5;
    assert.deepEqual((await r.getRows())[0], [
      BigInt(n),
      BigInt(n - 1),
      sum,
      "c0",
      "c999999",
      `c${2 ** 20 + 1}`,
    ]);

    const empty = join(tmp, "empty.parquet");
    writeParquet(empty, [
      { name: "id", numeric: false, values: [] },
      { name: "a", numeric: true, values: new Float64Array(0) },
    ]);
    const e = await db.conn.run(`SELECT count(*) FROM read_parquet('${empty}')`);
    assert.deepEqual((await e.getRows())[0], [0n]);
    const d = await db.conn.run(`DESCRIBE SELECT * FROM read_parquet('${empty}')`);
    assert.deepEqual(
      (await d.getRows()).map((row) => [row[0], row[1]]),
      [
        ["id", "VARCHAR"],
        ["a", "DOUBLE"],
      ],
    );
  });
});
