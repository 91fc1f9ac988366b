import { type Issue, issue, ValuecastError } from "@valuecast/core";
import { csvText, money } from "./csv.ts";
import {
  normalizeCountry,
  normalizeEmail,
  normalizeName,
  normalizePhoneMeta,
  sha256Hex,
} from "./normalize.ts";
import type { ContactRecord, ExportCustomer, ExportFile } from "./types.ts";

/** One Conversions API server event (the fields valuecast fills). */
export interface MetaServerEvent {
  readonly event_name: string;
  /** Unix time in seconds. */
  readonly event_time: number;
  readonly event_id: string;
  readonly action_source: "system_generated";
  readonly user_data: {
    readonly em?: readonly string[];
    readonly ph?: readonly string[];
    readonly external_id: readonly string[];
  };
  readonly custom_data: {
    readonly value: number;
    readonly currency: string;
    readonly predicted_ltv: number;
  };
}

/** Options of the Meta exports. */
export interface MetaOptions {
  /** ISO 4217 currency code ("USD"). */
  readonly currency: string;
  /** When the events happen (epoch ms). */
  readonly eventTime: number;
  /** Event name (default "PredictedLTV", a custom event: it is not a purchase). */
  readonly eventName?: string;
  /** Calling code for phone numbers written without one (digits, e.g. "1"). */
  readonly defaultCallingCode?: string;
}

function checkOptions(o: MetaOptions): void {
  const problems: Issue[] = [];
  if (!/^[A-Z]{3}$/.test(o.currency))
    problems.push(
      issue("INVALID_REQUEST", "currency must be an ISO 4217 code such as USD", { field: "currency" }),
    );
  if (!Number.isFinite(o.eventTime))
    problems.push(issue("INVALID_REQUEST", "eventTime must be a time", { field: "eventTime" }));
  if (problems.length > 0) throw new ValuecastError(problems);
}

/**
 * Meta Conversions API payload `{ data: [event, ...] }`, one event per customer, per Meta's "Customer
 * Information Parameters": `em` = SHA-256 of the trimmed lowercased email, `ph` = SHA-256 of the digits with
 * the country code (no "+", no leading zeros), `external_id` = SHA-256 of the customer id (hashing is
 * recommended); `custom_data.value` and `predicted_ltv` = predicted CLV, `action_source` "system_generated".
 * The payload is written to a file; valuecast sends nothing.
 * @example metaConversionsPayload(customers, contacts, { currency: "USD", eventTime: Date.now() }).payload.data.length
 */
export function metaConversionsPayload(
  customers: Iterable<ExportCustomer>,
  contacts: ReadonlyMap<string, ContactRecord>,
  options: MetaOptions,
): { payload: { data: MetaServerEvent[] }; file: ExportFile } {
  checkOptions(options);
  const time = Math.floor(options.eventTime / 1000);
  const data: MetaServerEvent[] = [];
  const skipped: Issue[] = [];
  let index = 0;
  for (const c of customers) {
    const contact = contacts.get(c.customerId);
    const em = normalizeEmail(contact?.email);
    const ph = normalizePhoneMeta(contact?.phone, options.defaultCallingCode);
    if (contact?.email && em === null)
      skipped.push(
        issue("BAD_CONTACT_VALUE", `customer ${c.customerId}: email not usable`, { field: "email", index }),
      );
    if (contact?.phone && ph === null)
      skipped.push(
        issue("BAD_CONTACT_VALUE", `customer ${c.customerId}: phone not usable`, { field: "phone", index }),
      );
    const value = money(c.predictedClv);
    data.push({
      event_name: options.eventName ?? "PredictedLTV",
      event_time: time,
      event_id: `valuecast-${c.customerId}-${time}`,
      action_source: "system_generated",
      user_data: {
        ...(em !== null ? { em: [sha256Hex(em)] } : {}),
        ...(ph !== null ? { ph: [sha256Hex(ph)] } : {}),
        external_id: [sha256Hex(c.customerId.trim())],
      },
      custom_data: { value, currency: options.currency, predicted_ltv: value },
    });
    index++;
  }
  const payload = { data };
  return {
    payload,
    file: {
      filename: "meta-conversions-api-events.json",
      contentType: "application/json; charset=utf-8",
      content: `${JSON.stringify(payload, null, 2)}\n`,
      rows: data.length,
      skipped,
    },
  };
}

/** Columns of the Meta value-based custom audience file (Meta's customer-list identifiers plus `value`). */
export const META_VALUE_AUDIENCE_HEADER = [
  "email",
  "phone",
  "fn",
  "ln",
  "zip",
  "country",
  "extern_id",
  "value",
] as const;

/**
 * Meta value-based custom audience CSV: Meta's customer-list column names, identifiers normalized per Meta
 * (email trimmed + lowercased; phone digits with country code; fn/ln lowercased letters; zip lowercased
 * without spaces; country lowercase alpha-2) and SHA-256 hashed; `extern_id` = the customer id; `value` =
 * predicted CLV (Meta's "customer value" column). Customers with no email or phone are left out (counted).
 * @example metaValueAudienceCsv(customers, contacts, { currency: "USD", eventTime: 0 }).content
 */
export function metaValueAudienceCsv(
  customers: Iterable<ExportCustomer>,
  contacts: ReadonlyMap<string, ContactRecord>,
  options: Pick<MetaOptions, "defaultCallingCode"> = {},
): ExportFile {
  const rows: string[][] = [];
  const skipped: Issue[] = [];
  const hashed = (v: string | null) => (v === null ? "" : sha256Hex(v));
  let index = 0;
  for (const c of customers) {
    const k = contacts.get(c.customerId);
    const em = normalizeEmail(k?.email);
    const ph = normalizePhoneMeta(k?.phone, options.defaultCallingCode);
    if (em === null && ph === null) {
      skipped.push(
        issue("BAD_CONTACT_VALUE", `customer ${c.customerId} has no usable email or phone`, { index }),
      );
    } else {
      const zip = k?.zip ? k.zip.trim().toLowerCase().replace(/\s+/g, "") || null : null;
      rows.push([
        hashed(em),
        hashed(ph),
        hashed(normalizeName(k?.firstName, true)),
        hashed(normalizeName(k?.lastName, true)),
        hashed(zip),
        hashed(normalizeCountry(k?.country)?.toLowerCase() ?? null),
        c.customerId,
        String(money(Math.max(0, c.predictedClv))),
      ]);
    }
    index++;
  }
  return {
    filename: "meta-value-audience.csv",
    contentType: "text/csv; charset=utf-8",
    content: csvText(META_VALUE_AUDIENCE_HEADER, rows),
    rows: rows.length,
    skipped,
  };
}
