// Test-only loaders for the real data sets in /work/shared/data (node:fs is allowed in tests).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { splitDelimited } from "../../src/summary/parse.ts";
import type { Transaction } from "../../src/summary/types.ts";

export const CDNOW_PATH = "/work/shared/data/CDNOW_master.txt";
export const ONLINE_RETAIL_DIR = "/work/shared/data/real/uci_online_retail/by-day";

/** CDNOW master: whitespace separated `customer_id date number_of_cds dollar_value`, date YYYYMMDD. */
export function loadCdnow(path = CDNOW_PATH): Transaction[] {
  const out: Transaction[] = [];
  const lines = readFileSync(path, "utf8").split(/\r?\n/);
  for (let k = 1; k < lines.length; k++) {
    const f = lines[k]!.trim().split(/\s+/);
    if (f.length < 4) continue;
    const d = f[1]!;
    const at = Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)));
    out.push({ customerId: f[0]!, at, amount: Number(f[3]), quantity: Number(f[2]) });
  }
  return out;
}

/**
 * UCI Online Retail, 305 daily CSV parts. Revenue = Quantity * UnitPrice; rows without CustomerID are
 * dropped; invoices starting with "C" are cancellations; StockCode stands in for the product category
 * (distinct products bought); Country is the categorical acquisition attribute. Times are read as UTC.
 */
export function loadOnlineRetail(dir = ONLINE_RETAIL_DIR): Transaction[] {
  const out: Transaction[] = [];
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith(".csv"))
    .sort()) {
    const lines = readFileSync(join(dir, name), "utf8").split(/\r?\n/);
    const header = splitDelimited(lines[0]!, ",");
    const col = (c: string) => {
      const i = header.indexOf(c);
      if (i < 0) throw new Error(`${name}: no column ${c}`);
      return i;
    };
    const [iInv, iStock, iQty, iDate, iPrice, iCust, iCountry] = [
      col("InvoiceNo"),
      col("StockCode"),
      col("Quantity"),
      col("InvoiceDate"),
      col("UnitPrice"),
      col("CustomerID"),
      col("Country"),
    ];
    for (let k = 1; k < lines.length; k++) {
      if (lines[k] === "") continue;
      const f = splitDelimited(lines[k]!, ",");
      const cust = f[iCust]!.trim();
      if (cust === "") continue;
      const inv = f[iInv]!;
      const qty = Number(f[iQty]);
      const d = f[iDate]!;
      const at = Date.UTC(
        Number(d.slice(0, 4)),
        Number(d.slice(5, 7)) - 1,
        Number(d.slice(8, 10)),
        Number(d.slice(11, 13)),
        Number(d.slice(14, 16)),
        Number(d.slice(17, 19) || 0),
      );
      out.push({
        customerId: cust.replace(/\.0$/, ""),
        at,
        amount: qty * Number(f[iPrice]),
        quantity: Math.abs(qty),
        orderId: inv,
        cancelled: inv.startsWith("C"),
        category: f[iStock]!,
        country: f[iCountry]!,
      });
    }
  }
  return out;
}
