import { resolve } from "node:path";
import { issue, normalizeCustomerId, type Transaction, ValuecastError } from "@valuecast/core";
import { dateOption, type OptionSpec, type OptionValues, stringOption } from "../args.ts";
import { sourceHeader } from "../covariates/source-header.ts";
import { isDatabaseUrl } from "../engine-source.ts";
import { readTransactionFiles } from "../transactions-file.ts";

/** Columns of the first-order features that the summaries do not carry (issue 6's early features). */
export const EARLY_COLUMN_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  country: {
    type: "string",
    value: "COL",
    description: "customer country column for the early features (detected: Country)",
  },
  category: {
    type: "string",
    value: "COL",
    description: "product category column for the early features (detected: category, StockCode)",
  },
  items: {
    type: "string",
    value: "COL",
    description: "items per line for the early features (detected: quantity, qty, number_of_cds)",
  },
};

const DETECT: Readonly<Record<"country" | "category" | "items", readonly string[]>> = {
  country: ["country"],
  category: ["category", "product_category", "stockcode"],
  items: ["quantity", "qty", "items", "number_of_cds"],
};

/**
 * The transactions the early features can use: ids normalised as the summaries normalise them
 * ("17850.0" -> "17850"), rows without an id, a finite time or a finite amount left out (a summarizer
 * counts those as rejected; the early features need every row's time and value).
 * @example const { transactions, leftOut } = earlyUsable(loaded.transactions)
 */
export function earlyUsable(transactions: readonly Transaction[]): {
  transactions: Transaction[];
  leftOut: number;
} {
  const out: Transaction[] = [];
  let leftOut = 0;
  for (const t of transactions) {
    const id = normalizeCustomerId(t.customerId);
    if (id === undefined || !Number.isFinite(t.at) || !Number.isFinite(t.amount)) leftOut++;
    else out.push(id === t.customerId ? t : { ...t, customerId: id });
  }
  return { transactions: out, leftOut };
}

/**
 * The last instant of the data the early models may see: the end of the --end day (UTC), undefined
 * without --end (then the latest transaction closes the data).
 * @example earlyDataEnd({ end: "1997-09-30" }) // Date.UTC(1997, 8, 30, 23, 59, 59, 999)
 */
export function earlyDataEnd(values: OptionValues): number | undefined {
  const end = dateOption(values, "end");
  return end ? Date.parse(`${end}T00:00:00Z`) + 86_400_000 - 1 : undefined;
}

/** Transactions ready for the early-value features, and what was read. */
export interface EarlyTransactions {
  readonly transactions: readonly Transaction[];
  readonly notes: readonly string[];
}

/**
 * Reads a delimited transaction source in memory for the early-value models: customer, date, amount,
 * order id (cancellations), channel and campaign as `readTransactionFiles` maps them, plus country,
 * product category and items per line read back from each row's raw line. Ids are normalised as the
 * summaries normalise them ("17850.0" -> "17850"); rows without an id, a date or an amount are counted
 * and left out (the early features need every row's time and value).
 * @example const { transactions } = readEarlyTransactions("retail/*.csv", { channel: "Country" }, "/data")
 */
export function readEarlyTransactions(source: string, values: OptionValues, cwd: string): EarlyTransactions {
  if (isDatabaseUrl(source)) {
    throw new ValuecastError([
      issue(
        "UNSUPPORTED_FORMAT",
        "early-value models read delimited text sources (CSV, TSV, whitespace; gzip; globs of parts) in memory; export the transactions to a file first",
        { file: source },
      ),
    ]);
  }
  const path = resolve(cwd, source);
  const choice = {
    ...(stringOption(values, "customer") ? { customer: stringOption(values, "customer")! } : {}),
    ...(stringOption(values, "date") ? { date: stringOption(values, "date")! } : {}),
    ...(stringOption(values, "amount") ? { amount: stringOption(values, "amount")! } : {}),
    ...(stringOption(values, "channel") ? { channel: stringOption(values, "channel")! } : {}),
    ...(stringOption(values, "campaign") ? { campaign: stringOption(values, "campaign")! } : {}),
    ...(stringOption(values, "delimiter") ? { delimiter: stringOption(values, "delimiter")! } : {}),
  };
  const read = readTransactionFiles(path, choice);
  const enriched = enrichEarlyTransactions(read.transactions, source, values, cwd);
  const out = enriched.transactions;
  const rejected = enriched.leftOut;
  const extra = enriched.mapping;
  if (out.length === 0) throw new ValuecastError([issue("EMPTY_INPUT", undefined, { file: source })]);
  return {
    transactions: out,
    notes: [
      `columns: ${read.mapping}${extra.length ? `, ${extra.join(", ")}` : ""}`,
      `rows: ${read.transactions.length} read, ${out.length} used${rejected ? `, ${rejected} left out (no customer id, date or amount)` : ""}`,
    ],
  };
}

/**
 * Transactions read in memory (`readTransactionFiles`, or a command's loaded transactions), made ready
 * for the early features: ids normalised, unusable rows left out (counted), and country, product
 * category and items per line read back from each row's raw line by the source header
 * (--country/--category/--items, or detected by name).
 * @example enrichEarlyTransactions(loaded.transactions, "retail/*.csv", args.values, ctx.io.cwd).mapping
 */
export function enrichEarlyTransactions(
  transactions: readonly Transaction[],
  source: string,
  values: OptionValues,
  cwd: string,
): { transactions: Transaction[]; leftOut: number; mapping: string[] } {
  const header = isDatabaseUrl(source)
    ? null
    : sourceHeader(resolve(cwd, source), stringOption(values, "delimiter"));
  const pick = (role: "country" | "category" | "items"): number => {
    if (!header) return -1;
    const explicit = stringOption(values, role);
    const lower = header.columns.map((c) => c.toLowerCase());
    if (explicit !== undefined) {
      const i = lower.indexOf(explicit.toLowerCase());
      if (i < 0) {
        throw new ValuecastError([
          issue("MISSING_COLUMN", `no column '${explicit}' (columns: ${header.columns.join(", ")})`, {
            field: `--${role}`,
          }),
        ]);
      }
      return i;
    }
    return lower.findIndex((c) => DETECT[role].includes(c));
  };
  const ci = pick("country");
  const ki = pick("category");
  const ii = pick("items");
  const out: Transaction[] = [];
  let rejected = 0;
  for (const t of transactions) {
    const id = normalizeCustomerId(t.customerId);
    if (id === undefined || !Number.isFinite(t.at) || !Number.isFinite(t.amount)) {
      rejected++;
      continue;
    }
    const cells = (ci >= 0 || ki >= 0 || ii >= 0) && t.rowKey !== undefined ? header!.split(t.rowKey) : null;
    const cell = (i: number) => (i >= 0 && cells ? (cells[i] ?? "").trim() : "");
    const items = Number(cell(ii));
    const country = cell(ci);
    const category = cell(ki);
    out.push({
      customerId: id,
      at: t.at,
      amount: t.amount,
      ...(t.orderId !== undefined ? { orderId: t.orderId } : {}),
      ...(t.cancelled ? { cancelled: true } : {}),
      ...(t.channel ? { channel: t.channel } : {}),
      ...(t.campaign ? { campaign: t.campaign } : {}),
      ...(country ? { country } : {}),
      ...(category ? { category } : {}),
      // Returns carry negative quantities; the feature counts items bought, so the size is what matters.
      ...(ii >= 0 && cell(ii) !== "" && Number.isFinite(items)
        ? { quantity: Math.abs(items) }
        : t.quantity !== undefined
          ? { quantity: Math.abs(t.quantity) }
          : {}),
    });
  }
  const mapping = [
    ci >= 0 ? `country = ${header!.columns[ci]}` : "",
    ki >= 0 ? `category = ${header!.columns[ki]}` : "",
    ii >= 0 ? `items = ${header!.columns[ii]}` : "",
  ].filter(Boolean);
  return { transactions: out, leftOut: rejected, mapping };
}
