import { createWriteStream } from "node:fs";
import { extname } from "node:path";
import { issue, ValuecastError } from "@valuecast/core";

/** A columnar table to write: names in order, one array (numbers or strings) per column. */
export interface OutputTable {
  readonly columns: readonly string[];
  readonly values: Readonly<Record<string, ArrayLike<number | string | null>>>;
  readonly length: number;
}

/** The file formats chosen by extension. */
export const TABLE_FORMATS = [".csv", ".json", ".ndjson", ".jsonl", ".parquet"] as const;

function csvCell(v: number | string | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function jsonCell(v: number | string | null | undefined): number | string | null {
  if (v === undefined) return null;
  return typeof v === "number" && !Number.isFinite(v) ? null : v;
}

/**
 * Writes a table to `path`, the format chosen by its extension: CSV (header row), JSON (an array of
 * objects) or NDJSON (one object per line). Streams in chunks so a million rows never become one string.
 * @example await writeTable("scores.csv", { columns: ["id"], values: { id: ["a"] }, length: 1 })
 */
export async function writeTable(path: string, table: OutputTable): Promise<void> {
  const ext = extname(path.replace(/\.gz$/, "")).toLowerCase();
  if (!(TABLE_FORMATS as readonly string[]).includes(ext)) {
    throw new ValuecastError([
      issue("UNSUPPORTED_FORMAT", `cannot write '${ext || path}': use .csv, .json, .ndjson or .parquet`, {
        field: "--out",
      }),
    ]);
  }
  if (ext === ".parquet") return writeParquet(path, table);
  const out = createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    out.on("finish", resolve);
    out.on("error", reject);
  });
  const cols = table.columns.map((c) => table.values[c]!);
  const row = (i: number) => {
    if (ext === ".csv") return `${cols.map((c) => csvCell(c[i])).join(",")}\n`;
    const o: Record<string, number | string | null> = {};
    table.columns.forEach((name, j) => {
      o[name] = jsonCell(cols[j]![i]);
    });
    const s = JSON.stringify(o);
    return ext === ".json" ? `${i === 0 ? "" : ",\n"}${s}` : `${s}\n`;
  };
  let chunk = ext === ".csv" ? `${table.columns.join(",")}\n` : ext === ".json" ? "[\n" : "";
  for (let i = 0; i < table.length; i++) {
    chunk += row(i);
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
      chunk = "";
    }
  }
  if (ext === ".json") chunk += "\n]\n";
  out.end(chunk);
  await done;
}

/**
 * Parquet through @valuecast/data's `writeTable`: the columns go straight into DuckDB by its appender, in
 * chunks (numbers as DOUBLE, everything else VARCHAR, so ids like "00001" keep their zeros), then COPY.
 */
async function writeParquet(path: string, table: OutputTable): Promise<void> {
  let data: typeof import("@valuecast/data");
  try {
    data = await import("@valuecast/data");
  } catch (err) {
    throw new ValuecastError([
      issue(
        "UNSUPPORTED_FORMAT",
        `Parquet output needs the DuckDB engine, which could not be loaded (${(err as Error).message.split("\n")[0]}); write .csv or .json instead`,
        { field: "--out" },
      ),
    ]);
  }
  const columns: Record<string, Float64Array | readonly (number | string | null)[]> = {};
  for (const c of table.columns) {
    const v = table.values[c]!;
    columns[c] = v instanceof Float64Array ? v : Array.isArray(v) ? v : Array.from(v);
  }
  await data.writeTable(path, columns as Parameters<typeof data.writeTable>[1]);
}

/**
 * One row of a table as an object.
 * @example tableRow(scoreTable(columns, scores, true), 0).clv
 */
export function tableRow(table: OutputTable, i: number): Record<string, number | string | null> {
  const o: Record<string, number | string | null> = {};
  for (const c of table.columns) o[c] = jsonCell(table.values[c]![i]);
  return o;
}

/**
 * Row objects of a table (for --json output of small results).
 * @example tableRows(table, 10) // the first 10 rows as objects
 */
export function tableRows(
  table: OutputTable,
  limit = table.length,
): Record<string, number | string | null>[] {
  const out: Record<string, number | string | null>[] = [];
  for (let i = 0; i < Math.min(limit, table.length); i++) {
    const o: Record<string, number | string | null> = {};
    for (const c of table.columns) o[c] = jsonCell(table.values[c]![i]);
    out.push(o);
  }
  return out;
}
