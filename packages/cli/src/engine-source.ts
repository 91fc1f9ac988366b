import { issue, ValuecastError } from "@valuecast/core";

/**
 * The part of @valuecast/data the CLI uses: `openSource` (DuckDB for files and duckdb: databases,
 * PostgreSQL pushdown for postgres:// URLs) and `summarizeSource`, which runs the per-customer aggregation
 * inside the engine so only summaries leave it. Loaded on first use: the native DuckDB binding is only paid
 * for when a command needs it.
 */
export type DataEngines = Pick<
  typeof import("@valuecast/data"),
  "openSource" | "summarizeSource" | "readSummaryColumns"
>;

const DATA_PACKAGE = "@valuecast/data";

/**
 * Loads the data engines package, or says clearly why it cannot.
 * @example const { openSource, summarizeSource } = await loadDataEngines()
 */
export async function loadDataEngines(): Promise<DataEngines> {
  try {
    return (await import(DATA_PACKAGE)) as DataEngines;
  } catch (err) {
    throw new ValuecastError([
      issue(
        "UNSUPPORTED_FORMAT",
        `the SQL engines (${DATA_PACKAGE}) could not be loaded (${(err as Error).message.split("\n")[0]}); delimited text files work with --engine memory`,
      ),
    ]);
  }
}

/**
 * True for database URLs (postgres://…, duckdb:path.db).
 * @example isDatabaseUrl("postgres://localhost/shop") // true
 */
export function isDatabaseUrl(source: string): boolean {
  return /^postgres(ql)?:\/\//i.test(source) || /^duckdb:/i.test(source);
}

/**
 * True for files only an engine reads (Parquet, JSON, NDJSON).
 * @example needsEngine("orders.parquet") // true
 */
export function needsEngine(source: string): boolean {
  return isDatabaseUrl(source) || /\.(parquet|json|ndjson|jsonl)(\.gz)?$/i.test(source);
}
