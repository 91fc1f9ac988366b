// Test helpers: the raw CDNOW files as core transactions, and the published summary files.
import { readFileSync } from "node:fs";
import type { Transaction } from "../../src/summary/types.ts";

export const DATA = new URL("../../../../../shared/data/", import.meta.url).pathname;

/** CDNOW_sample.txt: master id, sample id, YYYYMMDD, CDs, dollars (whitespace separated, CRLF). Keyed by sample id. */
export function cdnowSampleTransactions(): Transaction[] {
  return readFileSync(`${DATA}CDNOW_sample.txt`, "utf8")
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "")
    .map((line) => {
      const [, id, d, cds, dollars] = line.trim().split(/\s+/);
      const at = Date.UTC(Number(d!.slice(0, 4)), Number(d!.slice(4, 6)) - 1, Number(d!.slice(6, 8)));
      return { customerId: id!, at, amount: Number(dollars), quantity: Number(cds), rowKey: line.trim() };
    });
}

/** A published summary CSV keyed by its ID column, values as numbers. */
export function readSummaryCsv(name: string): Map<string, Record<string, number>> {
  const [head, ...rows] = readFileSync(`${DATA}${name}`, "utf8").trim().split(/\r?\n/);
  const cols = head!.split(",");
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const v = r.split(",");
    const rec: Record<string, number> = {};
    cols.forEach((c, i) => {
      rec[c] = Number(v[i]);
    });
    out.set(String(Number(v[0])), rec);
  }
  return out;
}
