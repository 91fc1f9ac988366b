import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { ExportFile } from "./types.ts";

/**
 * Writes an export to a local file (UTF-8), creating the folder. valuecast writes files; it never uploads.
 * @example await writeExportFile("out/audience-top.csv", audienceCsv(customers, "top"))
 */
export async function writeExportFile(
  path: string,
  file: ExportFile,
): Promise<{ path: string; rows: number }> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, file.content, "utf8");
  return { path, rows: file.rows };
}
