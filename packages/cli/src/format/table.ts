/** A column of a text table: its header and whether numbers line up on the right. */
export interface Column {
  readonly header: string;
  readonly align?: "left" | "right";
}

/**
 * Renders rows as an aligned plain-text table (two spaces between columns, a rule under the header),
 * readable in a terminal and stable for tests.
 * @example renderTable([{ header: "param" }, { header: "value", align: "right" }], [["r", "0.2426"]])
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, j) => Math.max(c.header.length, ...rows.map((r) => (r[j] ?? "").length)));
  const cell = (text: string, j: number) =>
    columns[j]?.align === "right" ? text.padStart(widths[j]!) : text.padEnd(widths[j]!);
  const line = (cells: readonly string[]) =>
    columns
      .map((_, j) => cell(cells[j] ?? "", j))
      .join("  ")
      .trimEnd();
  const out = [line(columns.map((c) => c.header)), widths.map((w) => "-".repeat(w)).join("  ")];
  for (const r of rows) out.push(line(r));
  return `${out.join("\n")}\n`;
}

/**
 * A number for people: fixed decimals, thousands separators for large values, "n/a" when not finite.
 * @example fmt(1234567.891, 2) // "1,234,567.89"
 */
export function fmt(value: number | null | undefined, decimals = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "n/a";
  return value.toLocaleString("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/**
 * An integer count with thousands separators.
 * @example count(23570) // "23,570"
 */
export function count(value: number): string {
  return fmt(value, 0);
}

/**
 * A share as a percentage, e.g. 0.1234 -> "12.3%".
 * @example pct(0.1234) // "12.3%"
 */
export function pct(value: number | null | undefined, decimals = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "n/a";
  return `${(value * 100).toFixed(decimals)}%`;
}

/**
 * A heading line followed by a blank line, for sections of human output.
 * @example heading("Backtest") // "Backtest\n========\n"
 */
export function heading(text: string): string {
  return `${text}\n${"=".repeat(text.length)}\n`;
}
