import { bundleEntry } from "./bundle.ts";
import { esc } from "./format.ts";
import { STYLES } from "./styles.ts";

/** One static file the server mounts at `/`. @example (await loadDashboardAssets()).get("app.js")?.contentType */
export interface Asset {
  readonly body: Uint8Array | string;
  readonly contentType: string;
}

/** Options of the dashboard page. @example await loadDashboardAssets({ apiKey: "k" }) */
export interface DashboardOptions {
  /** Put this API key in the page (for `valuecast serve` on 127.0.0.1 opened by its own user); default: the page asks. */
  readonly apiKey?: string;
  readonly title?: string;
}

/** The dashboard's HTML shell (the script and styles are separate files). @example dashboardHtml({}) */
export function dashboardHtml(options: DashboardOptions = {}): string {
  const title = options.title ?? "valuecast dashboard";
  const key = options.apiKey ? `<meta name="valuecast-api-key" content="${esc(options.apiKey)}">\n` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
${key}<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/styles.css">
</head>
<body>
<header class="top"><h1><span>value</span>cast</h1><nav id="nav"></nav><div id="tools" class="tools"></div></header>
<main id="main"></main>
<script src="/app.js"></script>
</body>
</html>
`;
}

/**
 * The dashboard's files, built on demand with esbuild (nothing generated is kept in git): `index.html`,
 * `app.js` (the bundle with Chart.js) and `styles.css`, keyed by their path under `/`.
 * @example for (const [path, a] of await loadDashboardAssets()) app.get(`/${path}`, (c) => c.body(a.body, 200, { "content-type": a.contentType }))
 */
export async function loadDashboardAssets(options: DashboardOptions = {}): Promise<Map<string, Asset>> {
  return new Map<string, Asset>([
    ["index.html", { body: dashboardHtml(options), contentType: "text/html; charset=utf-8" }],
    ["app.js", { body: bundleEntry("dashboard"), contentType: "text/javascript; charset=utf-8" }],
    ["styles.css", { body: STYLES, contentType: "text/css; charset=utf-8" }],
  ]);
}
