// Independent readers (plain Node, no SQL) that turn the test files into core transactions, so the
// contract suite compares core's in-memory summarizer with each engine on the same input.
import { readFileSync } from "node:fs";
import { parseAmountText, parseTimestampText, type Transaction } from "@valuecast/core";

export const DATA = new URL("../../../../../shared/data/", import.meta.url).pathname;
export const RETAIL_DIR = `${DATA}real/uci_online_retail/by-day/`;

function lines(path: string): string[] {
  return readFileSync(path, "utf8")
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "");
}

/** Whitespace-separated rows: picks the customer/date/amount/quantity fields by index. */
export function whitespaceTransactions(
  path: string,
  fields: { customer: number; date: number; amount: number; quantity?: number; header: boolean },
): Transaction[] {
  const out: Transaction[] = [];
  for (const line of lines(path).slice(fields.header ? 1 : 0)) {
    const f = line.trim().split(/\s+/);
    out.push(
      toTransaction(
        JSON.stringify(f),
        f[fields.customer],
        f[fields.date],
        parseAmountText(f[fields.amount]),
        fields.quantity !== undefined ? f[fields.quantity] : undefined,
      ),
    );
  }
  return out;
}

function toTransaction(
  rowKey: string,
  customer: string | undefined,
  date: string | undefined,
  amount: number | undefined,
  quantity: string | undefined,
  extra: Partial<Transaction> = {},
): Transaction {
  const ts = parseTimestampText(date);
  const q = parseAmountText(quantity);
  return {
    customerId: customer ?? "",
    at: ts ? ts.at : Number.NaN,
    amount: amount ?? Number.NaN,
    ...(q !== undefined ? { quantity: q } : {}),
    ...(ts?.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: ts.utcOffsetMinutes } : {}),
    rowKey,
    ...extra,
  };
}

/** RFC 4180 field splitting (quotes, doubled quotes). */
function splitCsv(line: string, delimiter = ","): string[] {
  const out: string[] = [];
  let cur = "";
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === delimiter) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * CSV files with a header; amount = Quantity x UnitPrice (UCI) or an amount column; InvoiceNo starting with
 * "C" is a cancellation. The row key is the parsed fields, so duplicates mean identical field values.
 */
export function csvTransactions(
  paths: readonly string[],
  cols: {
    customer: string;
    date: string;
    amount?: string;
    quantity?: string;
    unitPrice?: string;
    order?: string;
    cancelPrefix?: string;
    channel?: string;
    campaign?: string;
  },
): Transaction[] {
  const out: Transaction[] = [];
  for (const path of paths) {
    const [head, ...rows] = lines(path);
    const names = splitCsv(head!);
    const at = (n: string | undefined) => (n === undefined ? -1 : names.indexOf(n));
    const [ic, id, ia, iq, ip, io, ich, icp] = [
      cols.customer,
      cols.date,
      cols.amount,
      cols.quantity,
      cols.unitPrice,
      cols.order,
      cols.channel,
      cols.campaign,
    ].map(at);
    for (const line of rows) {
      const f = splitCsv(line);
      const get = (i: number) => (i >= 0 ? (f[i] === "" ? undefined : f[i]) : undefined);
      const amount =
        ia! >= 0
          ? parseAmountText(get(ia!))
          : (() => {
              const q = parseAmountText(get(iq!));
              const p = parseAmountText(get(ip!));
              return q === undefined || p === undefined ? undefined : q * p;
            })();
      const order = get(io!);
      const ch = get(ich!);
      const cp = get(icp!);
      out.push(
        toTransaction(JSON.stringify(f), get(ic!)?.trim(), get(id!), amount, get(iq!), {
          ...(order !== undefined ? { orderId: order } : {}),
          ...(cols.cancelPrefix && order?.trim().startsWith(cols.cancelPrefix) ? { cancelled: true } : {}),
          ...(ch !== undefined ? { channel: ch.trim() } : {}),
          ...(cp !== undefined ? { campaign: cp.trim() } : {}),
        }),
      );
    }
  }
  return out;
}
