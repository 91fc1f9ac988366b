import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import {
  type Issue,
  issue,
  parseAmountText,
  parseTimestampText,
  splitDelimited,
  type Transaction,
  ValuecastError,
} from "@valuecast/core";

/**
 * A small reader for delimited transaction files (CSV, TSV, whitespace such as CDNOW's), one file, a
 * directory of parts or a `dir/*.csv` pattern, gzip allowed. It maps columns, turns every line into a
 * core `Transaction` (bad values stay in the row, so core's summarizer rejects and counts them by reason)
 * and says which columns it chose. The SQL engines of @valuecast/data are the scalable path; this
 * reader keeps the CLI usable on files that fit in memory.
 */
export interface ColumnChoice {
  readonly customer?: string;
  readonly date?: string;
  readonly amount?: string;
  readonly channel?: string;
  readonly campaign?: string;
  readonly delimiter?: string;
}

/** Transactions read from files, where each came from, and the column mapping used. */
export interface ReadTransactions {
  readonly transactions: Transaction[];
  /** Where each transaction came from: file and 1-based line, parallel to `transactions`. */
  readonly fileOf: string[];
  readonly lineOf: Int32Array;
  readonly files: number;
  /** What was chosen, for the user: "customer = CustomerID, date = InvoiceDate, amount = Quantity x UnitPrice". */
  readonly mapping: string;
}

const CUSTOMER = ["customer_id", "customerid", "customer", "user_id", "userid", "client_id", "id"];
const DATE = [
  "date",
  "invoicedate",
  "order_date",
  "timestamp",
  "created_at",
  "datetime",
  "time",
  "purchase_date",
];
const AMOUNT = ["amount", "revenue", "value", "dollar_value", "sales", "total", "price_total", "spend"];
const QUANTITY = ["quantity", "qty"];
const UNIT_PRICE = ["unitprice", "unit_price", "price"];
const ORDER = ["invoiceno", "invoice", "order_id", "orderid"];

/**
 * The files a source names: itself, the files of a directory, or those matching `dir/*.ext`.
 * @example expandSource("by-day/*.csv").length // 305
 */
export function expandSource(path: string): string[] {
  const base = basename(path);
  if (base.includes("*")) {
    const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    const dir = dirname(path);
    return safeList(dir, path)
      .filter((f) => re.test(f))
      .map((f) => join(dir, f));
  }
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw new ValuecastError([issue("SOURCE_NOT_FOUND", `'${path}' does not exist`, { file: path })]);
  }
  return st.isDirectory() ? safeList(path, path).map((f) => join(path, f)) : [path];
}

function safeList(dir: string, shown: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => !f.startsWith("."))
      .sort();
  } catch {
    throw new ValuecastError([issue("SOURCE_NOT_FOUND", `'${shown}' does not exist`, { file: shown })]);
  }
}

function readText(file: string): string {
  const buf = readFileSync(file);
  const data = buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf;
  // A NUL byte in the first KiB: not a text file (Parquet, an image, a zip...).
  if (data.subarray(0, 1024).includes(0)) {
    throw new ValuecastError([issue("BINARY_INPUT", `'${basename(file)}' is not a text file`, { file })]);
  }
  return data.toString("utf8");
}

function splitter(delimiter: string): (line: string) => string[] {
  if (delimiter === " ") return (line) => line.trim().split(/\s+/);
  return (line) => splitDelimited(line, delimiter);
}

function find(header: readonly string[], names: readonly string[], explicit?: string): number {
  if (explicit !== undefined) return header.findIndex((h) => h.toLowerCase() === explicit.toLowerCase());
  for (const n of names) {
    const i = header.findIndex((h) => h.toLowerCase() === n);
    if (i >= 0) return i;
  }
  return -1;
}

/**
 * Reads transactions from delimited text files, mapping columns by name (or explicit choices).
 * A file without a header (CDNOW_sample.txt) is mapped by position: customer = first column,
 * date = the first YYYYMMDD column, amount = last column.
 * @example readTransactionFiles("CDNOW_master.txt").mapping // "customer = customer_id, date = date, amount = dollar_value"
 */
export function readTransactionFiles(source: string, choice: ColumnChoice = {}): ReadTransactions {
  const files = expandSource(source);
  if (files.length === 0)
    throw new ValuecastError([issue("EMPTY_INPUT", `no files match '${source}'`, { file: source })]);
  const transactions: Transaction[] = [];
  const fileOf: string[] = [];
  const lines1: number[] = [];
  let mapping = "";
  for (const file of files) {
    const text = readText(file);
    const lines = text.split(/\r?\n/);
    const first = lines.find((l) => l.trim() !== "");
    if (first === undefined) continue;
    const delimiter =
      choice.delimiter ??
      (first.includes(",") ? "," : first.includes("\t") ? "\t" : first.includes(";") ? ";" : " ");
    const split = splitter(delimiter === "\\t" ? "\t" : delimiter);
    const cells = split(first).map((c) => c.trim());
    const headerless = cells.some((c) => parseTimestampText(c) !== undefined);
    const header = headerless
      ? cells.map((_, i) => `column${i + 1}`)
      : cells.map((c) => c.replace(/^\uFEFF/, ""));
    const issues: Issue[] = [];
    let ci: number;
    let di: number;
    let ai: number;
    let qi = -1;
    let pi = -1;
    if (headerless && !choice.customer && !choice.date && !choice.amount) {
      ci = 0;
      di = cells.findIndex((c) => parseTimestampText(c) !== undefined);
      ai = cells.length - 1;
    } else {
      ci = find(header, CUSTOMER, choice.customer);
      di = find(header, DATE, choice.date);
      ai = find(header, AMOUNT, choice.amount);
      if (ai < 0 && choice.amount === undefined) {
        qi = find(header, QUANTITY);
        pi = find(header, UNIT_PRICE);
      }
    }
    const oi = headerless ? -1 : find(header, ORDER);
    const chi = choice.channel ? find(header, [], choice.channel) : -1;
    const cai = choice.campaign ? find(header, [], choice.campaign) : -1;
    const missing = (what: string, flag: string, explicit?: string) =>
      issues.push(
        issue(
          "MISSING_COLUMN",
          explicit
            ? `no column '${explicit}' (columns: ${header.join(", ")})`
            : `no ${what} column found among ${header.join(", ")}; name it with ${flag}`,
          { file: basename(file), field: flag },
        ),
      );
    if (ci < 0) missing("customer id", "--customer", choice.customer);
    if (di < 0) missing("date", "--date", choice.date);
    if (ai < 0 && (qi < 0 || pi < 0)) missing("amount", "--amount", choice.amount);
    if (choice.channel && chi < 0) missing("channel", "--channel", choice.channel);
    if (choice.campaign && cai < 0) missing("campaign", "--campaign", choice.campaign);
    if (issues.length > 0) throw new ValuecastError(issues);
    if (!mapping) {
      const amount = ai >= 0 ? header[ai] : `${header[qi]} x ${header[pi]}`;
      mapping = `customer = ${header[ci]}, date = ${header[di]}, amount = ${amount}${chi >= 0 ? `, channel = ${header[chi]}` : ""}${cai >= 0 ? `, campaign = ${header[cai]}` : ""}${oi >= 0 ? `, order = ${header[oi]} (a leading C marks a cancellation)` : ""}`;
    }
    for (let l = headerless ? 0 : lines.indexOf(first) + 1; l < lines.length; l++) {
      const line = lines[l]!;
      if (line.trim() === "") continue;
      const f = split(line);
      // Core's parsers carry the SQL engines' exact rules, so every engine reads the same values.
      const d = parseTimestampText(f[di]);
      const quantity = qi >= 0 ? parseAmountText(f[qi]) : undefined;
      const amount =
        ai >= 0
          ? (parseAmountText(f[ai]) ?? Number.NaN)
          : quantity !== undefined
            ? quantity * (parseAmountText(f[pi]) ?? Number.NaN)
            : Number.NaN;
      const order = oi >= 0 ? (f[oi] ?? "").trim() : undefined;
      fileOf.push(file);
      lines1.push(l + 1);
      transactions.push({
        customerId: (f[ci] ?? "").trim(),
        at: d ? d.at : Number.NaN,
        amount,
        rowKey: line,
        ...(d?.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: d.utcOffsetMinutes } : {}),
        ...(order ? { orderId: order, ...(/^c/i.test(order) ? { cancelled: true } : {}) } : {}),
        ...(quantity !== undefined ? { quantity } : {}),
        ...(chi >= 0 ? { channel: (f[chi] ?? "").trim() } : {}),
        ...(cai >= 0 ? { campaign: (f[cai] ?? "").trim() } : {}),
      });
    }
  }
  if (transactions.length === 0)
    throw new ValuecastError([issue("EMPTY_INPUT", undefined, { file: source })]);
  return { transactions, fileOf, lineOf: Int32Array.from(lines1), files: files.length, mapping };
}
