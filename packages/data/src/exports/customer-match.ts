import { type Issue, issue } from "@valuecast/core";
import { csvText } from "./csv.ts";
import {
  normalizeCountry,
  normalizeEmailGoogle,
  normalizeName,
  normalizePhoneE164,
  normalizeZip,
  sha256Hex,
} from "./normalize.ts";
import type { ContactRecord, ExportFile } from "./types.ts";

/** Google Customer Match's column headers (English, exactly as Google's template). */
export const CUSTOMER_MATCH_HEADER = ["Email", "Phone", "First Name", "Last Name", "Country", "Zip"] as const;

/** Options of the Customer Match file. */
export interface CustomerMatchOptions {
  /** Calling code for phone numbers written without one (digits, e.g. "1"); without it they are left out. */
  readonly defaultCallingCode?: string;
}

/**
 * Google Customer Match CSV, hashed per Google's "Formatting guidelines for uploading hashed data": email
 * trimmed and lowercased (dots before @gmail.com / @googlemail.com removed), phone in E.164 with its country
 * code, names lowercased and trimmed, each SHA-256 hex; Country (ISO alpha-2) and Zip stay unhashed, as
 * Google requires. A value that cannot be normalized is left empty with an issue; a customer with no usable
 * identifier is left out (and counted).
 * @example customerMatchCsv([{ customerId: "1", email: "Test@Gmail.com" }]).content.split("\n")[0] // "Email,Phone,First Name,Last Name,Country,Zip"
 */
export function customerMatchCsv(
  contacts: Iterable<ContactRecord>,
  options: CustomerMatchOptions = {},
): ExportFile {
  const rows: string[][] = [];
  const skipped: Issue[] = [];
  let index = 0;
  for (const c of contacts) {
    const bad = (field: string, raw: string) =>
      skipped.push(
        issue("BAD_CONTACT_VALUE", `customer ${c.customerId}: ${field} '${raw}' cannot be normalized`, {
          field,
          index,
        }),
      );
    const email = normalizeEmailGoogle(c.email);
    if (c.email && email === null) bad("email", c.email);
    const phone = normalizePhoneE164(c.phone, options.defaultCallingCode);
    if (c.phone && phone === null) bad("phone", c.phone);
    const first = normalizeName(c.firstName);
    const last = normalizeName(c.lastName);
    const country = normalizeCountry(c.country);
    if (c.country && country === null) bad("country", c.country);
    const zip = normalizeZip(c.zip);
    // Google matches a mailing address only on first name + last name + country + zip together.
    const address = first !== null && last !== null && country !== null && zip !== null;
    if (email === null && phone === null && !address) {
      skipped.push(
        issue("BAD_CONTACT_VALUE", `customer ${c.customerId} has no email, phone or full mailing address`, {
          index,
        }),
      );
    } else {
      rows.push([
        email === null ? "" : sha256Hex(email),
        phone === null ? "" : sha256Hex(phone),
        first === null ? "" : sha256Hex(first),
        last === null ? "" : sha256Hex(last),
        country ?? "",
        zip ?? "",
      ]);
    }
    index++;
  }
  return {
    filename: "google-customer-match.csv",
    contentType: "text/csv; charset=utf-8",
    content: csvText(CUSTOMER_MATCH_HEADER, rows),
    rows: rows.length,
    skipped,
  };
}
