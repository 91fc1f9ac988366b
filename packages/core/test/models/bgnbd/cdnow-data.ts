// Test helper: the CDNOW 1/10 sample summaries shipped in /work/shared/data (lifetimes' datasets folder).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { rfmData } from "../../../src/models/rfm-data.ts";
import type { RfmData } from "../../../src/models/types.ts";

const dataDir = fileURLToPath(new URL("../../../../../../shared/data/", import.meta.url));

function readCsv(name: string): number[][] {
  const text = readFileSync(dataDir + name, "utf8").trim();
  return text
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(",").map(Number));
}

/** `cdnow_customers_summary.csv` (ID,frequency,recency,T in weeks) as RfmData: 2,357 customers. */
export function cdnowRfm(): RfmData {
  const rows = readCsv("cdnow_customers_summary.csv");
  return rfmData(
    rows.map((r) => r[1]!),
    rows.map((r) => r[2]!),
    rows.map((r) => r[3]!),
  );
}

/** `cdnow_customers_summary_with_transactions.csv` (ID,x,t_x,T,zbar): every customer, zbar 0 when x = 0. */
export function cdnowWithSpend(): { x: number[]; t_x: number[]; T: number[]; zbar: number[] } {
  const rows = readCsv("cdnow_customers_summary_with_transactions.csv");
  return {
    x: rows.map((r) => r[1]!),
    t_x: rows.map((r) => r[2]!),
    T: rows.map((r) => r[3]!),
    zbar: rows.map((r) => r[4]!),
  };
}
