// Test-only loader for the UCI Online Retail by-day CSV parts (header
// InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country). Lines without a
// CustomerID are dropped (they cannot be attributed); `C` invoices are cancellations.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { splitDelimited } from "../../src/summary/parse.ts";
import type { Transaction } from "../../src/summary/types.ts";

export const ONLINE_RETAIL_DIR = "/work/shared/data/real/uci_online_retail/by-day";

export interface RetailRow {
  readonly invoice: string;
  readonly customer: string;
  readonly ymd: string;
  readonly at: number;
  readonly amount: number;
  readonly country: string;
}

export function readOnlineRetail(dir = ONLINE_RETAIL_DIR): RetailRow[] {
  const rows: RetailRow[] = [];
  for (const name of readdirSync(dir).sort()) {
    const lines = readFileSync(join(dir, name), "utf8").split("\n");
    for (const line of lines.slice(1)) {
      if (!line) continue;
      const f = splitDelimited(line, ",");
      const customer = f[6] ?? "";
      if (!customer) continue;
      const date = f[4] ?? "";
      rows.push({
        invoice: f[0] ?? "",
        customer: String(Math.round(Number(customer))),
        ymd: date.slice(0, 10),
        at: Date.parse(`${date.replace(" ", "T")}Z`),
        amount: Number(f[3]) * Number(f[5]),
        country: f[7] ?? "",
      });
    }
  }
  return rows;
}

/** Country stands in for the acquisition channel (the data has none). */
export function retailTransactions(rows: readonly RetailRow[]): Transaction[] {
  return rows.map((r) => ({
    customerId: r.customer,
    at: r.at,
    amount: r.amount,
    cancelled: r.invoice.startsWith("C"),
    channel: r.country,
  }));
}
