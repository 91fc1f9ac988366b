import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

/** The browser entries this package bundles. @example bundleEntry("report") */
export type Entry = "report" | "dashboard";

const ENTRY_FILES: Record<Entry, string> = {
  report: fileURLToPath(new URL("./report-entry.ts", import.meta.url)),
  dashboard: fileURLToPath(new URL("./dashboard-entry.ts", import.meta.url)),
};

const cache = new Map<Entry, string>();

/**
 * Bundles one browser entry (with Chart.js) into a single minified IIFE script with esbuild, in memory;
 * the result is cached for the process (a few hundred ms the first time).
 * @example const js = bundleEntry("report"); js.length > 100_000
 */
export function bundleEntry(entry: Entry): string {
  const hit = cache.get(entry);
  if (hit !== undefined) return hit;
  const out = buildSync({
    entryPoints: [ENTRY_FILES[entry]],
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    target: "es2020",
    write: false,
    legalComments: "none",
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error(`esbuild produced no output for ${entry}`);
  cache.set(entry, file.text);
  return file.text;
}
