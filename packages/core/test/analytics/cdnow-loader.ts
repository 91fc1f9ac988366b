// Test-only loader for CDNOW_master.txt (whitespace separated; header `customer_id date number_of_cds dollar_value`).
import { readFileSync } from "node:fs";
import type { Transaction } from "../../src/summary/types.ts";

export const CDNOW_MASTER = "/work/shared/data/CDNOW_master.txt";

export interface CdnowRow {
  readonly id: string;
  readonly ymd: string;
  readonly dollars: number;
}

export function readCdnowRows(path = CDNOW_MASTER): CdnowRow[] {
  const lines = readFileSync(path, "utf8").split(/\r?\n/);
  const rows: CdnowRow[] = [];
  for (const line of lines.slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4) continue;
    rows.push({ id: f[0] as string, ymd: f[1] as string, dollars: Number(f[3]) });
  }
  return rows;
}

export function toTransactions(rows: readonly CdnowRow[]): Transaction[] {
  return rows.map((r) => ({
    customerId: r.id,
    at: Date.UTC(Number(r.ymd.slice(0, 4)), Number(r.ymd.slice(4, 6)) - 1, Number(r.ymd.slice(6, 8))),
    amount: r.dollars,
  }));
}

export const CDNOW_SAMPLE = "/work/shared/data/CDNOW_sample.txt";

/** CDNOW_sample.txt: no header; master id, sample id, date YYYYMMDD, number of CDs, dollar value. */
export function readCdnowSampleRows(path = CDNOW_SAMPLE): CdnowRow[] {
  const rows: CdnowRow[] = [];
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    rows.push({ id: f[1] as string, ymd: f[2] as string, dollars: Number(f[4]) });
  }
  return rows;
}
