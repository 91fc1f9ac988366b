import { issue, ValuecastError } from "@valuecast/core";
import pg from "pg";
import type { ColumnKind, SourceColumn } from "../sql/columns.ts";
import { postgresDialect } from "../sql/dialect.ts";
import type { BuiltQuery } from "../sql/summary-query.ts";
import type { ResultBatch, Source } from "./source.ts";

// Type OIDs (pg_type) of the column types the summary query reads as such, with the type's name (the
// dialect picks a hash function by it); any other type is "other".
const TYPES: Record<number, [ColumnKind, string]> = {
  16: ["boolean", "bool"],
  20: ["number", "int8"],
  21: ["number", "int2"],
  23: ["number", "int4"],
  700: ["number", "float4"],
  701: ["number", "float8"],
  1700: ["number", "numeric"],
  25: ["text", "text"],
  1042: ["text", "bpchar"],
  1043: ["text", "varchar"],
  19: ["text", "name"],
  2950: ["text", "uuid"],
  1082: ["date", "date"],
  1114: ["timestamp", "timestamp"],
  1184: ["timestamptz", "timestamptz"],
};

/** Rows handed to `onBatch` at a time (the result arrives as one stream; this only bounds the array). */
export const PG_BATCH_ROWS = 10_000;

/**
 * Runs `query` in one Execute (no row limit) and hands its rows to `onBatch` PG_BATCH_ROWS at a time, as
 * they arrive. Not a cursor: PostgreSQL never runs a parallel plan for a portal fetched in pieces, and a
 * cursor costs a round trip per batch (about 400 for 4M customers). Rows are not accumulated: pg only keeps
 * them when a Query has no 'row' listener, so memory stays at one batch however large the result.
 * @example await streamRows(client, { sql: "SELECT 1", params: [] }, (b) => console.log(b.rowCount))
 */
export function streamRows(
  client: pg.Client,
  query: BuiltQuery,
  onBatch: (batch: ResultBatch) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let rows: unknown[][] = [];
    let failed: unknown;
    const flush = () => {
      if (rows.length === 0 || failed !== undefined) return;
      const batch = rows;
      rows = [];
      try {
        onBatch({ rowCount: batch.length, value: (c, r) => batch[r]![c] });
      } catch (e) {
        // Keep reading (the protocol must finish the query) but drop the rest and report this error.
        failed = e;
      }
    };
    const config: pg.QueryArrayConfig = { text: query.sql, values: query.params, rowMode: "array" };
    const q = new pg.Query(config);
    q.on("row", (row: unknown[]) => {
      if (failed !== undefined) return;
      rows.push(row);
      if (rows.length === PG_BATCH_ROWS) flush();
    });
    q.on("error", (e: Error) => reject(e));
    q.on("end", () => {
      flush();
      if (failed !== undefined) reject(failed);
      else resolve();
    });
    client.query(q);
  });
}

/** A quoted, possibly schema-qualified table name ("sales.orders" -> "sales"."orders"). */
export function quoteTable(table: string): string {
  return table
    .split(".")
    .map((p) => postgresDialect.ident(p))
    .join(".");
}

/**
 * Opens a PostgreSQL table or query for pushdown: the session is read-only and in UTC, identifiers are
 * quoted, values bound, and results stream back as they arrive (`streamRows`, 10,000 rows a batch).
 * @example const src = await openPostgres("postgres://u@host/db", { table: "public.orders" });
 */
export async function openPostgres(
  url: string,
  target: { table?: string; query?: string },
  options: { workMem?: string } = {},
): Promise<Source> {
  if (options.workMem !== undefined && !/^\d+\s*(kB|MB|GB)$/.test(options.workMem)) {
    throw new ValuecastError([
      issue("BAD_OPTION_VALUE", `work memory '${options.workMem}' is not like 256MB`),
    ]);
  }
  const client = new pg.Client({ connectionString: url, application_name: "valuecast" });
  try {
    await client.connect();
  } catch (e) {
    throw new ValuecastError([
      issue("SOURCE_NOT_FOUND", `cannot connect to PostgreSQL: ${(e as Error).message}`),
    ]);
  }
  try {
    await client.query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    await client.query("SET TIME ZONE 'UTC'");
    for (const setting of pushdownSettings(options.workMem ?? "256MB")) await client.query(setting);
    // The row hash for kept duplicates needs PostgreSQL 14 (hash_record_extended, for the column types
    // without a hash function of their own); before it, repeated rows are found by grouping on every column.
    const version = Number((await client.query("SHOW server_version_num")).rows[0]?.server_version_num);
    const dialect = version >= 140000 ? postgresDialect : { ...postgresDialect, rowHash: undefined };
    const relation = target.query !== undefined ? `(${target.query}) AS _v_src` : quoteTable(target.table!);
    let columns: SourceColumn[];
    try {
      const probe = await client.query(`SELECT * FROM ${relation} LIMIT 0`);
      columns = probe.fields.map((f) => {
        const known = TYPES[f.dataTypeID];
        return known ? { name: f.name, kind: known[0], type: known[1] } : { name: f.name, kind: "other" };
      });
    } catch (e) {
      throw new ValuecastError([
        issue("SOURCE_NOT_FOUND", `PostgreSQL ${target.table ?? "query"}: ${(e as Error).message}`),
      ]);
    }
    return {
      engine: "postgres",
      description: `postgres ${target.table ?? "query"}`,
      dialect,
      relation,
      columns,
      async stream(query: BuiltQuery, onBatch) {
        await client.query("BEGIN READ ONLY");
        try {
          await streamRows(client, query, onBatch);
          // Rows stream while PostgreSQL still computes: no separate query time.
          return undefined;
        } finally {
          await client.query("COMMIT");
        }
      },
      async close() {
        await client.end();
      },
    };
  } catch (e) {
    await client.end();
    throw e;
  }
}

/**
 * The planner settings of a pushdown session (after READ ONLY and UTC), shared with the benchmarks so that
 * they measure the same plans.
 */
export function pushdownSettings(workMem: string): string[] {
  return [
    // JIT compiling the wide parsing expressions costs more than it saves on summary queries, and sorts of
    // customer-days spill to disk with the default 4 MB of work memory.
    "SET jit = off",
    `SET work_mem = '${workMem}'`,
    // Sorted grouping instead of hash aggregation. The customer-day level has about as many groups as input
    // rows, each with a dozen aggregate states: PostgreSQL 15's hash aggregate spills them in many batches
    // and re-reads them, while one external sort then streams the groups. Measured on 10M rows (3.9M
    // customers, 9.9M customer-days; bench/pg/explain.ts): the summary query used 98 s of server CPU with
    // hashing, 63 s without; a lean two-level aggregate 44 s vs 18 s. A larger work_mem did not help (1GB: 104 s).
    // Measured again on 10M rows, sorted grouping (EXPLAIN ANALYZE, PostgreSQL 15): work_mem 1GB instead of
    // 256MB left every large sort and the materialized customer-days on disk (they need more than 1GB in
    // memory) and used the same server CPU (69.6 s vs 70.1 s).
    "SET enable_hashagg = off",
    // Parsing on the other cores: with a Gather's cost per row at a tenth of the default, the planner reads
    // the table in parallel workers, and the first parsing layer (ids trimmed, row hashes, casts), which
    // PostgreSQL computes in the scan, runs there too. The OFFSET 0 fences between the parsing layers keep
    // the later layers and the sorts in the leader (PostgreSQL 15 passes no partial paths through a LIMIT;
    // volatile fence columns instead let every layer run in the workers but gained little more, within
    // this machine's noise). Summary SQL on 10M rows, A/B in one session: 31.1 and 30.6 s -> 28.6 and
    // 26.9 s. Small tables stay serial (min_parallel_table_scan_size).
    "SET parallel_tuple_cost = 0.01",
    // Every join of the summary query is an equi-join of large sets (or a cross join with one row). On a
    // table without statistics (just loaded, never analyzed) the planner estimated the summarized customers
    // at one row and joined them to every parsed row by a nested loop: CDNOW_master's backtest query (69,659
    // rows, 23,570 customers) ran for minutes instead of a second.
    "SET enable_nestloop = off",
    // The same equi-joins by hashing rather than merging: the planner sorted the 3.9M customers of a 10M-row
    // table (on disk) to merge-join them with the few refund rows. EXPLAIN ANALYZE of the summary SQL on that
    // table: 40.5 s with merge joins allowed, 36.5 s without.
    "SET enable_mergejoin = off",
  ];
}
