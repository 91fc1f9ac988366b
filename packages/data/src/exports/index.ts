// Export formats for CRMs and ad platforms: pure writers (customers + contacts -> file text) and one file
// writer. valuecast writes files; it sends nothing anywhere.
export { AUDIENCE_HEADER, audienceCsv } from "./audience.ts";
export { csvField, csvText, money } from "./csv.ts";
export { CUSTOMER_MATCH_HEADER, type CustomerMatchOptions, customerMatchCsv } from "./customer-match.ts";
export {
  GOOGLE_ADS_HEADER,
  type GoogleAdsOptions,
  googleAdsConversionsCsv,
  googleAdsTime,
  isTimeZone,
} from "./google-ads.ts";
export {
  META_VALUE_AUDIENCE_HEADER,
  type MetaOptions,
  type MetaServerEvent,
  metaConversionsPayload,
  metaValueAudienceCsv,
} from "./meta.ts";
export {
  normalizeCountry,
  normalizeEmail,
  normalizeEmailGoogle,
  normalizeName,
  normalizePhoneE164,
  normalizePhoneMeta,
  normalizeZip,
  sha256Hex,
} from "./normalize.ts";
export type { ContactRecord, ExportCustomer, ExportFile } from "./types.ts";
export { writeExportFile } from "./write.ts";
