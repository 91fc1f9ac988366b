/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. A field that
 * starts with = + - @ (a spreadsheet formula) is prefixed with a single quote so that opening the file in a
 * spreadsheet never runs it (OWASP "CSV injection"); numbers are written as they are.
 * @example csvField('say "hi"') // "\"say \"\"hi\"\"\""
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let v = value;
  if (/^[=+\-@\t\r]/.test(v) && !/^[+-]?\d/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/**
 * CSV text from a header and rows, lines ended by "\n", a final newline included.
 * @example csvText(["a", "b"], [[1, "x"]]) // "a,b\n1,x\n"
 */
export function csvText(
  header: readonly string[],
  rows: Iterable<readonly (string | number | null | undefined)[]>,
): string {
  const out = [header.map(csvField).join(",")];
  for (const r of rows) out.push(r.map(csvField).join(","));
  return `${out.join("\n")}\n`;
}

/**
 * A money value rounded to cents (the exported conversion and customer values): never NaN, never "-0".
 * @example money(12.345) // 12.35
 */
export function money(v: number): number {
  if (!Number.isFinite(v)) return 0;
  const r = Math.round(v * 100) / 100;
  return r === 0 ? 0 : r;
}
