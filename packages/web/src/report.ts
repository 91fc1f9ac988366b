import { bundleEntry } from "./bundle.ts";
import { esc } from "./format.ts";
import { STYLES } from "./styles.ts";
import type { ReportInput } from "./types.ts";

/** JSON safe inside a <script> element (no "</script>", no HTML comment openers). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * One self-contained HTML file: inline CSS, the inline script bundle (Chart.js included) and the results
 * as JSON. It opens offline from disk; every page of the dashboard is in it (navigation by #page).
 * @example await writeFile("report.html", renderReport(buildReportInput(transactions, { calibrationEnd: "1997-09-30" })))
 */
export function renderReport(results: ReportInput): string {
  const js = bundleEntry("report").replace(/<\/script/gi, "<\\/script");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(results.title)}</title>
<style>${STYLES}</style>
</head>
<body>
<header class="top"><h1><span>value</span>cast · ${esc(results.title)}</h1><nav id="nav"></nav></header>
<main id="main"></main>
<footer>Generated ${esc(results.generatedAt)} by valuecast. All figures are model estimates.</footer>
<script type="application/json" id="valuecast-data">${scriptJson(results)}</script>
<script>${js}</script>
</body>
</html>
`;
}
