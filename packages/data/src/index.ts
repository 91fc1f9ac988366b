// @valuecast/data: engines (DuckDB embedded, PostgreSQL pushdown), SQL builders per dialect, readers and writers.
export type { FileReadOptions } from "./engine/duckdb.ts";
export type { Source } from "./engine/source.ts";
export { type SourceSummary, type SummarizeSourceOptions, summarizeSource } from "./engine/summarize.ts";
export type { FileFormat } from "./files/sniff.ts";
export { type ColumnRole, type MappingOverrides, type MappingReport, resolveMapping } from "./mapping.ts";
export { openSource, type SourceSpec } from "./open.ts";
export type { ColumnKind, ColumnMapping, SourceColumn } from "./sql/columns.ts";
export { type Dialect, duckdbDialect, postgresDialect } from "./sql/dialect.ts";
export { type BuiltQuery, buildSummaryQuery, type SummaryQueryInput } from "./sql/summary-query.ts";
