import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { type Issue, issue, splitDelimited, ValuecastError } from "@valuecast/core";

/**
 * A small table of numbers (plus an optional id column) read from a summary file: per-customer
 * summaries (ours: customer_id,x,t_x,T[,monetary]; lifetimes': ID,frequency,recency,T[,monetary_value]),
 * BG/BB patterns (frequency,recency,periods[,weights]) or sBG survivor curves. Summary files are small
 * (one row per customer or pattern), so they are parsed here directly rather than through an engine.
 */
export interface NumericTable {
  readonly file: string;
  readonly ids: readonly string[] | null;
  readonly columns: ReadonlyMap<string, Float64Array>;
  readonly rows: number;
}

const ID_NAMES = ["customer_id", "id", "customerid", "customer", "user_id"];
/** Text columns of our own summary files (`summarize --out`), read past rather than parsed as numbers. */
const TEXT_NAMES = new Set(["first_purchase_at", "cohort", "channel", "campaign"]);

/**
 * Splits one delimited line (RFC 4180 quotes); a RegExp delimiter splits the trimmed line on it (whitespace).
 * @example splitLine('a,"b,c"', ",") // ["a", "b,c"]
 */
export function splitLine(line: string, delimiter: string | RegExp): string[] {
  return typeof delimiter === "string" ? splitDelimited(line, delimiter) : line.trim().split(delimiter);
}

/**
 * Reads a delimited text file (comma, tab, semicolon or whitespace; header required) of numbers and an
 * optional id column. Every unparseable cell is reported (file, line, column) in one ValuecastError.
 * @example readNumericTable("cdnow_customers_summary.csv").columns.get("frequency")
 */
export function readNumericTable(path: string, displayName = basename(path)): NumericTable {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ValuecastError([issue("SOURCE_NOT_FOUND", `cannot read '${path}'`, { file: displayName })]);
  }
  if (text.includes("\u0000"))
    throw new ValuecastError([issue("BINARY_INPUT", undefined, { file: displayName })]);
  const lines = text.split(/\r?\n/);
  const headerLine = lines[0] ?? "";
  if (headerLine.trim() === "")
    throw new ValuecastError([issue("EMPTY_INPUT", undefined, { file: displayName })]);
  const delimiter: string | RegExp = headerLine.includes(",")
    ? ","
    : headerLine.includes("\t")
      ? "\t"
      : headerLine.includes(";")
        ? ";"
        : /\s+/;
  const header = splitLine(headerLine, delimiter).map((h) => h.trim().replace(/^\uFEFF/, ""));
  const idCol = header.findIndex((h) => ID_NAMES.includes(h.toLowerCase()));
  const values: number[][] = header.map(() => []);
  const ids: string[] = [];
  const issues: Issue[] = [];
  let rows = 0;
  for (let l = 1; l < lines.length; l++) {
    const line = lines[l]!;
    if (line.trim() === "") continue;
    const cells = splitLine(line, delimiter);
    if (cells.length !== header.length) {
      issues.push(
        issue("BAD_DELIMITER", `expected ${header.length} fields, found ${cells.length}`, {
          file: displayName,
          line: l + 1,
        }),
      );
      continue;
    }
    rows++;
    for (let j = 0; j < header.length; j++) {
      const cell = cells[j]!.trim();
      if (j === idCol) {
        ids.push(cell);
        continue;
      }
      if (TEXT_NAMES.has(header[j]!.toLowerCase())) continue;
      const v = cell === "" ? Number.NaN : Number(cell);
      if (!Number.isFinite(v) && issues.length < 100) {
        issues.push(
          issue("BAD_SUMMARY_VALUE", `'${cell}' is not a number`, {
            file: displayName,
            line: l + 1,
            column: header[j]!,
          }),
        );
      }
      values[j]!.push(v);
    }
  }
  if (issues.length > 0) throw new ValuecastError(issues);
  if (rows === 0) throw new ValuecastError([issue("EMPTY_INPUT", undefined, { file: displayName })]);
  const columns = new Map<string, Float64Array>();
  header.forEach((h, j) => {
    if (j !== idCol && !TEXT_NAMES.has(h.toLowerCase()))
      columns.set(h.toLowerCase(), Float64Array.from(values[j]!));
  });
  return { file: displayName, ids: idCol >= 0 ? ids : null, columns, rows };
}

/**
 * The first column present among `names` (case-insensitive), or a MISSING_COLUMN issue listing them.
 * @example pickColumn(table, ["x", "frequency"], "repeat purchases")
 */
export function pickColumn(table: NumericTable, names: readonly string[], what: string): Float64Array {
  for (const n of names) {
    const c = table.columns.get(n);
    if (c) return c;
  }
  throw new ValuecastError([
    issue(
      "MISSING_COLUMN",
      `${what}: none of the columns ${names.join(", ")} is present (found ${[...table.columns.keys()].join(", ")})`,
      { file: table.file },
    ),
  ]);
}

/**
 * The first column present among `names`, or undefined.
 * @example optionalColumn(table, ["monetary_value", "zbar"])
 */
export function optionalColumn(table: NumericTable, names: readonly string[]): Float64Array | undefined {
  for (const n of names) {
    const c = table.columns.get(n);
    if (c) return c;
  }
  return undefined;
}
