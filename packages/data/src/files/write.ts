import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  DOUBLE,
  DuckDBDataChunk,
  type DuckDBDoubleVector,
  type DuckDBVarCharVector,
  VARCHAR,
} from "@duckdb/node-api";
import bindings, { type Vector } from "@duckdb/node-bindings";
import { customerSummaries, issue, type SummaryColumns, ValuecastError } from "@valuecast/core";
import { connectDuckDb } from "../engine/duckdb.ts";
import { writeParquet } from "./parquet.ts";

/** A table by columns, in output order: numbers as Float64Array (or number[]), text as string arrays. */
export type TableColumns = Readonly<
  Record<string, Float64Array | readonly number[] | readonly (string | null)[]>
>;

/** Output formats, chosen by the file extension. */
export type TableFormat = "csv" | "parquet" | "json" | "ndjson";

/**
 * The format for a path: .csv (also .csv.gz), .parquet, .json (one array), .ndjson / .jsonl.
 * @example tableFormat("scores.parquet") // "parquet"
 */
export function tableFormat(path: string): TableFormat {
  const p = path.toLowerCase().replace(/\.gz$/, "");
  if (p.endsWith(".csv")) return "csv";
  if (p.endsWith(".parquet")) return "parquet";
  if (p.endsWith(".ndjson") || p.endsWith(".jsonl")) return "ndjson";
  if (p.endsWith(".json")) return "json";
  throw new ValuecastError([
    issue(
      "UNSUPPORTED_FORMAT",
      `cannot tell the output format of ${path}: use .csv, .parquet, .json or .ndjson`,
    ),
  ]);
}

const CHUNK = 2048;

/**
 * Copies `n` numbers from `start` straight into a DOUBLE vector's buffer (no per-value boxing: a million
 * rows of scores are ten million numbers). Non-finite numbers are written as NULL (empty in CSV), never NaN.
 */
function fillDoubles(vector: DuckDBDoubleVector, values: ArrayLike<number>, start: number, n: number): void {
  // Fast path: a block of finite numbers into a vector with no NULL so far is a plain copy into the
  // vector's Float64Array (setItem per value was about 0.2 s of CPU per million 9-column rows). The
  // fields are node-api's own (private in its types); if they ever look different, setItem does it all.
  const raw = vector as unknown as { items?: unknown; validity?: { data?: unknown } };
  const items = raw.items;
  if (items instanceof Float64Array && items.length >= n && raw.validity?.data === null) {
    let r = 0;
    for (; r < n; r++) {
      const v = values[start + r]!;
      if (!Number.isFinite(v)) break;
      items[r] = v;
    }
    if (r === n) {
      vector.flush();
      return;
    }
  }
  for (let r = 0; r < n; r++) {
    const v = values[start + r]!;
    vector.setItem(r, Number.isFinite(v) ? v : null);
  }
  vector.flush();
}
const inlineBlock = new Uint8Array(CHUNK * 16);

/**
 * Copies `n` strings from `start` into a VARCHAR vector, for a block with no NULL. DuckDB stores a string
 * of at most 12 UTF-8 bytes inline in its 16-byte slot (duckdb_string_t: uint32 length, then the bytes,
 * zero padded), so a block of short strings (customer ids) is built here and copied into the vector in
 * one call instead of one C call per string (node-api setItem + flush: 0.14 s of CPU per million ids, this
 * 0.03 s). Longer strings are then assigned one by one by DuckDB, which keeps them in the vector's string
 * heap. Returns false (nothing written) when the block has a NULL (or node-api's vector fields look different).
 */
function fillStrings(
  vector: DuckDBVarCharVector,
  values: ArrayLike<string | null>,
  start: number,
  n: number,
): boolean {
  // node-api's own fields (private in its types): the C vector, and no validity mask (no NULL so far).
  const raw = (vector as unknown as { vector?: Vector }).vector;
  const validity = (vector as unknown as { validity?: { data?: unknown } }).validity;
  if (raw === undefined || validity?.data !== null) return false;
  for (let r = 0; r < n; r++) if (typeof values[start + r] !== "string") return false;
  const buf = inlineBlock;
  buf.fill(0, 0, n * 16);
  const view = new DataView(buf.buffer, 0, n * 16);
  const long: number[] = [];
  for (let r = 0; r < n; r++) {
    const v = values[start + r] as string;
    const at = r * 16;
    let i = 0;
    // ASCII: one byte per UTF-16 unit; anything else (or longer than 12) goes to DuckDB as text.
    if (v.length <= 12) {
      for (; i < v.length; i++) {
        const c = v.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + 4 + i] = c;
      }
    }
    if (i === v.length) view.setUint32(at, i, true);
    else {
      buf.fill(0, at, at + 16);
      long.push(r);
    }
  }
  bindings.copy_data_to_vector(raw, 0, buf.buffer, 0, n * 16);
  for (const r of long) bindings.vector_assign_string_element(raw, r, values[start + r] as string);
  return true;
}

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

/**
 * Writes a table to CSV, Parquet, JSON or NDJSON (by extension): Parquet by our own writer (parquet.ts),
 * the others through DuckDB's COPY, the columns appended in chunks of 2,048 rows, so millions of rows write
 * in seconds. Returns the number of rows.
 * @example await writeTable("scores.parquet", { customer_id: ["a", "b"], clv: Float64Array.of(12.5, 3) })
 */
export async function writeTable(path: string, table: TableColumns): Promise<number> {
  const format = tableFormat(path);
  const names = Object.keys(table);
  if (names.length === 0)
    throw new ValuecastError([issue("INVALID_DATA", "a table needs at least one column")]);
  const cols = names.map((n) => table[n]!);
  const rows = cols[0]!.length;
  for (const [i, c] of cols.entries()) {
    if (c.length !== rows) {
      throw new ValuecastError([
        issue("INVALID_DATA", `column ${names[i]} has ${c.length} rows, expected ${rows}`),
      ]);
    }
  }
  const numeric = cols.map((c) => c instanceof Float64Array || typeof c[0] === "number" || c.length === 0);
  mkdirSync(dirname(path), { recursive: true });
  if (format === "parquet") {
    writeParquet(
      path,
      names.map((name, i) => ({ name, numeric: numeric[i]!, values: cols[i]! })),
    );
    return rows;
  }
  const types = numeric.map((n) => (n ? DOUBLE : VARCHAR));
  const { instance, conn } = await connectDuckDb();
  try {
    await conn.run(
      `CREATE TABLE out (${names.map((n, i) => `${ident(n)} ${numeric[i] ? "DOUBLE" : "VARCHAR"}`).join(", ")})`,
    );
    const appender = await conn.createAppender("out");
    let full: DuckDBDataChunk | undefined;
    for (let start = 0; start < rows; start += CHUNK) {
      const n = Math.min(CHUNK, rows - start);
      // One chunk (and its vectors) serves every full block: the appender copies what it is given, and
      // every value is rewritten each time. Only a short last block needs a chunk of its own.
      if (!full && n === CHUNK) full = DuckDBDataChunk.create(types, CHUNK);
      const chunk = n === CHUNK ? full! : DuckDBDataChunk.create(types, n);
      cols.forEach((c, i) => {
        if (numeric[i]) {
          fillDoubles(chunk.getColumnVector(i) as DuckDBDoubleVector, c as ArrayLike<number>, start, n);
          return;
        }
        const strings = c as ArrayLike<string | null>;
        if (fillStrings(chunk.getColumnVector(i) as DuckDBVarCharVector, strings, start, n)) return;
        chunk.setColumnValues(i, Array.prototype.slice.call(strings, start, start + n) as (string | null)[]);
      });
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
    const options =
      format === "csv"
        ? "FORMAT CSV, HEADER true"
        : format === "json"
          ? "FORMAT JSON, ARRAY true"
          : "FORMAT JSON";
    await conn.run(`COPY out TO ${lit(path)} (${options})`);
    return rows;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/**
 * Summary columns as an output table with DESIGN's field names: customer_id, x, t_x, T, monetary,
 * first_purchase_at, first_amount, historic_revenue, orders, cohort, then channel, campaign and the holdout
 * fields when present.
 * @example await writeTable("summary.csv", summaryTable(columns))
 */
export function summaryTable(columns: SummaryColumns): TableColumns {
  const objects = customerSummaries(columns);
  const table: Record<string, Float64Array | readonly (string | null)[]> = {
    customer_id: columns.customerId,
    x: columns.x,
    t_x: columns.t_x,
    T: columns.T,
    monetary: columns.monetary,
    first_purchase_at: objects.map((o) => o.first_purchase_at),
    first_amount: columns.firstAmount,
    historic_revenue: columns.historicRevenue,
    orders: columns.orders,
    cohort: objects.map((o) => o.cohort ?? null),
  };
  if (columns.channel) table.channel = columns.channel;
  if (columns.campaign) table.campaign = columns.campaign;
  const h = columns.holdout;
  if (h) {
    table.x_holdout = h.x;
    table.revenue_holdout = h.revenue;
    table.duration_holdout = new Float64Array(columns.length).fill(h.duration);
  }
  return table;
}
