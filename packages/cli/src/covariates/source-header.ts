import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { splitLine } from "../summary-file.ts";
import { expandSource } from "../transactions-file.ts";

/**
 * The header of a delimited transaction source (its first file's first non-empty line), with the
 * delimiter detected the way `readTransactionFiles` detects it, and a splitter for its raw lines.
 * Transactions read in memory keep their raw line (`rowKey`), so any column of the source can be read
 * back per row without a second pass over the files. Null for a headerless file (CDNOW_sample.txt).
 */
export interface SourceHeader {
  readonly columns: readonly string[];
  split(line: string): string[];
}

/**
 * Reads the header of `path` (a file, a directory of parts or a `dir/*.csv` pattern; gzip allowed).
 * @example sourceHeader("by-day/*.csv")?.columns // ["InvoiceNo", "StockCode", ...]
 */
export function sourceHeader(path: string, delimiterChoice?: string): SourceHeader | null {
  const first = expandSource(path)[0];
  if (first === undefined) return null;
  const buf = readFileSync(first);
  // Only the head is needed; a gzip member must be inflated whole, which is fine for a header read.
  const data = buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf;
  const head = data.subarray(0, 65536).toString("utf8");
  const line = head.split(/\r?\n/).find((l) => l.trim() !== "");
  if (line === undefined) return null;
  const delimiter =
    delimiterChoice === "\\t"
      ? "\t"
      : (delimiterChoice ??
        (line.includes(",") ? "," : line.includes("\t") ? "\t" : line.includes(";") ? ";" : " "));
  const split = (l: string) => splitLine(l, delimiter === " " ? /\s+/ : delimiter);
  const columns = split(line).map((c) => c.trim().replace(/^\uFEFF/, ""));
  // A header names columns; a first line holding a date (YYYYMMDD or YYYY-MM-DD) is data.
  if (columns.some((c) => /^\d{4}-?\d{2}-?\d{2}/.test(c))) return null;
  return { columns, split };
}
