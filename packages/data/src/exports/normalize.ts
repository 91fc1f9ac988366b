import { createHash } from "node:crypto";

/**
 * SHA-256 of the UTF-8 bytes of `text`, as 64 lowercase hex characters (the form Google Customer Match
 * and Meta's Conversions API both expect).
 * @example sha256Hex("test@gmail.com") // "87924606b4131a8aceeeae8868531fbb9712aaa07a5d3a756b26ce0f5d6ca674"
 */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * Google's email normalization before hashing (Google Ads API "Customer Match" and enhanced conversions
 * guides): trim, lowercase, and for gmail.com / googlemail.com remove every "." before the "@" (Gmail
 * ignores them). A plus suffix is kept: Google does not document removing it. Null when the text is not an
 * address (no single "@" with text on both sides, or whitespace inside).
 * @example normalizeEmailGoogle("  John.Doe@GMAIL.com ") // "johndoe@gmail.com"
 */
export function normalizeEmailGoogle(text: string | null | undefined): string | null {
  const e = normalizeEmail(text);
  if (e === null) return null;
  const at = e.lastIndexOf("@");
  const domain = e.slice(at + 1);
  if (domain === "gmail.com" || domain === "googlemail.com")
    return `${e.slice(0, at).replaceAll(".", "")}@${domain}`;
  return e;
}

/**
 * Plain email normalization (Meta Conversions API `em`, Meta customer lists): trim and lowercase. Null when
 * the text is not an address.
 * @example normalizeEmail(" Person@Example.com ") // "person@example.com"
 */
export function normalizeEmail(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const e = text.trim().toLowerCase();
  const at = e.indexOf("@");
  if (at <= 0 || at !== e.lastIndexOf("@") || at === e.length - 1 || /\s/.test(e)) return null;
  return e;
}

/**
 * A phone number in E.164 form ("+" then 8 to 15 digits, ITU-T E.164): punctuation and spaces dropped; a
 * leading "+" or international "00" prefix keeps the written country code; otherwise the national trunk
 * prefix "0" is dropped and `defaultCallingCode` (digits, e.g. "44") is put in front. Null when no country
 * code can be known or the digit count is outside E.164's range.
 * @example normalizePhoneE164("(650) 253-0000", "1") // "+16502530000"
 * @example normalizePhoneE164("020 7946 0958", "44") // "+442079460958"
 */
export function normalizePhoneE164(
  text: string | null | undefined,
  defaultCallingCode?: string,
): string | null {
  if (text === null || text === undefined) return null;
  const t = text.trim();
  if (t === "" || /[a-z]/i.test(t)) return null;
  const digits = t.replace(/\D/g, "");
  let full: string;
  if (t.startsWith("+")) full = digits;
  else if (digits.startsWith("00")) full = digits.slice(2);
  else if (defaultCallingCode && /^\d{1,3}$/.test(defaultCallingCode))
    full = defaultCallingCode + digits.replace(/^0+/, "");
  else return null;
  // E.164 numbers are at most 15 digits; fewer than 8 cannot hold a country code plus a subscriber number.
  if (full.length < 8 || full.length > 15 || full.startsWith("0")) return null;
  return `+${full}`;
}

/**
 * Meta's phone form (Conversions API `ph`, customer lists): the E.164 digits without "+" (country code
 * first, no leading zeros, no symbols).
 * @example normalizePhoneMeta("+44 844 412 4653") // "448444124653"
 */
export function normalizePhoneMeta(
  text: string | null | undefined,
  defaultCallingCode?: string,
): string | null {
  const e = normalizePhoneE164(text, defaultCallingCode);
  return e === null ? null : e.slice(1);
}

/**
 * Name normalization for hashing (Google: lowercase, no surrounding spaces; Meta `fn`/`ln`: lowercase,
 * letters only, UTF-8): trim, lowercase, inner runs of whitespace collapsed to one space. Meta's form also
 * drops punctuation (`forMeta`). Null when empty.
 * @example normalizeName("  Mary Ann ") // "mary ann"
 * @example normalizeName("O'Brien", true) // "obrien"
 */
export function normalizeName(text: string | null | undefined, forMeta = false): string | null {
  if (text === null || text === undefined) return null;
  let n = text.trim().toLowerCase().replace(/\s+/g, " ");
  if (forMeta) n = n.replace(/[^\p{L}\p{M}\p{N}]/gu, "");
  return n === "" ? null : n;
}

/**
 * A two-letter ISO 3166-1 alpha-2 country code (Google Customer Match "Country", unhashed, upper case in
 * Google's templates; Meta `country`, lowercase before hashing). Null unless exactly two letters.
 * @example normalizeCountry(" us ") // "US"
 */
export function normalizeCountry(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const c = text.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(c) ? c : null;
}

/**
 * A postal code as Google Customer Match takes it (unhashed): trimmed, inner spaces kept (UK "WC2H 8LG"),
 * upper case. US ZIP+4 is cut to the 5-digit ZIP. Null when empty.
 * @example normalizeZip(" 94016-1234 ") // "94016"
 */
export function normalizeZip(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const z = text.trim().toUpperCase().replace(/\s+/g, " ");
  if (z === "") return null;
  const us = /^(\d{5})-\d{4}$/.exec(z);
  return us ? us[1]! : z;
}
