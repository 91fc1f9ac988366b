// @valuecast/data: engines (DuckDB embedded, PostgreSQL pushdown), one SQL definition of a summary per
// dialect, file sniffing, readers and writers. The public API is small: openSource -> summarizeSource,
// readSummaryFile, writeTable / summaryTable. See README.md in this package.
export type { FileReadOptions } from "./engine/duckdb.ts";
export type { ResultBatch, Source } from "./engine/source.ts";
export {
  type SourceSummary,
  type SourceTracking,
  type SummarizeSourceOptions,
  type SummaryStages,
  summarizeSource,
} from "./engine/summarize.ts";
export * from "./exports/index.ts";
export {
  type ReadSummaryOptions,
  readSummaryColumns,
  readSummaryFile,
  type SummaryField,
  type SummaryFileColumns,
} from "./files/read-summary.ts";
export type { FileFormat } from "./files/sniff.ts";
export { summaryTable, type TableColumns, type TableFormat, tableFormat, writeTable } from "./files/write.ts";
export { type ColumnRole, type MappingOverrides, type MappingReport, resolveMapping } from "./mapping.ts";
export { openSource, type SourceSpec } from "./open.ts";
export type { ColumnKind, ColumnMapping, SourceColumn } from "./sql/columns.ts";
export { type Dialect, duckdbDialect, postgresDialect } from "./sql/dialect.ts";
export {
  type BuiltQuery,
  buildRejectedRowsQuery,
  buildSummaryQuery,
  type SummaryLayout,
  type SummaryQueryInput,
  summaryLayout,
} from "./sql/summary-query.ts";
