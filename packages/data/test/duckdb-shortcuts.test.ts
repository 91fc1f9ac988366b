// The DuckDB dialect's short cuts (plain-date cast, trim only where needed) must give exactly what the
// general expressions they stand in for give, on any text: they are checked here against those expressions,
// evaluated by DuckDB itself, over random strings built from the characters that matter.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { DuckDBConnection } from "@duckdb/node-api";
import fc from "fast-check";
import { connectDuckDb } from "../src/engine/duckdb.ts";
import { duckdbDialect } from "../src/sql/dialect.ts";

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
// The general route for a plain date before the short cut: shape by regular expression, year 0000 excluded,
// then the (non-failing) cast.
const generalPlainDate = (e: string) =>
  `CASE WHEN length(${e}) = 10 AND regexp_full_match(${e}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND substr(${e}, 1, 4) <> '0000'
    THEN CAST(TRY_CAST(${e} AS DATE) - DATE '1970-01-01' AS BIGINT) END`;

/** Both expressions over every value, as [value, short cut, general] rows that differ. */
async function differences(
  conn: DuckDBConnection,
  values: readonly string[],
  shortCut: (e: string) => string,
  general: (e: string) => string,
): Promise<unknown[][]> {
  const rows = values.map((v) => `(${lit(v)})`).join(", ");
  const r = await conn.run(
    `SELECT v, a, b FROM (SELECT v, ${shortCut("v")} AS a, ${general("v")} AS b FROM (VALUES ${rows}) t(v))
      WHERE a IS DISTINCT FROM b`,
  );
  return r.getRows();
}

const dateChars = fc.constantFrom(..."0123456789-/ T:Z+.".split(""), "1", "2", "0", "-");
const dateLike = fc.oneof(
  fc.string({ unit: dateChars, maxLength: 14 }),
  // Mostly well-formed: a real calendar shape with one character possibly replaced.
  fc
    .tuple(
      fc.integer({ min: 0, max: 10999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.boolean(),
      fc.nat(12),
      dateChars,
    )
    .map(([y, m, d, pad, at, ch]) => {
      const p2 = (n: number) => (pad ? String(n).padStart(2, "0") : String(n));
      const s = `${String(y).padStart(4, "0")}-${p2(m)}-${p2(d)}`;
      return at < s.length && at % 3 === 0 ? s.slice(0, at) + ch + s.slice(at + 1) : s;
    }),
);
const spaces = fc.constantFrom(" ", "\u00a0", "\u3000", "\t", "\r", "");
const idLike = fc
  .tuple(spaces, fc.string({ maxLength: 8 }), spaces, fc.constantFrom("", "é", " ", "x"))
  .map(([a, s, b, c]) => a + s + c + b);

describe("DuckDB dialect short cuts equal the general expressions", () => {
  let conn: DuckDBConnection;
  let close: () => void;
  before(async () => {
    const db = await connectDuckDb({ threads: 1 });
    conn = db.conn;
    close = () => {
      db.conn.closeSync();
      db.instance.closeSync();
    };
  });
  after(() => close());

  it("plainDateDays: the days of exactly YYYY-MM-DD calendar dates (year 0001+), NULL for anything else", async () => {
    const fixed = [
      "2011-01-05",
      "2011-1-5",
      "2011/01/05",
      " 2011-01-05",
      "2011-01-05 ",
      "0000-01-01",
      "0001-01-01",
      "0999-12-31",
      "9999-12-31",
      "2011-02-29",
      "2012-02-29",
      "2011-02-30",
      "20110105",
      "2011-01-05T00:00:00",
      "2011-01-05Z",
      "10000-01-01",
      "infinity",
      "epoch",
      "",
      "2011-13-01",
      "2011-00-10",
      "+011-01-05",
    ];
    assert.deepEqual(await differences(conn, fixed, duckdbDialect.plainDateDays!, generalPlainDate), []);
    await fc.assert(
      fc.asyncProperty(fc.array(dateLike, { minLength: 1, maxLength: 200 }), async (values) => {
        assert.deepEqual(await differences(conn, values, duckdbDialect.plainDateDays!, generalPlainDate), []);
      }),
      { numRuns: 60 },
    );
  });

  it("trimText: the same text as trim (spaces and non-ASCII spaces removed, tabs kept)", async () => {
    const fixed = [
      "c1",
      " c1",
      "c1 ",
      " c1 ",
      "\u00a0c1",
      "c1\u3000",
      "\tc1",
      "c1\r",
      "",
      " ",
      "é",
      " é ",
      "a b",
    ];
    const trim = (e: string) => `trim(${e})`;
    assert.deepEqual(await differences(conn, fixed, duckdbDialect.trimText!, trim), []);
    await fc.assert(
      fc.asyncProperty(fc.array(idLike, { minLength: 1, maxLength: 200 }), async (values) => {
        assert.deepEqual(await differences(conn, values, duckdbDialect.trimText!, trim), []);
      }),
      { numRuns: 60 },
    );
  });
});
