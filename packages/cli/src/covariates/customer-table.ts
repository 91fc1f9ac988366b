import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { gunzipSync } from "node:zlib";
import { type Issue, issue, normalizeCustomerId, type Transaction, ValuecastError } from "@valuecast/core";
import type { CustomerColumns } from "../customers.ts";
import { splitLine } from "../summary-file.ts";
import type { SourceHeader } from "./source-header.ts";

/** Raw per-customer covariate values, aligned with the customers' ids, and where each column came from. */
export interface CustomerCovariateTable {
  /** Column name -> one raw value per customer (in `columns.ids` order); null where unknown. */
  readonly values: Readonly<Record<string, readonly (string | number | null)[]>>;
  /** Column name -> a sentence saying where its values came from. */
  readonly origin: Readonly<Record<string, string>>;
  /** Per customer: false when the covariates file has no row for it (such customers are left out). */
  readonly inFile: readonly boolean[] | null;
}

/** Where covariate values may come from. */
export interface CovariateSources {
  /** The transactions the customers were summarised from (in-memory sources), with raw lines. */
  readonly transactions?: readonly Transaction[];
  /** The transaction source's header, to read any of its columns from the raw lines. */
  readonly header?: SourceHeader | null;
  /** A per-customer file (CSV/TSV with a header), joined on the customer id. */
  readonly file?: { readonly path: string; readonly shown: string; readonly idColumn?: string };
}

/** Columns derived from each customer's first purchase, available for every transaction source. */
export const DERIVED_COVARIATES: Readonly<Record<string, string>> = {
  first_amount: "amount of the first purchase day (summary)",
  first_items: "items (quantity) bought on the first purchase day",
  first_weekday: "day of week of the first purchase (Mon..Sun)",
  channel: "acquisition channel (--channel column, first order's value)",
  campaign: "acquisition campaign (--campaign column, first order's value)",
};

const ID_NAMES = [
  "customer_id",
  "customerid",
  "customer",
  "id",
  "household_id",
  "master_id",
  "user_id",
  "userid",
  "client_id",
];
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

function readText(path: string, shown: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch {
    throw new ValuecastError([
      issue("SOURCE_NOT_FOUND", `covariates file '${shown}' does not exist`, { file: shown }),
    ]);
  }
  return (buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf).toString("utf8");
}

/** Per-customer rows of a covariates file: normalised id -> cells, plus the header. */
function readCovariateFile(file: NonNullable<CovariateSources["file"]>): {
  header: string[];
  rows: Map<string, string[]>;
} {
  const name = basename(file.shown);
  const lines = readText(file.path, file.shown).split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first < 0) throw new ValuecastError([issue("EMPTY_INPUT", undefined, { file: name })]);
  const headLine = lines[first]!;
  const delimiter = headLine.includes(",") ? "," : headLine.includes("\t") ? "\t" : ";";
  const header = splitLine(headLine, delimiter).map((h) => h.trim().replace(/^\uFEFF/, ""));
  const idCol = file.idColumn
    ? header.findIndex((h) => h.toLowerCase() === file.idColumn!.toLowerCase())
    : header.findIndex((h) => ID_NAMES.includes(h.toLowerCase()));
  if (idCol < 0) {
    throw new ValuecastError([
      issue(
        "MISSING_COLUMN",
        file.idColumn
          ? `no column '${file.idColumn}' in the covariates file (columns: ${header.join(", ")})`
          : `no customer id column found among ${header.join(", ")}; name it with --covariates-id`,
        { file: name, field: "--covariates-id" },
      ),
    ]);
  }
  const rows = new Map<string, string[]>();
  const issues: Issue[] = [];
  for (let l = first + 1; l < lines.length; l++) {
    const line = lines[l]!;
    if (line.trim() === "") continue;
    const cells = splitLine(line, delimiter).map((c) => c.trim());
    if (cells.length !== header.length) {
      if (issues.length < 20)
        issues.push(
          issue("BAD_DELIMITER", `${cells.length} fields where the header has ${header.length}`, {
            file: name,
            line: l + 1,
          }),
        );
      continue;
    }
    const id = normalizeCustomerId(cells[idCol]);
    if (id === undefined) {
      if (issues.length < 20)
        issues.push(issue("MISSING_CUSTOMER_ID", undefined, { file: name, line: l + 1 }));
      continue;
    }
    if (rows.has(id)) {
      if (issues.length < 20)
        issues.push(
          issue("DUPLICATE_ROW", `customer ${id} has more than one row in the covariates file`, {
            file: name,
            line: l + 1,
          }),
        );
      continue;
    }
    rows.set(id, cells);
  }
  if (issues.length > 0) throw new ValuecastError(issues);
  return { header, rows };
}

/**
 * Each customer's first purchase row: the earliest transaction that is not a refund (a cancellation or
 * a negative amount), ties broken by input order. Keyed by the normalised customer id.
 */
function firstRows(transactions: readonly Transaction[]): Map<string, number> {
  const first = new Map<string, number>();
  for (let i = 0; i < transactions.length; i++) {
    const t = transactions[i]!;
    if (t.cancelled || !(t.amount >= 0) || !Number.isFinite(t.at)) continue;
    const id = normalizeCustomerId(t.customerId);
    if (id === undefined) continue;
    const j = first.get(id);
    if (j === undefined || t.at < transactions[j]!.at) first.set(id, i);
  }
  return first;
}

/** Items bought on each customer's first purchase day (UTC day of the first purchase row). */
function firstDayItems(
  transactions: readonly Transaction[],
  first: Map<string, number>,
): Map<string, number> {
  const items = new Map<string, number>();
  for (const t of transactions) {
    if (t.cancelled || !(t.amount >= 0) || !Number.isFinite(t.at)) continue;
    const id = normalizeCustomerId(t.customerId);
    const j = id === undefined ? undefined : first.get(id);
    if (j === undefined) continue;
    const day = Math.floor(transactions[j]!.at / 86_400_000);
    if (Math.floor(t.at / 86_400_000) !== day) continue;
    items.set(id!, (items.get(id!) ?? 0) + (t.quantity ?? 1));
  }
  return items;
}

/**
 * Per-customer raw covariate values for the named columns, in the customers' order. Each name is looked
 * up, in order, in the covariates file, among the derived first-purchase columns (`DERIVED_COVARIATES`),
 * then among the transaction source's own columns, where the customer's value is the one on the first
 * purchase row. Every name that cannot be found is reported at once, with what is available.
 * @example customerCovariateTable(loaded.columns, ["channel", "first_amount"], { transactions })
 */
export function customerCovariateTable(
  columns: CustomerColumns,
  names: readonly string[],
  sources: CovariateSources,
): CustomerCovariateTable {
  const issues: Issue[] = [];
  const values: Record<string, (string | number | null)[]> = {};
  const origin: Record<string, string> = {};
  const file = sources.file ? readCovariateFile(sources.file) : null;
  const tx = sources.transactions;
  const first = tx ? firstRows(tx) : null;
  const ids = columns.ids.map((id) => normalizeCustomerId(id) ?? id);
  let items: Map<string, number> | null = null;
  const src = columns.source;
  for (const name of names) {
    const lower = name.toLowerCase();
    const fileCol = file ? file.header.findIndex((h) => h.toLowerCase() === lower) : -1;
    if (file && fileCol >= 0) {
      values[name] = ids.map((id) => file.rows.get(id)?.[fileCol] ?? null);
      origin[name] = `covariates file ${sources.file!.shown}, column ${file.header[fileCol]}`;
      continue;
    }
    if (lower === "first_amount" && src) {
      values[name] = Array.from(src.firstAmount);
      origin[name] = DERIVED_COVARIATES.first_amount!;
      continue;
    }
    if (lower === "first_weekday" && src) {
      values[name] = Array.from(src.firstDay, (d) => WEEKDAYS[(((d + 4) % 7) + 7) % 7]!);
      origin[name] = DERIVED_COVARIATES.first_weekday!;
      continue;
    }
    if ((lower === "channel" || lower === "campaign") && src?.[lower]) {
      values[name] = [...src[lower]!];
      origin[name] = DERIVED_COVARIATES[lower]!;
      continue;
    }
    if (lower === "first_items" && tx && first) {
      items ??= firstDayItems(tx, first);
      const it = items;
      values[name] = ids.map((id) => it.get(id) ?? null);
      origin[name] = DERIVED_COVARIATES.first_items!;
      continue;
    }
    const col = sources.header ? sources.header.columns.findIndex((h) => h.toLowerCase() === lower) : -1;
    if (col >= 0 && tx && first) {
      const split = sources.header!.split;
      values[name] = ids.map((id) => {
        const j = first.get(id);
        const line = j === undefined ? undefined : tx[j]!.rowKey;
        const cell = line === undefined ? undefined : split(line)[col];
        return cell === undefined ? null : cell.trim();
      });
      origin[name] = `transaction column ${sources.header!.columns[col]} (first purchase row)`;
      continue;
    }
    const available = [
      ...Object.keys(DERIVED_COVARIATES).filter(
        (k) => (k !== "channel" && k !== "campaign") || src?.[k as "channel" | "campaign"],
      ),
      ...(tx && sources.header ? sources.header.columns : []),
      ...(file ? file.header : []),
    ];
    issues.push(
      issue(
        "MISSING_COLUMN",
        `covariates: no column '${name}'${tx ? "" : " (source columns can be read from delimited text sources with --engine memory; or give --covariates-file)"}; available: ${[...new Set(available)].join(", ")}`,
        { field: "--covariates", column: name },
      ),
    );
  }
  if (issues.length > 0) throw new ValuecastError(issues);
  const inFile = file ? ids.map((id) => file.rows.has(id)) : null;
  if (inFile && !inFile.some(Boolean)) {
    throw new ValuecastError([
      issue(
        "INVALID_DATA",
        `no customer of the source has a row in ${sources.file!.shown} (ids compared after trimming; e.g. source '${ids[0]}', file '${file!.rows.keys().next().value ?? ""}')`,
        { file: basename(sources.file!.shown) },
      ),
    ]);
  }
  return { values, origin, inFile };
}

/**
 * True when every non-empty value reads as a plain decimal number (the column is numeric).
 * @example isNumericColumn(["35.1", "", 20]) // true
 */
export function isNumericColumn(values: readonly (string | number | null)[]): boolean {
  let any = false;
  for (const v of values) {
    if (v === null || (typeof v === "string" && v.trim() === "")) continue;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return false;
    } else if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim())) return false;
    any = true;
  }
  return any;
}
