import type { Issue } from "@valuecast/core";

/** One scored customer as the exports take it (from `scoreCustomers` and `valueTiers`). */
export interface ExportCustomer {
  readonly customerId: string;
  /** Value tier name (e.g. "top"), or null when tiers were not computed. */
  readonly tier: string | null;
  readonly pAlive: number;
  /** Predicted CLV over the horizon (money, in the data's currency). */
  readonly predictedClv: number;
}

/**
 * Contact and click fields a CRM holds for a customer (raw, as typed by people). valuecast normalizes and
 * hashes them per format; it never sends them anywhere.
 */
export interface ContactRecord {
  readonly customerId: string;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly firstName?: string | null;
  readonly lastName?: string | null;
  /** ISO 3166-1 alpha-2 ("US"). */
  readonly country?: string | null;
  readonly zip?: string | null;
  /** Google Click ID (gclid) of the customer's acquiring click. */
  readonly clickId?: string | null;
}

/**
 * A written export: the file text, how many rows it holds, and every input row left out with the reason
 * (nothing is dropped silently).
 */
export interface ExportFile {
  readonly filename: string;
  readonly contentType: string;
  readonly content: string;
  readonly rows: number;
  readonly skipped: readonly Issue[];
}
