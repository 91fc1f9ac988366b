import { readFileSync } from "node:fs";
import type { Transaction } from "@valuecast/core";

/** The CDNOW 1/10th sample shipped with the CLI (master id, sample id, YYYYMMDD, CDs, dollars). */
export const CDNOW_SAMPLE = new URL("../../cli/data/CDNOW_sample.txt", import.meta.url);

/** Parses the CDNOW sample into transactions. @example cdnowTransactions().length // 6919 */
export function cdnowTransactions(): Transaction[] {
  const out: Transaction[] = [];
  for (const line of readFileSync(CDNOW_SAMPLE, "utf8").split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const d = f[2]!;
    out.push({
      customerId: f[0]!,
      at: Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8))),
      amount: Number(f[4]),
    });
  }
  return out;
}
