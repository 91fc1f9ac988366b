import { readFileSync } from "node:fs";
import { rfmData } from "../../../src/models/rfm-data.ts";
import type { RfmData } from "../../../src/models/types.ts";

/** CDNOW 1/10 sample, 39-week calibration, in weeks (ID,frequency,recency,T). */
export function cdnow(): RfmData {
  const text = readFileSync(
    new URL("../../../../../../shared/data/cdnow_customers_summary.csv", import.meta.url),
    "utf8",
  );
  const rows = text
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(",").map(Number));
  return rfmData(
    rows.map((r) => r[1]!),
    rows.map((r) => r[2]!),
    rows.map((r) => r[3]!),
  );
}

export function close(actual: number, expected: number, relTol: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  if (!(err <= relTol)) {
    throw new Error(`${what}: ${actual} vs ${expected} (relative error ${err.toExponential(2)})`);
  }
}
