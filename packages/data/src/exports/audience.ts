import { csvText } from "./csv.ts";
import type { ExportCustomer, ExportFile } from "./types.ts";

/** The audience CSV columns (the dashboard's contract, `packages/web` README). */
export const AUDIENCE_HEADER = ["customer_id", "tier", "p_alive", "predicted_clv"] as const;

/**
 * Audience CSV for one segment (or all customers when `tier` is undefined): customer id, tier, P(alive)
 * (6 decimals) and predicted CLV (cents), highest CLV first, for a CRM list import.
 * @example audienceCsv([{ customerId: "7", tier: "top", pAlive: 0.91, predictedClv: 120.5 }], "top").content
 * // "customer_id,tier,p_alive,predicted_clv\n7,top,0.91,120.5\n"
 */
export function audienceCsv(customers: Iterable<ExportCustomer>, tier?: string): ExportFile {
  const rows: ExportCustomer[] = [];
  for (const c of customers) if (tier === undefined || c.tier === tier) rows.push(c);
  rows.sort((a, b) => b.predictedClv - a.predictedClv || (a.customerId < b.customerId ? -1 : 1));
  const round = (v: number, k: number) => (Number.isFinite(v) ? Number(v.toFixed(k)) : null);
  return {
    filename: `audience-${tier ?? "all"}.csv`.replace(/[^\w.-]/g, "_"),
    contentType: "text/csv; charset=utf-8",
    content: csvText(
      AUDIENCE_HEADER,
      rows.map((c) => [c.customerId, c.tier, round(c.pAlive, 6), round(c.predictedClv, 2)]),
    ),
    rows: rows.length,
    skipped: [],
  };
}
