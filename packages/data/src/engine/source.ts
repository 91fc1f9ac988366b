import type { SourceColumn } from "../sql/columns.ts";
import type { Dialect } from "../sql/dialect.ts";
import type { BuiltQuery } from "../sql/summary-query.ts";

/**
 * An opened input: a relation some engine can run SQL over. `openSource` returns one; `summarizeSource`
 * runs the summary query on it. Close it when done (it holds a DuckDB instance or a PostgreSQL client).
 */
export interface Source {
  readonly engine: "duckdb" | "postgres";
  /** For messages: the files or the table/query. */
  readonly description: string;
  /** How many files were read (file sources only). */
  readonly files?: number;
  /** Rows come in file order (DuckDB over files): summaries then keep the order of first appearance. */
  readonly inputOrder?: boolean;
  readonly dialect: Dialect;
  /** A FROM-able SQL fragment for the input rows. */
  readonly relation: string;
  /** The input's columns and their kinds. */
  readonly columns: readonly SourceColumn[];
  /**
   * Loads the rows of `query` (over `relation`, keeping input order) once into an engine table that numbers
   * them in that order (DuckDB over files), for the queries that follow; `drop` frees it. Reading and parsing
   * files once with all threads is cheaper than numbering them with row_number() inside a query, which runs
   * in one thread.
   */
  load?(query: BuiltQuery): Promise<LoadedInput>;
  /**
   * Runs a query and hands the result to `onBatch` batch by batch (values by column and row index). An engine
   * that computes the whole result before handing any of it over says how long that took.
   */
  stream(query: BuiltQuery, onBatch: (batch: ResultBatch) => void): Promise<StreamTimes | undefined>;
  close(): Promise<void>;
}

/** What `Source.stream` measured. */
export interface StreamTimes {
  /** Seconds until the engine held the whole result, before the first batch was handed over. */
  readonly querySeconds: number;
}

/** An input loaded by `Source.load`: a relation, the expression of its input row number, and a way to free it. */
export interface LoadedInput {
  readonly relation: string;
  readonly rowNumber: string;
  drop(): Promise<void>;
}

/** A slice of a query result: `value(column, row)` in select order, rows 0 … rowCount - 1. */
export interface ResultBatch {
  readonly rowCount: number;
  /** Rows of the whole result, when the engine knows it before streaming (lets collectors size arrays once). */
  readonly totalRows?: number;
  value(column: number, row: number): unknown;
  /**
   * A DOUBLE column of the batch as one array, where the engine holds it so (DuckDB): reading a million
   * customers through `value` boxes every number and tests validity bit by bit. Valid only while the batch
   * is being handed over (the engine reuses the memory).
   */
  doubles?(column: number): DoubleColumn;
  /**
   * A text column of the batch as strings (NULL as null), where the engine can read it faster than value by
   * value; undefined for a batch it cannot.
   */
  texts?(column: number): (string | null)[] | undefined;
}

/** A batch's DOUBLE column: `values[row]`, meaningful only where `isNull(row)` is false. */
export interface DoubleColumn {
  readonly values: Float64Array;
  isNull(row: number): boolean;
}
