import { closeSync, openSync, readSync, statSync } from "node:fs";
import { constants, gunzipSync } from "node:zlib";
import { issue, splitDelimited, ValuecastError } from "@valuecast/core";

/** File formats the engines read. "whitespace" = fields separated by runs of spaces/tabs (CDNOW). */
export type FileFormat = "csv" | "whitespace" | "parquet" | "json" | "ndjson";

/** What sniffing the head of a file found. */
export interface SniffResult {
  readonly format: FileFormat;
  readonly gzip: boolean;
  /** Field delimiter for "csv". */
  readonly delimiter?: string;
  readonly header?: boolean;
  /** Field names of the header line (or column0…), for text formats. */
  readonly fields?: readonly string[];
}

const HEAD_BYTES = 256 * 1024;
const CANDIDATES = [",", "\t", ";", "|"];

function readHead(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(Math.min(HEAD_BYTES, Math.max(0, statSync(path).size)));
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

const splitWhitespace = (line: string) => line.trim().split(/\s+/);
const looksLikeValue = (s: string) =>
  /^\s*[+-]?[0-9.]+([eE][+-]?[0-9]+)?\s*$|^\s*\d{4}-\d{2}-\d{2}/.test(s) || s.trim() === "";

function fieldCounts(lines: readonly string[], split: (l: string) => string[]): number | undefined {
  let count: number | undefined;
  for (const l of lines) {
    const n = split(l).length;
    if (count === undefined) count = n;
    else if (n !== count) return undefined;
  }
  return count !== undefined && count >= 2 ? count : undefined;
}

/**
 * Looks at the head of a file and says what it is: Parquet by its magic bytes, JSON by its first character,
 * otherwise delimited text with the delimiter that splits every sampled line into the same number (>= 2) of
 * fields. Fails with BINARY_INPUT, EMPTY_INPUT or BAD_DELIMITER when the file is not what it claims.
 * @example sniffFile("/data/CDNOW_master.txt") // { format: "whitespace", header: true, fields: [...] }
 */
export function sniffFile(
  path: string,
  declared: { format?: FileFormat; delimiter?: string; header?: boolean } = {},
): SniffResult {
  let head: Buffer;
  try {
    head = readHead(path);
  } catch {
    throw new ValuecastError([issue("SOURCE_NOT_FOUND", `cannot read ${path}`, { file: path })]);
  }
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (gzip) {
    try {
      head = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH }).subarray(0, HEAD_BYTES);
    } catch {
      throw new ValuecastError([
        issue("BINARY_INPUT", `${path} starts like gzip but does not decompress`, { file: path }),
      ]);
    }
  }
  const lower = path.toLowerCase().replace(/\.gz$/, "");
  const magicParquet = head.length >= 4 && head.subarray(0, 4).toString("latin1") === "PAR1";
  const wantsParquet = declared.format === "parquet" || lower.endsWith(".parquet");
  if (wantsParquet || magicParquet) {
    if (!magicParquet) {
      throw new ValuecastError([
        issue("UNSUPPORTED_FORMAT", `${path} is not a Parquet file (no PAR1 magic bytes)`, { file: path }),
      ]);
    }
    if (!wantsParquet) {
      throw new ValuecastError([
        issue(
          "BINARY_INPUT",
          `${path} is a Parquet file, not text: name it .parquet or pass the parquet format`,
          { file: path },
        ),
      ]);
    }
    return { format: "parquet", gzip: false };
  }
  if (head.length === 0 || head.toString("utf8").trim() === "") {
    throw new ValuecastError([issue("EMPTY_INPUT", `${path} is empty`, { file: path })]);
  }
  let control = 0;
  for (const b of head) {
    if (b === 0) {
      control = head.length;
      break;
    }
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  if (control > head.length * 0.01) {
    throw new ValuecastError([
      issue("BINARY_INPUT", `${path} is not a text file (it looks binary)`, { file: path }),
    ]);
  }
  const text = head.toString("utf8").replace(/^\uFEFF/, "");
  const first = text.trimStart()[0];
  const isJsonName = /\.(json|ndjson|jsonl)$/.test(lower);
  if (
    declared.format === "json" ||
    declared.format === "ndjson" ||
    isJsonName ||
    first === "{" ||
    first === "["
  ) {
    if (first !== "{" && first !== "[") {
      throw new ValuecastError([
        issue("UNSUPPORTED_FORMAT", `${path} is not JSON (it starts with '${first}')`, { file: path }),
      ]);
    }
    return { format: first === "[" ? "json" : "ndjson", gzip };
  }
  // Drop a possibly cut last line of the sample.
  const all = text.split(/\r?\n/);
  if (head.length === HEAD_BYTES) all.pop();
  const lines = all.filter((l) => l.trim() !== "").slice(0, 200);
  let delimiter: string | undefined;
  let split: (l: string) => string[];
  const tryDelimiter = (d: string) => fieldCounts(lines, (l) => splitDelimited(l, d)) !== undefined;
  if (declared.format === "whitespace" || declared.delimiter === " " || declared.delimiter === "whitespace") {
    if (fieldCounts(lines, splitWhitespace) === undefined) throw badDelimiter(path, "whitespace", lines);
    split = splitWhitespace;
  } else if (declared.delimiter !== undefined) {
    if (!tryDelimiter(declared.delimiter))
      throw badDelimiter(path, JSON.stringify(declared.delimiter), lines);
    delimiter = declared.delimiter;
    split = (l) => splitDelimited(l, declared.delimiter!);
  } else {
    delimiter = CANDIDATES.find(tryDelimiter);
    if (delimiter !== undefined) {
      const d = delimiter;
      split = (l) => splitDelimited(l, d);
    } else if (fieldCounts(lines, splitWhitespace) !== undefined) {
      split = splitWhitespace;
    } else {
      throw badDelimiter(path, "any of , tab ; | or whitespace", lines);
    }
  }
  const firstFields = split(lines[0]!);
  const header = declared.header ?? firstFields.every((f) => !looksLikeValue(f));
  if (header && lines.length < 2) {
    throw new ValuecastError([
      issue("EMPTY_INPUT", `${path} has a header line but no data rows`, { file: path }),
    ]);
  }
  const fields = header ? firstFields.map((f) => f.trim()) : firstFields.map((_, i) => `column${i}`);
  return {
    format: delimiter === undefined ? "whitespace" : "csv",
    gzip,
    ...(delimiter !== undefined ? { delimiter } : {}),
    header,
    fields,
  };
}

function badDelimiter(path: string, tried: string, lines: readonly string[]): ValuecastError {
  const sample = lines[0]?.slice(0, 80) ?? "";
  return new ValuecastError([
    issue(
      "BAD_DELIMITER",
      `${path}: ${tried} does not split the lines into the same number (>= 2) of columns; first line: ${JSON.stringify(sample)}`,
      { file: path, line: 1 },
    ),
  ]);
}
