import { issue, ValuecastError } from "@valuecast/core";
import pg from "pg";
import Cursor from "pg-cursor";
import type { ColumnKind, SourceColumn } from "../sql/columns.ts";
import { postgresDialect } from "../sql/dialect.ts";
import type { BuiltQuery } from "../sql/summary-query.ts";
import type { Source } from "./source.ts";

// PostgreSQL type OIDs (pg_type) the summary query distinguishes.
const KINDS: Record<number, ColumnKind> = {
  16: "boolean",
  20: "number",
  21: "number",
  23: "number",
  700: "number",
  701: "number",
  1700: "number",
  25: "text",
  1042: "text",
  1043: "text",
  19: "text",
  2950: "text",
  1082: "date",
  1114: "timestamp",
  1184: "timestamptz",
};

const BATCH = 10_000;

/** A quoted, possibly schema-qualified table name ("sales.orders" -> "sales"."orders"). */
export function quoteTable(table: string): string {
  return table
    .split(".")
    .map((p) => postgresDialect.ident(p))
    .join(".");
}

/**
 * Opens a PostgreSQL table or query for pushdown: the session is read-only and in UTC, identifiers are
 * quoted, values bound, and results stream through a cursor (10,000 rows a fetch).
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
    // JIT compiling the wide parsing expressions costs more than it saves on summary queries, and sorts of
    // customer-days spill to disk with the default 4 MB of work memory.
    await client.query("SET jit = off");
    await client.query(`SET work_mem = '${options.workMem ?? "256MB"}'`);
    const relation = target.query !== undefined ? `(${target.query}) AS _v_src` : quoteTable(target.table!);
    let columns: SourceColumn[];
    try {
      const probe = await client.query(`SELECT * FROM ${relation} LIMIT 0`);
      columns = probe.fields.map((f) => ({ name: f.name, kind: KINDS[f.dataTypeID] ?? "other" }));
    } catch (e) {
      throw new ValuecastError([
        issue("SOURCE_NOT_FOUND", `PostgreSQL ${target.table ?? "query"}: ${(e as Error).message}`),
      ]);
    }
    return {
      engine: "postgres",
      description: `postgres ${target.table ?? "query"}`,
      dialect: postgresDialect,
      relation,
      columns,
      async stream(query: BuiltQuery, onBatch) {
        await client.query("BEGIN READ ONLY");
        const cursor = client.query(new Cursor(query.sql, query.params, { rowMode: "array" }));
        try {
          for (;;) {
            const rows: unknown[][] = await cursor.read(BATCH);
            onBatch({ rowCount: rows.length, value: (c, r) => rows[r]![c] });
            if (rows.length < BATCH) break;
          }
        } finally {
          await cursor.close();
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
