/**
 * Text parsing with exactly the rules of the SQL engines' summary query, so a browser or a test that reads a
 * file itself gets the same transactions: ISO 8601 dates (date, optional time to the second, optional
 * fraction, optional "Z" or ±HH[:MM] offset) and compact YYYYMMDD (CDNOW). Fractions of a second are
 * ignored. Nothing else is guessed (no day-first/month-first ambiguity).
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?: ?(Z|[+-]\d{2}(?::?\d{2})?))?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const NUMBER = /^ *[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)? *$/;

const daysIn = (y: number, m: number) =>
  m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

/**
 * Parses a timestamp; `at` is the UTC instant in epoch ms (the written offset applied), `utcOffsetMinutes`
 * the written offset when there was one. Undefined when the text is not an accepted, valid date.
 * @example parseTimestampText("2011-01-02 01:30:00+02:00") // { at: Date.UTC(2011, 0, 1, 23, 30), utcOffsetMinutes: 120 }
 */
export function parseTimestampText(
  text: string | null | undefined,
): { at: number; utcOffsetMinutes?: number } | undefined {
  if (text === null || text === undefined) return undefined;
  const s = text.trim();
  const m = ISO.exec(s) ?? COMPACT.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hh, mi, ss] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || hh > 23 || mi > 59 || ss > 59)
    return undefined;
  const wall =
    Date.UTC(y, mo - 1, d, hh, mi, ss) + (y < 100 ? Date.UTC(y, 0, 1) - Date.UTC(y + 1900, 0, 1) : 0);
  const o = m[7];
  if (o === undefined) return { at: wall };
  const off =
    o === "Z"
      ? 0
      : (o[0] === "-" ? -1 : 1) * (Number(o.slice(1, 3)) * 60 + (o.length > 3 ? Number(o.slice(-2)) : 0));
  return { at: wall - off * 60_000, utcOffsetMinutes: off };
}

/**
 * Parses a plain decimal number (optional sign and exponent, no thousands separators or currency signs).
 * @example parseAmountText(" -12.50 ") // -12.5
 */
export function parseAmountText(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || !NUMBER.test(text)) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

/**
 * Splits one line on a delimiter, honouring double quotes (RFC 4180). The one splitter of delimited text
 * for every reader (data's file sniffing, the CLI's summary, spend and in-memory transaction readers).
 * @example splitDelimited('a,"b,c"', ",") // ["a", "b,c"]
 */
export function splitDelimited(line: string, delimiter: string): string[] {
  // Most lines have no quotes: the native split is several times faster than the character loop.
  if (!line.includes('"')) return line.split(delimiter);
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
