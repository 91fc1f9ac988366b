import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
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
 * Parquet through DuckDB: the table goes to a temporary CSV, then DuckDB copies it to Parquet with each
 * column's type stated (numbers as DOUBLE, everything else VARCHAR, so ids like "00001" keep their zeros).
 */
async function writeParquet(path: string, table: OutputTable): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "valuecast-"));
  const csv = join(dir, "table.csv");
  try {
    await writeTable(csv, table);
    const types = table.columns.map((c) => {
      const v = table.values[c]!;
      const numeric = v instanceof Float64Array || (table.length > 0 && typeof v[0] === "number");
      return `'${c.replaceAll("'", "''")}': '${numeric ? "DOUBLE" : "VARCHAR"}'`;
    });
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    try {
      const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
      await conn.run(
        `COPY (SELECT * FROM read_csv(${lit(csv)}, header = true, columns = {${types.join(", ")}})) TO ${lit(path)} (FORMAT parquet)`,
      );
    } finally {
      conn.closeSync();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
