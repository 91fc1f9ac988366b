import {
  issue,
  type SummarizeOptions,
  type SummaryColumns,
  type SummaryReport,
  ValuecastError,
} from "@valuecast/core";

/**
 * The part of @valuecast/data the CLI uses: open a source in its engine (DuckDB for files and duckdb:
 * databases, PostgreSQL pushdown for postgres:// URLs) and run the per-customer aggregation there, so only
 * summaries leave the engine. Loaded on first use: the native DuckDB binding is only paid for when needed.
 */
export interface DataEngines {
  openSource(
    spec:
      | string
      | readonly string[]
      | { readonly path: string | readonly string[]; readonly delimiter?: string }
      | { readonly url: string; readonly table?: string; readonly query?: string },
  ): Promise<{ close(): Promise<void> }>;
  summarizeSource(
    source: { close(): Promise<void> },
    options: SummarizeOptions & { readonly columns?: Readonly<Record<string, string>> },
  ): Promise<{
    readonly columns: SummaryColumns;
    readonly report: SummaryReport;
    readonly mapping: { readonly description: string };
    readonly engine: string;
    readonly seconds: number;
  }>;
}

const DATA_PACKAGE = "@valuecast/data";

/** Loads the data engines package. */
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

/** True for database URLs (postgres://…, duckdb:path.db). */
export function isDatabaseUrl(source: string): boolean {
  return /^postgres(ql)?:\/\//i.test(source) || /^duckdb:/i.test(source);
}

/** True for files only an engine reads (Parquet, JSON, NDJSON). */
export function needsEngine(source: string): boolean {
  return isDatabaseUrl(source) || /\.(parquet|json|ndjson|jsonl)(\.gz)?$/i.test(source);
}
