import { readdirSync, readFileSync } from "node:fs";
import type { RfmData } from "../../../src/models/types.ts";
import { splitDelimited } from "../../../src/summary/parse.ts";

const DATA = new URL("../../../../../../shared/data/", import.meta.url);

/** Days since 1970-01-01 of a UTC calendar date. */
function dayNumber(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/**
 * Per-customer summaries from (customer, day, amount, quantity) purchase rows: same-day purchases are one
 * transaction (DESIGN "Conventions"), x repeat days, t_x and T in weeks to `endDay` (inclusive), plus the
 * first order's amount and quantity and a first-row attribute. Purchases after `endDay` are ignored.
 */
function summarise(
  rows: { id: string; day: number; amount: number; qty: number; attr?: string }[],
  endDay: number,
): { rfm: RfmData; firstAmount: number[]; firstQty: number[]; attr: string[] } {
  const by = new Map<
    string,
    { first: number; last: number; days: Set<number>; amount: number; qty: number; attr: string }
  >();
  for (const r of rows) {
    if (r.day > endDay) continue;
    const c = by.get(r.id);
    if (!c) {
      by.set(r.id, {
        first: r.day,
        last: r.day,
        days: new Set([r.day]),
        amount: r.amount,
        qty: r.qty,
        attr: r.attr ?? "",
      });
    } else if (r.day < c.first) {
      c.first = r.day;
      c.amount = r.amount;
      c.qty = r.qty;
      c.attr = r.attr ?? "";
      c.days.add(r.day);
    } else {
      if (r.day === c.first) {
        c.amount += r.amount;
        c.qty += r.qty;
      }
      c.days.add(r.day);
      if (r.day > c.last) c.last = r.day;
    }
  }
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const firstAmount: number[] = [];
  const firstQty: number[] = [];
  const attr: string[] = [];
  for (const c of by.values()) {
    const last = Math.max(...c.days);
    x.push(c.days.size - 1);
    tx.push((last - c.first) / 7);
    T.push((endDay - c.first) / 7);
    firstAmount.push(c.amount);
    firstQty.push(c.qty);
    attr.push(c.attr);
  }
  return {
    rfm: { x: Float64Array.from(x), t_x: Float64Array.from(tx), T: Float64Array.from(T) },
    firstAmount,
    firstQty,
    attr,
  };
}

/**
 * CDNOW master (23,570 customers, first purchases in Q1 1997), calibration end 1997-09-30, in weeks, with
 * each customer's first-day dollar amount and number of CDs (the whole first day).
 */
export function cdnowMaster() {
  const text = readFileSync(new URL("CDNOW_master.txt", DATA), "utf8");
  const rows = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || !/^\d{8}$/.test(f[1]!)) continue;
    const d = f[1]!;
    rows.push({
      id: f[0]!,
      day: dayNumber(Number(d.slice(0, 4)), Number(d.slice(4, 6)), Number(d.slice(6, 8))),
      qty: Number(f[2]),
      amount: Number(f[3]),
    });
  }
  return summarise(rows, dayNumber(1997, 9, 30));
}

/**
 * UCI Online Retail (2010-12-01 to 2011-12-09), purchases only (no cancellations "C…", quantity > 0,
 * price > 0, a customer id), whole period as calibration, in weeks, with each customer's country
 * (of the first invoice line).
 */
export function onlineRetail() {
  const dir = new URL("real/uci_online_retail/by-day/", DATA);
  const rows = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".csv"))
    .sort()) {
    const lines = readFileSync(new URL(file, dir), "utf8").split("\n");
    for (let k = 1; k < lines.length; k++) {
      const line = lines[k]!;
      if (!line) continue;
      const f = splitDelimited(line, ",");
      const [invoice, , , qty, date, price, customer, country] = f;
      if (!invoice || invoice.startsWith("C") || !customer || !date) continue;
      const q = Number(qty);
      const p = Number(price);
      if (!(q > 0 && p > 0)) continue;
      rows.push({
        id: customer,
        day: dayNumber(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))),
        qty: q,
        amount: q * p,
        attr: (country ?? "").trim(),
      });
    }
  }
  return summarise(rows, dayNumber(2011, 12, 9));
}
