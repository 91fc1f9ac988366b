import { createWriteStream, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** One CSV field: quoted when it holds a comma, quote or line break (RFC 4180); NULL is empty. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * A CSV file written line by line (for rows streamed out of an engine, e.g. rejected rows).
 * @example const out = openCsvWriter("rejected.csv", ["a", "b"]); out.row([1, "x"]); await out.close();
 */
export function openCsvWriter(path: string, header: readonly string[]) {
  mkdirSync(dirname(path), { recursive: true });
  const stream = createWriteStream(path);
  let buffer = `${header.map(csvField).join(",")}\n`;
  let rows = 0;
  return {
    row(values: readonly unknown[]): void {
      buffer += `${values.map(csvField).join(",")}\n`;
      rows++;
      if (buffer.length > 1 << 16) {
        stream.write(buffer);
        buffer = "";
      }
    },
    get rows() {
      return rows;
    },
    close(): Promise<void> {
      return new Promise((resolve, reject) => {
        stream.on("error", reject);
        stream.end(buffer, () => resolve());
      });
    },
  };
}
