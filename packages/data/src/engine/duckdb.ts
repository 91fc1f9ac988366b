import { existsSync } from "node:fs";
import { tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import {
  type DuckDBConnection,
  type DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBVector,
} from "@duckdb/node-api";
import bindings from "@duckdb/node-bindings";
import { issue, ValuecastError } from "@valuecast/core";
import { type FileFormat, type SniffResult, sniffFile } from "../files/sniff.ts";
import { columnKind, type SourceColumn } from "../sql/columns.ts";
import { duckdbDialect } from "../sql/dialect.ts";
import type { BuiltQuery } from "../sql/summary-query.ts";
import type { DoubleColumn, ResultBatch, Source } from "./source.ts";

/** How to read files; everything is optional and sniffed from the first file when absent. */
export interface FileReadOptions {
  readonly format?: FileFormat;
  /** Field delimiter for delimited text (any single character; "whitespace" for runs of spaces/tabs). */
  readonly delimiter?: string;
  readonly header?: boolean;
  /** DuckDB worker threads (default: all cores). */
  readonly threads?: number;
  /** DuckDB memory limit, e.g. "1GB" (DuckDB spills to disk beyond it); default `defaultMemoryLimit()`. */
  readonly memoryLimit?: string;
  /**
   * Read delimited text as text (default: the summary query parses and classifies every value itself);
   * false lets DuckDB detect column types (summary files).
   */
  readonly allVarchar?: boolean;
}

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
const list = (paths: readonly string[]) => `[${paths.map(lit).join(", ")}]`;
const isGlob = (p: string) => /[*?[]/.test(p);
let resultCounter = 0;

/**
 * The memory DuckDB may use when none is given: a quarter of the machine's RAM, between 1 and 4 GB.
 * DuckDB's own default (80% of RAM) let the 10M-customer summary query (25.6M rows) reach 12.6 GB resident;
 * beyond the limit its sorts, aggregates and materialized CTEs spill to `temp_directory`. The JS side
 * (summary columns, fits, scores) needs memory of its own next to it.
 */
export function defaultMemoryLimit(): string {
  const mb = Math.min(4096, Math.max(1024, Math.floor(totalmem() / 4 / 2 ** 20)));
  return `${mb}MB`;
}

let instanceCounter = 0;

/** A DuckDB in-memory instance with UTC sessions, for reading files and for writing tables. */
export async function connectDuckDb(options: { threads?: number; memoryLimit?: string } = {}): Promise<{
  instance: DuckDBInstance;
  conn: DuckDBConnection;
}> {
  const config: Record<string, string> = {
    memory_limit: options.memoryLimit ?? defaultMemoryLimit(),
    // Spilled data goes to the system's temporary directory (an in-memory database would use ./.tmp under
    // the working directory); DuckDB creates the directory only when it spills and removes it on close.
    temp_directory: join(tmpdir(), `valuecast-duckdb-${process.pid}-${++instanceCounter}`),
  };
  if (options.threads) config.threads = String(options.threads);
  const instance = await DuckDBInstance.create(":memory:", config);
  const conn = await instance.connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
  } catch {
    // Without the ICU extension DuckDB already works in UTC.
  }
  return { instance, conn };
}

async function expand(conn: DuckDBConnection, patterns: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of patterns) {
    if (!isGlob(p)) {
      if (!existsSync(p))
        throw new ValuecastError([issue("SOURCE_NOT_FOUND", `no such file: ${p}`, { file: p })]);
      out.push(p);
      continue;
    }
    const r = await conn.run(`SELECT file FROM glob(${lit(p)}) ORDER BY file`);
    const files = (await r.getRows()).map((row) => String(row[0]));
    if (files.length === 0)
      throw new ValuecastError([issue("SOURCE_NOT_FOUND", `no file matches ${p}`, { file: p })]);
    out.push(...files);
  }
  return out;
}

/** The read_* expression for files of one sniffed kind. */
export function fileRelation(paths: readonly string[], s: SniffResult, typed = false): string {
  switch (s.format) {
    case "parquet":
      return `read_parquet(${list(paths)})`;
    case "json":
      return `read_json(${list(paths)}, format = 'array')`;
    case "ndjson":
      return `read_json(${list(paths)}, format = 'newline_delimited')`;
    case "csv":
      return `read_csv(${list(paths)}, delim = ${lit(s.delimiter ?? ",")}, header = ${s.header ? "true" : "false"},
        all_varchar = ${typed ? "false" : "true"}, quote = '"', escape = '"', null_padding = true, filename = false)`;
    case "whitespace": {
      // DuckDB's CSV reader needs one delimiter character; whitespace-separated files are read as lines
      // (with a delimiter that never occurs) and split on runs of whitespace, still inside DuckDB.
      const fields = s.fields ?? [];
      const cols = fields.map((f, i) => `s[${i + 1}] AS ${duckdbDialect.ident(f)}`).join(", ");
      return `(SELECT ${cols} FROM (SELECT string_split_regex(regexp_replace(line, '^\\s+|\\s+$', '', 'g'), '\\s+') AS s
        FROM read_csv(${list(paths)}, columns = {'line': 'VARCHAR'}, delim = '\u001f', quote = '', escape = '',
          header = false, skip = ${s.header ? 1 : 0}, auto_detect = false)))`;
    }
  }
}

async function describe(conn: DuckDBConnection, relation: string): Promise<SourceColumn[]> {
  const r = await conn.run(`DESCRIBE SELECT * FROM ${relation}`);
  return (await r.getRows()).map((row) => ({ name: String(row[0]), kind: columnKind(String(row[1])) }));
}

function duckSource(
  instance: DuckDBInstance,
  conn: DuckDBConnection,
  description: string,
  relation: string,
  columns: SourceColumn[],
  files?: number,
): Source {
  // Rows of the table `load` filled (undefined when none is loaded): bounds the summary result's size.
  let loadedRows: number | undefined;
  return {
    engine: "duckdb",
    description,
    ...(files !== undefined ? { files, inputOrder: true } : {}),
    dialect: duckdbDialect,
    relation,
    columns,
    ...(files !== undefined
      ? {
          async load(query: BuiltQuery) {
            // A table created from a scan and projections keeps the scan's order (DuckDB preserves insertion
            // order) while all threads read and parse the files, and its rowid numbers the rows in that order.
            const table = `_v_input_${++resultCounter}`;
            await conn.run(`CREATE TEMP TABLE ${table} AS ${query.sql}`, query.params);
            const counted = await conn.run(`SELECT count(*) FROM ${table}`);
            loadedRows = Number((await counted.getRows())[0]![0]);
            return {
              relation: table,
              rowNumber: "rowid + 1",
              drop: async () => {
                loadedRows = undefined;
                await conn.run(`DROP TABLE IF EXISTS ${table}`);
              },
            };
          },
        }
      : {}),
    async stream(query: BuiltQuery, onBatch) {
      // A small result is materialized by DuckDB and its chunks read in place (0.4 s less at 1M customers
      // than writing a table and scanning it back); a large one goes to a temporary table, which stays
      // within DuckDB's memory limit (spilling beyond it), where a materialized result is held outside it
      // until JavaScript collects it (10M customers: 6.9 GB peak instead of 4.3 GB). Streaming the query
      // itself was slower (JavaScript read the chunks while DuckDB still worked: 10M customers, reading
      // 10.4 s instead of 6 s) and their memory added up (6.1 GB peak).
      const started = performance.now();
      const querySeconds = () => (performance.now() - started) / 1000;
      if (loadedRows !== undefined && loadedRows <= MATERIALIZED_INPUT_ROWS) {
        const result = await conn.run(query.sql, query.params);
        const times = { querySeconds: querySeconds() };
        const totalRows = result.rowCount;
        for (let i = 0; i < result.chunkCount; i++) readChunk(result.getChunk(i), totalRows, onBatch);
        return times;
      }
      const table = `_v_result_${++resultCounter}`;
      await conn.run(`CREATE TEMP TABLE ${table} AS ${query.sql}`, query.params);
      const times = { querySeconds: querySeconds() };
      try {
        const counted = await conn.run(`SELECT count(*) FROM ${table}`);
        const totalRows = Number((await counted.getRows())[0]![0]);
        const result = await conn.stream(`SELECT * FROM ${table}`);
        for (;;) {
          const chunk = await result.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          readChunk(chunk, totalRows, onBatch);
        }
        return times;
      } finally {
        await conn.run(`DROP TABLE IF EXISTS ${table}`);
      }
    },
    async close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** Input rows up to which a summary result is materialized outside DuckDB's memory limit (see `stream`). */
const MATERIALIZED_INPUT_ROWS = 5_000_000;

/** Hands one result chunk to `onBatch`: values by column and row, DOUBLE columns as whole arrays. */
function readChunk(chunk: DuckDBDataChunk, totalRows: number, onBatch: (batch: ResultBatch) => void): void {
  if (chunk.rowCount === 0) return;
  // Column vectors, read value by value (no per-row arrays for millions of customers), made only for the
  // columns read that way: a chunk of customers is read through `doubles` and `texts` alone.
  const vectors: (DuckDBVector | undefined)[] = [];
  const vector = (c: number) => {
    vectors[c] ??= chunk.getColumnVector(c);
    return vectors[c];
  };
  onBatch({
    rowCount: chunk.rowCount,
    totalRows,
    value: (c, r) => vector(c).getItem(r),
    doubles: (c) => doubleColumn(chunk, c),
    texts: (c) => shortAsciiTexts(chunk, c),
  });
}

const latin1 = new TextDecoder("latin1");
const textBytes = new Uint8Array(2048 * 12);

/**
 * Column `c` of a chunk (a VARCHAR column) as strings, when every value is NULL or ASCII text of at most 12
 * bytes (customer ids, mostly), which DuckDB keeps inline in its 16-byte slot (uint32 length, then the
 * bytes): the bytes of the whole chunk are decoded at once and cut into strings. node-api's getItem
 * decodes each value through a view of its own (10M customer ids: about 1.2 s). Undefined for anything else.
 */
function shortAsciiTexts(chunk: DuckDBDataChunk, c: number): (string | null)[] | undefined {
  const n = chunk.rowCount;
  if (n > 2048) return undefined;
  const vector = bindings.data_chunk_get_vector(chunk.chunk, c);
  const data = bindings.vector_get_data(vector, n * 16);
  const isNull = nullMask(vector, n);
  const slots = new DataView(data.buffer, data.byteOffset, n * 16);
  const ends = new Int32Array(n);
  let at = 0;
  for (let r = 0; r < n; r++) {
    if (isNull(r)) {
      ends[r] = -1;
      continue;
    }
    const length = slots.getUint32(r * 16, true);
    if (length > 12) return undefined;
    for (let i = 0; i < length; i++) {
      const b = data[r * 16 + 4 + i]!;
      if (b >= 0x80) return undefined;
      textBytes[at++] = b;
    }
    ends[r] = at;
  }
  const all = latin1.decode(textBytes.subarray(0, at));
  const out: (string | null)[] = new Array(n);
  let start = 0;
  for (let r = 0; r < n; r++) {
    const end = ends[r]!;
    if (end < 0) {
      out[r] = null;
      continue;
    }
    out[r] = all.slice(start, end);
    start = end;
  }
  return out;
}

/**
 * Column `c` of a chunk (a DOUBLE column) straight from DuckDB's vector memory: the values and which are
 * NULL. The node-api's getItem tests validity with BigInt
 * arithmetic and boxes each value; at 1M customers and nine numbers each that was about 0.3 s.
 */
function doubleColumn(chunk: DuckDBDataChunk, c: number): DoubleColumn {
  const n = chunk.rowCount;
  const vector = bindings.data_chunk_get_vector(chunk.chunk, c);
  const data = bindings.vector_get_data(vector, n * 8);
  // Views into the chunk, which DuckDB reuses once the next one is fetched: read while the batch is handed
  // over (ResultBatch.doubles says so).
  const values = new Float64Array(data.buffer, data.byteOffset, n);
  return { values, isNull: nullMask(vector, n) };
}

/** Whether row r of a vector's first `n` is NULL, from its validity mask (absent: no NULL). */
function nullMask(
  vector: ReturnType<typeof bindings.data_chunk_get_vector>,
  n: number,
): (r: number) => boolean {
  const words = Math.ceil(n / 64) * 2;
  const mask = bindings.vector_get_validity(vector, words * 4);
  if (!mask) return () => false;
  const bits = new Uint32Array(mask.buffer, mask.byteOffset, words);
  // 64-bit little-endian words read as pairs of 32-bit words: row r is bit r % 32 of word r / 32.
  return (r) => ((bits[r >>> 5]! >>> (r & 31)) & 1) === 0;
}

/**
 * Opens files (paths or globs; CSV/TSV/any delimiter/whitespace, Parquet, JSON, NDJSON, gzip) in an
 * embedded DuckDB. The first file is sniffed; all files must share its layout.
 * @example const src = await openDuckDbFiles(["/data/by-day/*.csv"]); src.columns.map((c) => c.name)
 */
export async function openDuckDbFiles(
  patterns: readonly string[],
  options: FileReadOptions = {},
): Promise<Source> {
  const { instance, conn } = await connectDuckDb(options);
  try {
    const paths = await expand(conn, patterns);
    const sniffed = sniffFile(paths[0]!, options);
    const relation = fileRelation(paths, sniffed, options.allVarchar === false);
    let columns: SourceColumn[];
    try {
      columns = await describe(conn, relation);
    } catch (e) {
      throw new ValuecastError([
        issue("UNSUPPORTED_FORMAT", `cannot read ${paths[0]}: ${(e as Error).message.split("\n")[0]}`, {
          file: paths[0]!,
        }),
      ]);
    }
    const description = paths.length === 1 ? paths[0]! : `${paths.length} files (${patterns.join(", ")})`;
    return duckSource(instance, conn, description, relation, columns, paths.length);
  } catch (e) {
    conn.closeSync();
    instance.closeSync();
    throw e;
  }
}

/**
 * Opens a table or query of a DuckDB database file (`duckdb:path.db`), read-only.
 * @example await openDuckDbDatabase("shop.db", { table: "orders" })
 */
export async function openDuckDbDatabase(
  path: string,
  target: { table?: string; query?: string },
): Promise<Source> {
  if (!existsSync(path))
    throw new ValuecastError([issue("SOURCE_NOT_FOUND", `no such database: ${path}`, { file: path })]);
  const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  const conn = await instance.connect();
  try {
    const relation = target.query
      ? `(${target.query})`
      : target
          .table!.split(".")
          .map((p) => duckdbDialect.ident(p))
          .join(".");
    const columns = await describe(conn, relation);
    return duckSource(instance, conn, `${path} ${target.table ?? "query"}`, relation, columns);
  } catch (e) {
    conn.closeSync();
    instance.closeSync();
    if (e instanceof ValuecastError) throw e;
    throw new ValuecastError([
      issue("SOURCE_NOT_FOUND", `${path}: ${(e as Error).message.split("\n")[0]}`, { file: path }),
    ]);
  }
}
