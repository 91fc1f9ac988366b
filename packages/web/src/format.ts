/** Display formatting shared by every page (en-US grouping; money without a currency symbol unless given). */

/** A count: 12,345. @example count(12345) // "12,345" */
export function count(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "–" : Math.round(v).toLocaleString("en-US");
}

/** Money with a short suffix for large values. @example money(1234567, "$") // "$1.23M" */
export function money(v: number | null | undefined, currency = ""): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  const sign = v < 0 ? "-" : "";
  if (a >= 1e9) return `${sign}${currency}${(a / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `${sign}${currency}${(a / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${sign}${currency}${(a / 1e3).toFixed(1)}k`;
  return `${sign}${currency}${a.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A share as a percentage. @example pct(0.1234) // "12.3%" */
export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "–" : `${(v * 100).toFixed(digits)}%`;
}

/** A plain number with fixed digits. @example num(3.14159, 2) // "3.14" */
export function num(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits);
}

/** Escapes text for HTML. @example esc("<b>") // "&lt;b&gt;" */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
