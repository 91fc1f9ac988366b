// PostgreSQL pushdown specifics (typed columns, query sources, read-only session, quoting). Runs when
// VALUECAST_PG_URL is set (source scripts/pg-start.sh); the contract suite fails under CI=true without it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { summarizeTransactions, type Transaction } from "@valuecast/core";
import pg from "pg";
import { openSource, summarizeSource } from "../src/index.ts";
import { assertSameReport, assertSameSummaries } from "./helpers/compare.ts";

const url = process.env.VALUECAST_PG_URL;
const codeOf = (e: unknown) => (e as { issues?: { code: string }[] }).issues?.[0]?.code;

describe("PostgreSQL pushdown", { skip: url ? false : "VALUECAST_PG_URL is not set" }, () => {
  const admin = new pg.Client({ connectionString: url });
  const rows: [number, string, string | null, string][] = [
    [17850, "2011-01-01 10:00:00+00", "12.50", "email"],
    [17850, "2011-01-01 23:30:00-02", "7.25", "web"],
    [17850, "2011-01-09 08:00:00+00", "-2.00", "web"],
    [17850, "2011-02-01 08:00:00+00", "30", "web"],
    [12, "2011-01-03 08:00:00+00", "5", "ads"],
    [12, "2011-03-01 08:00:00+00", "5", "ads"],
  ];
  before(async () => {
    await admin.connect();
    await admin.query("CREATE SCHEMA IF NOT EXISTS valuecast_pg_test");
    await admin.query("DROP TABLE IF EXISTS valuecast_pg_test.typed");
    await admin.query(
      'CREATE TABLE valuecast_pg_test.typed ("Customer ID" numeric, ordered_at timestamptz, amount numeric, channel text)',
    );
    for (const r of rows) await admin.query("INSERT INTO valuecast_pg_test.typed VALUES ($1, $2, $3, $4)", r);
  });
  after(() => admin.end());

  const options = { timeUnit: "day" as const, calibrationEnd: "2011-01-31", observationEnd: "2011-03-31" };
  const columns = { customer: "Customer ID", date: "ordered_at", amount: "amount", channel: "channel" };
  const core = () =>
    summarizeTransactions(
      rows.map(
        ([c, t, a, ch]): Transaction => ({
          customerId: String(c),
          at: Date.parse(t.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00")),
          amount: Number(a),
          channel: ch,
        }),
      ),
      options,
    );

  it("summarizes typed columns (numeric id, timestamptz, numeric amount) like core, in UTC days", async () => {
    const src = await openSource({ url: url!, table: "valuecast_pg_test.typed" });
    assert.deepEqual(
      src.columns.map((c) => c.kind),
      ["number", "timestamptz", "number", "text"],
    );
    const got = await summarizeSource(src, { ...options, columns });
    await src.close();
    // Rows stream from PostgreSQL while it computes: one stage for query and reading.
    assert.deepEqual(Object.keys(got.stages), ["stream", "collect"]);
    const want = core();
    const { timeZoneOffsets: _a, notes: _n1, ...gotReport } = got.report;
    const { timeZoneOffsets: _b, notes: _n2, ...wantReport } = want.report;
    assertSameSummaries(got.columns, want.columns, "postgres typed vs core");
    assert.deepEqual(gotReport, wantReport);
    assert.deepEqual(
      got.report.timeZoneOffsets,
      { none: 6 },
      "timestamptz values are instants: no written offset",
    );
    const i = got.columns.customerId.indexOf("17850");
    // 23:30 at -02:00 is 01:30 UTC on 2011-01-02: a second purchase day, not part of the first.
    assert.deepEqual(
      [got.columns.firstAmount[i], got.columns.x[i], got.columns.monetary[i]],
      [12.5, 1, 7.25],
    );
    assert.deepEqual([got.columns.historicRevenue[i], got.columns.holdout!.x[i]], [17.75, 1]);
  });

  it("runs a query source with bound values and the same result", async () => {
    const a = await openSource({
      url: url!,
      query: "SELECT * FROM valuecast_pg_test.typed WHERE amount > -1000",
    });
    const got = await summarizeSource(a, { ...options, columns });
    await a.close();
    assertSameReport(
      got.report,
      await (async () => {
        const b = await openSource({ url: url!, table: "valuecast_pg_test.typed" });
        const r = await summarizeSource(b, { ...options, columns });
        await b.close();
        return r.report;
      })(),
      "query vs table",
    );
  });

  it("keeps the session read-only and quotes identifiers", async () => {
    const src = await openSource({ url: url!, table: "valuecast_pg_test.typed" });
    await assert.rejects(
      src.stream({ sql: "CREATE TABLE valuecast_pg_test.nope (a int)", params: [] }, () => {}),
      /read-only/,
    );
    await src.close();
    await assert.rejects(
      openSource({ url: url!, table: 'typed"; DROP TABLE valuecast_pg_test.typed; --' }),
      (e) => codeOf(e) === "SOURCE_NOT_FOUND",
    );
    const n = await admin.query("SELECT count(*)::int AS n FROM valuecast_pg_test.typed");
    assert.equal(n.rows[0].n, rows.length);
  });

  it("finds kept copies by each column's own type hash (date, numeric, integer, float, boolean, json) and makes an infinite date BAD_DATE", async () => {
    // [customer, day, amount, qty, price, flag, note]: copies are rows equal in every column, NULLs included.
    const typed: [string, string, string, number | null, number | null, boolean, string | null][] = [
      ["A", "2011-01-01", "10.00", 1, 1.5, true, '{"a":1}'],
      ["A", "2011-01-01", "10.00", 1, 1.5, true, '{"a":1}'], // a copy
      ["A", "2011-01-01", "10.00", 2, 1.5, true, '{"a":1}'], // another quantity
      ["A", "2011-01-05", "5.00", 1, 1.5, false, null],
      ["A", "2011-01-05", "5.00", 1, 1.5, false, null], // a copy, NULL note included
      ["A", "2011-01-05", "5.00", 1, 1.5, true, null], // another flag
      ["B", "2011-01-02", "7.00", 1, 2, true, '{"b":1}'],
      ["B", "2011-01-02", "7.00", 1, 2, true, '{"b":2}'], // another note
      ["B", "2011-01-03", "3.00", null, 2, true, null],
      ["B", "2011-01-03", "3.00", 1, null, true, null], // the NULL in another column
      ["C", "2011-01-04", "6.00", 1, 1, true, null],
      ["C", "2011-01-04", "6.00", 1, 1, true, null], // a copy on a two-row day
      ["C", "infinity", "4.00", 1, 1, true, null],
    ];
    await admin.query("DROP TABLE IF EXISTS valuecast_pg_test.dated");
    await admin.query(
      "CREATE TABLE valuecast_pg_test.dated (customer text, day date, amount numeric(12,2), qty int4, price float8, flag boolean, note json)",
    );
    for (const r of typed) {
      await admin.query("INSERT INTO valuecast_pg_test.dated VALUES ($1, $2, $3, $4, $5, $6, $7)", r);
    }
    const src = await openSource({ url: url!, table: "valuecast_pg_test.dated" });
    const got = await summarizeSource(src, {
      timeUnit: "day",
      columns: { customer: "customer", date: "day", amount: "amount" },
    });
    await src.close();
    assert.equal(got.report.notes.DUPLICATE_ROW, 3);
    assert.equal(got.report.rejected.BAD_DATE, 1);
    assert.deepEqual(got.report.timeZoneOffsets, { none: 12 });
    const want = summarizeTransactions(
      typed
        .filter((r) => r[1] !== "infinity")
        .map(([c, day, a]): Transaction => ({ customerId: c, at: Date.parse(day), amount: Number(a) })),
      { timeUnit: "day" },
    );
    assertSameSummaries(got.columns, want.columns, "postgres date-typed vs core");
  });

  it("gives bit-identical summaries run after run while parallel workers read the table (amounts summed in order of value)", async () => {
    // 400,000 rows: 20,000 customers with 10 rows on each of two days and a third of their rows refunds, amounts
    // of very different sizes, so that the order of a sum shows in its last bits. 20 MB: PostgreSQL reads it
    // with parallel workers, which hand the rows over in a different order every run.
    await admin.query("DROP TABLE IF EXISTS valuecast_pg_test.par");
    await admin.query(`CREATE TABLE valuecast_pg_test.par AS
      SELECT 'c' || (i % 20000) AS customer, DATE '2020-01-01' + CAST(i / 20000 % 2 AS int) AS day,
        CAST(((i * 7919) % 100000) / 100.0 * CASE WHEN i % 3 = 0 THEN 1000 ELSE 0.001 END
          * CASE WHEN i / 20000 % 3 = 1 THEN -1 ELSE 1 END AS numeric(14, 5)) AS amount
      FROM generate_series(CAST(1 AS bigint), 400000) i`);
    await admin.query("ANALYZE valuecast_pg_test.par");
    const run = async () => {
      const src = await openSource({ url: url!, table: "valuecast_pg_test.par" });
      const r = await summarizeSource(src, { timeUnit: "day" });
      await src.close();
      return r;
    };
    const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const first = await run();
    assert.equal(first.columns.customerId.length, 20000);
    assert.ok(first.report.refundsNetted < 0);
    for (let k = 0; k < 2; k++) {
      const again = await run();
      for (const key of ["monetary", "firstAmount", "historicRevenue"] as const) {
        assert.ok(
          bytes(again.columns[key]).equals(bytes(first.columns[key])),
          `${key} differs in run ${k + 2}`,
        );
      }
      assert.equal(again.report.refundsNetted, first.report.refundsNetted);
    }
  });
});
